//! OCR of pages without usable text (scans, unreadable fonts) with Tesseract, page by page, in
//! the background: each page is rendered by `pdftoppm` and read by `tesseract`, two child
//! processes under a time limit, so no page can take the caller down. A page read by OCR is
//! stored with `source = 'ocr'` and indexed like any other; without Tesseract a paper is still
//! imported and flagged "no text layer".

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use rusqlite::OptionalExtension;

use crate::error::{Error, Result};
use crate::events::{Cancel, Event, Events};
use crate::ingest::normalize::normalize_pages;
use crate::ingest::passage::split_passages;
use crate::ingest::quality::{classify, PageSource};
use crate::library::Library;
use crate::model::{enum_name, OcrState, PageProblem};

/// Environment variable naming the Tesseract program (default `tesseract` on the PATH); set it
/// to a missing program to run as if Tesseract were not installed.
pub const TESSERACT_ENV: &str = "PAPERTRAIL_TESSERACT";

/// Resolution pages are rendered at for OCR.
const DPI: u32 = 300;
/// The time limit for rendering and reading one page.
const PAGE_TIMEOUT: Duration = Duration::from_secs(300);

fn tesseract() -> String {
    std::env::var(TESSERACT_ENV).unwrap_or_else(|_| "tesseract".into())
}

/// Whether Tesseract and `pdftoppm` are installed: both found as executables (on the PATH, or
/// where [`TESSERACT_ENV`] points). They are looked up, not started: starting Tesseract to ask
/// its version cost every import about 50 ms of CPU, more than a short paper's extraction.
pub fn available() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| which::which(tesseract()).is_ok() && which::which("pdftoppm").is_ok())
}

/// What an OCR run did.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OcrSummary {
    /// Versions whose pending pages were all read.
    pub versions: u64,
    /// Pages read.
    pub pages: u64,
    /// Pages on which OCR failed: version sha256, page, reason.
    pub failed: Vec<(String, u32, String)>,
}

/// A page waiting for OCR.
struct PendingPage {
    sha256: String,
    page: u32,
}

