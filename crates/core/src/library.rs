//! [`Library`]: one folder holding the SQLite database, the PDFs by sha256 and the index.
//!
//! ```text
//! <library>/papertrail.db     SQLite, the source of truth
//! <library>/pdfs/<sha256>.pdf the imported files
//! <library>/index/            tantivy, derived; rebuilt or caught up from the database
//! <library>/write.lock        held by the one process that is writing
//! ```

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::events::{Cancel, Event, Events};
use crate::ingest::quality::PageSource;
use crate::model::{Paper, SearchResults, StoredPage, Version};
use crate::search::index::{PassageDoc, PassageIndex, SearchOptions};
use crate::store;
use crate::story::catalog::Catalog;

/// Environment variable naming the library folder.
pub const LIBRARY_ENV: &str = "PAPERTRAIL_LIBRARY";

/// An open library. Safe to share between threads.
pub struct Library {
    dir: PathBuf,
    conn: Mutex<Connection>,
    pub(crate) index: PassageIndex,
    catalog: Catalog,
    writing: Mutex<()>,
    pub(crate) vectors: crate::search::vectors::VectorCache,
}

/// Proof that this process holds the library's write lock; released on drop. Writers in one
/// process take turns; a writer in another process gets [`Error::Busy`].
pub struct WriteGuard<'a> {
    _file: File,
    _turn: MutexGuard<'a, ()>,
}

impl Library {
    /// The default library folder: `$PAPERTRAIL_LIBRARY`, else the user's data directory.
    pub fn default_dir() -> PathBuf {
        if let Some(dir) = std::env::var_os(LIBRARY_ENV).filter(|d| !d.is_empty()) {
            return PathBuf::from(dir);
        }
        directories::ProjectDirs::from("org", "Papertrail", "papertrail")
            .map(|d| d.data_dir().join("library"))
            .unwrap_or_else(|| PathBuf::from("papertrail-library"))
    }

    /// Opens (creating if needed) the library in `dir` with the bundled catalog.
    pub fn open(dir: &Path) -> Result<Library> {
        Self::open_with_catalog(dir, None)
    }

