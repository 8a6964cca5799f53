//! Import: merges a colleague's bundle into the library. Claims, annotations and evidence
//! links with ids the library lacks are added; the same ids are merged and nothing existing
//! is overwritten (differences are reported as conflicts). New passages are re-anchored
//! against the local text of their paper. The whole bundle is read and checked before
//! anything changes, and the merge is one transaction.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::archive::BundleArchive;
use super::claimreview::{self, BundleClaim};
use super::job::Job;
use super::manifest::{Manifest, MANIFEST};
use super::webannotation::{self, Passage};
use super::{archive, bad};
use crate::error::{Error, Result};
use crate::events::{Cancel, Event, Events, NoEvents};
use crate::evidence::anchor::{context, reanchor, Anchor};
use crate::ingest::import::ImportOptions;
use crate::ingest::passage::char_slice;
use crate::ingest::worker::WorkerCommand;
use crate::library::Library;
use crate::model::ImportStatus;

/// How to import a bundle.
#[derive(Debug, Clone)]
pub struct ImportBundleOptions {
    /// The extraction worker, for PDFs the bundle brings.
    pub worker: WorkerCommand,
    /// Import the bundle's PDFs of versions the library lacks (default true).
    pub import_pdfs: bool,
}

impl Default for ImportBundleOptions {
    fn default() -> Self {
        Self { worker: ImportOptions::default().worker, import_pdfs: true }
    }
}

/// Something the bundle says differently from the library; the library's value was kept.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// `claim`, `annotation`, `evidence` or `paper`.
    pub kind: String,
    /// Its id (`claim ← annotation` for evidence).
    pub id: String,
    /// The field that differs.
    pub field: String,
    /// The library's value (kept).
    pub ours: String,
    /// The bundle's value (not applied).
    pub theirs: String,
}

/// A passage that could not be brought in.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    /// The annotation id.
    pub annotation_id: String,
    /// Why.
    pub reason: String,
}

/// A passage placed by re-anchoring.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Placed {
    /// The annotation id.
    pub annotation_id: String,
    /// Version it now anchors in.
    pub version_sha256: String,
    /// Page.
    pub page: u32,
    /// Match score (1.0 exact).
    pub score: f64,
}

/// What an import did.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct BundleImportReport {
    /// The bundle file.
    pub bundle: String,
    /// Sha256 of PDFs imported from the bundle.
    pub pdfs_imported: Vec<String>,
    /// Claims added.
    pub claims_added: Vec<String>,
    /// Claims already present (merged).
    pub claims_merged: Vec<String>,
    /// Annotations added.
    pub annotations_added: Vec<String>,
    /// Annotations already present (merged).
    pub annotations_merged: Vec<String>,
    /// Added annotations placed by re-anchoring rather than at their recorded offsets.
    pub reanchored: Vec<Placed>,
    /// Added annotations whose quote was not found locally: stored, flagged orphaned.
    pub orphaned: Vec<String>,
    /// Evidence links added.
    pub evidence_added: usize,
    /// Evidence links already present.
    pub evidence_merged: usize,
    /// Differences, the library's value kept.
    pub conflicts: Vec<Conflict>,
    /// Passages not brought in.
    pub skipped: Vec<Skipped>,
}

/// The events of the import of a bundle's PDFs, shown as steps of the bundle's own job.
struct AsBundleProgress<'a> {
    inner: &'a dyn Events,
    base: u64,
    total: u64,
}

impl Events for AsBundleProgress<'_> {
    fn emit(&self, event: Event) {
        match event {
            Event::JobStarted { .. } | Event::JobFinished { .. } => {}
            Event::JobProgress { done, item, .. } => {
                let done = self.base + done;
                self.inner.emit(Event::JobProgress { job: "bundle".into(), done, total: self.total.max(done), item })
            }
            other => self.inner.emit(other),
        }
    }
}

/// A bundle read and cross-checked, before any change.
struct Checked {
    claims: Vec<BundleClaim>,
    passages: Vec<Passage>,
}