impl Library {
    /// Reads by OCR every page that waits for it (versions marked `pending`), page by page,
    /// committing each version as it is done; cancelling keeps what is done and leaves the
    /// rest pending. Errs when Tesseract is not installed.
    pub fn ocr_pending(&self, events: &dyn Events, cancel: &Cancel) -> Result<OcrSummary> {
        let mut summary = OcrSummary::default();
        let pending = self.pages_waiting_for_ocr()?;
        if pending.is_empty() {
            return Ok(summary);
        }
        if !available() {
            self.conn().execute("UPDATE versions SET ocr = 'unavailable' WHERE ocr = 'pending'", [])?;
            return Err(Error::invalid(
                "ocr",
                "Tesseract is not installed: install tesseract-ocr and tesseract-ocr-eng to read scanned pages",
            ));
        }
        let _guard = self.try_write()?;
        let total = pending.len() as u64;
        events.emit(Event::JobStarted { job: "ocr".into(), total });
        let mut writer = self.index.writer().map_err(|_| Error::Busy(self.dir().to_path_buf()))?;
        let jobs = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).max(1);
        let mut done = 0u64;
        let mut cancelled = false;
        // One version at a time (committed as it is done), its pages read on every core.
        let mut versions: Vec<(String, Vec<u32>)> = Vec::new();
        for p in &pending {
            match versions.last_mut() {
                Some((sha, pages)) if *sha == p.sha256 => pages.push(p.page),
                _ => versions.push((p.sha256.clone(), vec![p.page])),
            }
        }
        for (sha, pages) in versions {
            let pdf = self.pdf_path(&sha);
            let queue = std::sync::Mutex::new(pages.iter().copied());
            let (tx, rx) = std::sync::mpsc::channel::<(u32, std::result::Result<String, OcrError>)>();
            let mut read: Vec<(u32, String)> = Vec::new();
            let mut failures = 0;
            std::thread::scope(|scope| {
                for _ in 0..jobs.min(pages.len()) {
                    let (tx, queue, pdf) = (tx.clone(), &queue, &pdf);
                    scope.spawn(move || loop {
                        if cancel.is_cancelled() {
                            break;
                        }
                        let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
                        let Some(page) = next else { break };
                        if tx.send((page, ocr_page(pdf, page, cancel))).is_err() {
                            break;
                        }
                    });
                }
                drop(tx);
                for (page, result) in rx {
                    match result {
                        Ok(text) => read.push((page, text)),
                        Err(_) if cancel.is_cancelled() => {}
                        Err(reason) => {
                            failures += 1;
                            summary.failed.push((sha.clone(), page, reason.to_string()));
                        }
                    }
                    done += 1;
                    events.emit(Event::JobProgress { job: "ocr".into(), done, total, item: format!("{sha} p.{page}") });
                }
            });
            cancelled = cancel.is_cancelled();
            read.sort_by_key(|(page, _)| *page);
            self.store_ocr(&sha, &read, !cancelled, failures)?;
            summary.pages += read.len() as u64;
            self.index.delete_version(&writer, &sha);
            self.index_version(&writer, &sha)?;
            let state = self.db_state()?;
            self.index.commit(&mut writer, &state)?;
            if cancelled {
                break;
            }
            summary.versions += 1;
        }
        events.emit(Event::JobFinished { job: "ocr".into(), cancelled });
        events.emit(Event::LibraryChanged);
        Ok(summary)
    }

    fn pages_waiting_for_ocr(&self) -> Result<Vec<PendingPage>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT pg.version_sha256, pg.page FROM pages pg JOIN versions v ON v.sha256 = pg.version_sha256
             WHERE v.ocr = 'pending' AND pg.source IN ('empty', 'unreadable')
             ORDER BY v.imported_at, v.sha256, pg.page",
        )?;
        let rows = stmt.query_map([], |r| Ok(PendingPage { sha256: r.get(0)?, page: r.get(1)? }))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Stores the pages OCR read for a version, in one transaction; `finished`: every pending
    /// page of the version was tried.
    fn store_ocr(&self, sha: &str, read: &[(u32, String)], finished: bool, failures: usize) -> Result<()> {
        let conn = self.conn();
        let tx = conn.unchecked_transaction()?;
        let first_unreadable: bool = tx
            .query_row("SELECT source = 'unreadable' FROM pages WHERE version_sha256 = ?1 AND page = 1", [sha], |r| {
                r.get(0)
            })
            .optional()?
            .unwrap_or(false);
        let mut outcome: Vec<(u32, bool)> = Vec::with_capacity(read.len());
        for (page, raw) in read {
            let text = normalize_pages(std::slice::from_ref(raw)).pop().unwrap_or_default();
            let source = if classify(&text) == PageSource::Text { "ocr" } else { "empty" };
            let text = if source == "ocr" { text } else { String::new() };
            outcome.push((*page, source == "ocr"));
            tx.execute(
                "UPDATE pages SET text = ?3, source = ?4 WHERE version_sha256 = ?1 AND page = ?2",
                rusqlite::params![sha, page, text, source],
            )?;
            tx.execute("DELETE FROM passages WHERE version_sha256 = ?1 AND page = ?2", rusqlite::params![sha, page])?;
            for ps in split_passages(&text) {
                tx.execute(
                    "INSERT INTO passages (version_sha256, page, start, end, text) VALUES (?1, ?2, ?3, ?4, ?5)",
                    rusqlite::params![sha, page, ps.start as i64, ps.end as i64, ps.text],
                )?;
            }
        }
        if let Some((_, first)) = read.iter().find(|(page, _)| *page == 1) {
            retitle_from_ocr(&tx, sha, first, first_unreadable)?;
        }
        let stored: Option<(String, String)> = tx
            .query_row("SELECT problems, paper_id FROM versions WHERE sha256 = ?1", [sha], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let Some((problems, paper_id)) = stored else {
            return Err(Error::NotFound { kind: "version", id: sha.to_string() });
        };
        let list: Vec<PageProblem> = serde_json::from_str(&problems).unwrap_or_default();
        let list = problems_after_ocr(list, &outcome, finished.then_some(failures));
        tx.execute(
            "UPDATE versions SET problems = ?2 WHERE sha256 = ?1",
            rusqlite::params![sha, serde_json::to_string(&list)?],
        )?;
        if finished {
            let state = if failures > 0 && read.is_empty() { OcrState::Failed } else { OcrState::Done };
            tx.execute("UPDATE versions SET ocr = ?2 WHERE sha256 = ?1", rusqlite::params![sha, enum_name(&state)])?;
        }
        // OCR'd pages may hold the reference list: mark its passages and refresh citations.
        crate::story::citations::version_stored(&tx, sha, &paper_id)?;
        crate::store::bump_revision(&tx)?;
        tx.commit()?;
        Ok(())
    }
}