    /// Opens the library with another catalog (or the bundled one when `None`). The catalog's
    /// papers, claims and milestones are added to the library when they are new to it; the
    /// index is caught up if it lags the database.
    pub fn open_with_catalog(dir: &Path, catalog: Option<Catalog>) -> Result<Library> {
        std::fs::create_dir_all(dir.join("pdfs")).map_err(|e| Error::io("creating the library folder", dir, e))?;
        let conn = store::open(&dir.join("papertrail.db"))?;
        let index = PassageIndex::open(&dir.join("index"))?;
        let catalog = match catalog {
            Some(c) => c,
            None => match (store::meta_get(&conn, "catalog_name")?, store::meta_get(&conn, "catalog_text")?) {
                (Some(name), Some(text)) => Catalog::parse(&name, &text)?,
                _ => Catalog::bundled(),
            },
        };
        let lib = Library {
            dir: dir.to_path_buf(),
            conn: Mutex::new(conn),
            index,
            catalog,
            writing: Mutex::new(()),
            vectors: Default::default(),
        };
        // Write only when there is something to do: a catalog this library has not seen in
        // this form, or an index that lags the database.
        let fingerprint = {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(format!("{:?}", lib.catalog).as_bytes()))
        };
        let synced = store::meta_get(&lib.conn(), "catalog_fingerprint")?.as_deref() == Some(fingerprint.as_str());
        let lags = lib.index.state()? != lib.db_state()?;
        let leftovers = lib.leftover_temp_files();
        if !synced || lags || !leftovers.is_empty() {
            match lib.try_write() {
                Ok(_guard) => {
                    if !synced {
                        lib.sync_catalog()?;
                        store::meta_set(&lib.conn(), "catalog_fingerprint", &fingerprint)?;
                    }
                    lib.catch_up(&crate::events::NoEvents)?;
                    // Half-written copies from a writer that was killed; no writer runs now.
                    for f in leftovers {
                        let _ = std::fs::remove_file(f);
                    }
                }
                Err(Error::Busy(_)) => {} // another process is writing; read what is there
                Err(e) => return Err(e),
            }
        }
        Ok(lib)
    }

    /// Opens the library with the catalog in `text` (named `name` in messages) and remembers
    /// that choice: later opens without a catalog use it. `None` goes back to the bundled one.
    pub fn open_with_catalog_setting(dir: &Path, catalog: Option<(&str, &str)>) -> Result<Library> {
        let parsed = catalog.map(|(name, text)| Catalog::parse(name, text)).transpose()?;
        let use_bundled = parsed.is_none();
        let lib = Self::open_with_catalog(dir, Some(parsed.unwrap_or_else(Catalog::bundled)))?;
        let _guard = lib.try_write()?;
        let conn = lib.conn();
        match catalog {
            Some((name, text)) => {
                store::meta_set(&conn, "catalog_name", name)?;
                store::meta_set(&conn, "catalog_text", text)?;
            }
            None if use_bundled => {
                conn.execute("DELETE FROM meta WHERE key IN ('catalog_name', 'catalog_text')", [])?;
            }
            None => {}
        }
        drop(conn);
        drop(_guard);
        Ok(lib)
    }

    /// Temporary files a killed writer left behind: half-written copies in `pdfs/` (written
    /// only under the write lock) and downloads in `tmp/` older than a day (a download in
    /// progress elsewhere does not hold the lock while it fetches).
    fn leftover_temp_files(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let day = std::time::Duration::from_secs(24 * 3600);
        for (dir, pdfs) in [(self.dir.join("pdfs"), true), (self.dir.join("tmp"), false)] {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                let stale = || {
                    e.metadata()
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| t.elapsed().ok())
                        .is_some_and(|age| age > day)
                };
                if (pdfs && name.starts_with(".tmp")) || (!pdfs && stale()) {
                    out.push(e.path());
                }
            }
        }
        out
    }

    /// The library folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The loaded catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Locks the database connection.
    pub fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes the write lock, or fails with [`Error::Busy`] when another process holds it.
    pub fn try_write(&self) -> Result<WriteGuard<'_>> {
        let turn = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        let path = self.dir.join("write.lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io("opening", &path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(WriteGuard { _file: file, _turn: turn }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::Busy(self.dir.clone())),
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io("locking", &path, e)),
        }
    }

    /// Where a version's PDF is stored.
    pub(crate) fn pdf_path(&self, sha256: &str) -> PathBuf {
        self.dir.join("pdfs").join(format!("{sha256}.pdf"))
    }

    /// The stored PDF of a version, by its sha256 (64 hex digits: nothing else names a file).
    pub fn read_pdf(&self, sha256: &str) -> Result<Vec<u8>> {
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Error::invalid("sha256", format!("`{sha256}` is not a version's sha256 (64 hex digits)")));
        }
        let path = self.pdf_path(&sha256.to_ascii_lowercase());
        std::fs::read(&path).map_err(|e| Error::io("reading the stored PDF", path, e))
    }

    /// Adds the catalog's papers (and, once, its claims and milestones) to the database.
    fn sync_catalog(&self) -> Result<()> {
        let conn = self.conn();
        let tx = conn.unchecked_transaction()?;
        let now = crate::date::now_rfc3339();
        for p in &self.catalog.papers {
            tx.execute(
                "INSERT INTO papers (id, title, date, date_precision, arxiv_id, authors, in_catalog, source_url, source_sha256, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8, ?9)
                 ON CONFLICT (id) DO UPDATE SET in_catalog = 1,
                   source_url = excluded.source_url, source_sha256 = excluded.source_sha256",
                rusqlite::params![
                    p.id,
                    p.title,
                    p.date,
                    p.date.map(|d| d.precision()),
                    p.arxiv_id,
                    serde_json::to_string(&p.authors)?,
                    p.download_url(),
                    p.source.as_ref().and_then(|s| s.sha256.clone()),
                    now,
                ],
            )?;
        }
        crate::story::locator::sync_catalog_claims(&tx, &self.catalog)?;
        tx.commit()?;
        Ok(())
    }

    /// Brings the index up to the database: adds versions it lacks, drops versions the
    /// database no longer has. Returns true when anything changed.
    pub fn catch_up(&self, events: &dyn Events) -> Result<bool> {
        let state = self.index.state()?;
        let db = self.db_state()?;
        if state == db {
            return Ok(false);
        }
        let mut writer = self.index.writer().map_err(|e| self.busy_or(e))?;
        for gone in state.versions.difference(&db.versions) {
            self.index.delete_version(&writer, gone);
        }
        // Versions not indexed, or indexed with the wrong `current` flag.
        let missing: Vec<&String> = db
            .versions
            .iter()
            .filter(|v| !state.versions.contains(*v) || state.current.contains(*v) != db.current.contains(*v))
            .collect();
        events.emit(Event::JobStarted { job: "reindex".into(), total: missing.len() as u64 });
        for (i, sha) in missing.iter().enumerate() {
            self.index.delete_version(&writer, sha);
            self.index_version(&writer, sha)?;
            events.emit(Event::JobProgress {
                job: "reindex".into(),
                done: i as u64 + 1,
                total: missing.len() as u64,
                item: sha.to_string(),
            });
        }
        self.index.commit(&mut writer, &db)?;
        events.emit(Event::JobFinished { job: "reindex".into(), cancelled: false });
        Ok(true)
    }

    fn busy_or(&self, e: Error) -> Error {
        match e {
            Error::Index(tantivy::TantivyError::LockFailure(..)) => Error::Busy(self.dir.clone()),
            e => e,
        }
    }

    pub(crate) fn index_version(&self, writer: &tantivy::IndexWriter, sha: &str) -> Result<u64> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT ps.id, v.paper_id, p.title, ps.page, ps.start, ps.end, ps.text, p.date,
               v.sha256 = (SELECT v2.sha256 FROM versions v2 WHERE v2.paper_id = v.paper_id ORDER BY COALESCE(v2.created, v2.imported_at) DESC, v2.rowid DESC LIMIT 1),
               ps.section
             FROM passages ps JOIN versions v ON v.sha256 = ps.version_sha256 JOIN papers p ON p.id = v.paper_id
             WHERE ps.version_sha256 = ?1 ORDER BY ps.id",
        )?;
        let mut rows = stmt.query([sha])?;
        let mut n = 0;
        while let Some(r) = rows.next()? {
            let date: Option<String> = r.get(7)?;
            let doc = PassageDoc {
                passage_id: r.get::<_, i64>(0)? as u64,
                paper_id: r.get(1)?,
                title: r.get(2)?,
                version: sha.to_string(),
                page: r.get(3)?,
                start: r.get::<_, i64>(4)? as u64,
                end: r.get::<_, i64>(5)? as u64,
                year: date.and_then(|d| d.get(0..4).and_then(|y| y.parse().ok())),
                text: r.get(6)?,
                current: r.get(8)?,
                section: crate::model::Section::from_stored(&r.get::<_, String>(9)?),
            };
            self.index.add(writer, &doc)?;
            n += 1;
        }
        Ok(n)
    }

    /// Rebuilds the whole index from the database and drops the passage vectors (see
    /// [`Library::embed_pending`]). Returns the number of passages indexed.
    pub fn reindex(&self, events: &dyn Events, cancel: &Cancel) -> Result<u64> {
        let _guard = self.try_write()?;
        let mut writer = self.index.writer().map_err(|e| self.busy_or(e))?;
        writer.delete_all_documents()?;
        let db = self.db_state()?;
        let versions = db.versions.clone();
        events.emit(Event::JobStarted { job: "reindex".into(), total: versions.len() as u64 });
        let mut total = 0;
        for (i, sha) in versions.iter().enumerate() {
            if cancel.is_cancelled() {
                writer.rollback()?;
                events.emit(Event::JobFinished { job: "reindex".into(), cancelled: true });
                return Err(Error::Cancelled);
            }
            total += self.index_version(&writer, sha)?;
            events.emit(Event::JobProgress {
                job: "reindex".into(),
                done: i as u64 + 1,
                total: versions.len() as u64,
                item: sha.clone(),
            });
        }
        self.index.commit(&mut writer, &db)?;
        // Vectors are derived too: dropped here, made again by `embed_pending`.
        self.clear_vectors()?;
        events.emit(Event::JobFinished { job: "reindex".into(), cancelled: false });
        Ok(total)
    }

    /// Searches passages. `query` uses the language of [`crate::search::query`].
    pub fn search(&self, query: &str, opts: &SearchOptions) -> Result<SearchResults> {
        let q = crate::search::query::parse(query)?;
        if let Some(p) = &opts.paper {
            self.paper_exists(p)?;
        }
        for c in &q.clauses {
            if let crate::search::query::Clause::Paper(p) = c {
                self.paper_exists(p)?;
            }
        }
        let mut results = self.index.search(&q, opts)?;
        // Mark hits on pages read by OCR (the database knows; few hits, one lookup each).
        let conn = self.conn();
        let mut stmt =
            conn.prepare_cached("SELECT source = 'ocr' FROM pages WHERE version_sha256 = ?1 AND page = ?2")?;
        for hit in &mut results.hits {
            hit.ocr = stmt.query_row((&hit.version_sha256, hit.page), |r| r.get(0)).optional()?.unwrap_or(false);
        }
        Ok(results)
    }

    /// Sees commits made by other processes since this library was opened.
    pub fn refresh(&self) -> Result<()> {
        self.index.reload()
    }

    fn paper_exists(&self, id: &str) -> Result<()> {
        let found: Option<String> =
            self.conn().query_row("SELECT id FROM papers WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        found.map(|_| ()).ok_or_else(|| Error::NotFound { kind: "paper", id: id.to_string() })
    }

    /// All papers, catalog and imported, in date order (undated last), with their versions and
    /// the library papers each cites and is cited by.
    pub fn papers(&self) -> Result<Vec<Paper>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, title, date, date_precision, arxiv_id, authors, in_catalog, doi, edited FROM papers
             ORDER BY date IS NULL, date, id",
        )?;
        let mut papers: Vec<Paper> = stmt
            .query_map([], |r| {
                let authors: String = r.get(5)?;
                Ok(Paper {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    date: r.get(2)?,
                    date_precision: r.get(3)?,
                    arxiv_id: r.get(4)?,
                    authors: serde_json::from_str(&authors).unwrap_or_default(),
                    in_catalog: r.get::<_, i64>(6)? != 0,
                    versions: Vec::new(),
                    doi: r.get(7)?,
                    cites: Vec::new(),
                    cited_by: Vec::new(),
                    edited: serde_json::from_str(&r.get::<_, String>(8)?).unwrap_or_default(),
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut vstmt = conn.prepare(
            "SELECT paper_id, sha256, pages, imported_at, file_name, size, text_layer, ocr, problems FROM versions
             ORDER BY COALESCE(created, imported_at), rowid",
        )?;
        let versions = vstmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                Version {
                    sha256: r.get(1)?,
                    pages: r.get(2)?,
                    imported_at: r.get(3)?,
                    file_name: r.get(4)?,
                    size: r.get::<_, i64>(5)? as u64,
                    text_layer: crate::model::json_enum(&r.get::<_, String>(6)?)
                        .unwrap_or(crate::model::TextLayer::Text),
                    ocr: crate::model::json_enum(&r.get::<_, String>(7)?).unwrap_or(crate::model::OcrState::None),
                    problems: serde_json::from_str(&r.get::<_, String>(8)?).unwrap_or_default(),
                    embedded: false,
                },
            ))
        })?;
        let embedded = crate::search::vectors::embedded_versions(&conn)?;
        for v in versions {
            let (paper_id, mut version) = v?;
            version.embedded = embedded.contains(&version.sha256);
            if let Some(p) = papers.iter_mut().find(|p| p.id == paper_id) {
                p.versions.push(version);
            }
        }
        // Papers of another catalog this library once used show only when they have a PDF.
        for p in &mut papers {
            p.in_catalog = self.catalog.paper(&p.id).is_some();
        }
        papers.retain(|p| p.in_catalog || !p.versions.is_empty());
        fill_citations(&conn, &mut papers)?;
        Ok(papers)
    }

    /// The stored text of a paper's pages: of `version` (default: the current one), all pages
    /// or only `page`.
    pub fn paper_text(&self, paper: &str, version: Option<&str>, page: Option<u32>) -> Result<Vec<StoredPage>> {
        self.paper_exists(paper)?;
        let conn = self.conn();
        let sha: Option<String> = match version {
            Some(v) => conn
                .query_row("SELECT sha256 FROM versions WHERE sha256 = ?1 AND paper_id = ?2", (v, paper), |r| r.get(0))
                .optional()?,
            None => conn
                .query_row(
                    "SELECT sha256 FROM versions WHERE paper_id = ?1
                     ORDER BY COALESCE(created, imported_at) DESC, rowid DESC LIMIT 1",
                    [paper],
                    |r| r.get(0),
                )
                .optional()?,
        };
        let Some(sha) = sha else {
            return Err(match version {
                Some(v) => {
                    Error::invalid("version", format!("{v} is not a version of {paper}; `papers --json` lists them"))
                }
                None => Error::invalid("paper", format!("{paper} has no imported file yet")),
            });
        };
        let mut stmt = conn.prepare(
            "SELECT page, text, source FROM pages WHERE version_sha256 = ?1 AND (?2 IS NULL OR page = ?2) ORDER BY page",
        )?;
        let pages: Vec<StoredPage> = stmt
            .query_map(rusqlite::params![sha, page], |r| {
                Ok(StoredPage { page: r.get(0)?, text: r.get(1)?, source: PageSource::parse(&r.get::<_, String>(2)?) })
            })?
            .collect::<std::result::Result<_, _>>()?;
        if pages.is_empty() {
            if let Some(n) = page {
                drop(stmt);
                drop(conn);
                return self.page_text(&sha, n).map(|_| Vec::new());
            }
        }
        Ok(pages)
    }

    /// The normalized text of a page of a version.
    pub fn page_text(&self, sha256: &str, page: u32) -> Result<String> {
        let conn = self.conn();
        let text: Option<String> = conn
            .query_row("SELECT text FROM pages WHERE version_sha256 = ?1 AND page = ?2", (sha256, page), |r| r.get(0))
            .optional()?;
        match text {
            Some(t) => Ok(t),
            None => {
                let pages: Option<u32> = conn
                    .query_row("SELECT pages FROM versions WHERE sha256 = ?1", [sha256], |r| r.get(0))
                    .optional()?;
                match pages {
                    None => Err(Error::NotFound { kind: "version", id: sha256.to_string() }),
                    Some(n) => Err(Error::invalid(
                        "page",
                        format!("page {page} is out of range; this version has pages 1 to {n}"),
                    )),
                }
            }
        }
    }

    /// Counts of papers with at least one version, and of passages.
    pub fn counts(&self) -> Result<(u64, u64)> {
        let conn = self.conn();
        let papers: i64 = conn.query_row("SELECT count(DISTINCT paper_id) FROM versions", [], |r| r.get(0))?;
        let passages: i64 = conn.query_row("SELECT count(*) FROM passages", [], |r| r.get(0))?;
        Ok((papers as u64, passages as u64))
    }

    /// Number of passages in the search index.
    pub fn indexed_passages(&self) -> u64 {
        self.index.num_docs()
    }

    /// Files that failed to import, with their reasons (most recent first).
    pub fn import_failures(&self) -> Result<Vec<(String, String)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT path, reason FROM import_failures ORDER BY failed_at DESC, path")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        Ok(rows)
    }
}