fn check_bundle(bundle: &BundleArchive) -> Result<Checked> {
    Manifest::parse(bundle.require(MANIFEST)?)?;
    let claims = claimreview::parse(bundle.require(claimreview::FILE)?)?;
    let passages = webannotation::parse(bundle.require(webannotation::FILE)?)?;
    let mut ids = BTreeSet::new();
    for c in &claims {
        if !ids.insert(&c.id) {
            return Err(bad(claimreview::FILE, format!("claim `{}` is reviewed twice", c.id)));
        }
    }
    let mut seen = BTreeSet::new();
    for p in &passages {
        if !seen.insert(&p.id) {
            return Err(bad(webannotation::FILE, format!("annotation `{}` appears twice", p.id)));
        }
        for (claim, _, _) in &p.links {
            if !ids.contains(claim) {
                return Err(bad(
                    webannotation::FILE,
                    format!("annotation `{}` cites claim `{claim}`, which claims.jsonld does not describe", p.id),
                ));
            }
        }
    }
    for (name, bytes) in &bundle.files {
        if let Some(sha) = archive::pdf_sha(name) {
            if hex::encode(Sha256::digest(bytes)) != sha {
                return Err(bad(name, "does not hash to the sha256 in its name; the PDF was altered"));
            }
        }
    }
    Ok(Checked { claims, passages })
}

fn conflict(report: &mut BundleImportReport, kind: &str, id: &str, field: &str, ours: &str, theirs: &str) {
    if ours != theirs {
        report.conflicts.push(Conflict {
            kind: kind.into(),
            id: id.into(),
            field: field.into(),
            ours: ours.into(),
            theirs: theirs.into(),
        });
    }
}