/// The version's problem list once OCR has read `outcome` (page, whether OCR found text): a
/// page OCR read is no longer "not indexed" but noted as read by OCR, a page where OCR found
/// nothing says so, and when every page was tried (`failures` given) a count of pages OCR could
/// not read is added. Running it again on its own output changes nothing.
fn problems_after_ocr(list: Vec<PageProblem>, outcome: &[(u32, bool)], failures: Option<usize>) -> Vec<PageProblem> {
    const READ: &str = "Read by OCR: its text layer could not be used.";
    const NOTHING: &str = "OCR found no text on it.";
    let mut list: Vec<PageProblem> = list
        .into_iter()
        .filter(|p| !outcome.iter().any(|(page, _)| *page == p.page) && !p.problem.starts_with("OCR could not read"))
        .collect();
    for (page, found) in outcome {
        list.push(PageProblem { page: *page, problem: if *found { READ } else { NOTHING }.into() });
    }
    if let Some(failures) = failures.filter(|f| *f > 0) {
        list.push(PageProblem { page: 0, problem: format!("OCR could not read {failures} page(s).") });
    }
    list.sort_by_key(|p| p.page);
    list
}

/// A paper titled after its file name (its file had no text to read a title from), or whose
/// first page's text layer could not be read (its title came from whatever line could), takes
/// the first title-like line OCR read on page 1, unless a user edited the title.
fn retitle_from_ocr(tx: &rusqlite::Transaction<'_>, sha: &str, first_page: &str, unreadable: bool) -> Result<()> {
    let row: Option<(String, String, String, String)> = tx
        .query_row(
            "SELECT p.id, p.title, p.edited, v.file_name FROM versions v JOIN papers p ON p.id = v.paper_id
             WHERE v.sha256 = ?1",
            [sha],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((id, title, edited, file_name)) = row else { return Ok(()) };
    let from_file = crate::ingest::import::title_from_file_name(Path::new(&file_name));
    if (title != from_file && !unreadable) || edited.contains("\"title\"") {
        return Ok(());
    }
    let text = normalize_pages(&[first_page.to_string()]).pop().unwrap_or_default();
    if let Some(t) = crate::ingest::metadata::first_line_title(&text) {
        tx.execute("UPDATE papers SET title = ?2 WHERE id = ?1", (&id, t.chars().take(200).collect::<String>()))?;
    }
    Ok(())
}

/// Why one page could not be read by OCR; its message is a sentence about the page.
#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    /// No temporary folder for the page's image.
    #[error("cannot create a temporary folder for OCR: {0}")]
    TempDir(#[source] std::io::Error),
    /// `pdftoppm` could not render the page.
    #[error("page {page} could not be rendered for OCR ({why})")]
    Render {
        /// The page.
        page: u32,
        /// What went wrong with the renderer.
        why: RunError,
    },
    /// Tesseract could not read the rendered page.
    #[error("Tesseract could not read page {page} ({why})")]
    Read {
        /// The page.
        page: u32,
        /// What went wrong with Tesseract.
        why: RunError,
    },
}

/// How a helper program (the renderer, Tesseract) failed.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// It could not be started (not installed, not executable).
    #[error("cannot start it: {0}")]
    Start(#[source] std::io::Error),
    /// The user cancelled.
    #[error("cancelled")]
    Cancelled,
    /// It ran past the time limit for one page (five minutes).
    #[error("it took too long")]
    TimedOut,
    /// Waiting for it failed.
    #[error("{0}")]
    Wait(#[source] std::io::Error),
    /// It exited with a failure status.
    #[error("exit status {0}")]
    Failed(i32),
}

/// Renders one page and reads it with Tesseract.
pub fn ocr_page(pdf: &Path, page: u32, cancel: &Cancel) -> std::result::Result<String, OcrError> {
    let dir = tempfile::tempdir().map_err(OcrError::TempDir)?;
    let prefix = dir.path().join("page");
    let mut render = Command::new("pdftoppm");
    render
        .args(["-r", &DPI.to_string(), "-gray", "-png", "-singlefile"])
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg(&prefix);
    run(render, cancel).map_err(|why| OcrError::Render { page, why })?;
    let image: PathBuf = prefix.with_extension("png");
    let mut read = Command::new(tesseract());
    read.arg(&image).arg("stdout").args(["-l", "eng"]).env("OMP_THREAD_LIMIT", "1");
    let out = run(read, cancel).map_err(|why| OcrError::Read { page, why })?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Runs a command under [`PAGE_TIMEOUT`] and `cancel`; returns its stdout.
fn run(mut cmd: Command, cancel: &Cancel) -> std::result::Result<Vec<u8>, RunError> {
    use std::io::Read;
    let mut child =
        cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().map_err(RunError::Start)?;
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(out) = stdout.as_mut() {
            let _ = out.read_to_end(&mut buf);
        }
        buf
    });
    let deadline = Instant::now() + PAGE_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if cancel.is_cancelled() || Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                let _ = reader.join();
                return Err(if cancel.is_cancelled() { RunError::Cancelled } else { RunError::TimedOut });
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(RunError::Wait(e)),
        }
    };
    let out = reader.join().unwrap_or_default();
    if !status.success() {
        return Err(RunError::Failed(status.code().unwrap_or(-1)));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(page: u32, text: &str) -> PageProblem {
        PageProblem { page, problem: text.into() }
    }

    #[test]
    fn pages_read_by_ocr_are_no_longer_reported_unindexed() {
        let before = vec![
            problem(0, "Repaired: a broken trailer."),
            problem(3, "Its text layer uses a font whose letters cannot be read; the text is not indexed."),
            problem(5, "Its text layer uses a font whose letters cannot be read; the text is not indexed."),
        ];
        let after = problems_after_ocr(before, &[(3, true), (5, false)], Some(1));
        let pages: Vec<(u32, &str)> = after.iter().map(|p| (p.page, p.problem.as_str())).collect();
        assert_eq!(
            pages,
            vec![
                (0, "Repaired: a broken trailer."),
                (0, "OCR could not read 1 page(s)."),
                (3, "Read by OCR: its text layer could not be used."),
                (5, "OCR found no text on it."),
            ]
        );
    }

    #[test]
    fn problems_after_ocr_is_idempotent() {
        let once = problems_after_ocr(
            vec![problem(0, "No text layer: the pages are images (a scan).")],
            &[(1, true)],
            Some(2),
        );
        let twice = problems_after_ocr(once.clone(), &[(1, true)], Some(2));
        assert_eq!(once, twice);
        let unfinished = problems_after_ocr(once.clone(), &[], None);
        assert_eq!(unfinished.len(), 2, "{unfinished:?}");
    }
}
