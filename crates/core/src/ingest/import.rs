//! Importing PDFs: hash, check, extract in workers (both cores), normalize, split, store in
//! one transaction per file, index. One file's failure never stops the others, and a failed
//! file leaves the library as it was.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::events::{Cancel, Event, Events};
use crate::ingest::extract::{precheck, Extracted, EXTRACTOR_NAME, EXTRACTOR_VERSION};
use crate::ingest::metadata::detect;
use crate::ingest::pages::PageTexts;
use crate::ingest::passage::split_passages;
use crate::ingest::worker::{extract_in_worker, WorkerCommand, WorkerError};
use crate::library::Library;
use crate::model::{enum_name, ImportOutcome, ImportStatus};
use crate::search::index::IndexState;

/// The least time between two commits of the index during an import.
const COMMIT_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The extraction worker and its time limit.
    pub worker: WorkerCommand,
    /// How many files to extract at once (default: the number of cores).
    pub jobs: usize,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            worker: WorkerCommand::current_exe().unwrap_or(WorkerCommand {
                program: PathBuf::from("papertrail"),
                timeout: std::time::Duration::from_secs(60),
            }),
            jobs: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
        }
    }
}

/// Expands files and folders (recursively, `*.pdf` in folders) into a sorted list of files.
/// Paths that do not exist come back as failures.
pub fn collect_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<ImportOutcome>) {
    let mut files = BTreeSet::new();
    let mut missing = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut files);
        } else if p.is_file() {
            files.insert(p.clone());
        } else {
            missing.push(ImportOutcome::new(p, ImportStatus::Failed { reason: "no such file or folder".into() }));
        }
    }
    (files.into_iter().collect(), missing)
}

fn walk(dir: &Path, out: &mut BTreeSet<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            walk(&p, out);
        } else if ft.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("pdf")) {
            out.insert(p);
        }
    }
}

/// A file whose bytes were read and hashed.
struct Pending {
    path: PathBuf,
    sha256: String,
    size: u64,
}

/// A file read and hashed, before extraction.
enum Triaged {
    /// The library holds these bytes already, as a version of this paper.
    Present(Pending, String),
    /// New bytes that passed the cheap checks, with the cost of extracting them.
    New(Pending, u64),
}

/// What an import thread reports about one file.
enum Step {
    /// Settled without extraction: unreadable, not a PDF, or already in the library.
    Outcome(ImportOutcome),
    /// The same bytes as another file of this import.
    Duplicate(Pending),
    /// Extracted (or failed in the extractor).
    Extracted(Pending, std::result::Result<Extracted, WorkerError>),
}