fn merge_claim(conn: &Connection, c: &BundleClaim, report: &mut BundleImportReport) -> Result<()> {
    let ours: Option<(String, String, Option<String>, String, String)> = conn
        .query_row("SELECT text, claimant, date, source, tags FROM claims WHERE id = ?1", [&c.id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    match ours {
        Some((text, claimant, date, source, tags)) => {
            let tags: Vec<String> = serde_json::from_str(&tags).unwrap_or_default();
            conflict(report, "claim", &c.id, "tags", &tags.join(" "), &c.tags.join(" "));
            conflict(report, "claim", &c.id, "text", &text, &c.text);
            conflict(report, "claim", &c.id, "claimant", &claimant, &c.claimant);
            conflict(report, "claim", &c.id, "date", date.as_deref().unwrap_or(""), c.date.as_deref().unwrap_or(""));
            conflict(report, "claim", &c.id, "source", &source, &c.source);
            report.claims_merged.push(c.id.clone());
        }
        None => {
            let date = c
                .date
                .as_deref()
                .map(crate::date::PartialDate::parse)
                .transpose()
                .map_err(|e| Error::invalid("date", e))?;
            conn.execute(
                "INSERT INTO claims (id, text, claimant, date, date_precision, source, tags, origin, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'bundle', ?8)",
                rusqlite::params![
                    c.id,
                    c.text,
                    c.claimant,
                    date,
                    date.map(|d| d.precision()),
                    c.source,
                    serde_json::to_string(&c.tags)?,
                    crate::date::now_rfc3339()
                ],
            )?;
            report.claims_added.push(c.id.clone());
        }
    }
    Ok(())
}

/// Places a new passage in the local text and stores it; returns false when it was skipped.
fn add_passage(conn: &Connection, p: &Passage, report: &mut BundleImportReport) -> Result<bool> {
    let same: Option<(String, String, String)> = conn
        .query_row("SELECT paper_id, extractor, extractor_version FROM versions WHERE sha256 = ?1", [&p.sha256], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let version = match &same {
        Some(_) => p.sha256.clone(),
        None => match crate::evidence::annotation::current_version(conn, &p.paper) {
            Ok(v) => v,
            Err(_) => {
                report.skipped.push(Skipped {
                    annotation_id: p.id.clone(),
                    reason: format!(
                        "paper `{}` has no PDF in this library; import it (or a bundle made with --include-pdfs) and import the bundle again",
                        p.paper
                    ),
                });
                return Ok(false);
            }
        },
    };
    let (extractor, extractor_version): (String, String) =
        conn.query_row("SELECT extractor, extractor_version FROM versions WHERE sha256 = ?1", [&version], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let mut stmt = conn.prepare("SELECT text FROM pages WHERE version_sha256 = ?1 ORDER BY page")?;
    let pages: Vec<String> = stmt.query_map([&version], |r| r.get(0))?.collect::<Result<_, _>>()?;
    let exact_here = same.is_some()
        && pages.get(p.page as usize - 1).is_some_and(|t| {
            t.chars().count() >= p.end
                && char_slice(t, p.start, p.end) == p.exact
                && context(t, p.start, p.end) == (p.prefix.clone(), p.suffix.clone())
        });
    let anchor = Anchor::new(p.page, &p.exact, &p.prefix, &p.suffix, p.start, p.end);
    let (page, start, end, exact, prefix, suffix, orphaned) = if exact_here {
        (p.page, p.start, p.end, p.exact.clone(), p.prefix.clone(), p.suffix.clone(), false)
    } else if let Some(f) = reanchor(&anchor, &pages) {
        let text = &pages[f.page as usize - 1];
        let (prefix, suffix) = context(text, f.start, f.end);
        report.reanchored.push(Placed {
            annotation_id: p.id.clone(),
            version_sha256: version.clone(),
            page: f.page,
            score: (f.score * 1000.0).round() / 1000.0,
        });
        (f.page, f.start, f.end, char_slice(text, f.start, f.end).to_string(), prefix, suffix, false)
    } else {
        report.orphaned.push(p.id.clone());
        (p.page, p.start, p.end, p.exact.clone(), p.prefix.clone(), p.suffix.clone(), true)
    };
    // A colour Papertrail does not have (another tool's) becomes the default.
    let color: crate::model::Colour = p.color.parse().unwrap_or_default();
    let tags: Vec<&String> =
        p.tags.iter().filter(|t| !t.trim().is_empty() && !t.contains(char::is_whitespace)).collect();
    let now = crate::date::now_rfc3339();
    let created = if p.created.is_empty() { now.clone() } else { p.created.clone() };
    let modified = if p.modified.is_empty() { now } else { p.modified.clone() };
    let (extractor, extractor_version) =
        if orphaned { (p.extractor.clone(), p.extractor_version.clone()) } else { (extractor, extractor_version) };
    conn.execute(
        "INSERT INTO annotations (id, version_sha256, page, exact, prefix, suffix, start, end, extractor, extractor_version, note, tags, color, orphaned, origin, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 'bundle', ?15, ?16)",
        rusqlite::params![
            p.id,
            version,
            page,
            exact,
            prefix,
            suffix,
            start as i64,
            end as i64,
            extractor,
            extractor_version,
            p.note,
            serde_json::to_string(&tags)?,
            color,
            orphaned,
            created,
            modified
        ],
    )?;
    report.annotations_added.push(p.id.clone());
    Ok(true)
}

fn merge_passage(conn: &Connection, p: &Passage, report: &mut BundleImportReport) -> Result<()> {
    let ours: Option<(String, String, String, String)> = conn
        .query_row("SELECT exact, note, tags, color FROM annotations WHERE id = ?1", [&p.id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let present = match ours {
        Some((exact, note, tags, color)) => {
            conflict(report, "annotation", &p.id, "quote", &exact, &p.exact);
            conflict(report, "annotation", &p.id, "note", &note, &p.note);
            let tags: Vec<String> = serde_json::from_str(&tags).unwrap_or_default();
            conflict(report, "annotation", &p.id, "tags", &tags.join(" "), &p.tags.join(" "));
            conflict(report, "annotation", &p.id, "color", &color, &p.color);
            report.annotations_merged.push(p.id.clone());
            true
        }
        None => add_passage(conn, p, report)?,
    };
    if !present {
        return Ok(());
    }
    for (claim, stance, note) in &p.links {
        let ours: Option<(String, String)> = conn
            .query_row(
                "SELECT stance, note FROM evidence WHERE claim_id = ?1 AND annotation_id = ?2",
                (claim, &p.id),
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let id = format!("{claim} ← {}", p.id);
        match ours {
            Some((s, n)) => {
                conflict(report, "evidence", &id, "stance", &s, stance.as_str());
                conflict(report, "evidence", &id, "note", &n, note);
                report.evidence_merged += 1;
            }
            None => {
                conn.execute(
                    "INSERT INTO evidence (claim_id, annotation_id, stance, note, origin, created_at) VALUES (?1, ?2, ?3, ?4, 'bundle', ?5)",
                    rusqlite::params![claim, p.id, stance.as_str(), note, crate::date::now_rfc3339()],
                )?;
                report.evidence_added += 1;
            }
        }
    }
    Ok(())
}

impl Library {
    /// Imports a bundle (see the module docs). A bundle that is hostile or malformed is
    /// refused as a whole with the reason, and the library is left as it was.
    pub fn import_bundle(&self, path: &Path, opts: &ImportBundleOptions) -> Result<BundleImportReport> {
        self.import_bundle_with(path, opts, &NoEvents, &Cancel::new())
    }

    /// [`Library::import_bundle`] reporting progress as job `bundle` (a step per PDF the
    /// bundle brings, then per claim and per passage merged) and honouring `cancel` with
    /// [`Error::Cancelled`]. A cancelled import stores only whole records: the PDFs whose
    /// import had finished stay as whole papers (each committed on its own, as any import),
    /// and none of the bundle's claims, passages or evidence links, whose merge is one
    /// transaction rolled back on cancel.
    pub fn import_bundle_with(
        &self,
        path: &Path,
        opts: &ImportBundleOptions,
        events: &dyn Events,
        cancel: &Cancel,
    ) -> Result<BundleImportReport> {
        let mut job = Job::start(events, cancel, "bundle", 0);
        let result = self.import_bundle_steps(path, opts, &mut job);
        job.finish(&result);
        result
    }

    fn import_bundle_steps(
        &self,
        path: &Path,
        opts: &ImportBundleOptions,
        job: &mut Job<'_>,
    ) -> Result<BundleImportReport> {
        let bundle = BundleArchive::read(path)?;
        let checked = check_bundle(&bundle)?;
        let mut report = BundleImportReport { bundle: path.display().to_string(), ..Default::default() };
        let pdfs = if opts.import_pdfs { self.new_pdfs(&bundle)? } else { Vec::new() };
        job.set_total((pdfs.len() + checked.claims.len() + checked.passages.len()) as u64);
        job.check()?;
        if !pdfs.is_empty() {
            self.import_bundle_pdfs(&pdfs, opts, job, &mut report)?;
        }
        let _guard = self.try_write()?;
        let conn = self.conn();
        let tx = conn.unchecked_transaction()?;
        for c in &checked.claims {
            job.step(&format!("claim {}", c.id))?;
            merge_claim(&tx, c, &mut report)?;
        }
        for p in &checked.passages {
            job.step(&format!("{} p.{}", p.paper, p.page))?;
            merge_passage(&tx, p, &mut report)?;
        }
        job.check()?;
        tx.commit()?;
        drop(conn);
        drop(_guard);
        // Paper metadata last: a user's edits travel in the bundle's references.
        self.merge_bundle_papers(&bundle, &checked.passages, &mut report)?;
        job.events().emit(Event::LibraryChanged);
        Ok(report)
    }

    /// The bundle's PDFs of versions the library lacks: (sha256, bytes).
    fn new_pdfs<'b>(&self, bundle: &'b BundleArchive) -> Result<Vec<(&'b str, &'b [u8])>> {
        let mut out = Vec::new();
        for (name, bytes) in &bundle.files {
            let Some(sha) = archive::pdf_sha(name) else { continue };
            let known: Option<String> = self
                .conn()
                .query_row("SELECT sha256 FROM versions WHERE sha256 = ?1", [sha], |r| r.get(0))
                .optional()?;
            if known.is_none() {
                out.push((sha, bytes.as_slice()));
            }
        }
        Ok(out)
    }

    /// Imports the bundle's PDFs of versions the library lacks, through the normal import
    /// (its progress shown as the bundle's).
    fn import_bundle_pdfs(
        &self,
        pdfs: &[(&str, &[u8])],
        opts: &ImportBundleOptions,
        job: &mut Job<'_>,
        report: &mut BundleImportReport,
    ) -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::io("creating a temporary folder", std::env::temp_dir(), e))?;
        let mut paths: Vec<PathBuf> = Vec::new();
        for (sha, bytes) in pdfs {
            let p = dir.path().join(format!("{sha}.pdf"));
            std::fs::write(&p, bytes).map_err(|e| Error::io("writing", &p, e))?;
            paths.push(p);
        }
        let iopts = ImportOptions { worker: opts.worker.clone(), jobs: 2 };
        let relabel = AsBundleProgress { inner: job.events(), base: job.done(), total: job.total() };
        let outcomes = self.import(&paths, &iopts, &relabel, job.cancel())?;
        job.advance(outcomes.len() as u64);
        job.check()?;
        for o in outcomes {
            match o.status {
                ImportStatus::Imported { sha256, .. } | ImportStatus::NewVersion { sha256, .. } => {
                    report.pdfs_imported.push(sha256)
                }
                ImportStatus::AlreadyPresent { .. } => {}
                ImportStatus::Failed { reason } => report.skipped.push(Skipped {
                    annotation_id: String::new(),
                    reason: format!("the bundle's PDF {} could not be imported: {reason}", o.path),
                }),
            }
        }
        Ok(())
    }
}