/// Fills `cites` and `cited_by` of the listed papers from the `citations` table, each list in
/// the order of `papers` (date order); edges to papers not listed are left out.
fn fill_citations(conn: &Connection, papers: &mut [Paper]) -> Result<()> {
    let at: std::collections::HashMap<String, usize> =
        papers.iter().enumerate().map(|(i, p)| (p.id.clone(), i)).collect();
    let mut stmt = conn.prepare("SELECT paper_id, cited_id FROM citations")?;
    let rows: Vec<(String, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<std::result::Result<_, _>>()?;
    let mut edges: Vec<(usize, usize)> =
        rows.iter().filter_map(|(from, to)| Some((*at.get(from)?, *at.get(to)?))).collect();
    edges.sort_unstable();
    for &(from, to) in &edges {
        let id = papers[to].id.clone();
        papers[from].cites.push(id);
    }
    edges.sort_unstable_by_key(|&(from, to)| (to, from));
    for &(from, to) in &edges {
        let id = papers[from].id.clone();
        papers[to].cited_by.push(id);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_pdf_is_read_only_by_a_sha256() {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open(dir.path()).unwrap();
        let sha = "ab".repeat(32);
        std::fs::create_dir_all(dir.path().join("pdfs")).unwrap();
        std::fs::write(lib.pdf_path(&sha), b"%PDF-1.4 stored").unwrap();
        assert_eq!(lib.read_pdf(&sha).unwrap(), b"%PDF-1.4 stored");
        assert_eq!(lib.read_pdf(&sha.to_ascii_uppercase()).unwrap(), b"%PDF-1.4 stored");
        // Anything else is refused before a path is made of it.
        std::fs::write(dir.path().join("secret.pdf"), b"not a stored PDF").unwrap();
        for bad in ["../secret", "", &"ab".repeat(33), &format!("{}zz", "ab".repeat(31))] {
            let e = lib.read_pdf(bad).unwrap_err();
            assert!(matches!(e, Error::Invalid { ref field, .. } if field == "sha256"), "{bad}: {e}");
        }
        // A missing file says which.
        let e = lib.read_pdf(&"cd".repeat(32)).unwrap_err();
        assert!(matches!(e, Error::Io { .. }) && e.to_string().contains("reading the stored PDF"), "{e}");
    }
}
