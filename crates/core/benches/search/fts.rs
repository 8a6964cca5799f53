//! The yardstick: SQLite FTS5 (porter tokenizer, bm25 ranking, snippet()) over the same
//! passages as the library searches by default (the current version of each paper).

use std::path::{Path, PathBuf};
use std::time::Instant;

use rusqlite::Connection;

/// Where the benchmark keeps a library's FTS5 twin.
pub fn path(lib: &Path) -> PathBuf {
    lib.join("bench-fts5.db")
}

/// Builds (or rebuilds) the FTS5 twin of a library. Returns (seconds, rows).
pub fn build(lib: &Path) -> (f64, u64) {
    let started = Instant::now();
    let p = path(lib);
    let _ = std::fs::remove_file(&p);
    let conn = Connection::open(&p).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
         CREATE VIRTUAL TABLE fts USING fts5(text, paper UNINDEXED, page UNINDEXED, start UNINDEXED, end UNINDEXED,
                                             tokenize = 'porter unicode61');",
    )
    .unwrap();
    conn.execute("ATTACH DATABASE ?1 AS lib", [lib.join("papertrail.db").to_str().unwrap()]).unwrap();
    let rows = conn
        .execute(
            "INSERT INTO fts (rowid, text, paper, page, start, end)
             SELECT ps.id, ps.text, v.paper_id, ps.page, ps.start, ps.end
             FROM lib.passages ps JOIN lib.versions v ON v.sha256 = ps.version_sha256
             WHERE v.sha256 IN (SELECT (SELECT v2.sha256 FROM lib.versions v2 WHERE v2.paper_id = p.id
                                ORDER BY COALESCE(v2.created, v2.imported_at) DESC, v2.rowid DESC LIMIT 1) FROM lib.papers p)",
            [],
        )
        .unwrap();
    conn.execute_batch("INSERT INTO fts (fts) VALUES ('optimize'); DETACH DATABASE lib;").unwrap();
    (started.elapsed().as_secs_f64(), rows as u64)
}

/// Opens the twin for searching.
pub fn open(lib: &Path) -> Connection {
    let conn = Connection::open(path(lib)).unwrap();
    conn.execute_batch("PRAGMA query_only = 1;").unwrap();
    conn
}

/// One result as FTS5 gives it, with the same payload a Papertrail hit carries.
#[allow(dead_code)]
pub struct FtsHit {
    pub paper: String,
    pub page: i64,
    pub start: i64,
    pub end: i64,
    pub text: String,
    pub snippet: String,
}

/// Top 10 by bm25 with snippets.
pub fn search(conn: &Connection, q: &str) -> Vec<FtsHit> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT paper, page, start, end, text, snippet(fts, 0, '[', ']', '…', 24)
             FROM fts WHERE fts MATCH ?1 ORDER BY rank LIMIT 10",
        )
        .unwrap();
    let rows = stmt
        .query_map([q], |r| {
            Ok(FtsHit {
                paper: r.get(0)?,
                page: r.get(1)?,
                start: r.get(2)?,
                end: r.get(3)?,
                text: r.get(4)?,
                snippet: r.get(5)?,
            })
        })
        .unwrap_or_else(|e| panic!("FTS5 query {q}: {e}"));
    rows.map(|r| r.unwrap()).collect()
}