impl Library {
    /// Imports files and folders. Returns one outcome per file; fails as a whole only when the
    /// library cannot be written (busy, database error).
    pub fn import(
        &self,
        paths: &[PathBuf],
        opts: &ImportOptions,
        events: &dyn Events,
        cancel: &Cancel,
    ) -> Result<Vec<ImportOutcome>> {
        let _guard = self.try_write()?;
        let (files, mut outcomes) = collect_files(paths);
        let total = files.len() as u64;
        events.emit(Event::JobStarted { job: "import".into(), total });
        for o in &outcomes {
            events.emit(Event::FileImported(o.clone()));
        }
        // Two stages on the same threads. First every file is read, hashed and checked (a few
        // milliseconds each); then the files to extract go costliest first (by their pages),
        // so the longest extractions start at once and the last to finish is short: both
        // cores stay busy to the end.
        let files = std::sync::Mutex::new(files.into_iter());
        let pending = std::sync::Mutex::new(Vec::<(u64, Pending)>::new());
        // Bytes already met in this import: a second file with the same bytes is one document.
        let seen = std::sync::Mutex::new(BTreeSet::new());
        let mut dupes = Vec::new();
        let mut done = 0u64;
        let mut writer: Option<tantivy::IndexWriter> = None;
        let mut last_commit = std::time::Instant::now();
        let jobs = opts.jobs.max(1);
        let triaged = std::sync::Barrier::new(jobs);
        let (tx, rx) = mpsc::channel::<Step>();
        let mut cancelled = false;
        std::thread::scope(|scope| -> Result<()> {
            for _ in 0..jobs {
                let (tx, files, pending, triaged, seen) = (tx.clone(), &files, &pending, &triaged, &seen);
                let worker = &opts.worker;
                scope.spawn(move || {
                    loop {
                        if cancel.is_cancelled() {
                            break;
                        }
                        let next = files.lock().unwrap_or_else(|e| e.into_inner()).next();
                        let Some(path) = next else { break };
                        let step = match self.triage(&path) {
                            Err(outcome) => Step::Outcome(outcome),
                            Ok(Triaged::Present(p, paper_id)) => Step::Outcome(ImportOutcome::new(
                                &p.path,
                                ImportStatus::AlreadyPresent { paper_id, sha256: p.sha256 },
                            )),
                            Ok(Triaged::New(p, _))
                                if !seen.lock().unwrap_or_else(|e| e.into_inner()).insert(p.sha256.clone()) =>
                            {
                                Step::Duplicate(p)
                            }
                            Ok(Triaged::New(p, cost)) => {
                                pending.lock().unwrap_or_else(|e| e.into_inner()).push((cost, p));
                                continue;
                            }
                        };
                        if tx.send(step).is_err() {
                            break;
                        }
                    }
                    // Every thread reaches this point, cancelled or not, so none waits forever.
                    triaged.wait();
                    loop {
                        if cancel.is_cancelled() {
                            break;
                        }
                        let next = {
                            let mut list = pending.lock().unwrap_or_else(|e| e.into_inner());
                            // Costliest first; among equals, in the order of their paths.
                            let costliest = (0..list.len())
                                .max_by(|&a, &b| list[a].0.cmp(&list[b].0).then(list[b].1.path.cmp(&list[a].1.path)));
                            costliest.map(|i| list.swap_remove(i).1)
                        };
                        let Some(p) = next else { break };
                        let result = extract_in_worker(worker, &p.path);
                        if tx.send(Step::Extracted(p, result)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            for step in rx {
                let outcome = match step {
                    Step::Outcome(outcome) => outcome,
                    Step::Duplicate(path) => {
                        dupes.push(path);
                        continue;
                    }
                    Step::Extracted(p, Err(e)) => failed(&p.path, e.to_string()),
                    Step::Extracted(p, Ok(extracted)) => {
                        if writer.is_none() {
                            writer =
                                Some(self.index.import_writer().map_err(|_| Error::Busy(self.dir().to_path_buf()))?);
                        }
                        let w = writer.as_mut().expect("set above");
                        let outcome = match self.store(&p, extracted, w) {
                            Ok((status, notes)) => ImportOutcome { notes, ..ImportOutcome::new(&p.path, status) },
                            Err(e) => failed(&p.path, e.to_string()),
                        };
                        // Commit as papers arrive, so searches see them during a long import
                        // and the work of writing the index overlaps the extraction that goes on.
                        if !outcome.is_failure() && last_commit.elapsed() >= COMMIT_EVERY {
                            self.index.commit(w, &self.db_state()?)?;
                            last_commit = std::time::Instant::now();
                        }
                        outcome
                    }
                };
                done += 1;
                self.finish(outcome, &mut outcomes, events, done, total);
            }
            cancelled = cancel.is_cancelled();
            Ok(())
        })?;
        for p in dupes {
            done += 1;
            // The paper the same bytes became earlier in this import (none if that file failed).
            let paper_id = self.version_paper(&p.sha256)?.unwrap_or_default();
            self.finish(
                ImportOutcome::new(&p.path, ImportStatus::AlreadyPresent { paper_id, sha256: p.sha256 }),
                &mut outcomes,
                events,
                done,
                total,
            );
        }
        if let Some(mut w) = writer {
            let state = self.db_state()?;
            self.index.commit(&mut w, &state)?;
        }
        events.emit(Event::JobFinished { job: "import".into(), cancelled });
        if outcomes.iter().any(|o| !o.is_failure()) {
            events.emit(Event::LibraryChanged);
        }
        Ok(outcomes)
    }

    fn finish(
        &self,
        outcome: ImportOutcome,
        outcomes: &mut Vec<ImportOutcome>,
        events: &dyn Events,
        done: u64,
        total: u64,
    ) {
        let conn = self.conn();
        let _ = match &outcome.status {
            ImportStatus::Failed { reason } => conn.execute(
                "INSERT INTO import_failures (path, reason, failed_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (path) DO UPDATE SET reason = excluded.reason, failed_at = excluded.failed_at",
                (&outcome.path, reason, crate::date::now_rfc3339()),
            ),
            _ => conn.execute("DELETE FROM import_failures WHERE path = ?1", [&outcome.path]),
        };
        drop(conn);
        events.emit(Event::JobProgress { job: "import".into(), done, total, item: outcome.path.clone() });
        events.emit(Event::FileImported(outcome.clone()));
        outcomes.push(outcome);
    }

    /// Reads and hashes a file: either the library has its bytes already, or they pass the
    /// cheap checks and the file is new, with what extracting it will cost in pages (see
    /// [`extraction_cost`]).
    fn triage(&self, path: &Path) -> std::result::Result<Triaged, ImportOutcome> {
        let bytes = std::fs::read(path).map_err(|e| failed(path, format!("cannot read the file: {e}")))?;
        let sha256 = hex::encode(Sha256::digest(&bytes));
        let pending = Pending { path: path.to_path_buf(), sha256, size: bytes.len() as u64 };
        if let Ok(Some(paper_id)) = self.version_paper(&pending.sha256) {
            return Ok(Triaged::Present(pending, paper_id));
        }
        precheck(&bytes).map_err(|e| failed(path, e.to_string()))?;
        Ok(Triaged::New(pending, extraction_cost(&bytes)))
    }

    fn version_paper(&self, sha256: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row("SELECT paper_id FROM versions WHERE sha256 = ?1", [sha256], |r| r.get(0))
            .optional()?)
    }

    pub(crate) fn db_state(&self) -> Result<IndexState> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT sha256 FROM versions")?;
        let versions = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        let mut stmt = conn.prepare(
            "SELECT (SELECT v2.sha256 FROM versions v2 WHERE v2.paper_id = p.id ORDER BY COALESCE(v2.created, v2.imported_at) DESC, v2.rowid DESC LIMIT 1)
             FROM papers p WHERE EXISTS (SELECT 1 FROM versions v WHERE v.paper_id = p.id)",
        )?;
        let current = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(IndexState { revision: crate::store::revision(&conn)?, versions, current })
    }

    /// Stores one extracted file: PDF copy, then one transaction, then index documents.
    /// Returns the status and what the user should know about the file.
    fn store(
        &self,
        p: &Pending,
        extracted: Extracted,
        writer: &tantivy::IndexWriter,
    ) -> Result<(ImportStatus, Vec<String>)> {
        let text = PageTexts::read(&extracted, crate::ingest::ocr::available());
        let detected = detect(&text.pages, &extracted.info, &extracted.layout);
        self.log(&p.path, &extracted.log);
        let dest = self.pdf_path(&p.sha256);
        let existed = dest.exists();
        if !existed {
            copy_atomically(&p.path, &dest, &p.sha256)?;
        }
        let result = self.store_rows(p, &text, &extracted, &detected);
        let (status, paper_id) = match result {
            Ok(v) => v,
            Err(e) => {
                if !existed {
                    let _ = std::fs::remove_file(&dest);
                }
                return Err(e);
            }
        };
        if matches!(status, ImportStatus::NewVersion { .. }) {
            let others: Vec<String> = {
                let conn = self.conn();
                let mut stmt = conn.prepare("SELECT sha256 FROM versions WHERE paper_id = ?1 AND sha256 != ?2")?;
                let rows = stmt.query_map((&paper_id, &p.sha256), |r| r.get(0))?.collect::<Result<_, _>>()?;
                rows
            };
            for other in others {
                self.index.delete_version(writer, &other);
                self.index_version(writer, &other)?;
            }
        }
        self.index_version(writer, &p.sha256)?;
        Ok((status, text.notes()))
    }

    /// Appends the extractor's technical detail about a file to `logs/import.log` in the
    /// library (what a user sees is a sentence; this is for whoever digs deeper).
    fn log(&self, path: &Path, lines: &[String]) {
        if lines.is_empty() {
            return;
        }
        let dir = self.dir().join("logs");
        let _ = std::fs::create_dir_all(&dir);
        if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(dir.join("import.log")) {
            for l in lines {
                let _ = writeln!(f, "{} {}: {l}", crate::date::now_rfc3339(), path.display());
            }
        }
    }

    fn store_rows(
        &self,
        p: &Pending,
        text: &PageTexts,
        extracted: &Extracted,
        detected: &crate::ingest::metadata::Detected,
    ) -> Result<(ImportStatus, String)> {
        let pages = &text.pages;
        let conn = self.conn();
        let tx = conn.unchecked_transaction()?;
        // Which paper is this? Only strong evidence makes a file a new version of a paper.
        let paper_id = crate::ingest::identify::same_paper(&tx, detected, pages)?;
        let now = crate::date::now_rfc3339();
        let had_versions = match &paper_id {
            Some(id) => {
                tx.query_row("SELECT count(*) FROM versions WHERE paper_id = ?1", [id], |r| r.get::<_, i64>(0))? > 0
            }
            None => false,
        };
        let paper_id = match paper_id {
            Some(id) => id,
            None => {
                let title = detected.title.clone().unwrap_or_else(|| title_from_file_name(&p.path));
                crate::ingest::identify::insert_paper(&tx, &title, detected)?
            }
        };
        let file_name = p.path.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
        tx.execute(
            "INSERT INTO versions (sha256, paper_id, pages, imported_at, created, file_name, size, extractor, extractor_version, info_title, info_author, text_layer, ocr, problems)
             VALUES (?1, ?2, ?3, ?4, ?11, ?5, ?6, ?7, ?8, ?9, ?10, ?12, ?13, ?14)",
            rusqlite::params![
                p.sha256,
                paper_id,
                pages.len() as u32,
                now,
                file_name,
                p.size as i64,
                EXTRACTOR_NAME,
                EXTRACTOR_VERSION,
                extracted.info.title,
                extracted.info.author,
                extracted.info.creation_date.as_deref().and_then(crate::ingest::metadata::pdf_timestamp),
                enum_name(&text.layer),
                enum_name(&text.ocr),
                serde_json::to_string(&text.problems)?,
            ],
        )?;
        {
            let mut page_stmt =
                tx.prepare("INSERT INTO pages (version_sha256, page, text, source) VALUES (?1, ?2, ?3, ?4)")?;
            let mut passage_stmt = tx
                .prepare("INSERT INTO passages (version_sha256, page, start, end, text) VALUES (?1, ?2, ?3, ?4, ?5)")?;
            let text_sources = &text.sources;
            for (i, text) in pages.iter().enumerate() {
                let page = i as u32 + 1;
                page_stmt.execute(rusqlite::params![p.sha256, page, text, text_sources[i].as_str()])?;
                for ps in split_passages(text) {
                    passage_stmt.execute(rusqlite::params![p.sha256, page, ps.start as i64, ps.end as i64, ps.text])?;
                }
            }
        }
        crate::store::bump_revision(&tx)?;
        // References and citations: mark this version's reference passages, store its entries,
        // recompute the citations of its paper both ways (story::citations).
        crate::story::citations::version_stored(&tx, &p.sha256, &paper_id)?;
        crate::story::locator::resolve_locators(&tx, &paper_id)?;
        if had_versions {
            crate::evidence::annotation::reanchor_paper(&tx, &paper_id)?;
        }
        tx.commit()?;
        let status = if had_versions {
            ImportStatus::NewVersion { paper_id: paper_id.clone(), sha256: p.sha256.clone(), pages: pages.len() as u32 }
        } else {
            ImportStatus::Imported { paper_id: paper_id.clone(), sha256: p.sha256.clone(), pages: pages.len() as u32 }
        };
        Ok((status, paper_id))
    }
}

/// What extracting a PDF will cost, in pages: its page objects where they can be counted in
/// the raw bytes, else (pages packed into compressed object streams) its size at 64 KB a page.
/// Only an order is made of it, so an estimate does.
pub(crate) fn extraction_cost(bytes: &[u8]) -> u64 {
    static PAGE: std::sync::OnceLock<regex::bytes::Regex> = std::sync::OnceLock::new();
    let page = PAGE.get_or_init(|| regex::bytes::Regex::new(r"(?-u)/Type\s*/Page\b").expect("valid regex"));
    (page.find_iter(bytes).count() as u64).max(bytes.len() as u64 / 65_536)
}

fn failed(path: &Path, reason: String) -> ImportOutcome {
    ImportOutcome::new(path, ImportStatus::Failed { reason })
}

/// A title from a file name when the file gives none: `the_lisp-ii_collector.pdf` →
/// `the lisp ii collector`.
pub(crate) fn title_from_file_name(p: &Path) -> String {
    let stem = p.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let words: Vec<&str> =
        stem.split(|c: char| c == '_' || c == '-' || c.is_whitespace()).filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        "Untitled paper".into()
    } else {
        words.join(" ")
    }
}

/// Copies `src` to `dest` through a temporary file in the same folder: write, fsync, check the
/// hash, rename. A crash leaves either no file or the whole file.
pub fn copy_atomically(src: &Path, dest: &Path, sha256: &str) -> Result<()> {
    let dir = dest.parent().unwrap_or(Path::new("."));
    let bytes = std::fs::read(src).map_err(|e| Error::io("reading", src, e))?;
    if hex::encode(Sha256::digest(&bytes)) != sha256 {
        return Err(Error::Import {
            path: src.to_path_buf(),
            reason: "the file changed while it was being imported".into(),
        });
    }
    let mut tmp =
        tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io("creating a temporary file in", dir, e))?;
    tmp.write_all(&bytes).map_err(|e| Error::io("writing", tmp.path().to_path_buf(), e))?;
    tmp.as_file().sync_all().map_err(|e| Error::io("syncing", tmp.path().to_path_buf(), e))?;
    tmp.persist(dest).map_err(|e| Error::io("renaming into", dest, e.error))?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdfs_cost_is_its_page_objects_or_else_its_size() {
        let tree = b"%PDF-1.4\n1 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >> endobj\n\
                     2 0 obj << /Type /Page /Parent 1 0 R >> endobj\n3 0 obj <</Type/Page/Parent 1 0 R>> endobj\n";
        assert_eq!(extraction_cost(tree), 2, "two pages, the page tree's root not counted");
        // Pages packed into compressed object streams cannot be counted: the size stands in.
        let mut packed = b"%PDF-1.5\n".to_vec();
        packed.resize(65_536 * 5, b'x');
        assert_eq!(extraction_cost(&packed), 5);
    }
}
