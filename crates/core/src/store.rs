//! The SQLite store: opening, pragmas and numbered, add-only migrations.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;

/// Migrations in order; each runs once, in its own transaction. Never edit one that shipped:
/// add a new file.
const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_library", include_str!("../migrations/0001_library.sql")),
    ("0002_claims", include_str!("../migrations/0002_claims.sql")),
    ("0003_real_libraries", include_str!("../migrations/0003_real_libraries.sql")),
    ("0004_citations", include_str!("../migrations/0004_citations.sql")),
    ("0005_area_annotations", include_str!("../migrations/0005_area_annotations.sql")),
    ("0006_reader_state", include_str!("../migrations/0006_reader_state.sql")),
    ("0008_vectors", include_str!("../migrations/0008_vectors.sql")),
    ("0009_claim_vectors", include_str!("../migrations/0009_claim_vectors.sql")),
];

/// Opens (creating if needed) the database at `path` with WAL, foreign keys and a busy timeout,
/// and brings its schema up to date.
pub fn open(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    configure(&conn)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    migrate(&conn)?;
    Ok(conn)
}

/// Opens an in-memory database with the full schema (for tests).
pub fn open_in_memory() -> Result<Connection> {
    let conn = Connection::open_in_memory()?;
    configure(&conn)?;
    migrate(&conn)?;
    Ok(conn)
}

fn configure(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    Ok(())
}

fn migrate(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)",
    )?;
    for (name, sql) in MIGRATIONS {
        let done: Option<String> =
            conn.query_row("SELECT name FROM schema_migrations WHERE name = ?1", [name], |r| r.get(0)).optional()?;
        if done.is_some() {
            continue;
        }
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        if *name == "0004_citations" {
            crate::story::citations::backfill(&tx)?; // its Rust half: reference lists of stored versions
        }
        tx.execute(
            "INSERT INTO schema_migrations (name, applied_at) VALUES (?1, ?2)",
            (name, crate::date::now_rfc3339()),
        )?;
        tx.commit()?;
    }
    Ok(())
}

/// Reads a value of the `meta` table.
pub fn meta_get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

/// Writes a value of the `meta` table.
pub fn meta_set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )?;
    Ok(())
}

/// The passages revision: bumped in the same transaction as every change to passages, and
/// recorded in the index's commit so a lagging index can be noticed.
pub fn revision(conn: &Connection) -> Result<u64> {
    Ok(meta_get(conn, "revision")?.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Bumps the passages revision and returns the new value.
pub fn bump_revision(conn: &Connection) -> Result<u64> {
    let next = revision(conn)? + 1;
    meta_set(conn, "revision", &next.to_string())?;
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_once_and_foreign_keys_hold() {
        let conn = open_in_memory().unwrap();
        migrate(&conn).unwrap();
        let n: i64 = conn.query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0)).unwrap();
        assert_eq!(n as usize, MIGRATIONS.len());
        let err = conn
            .execute(
                "INSERT INTO versions (sha256, paper_id, pages, imported_at, file_name, size, extractor, extractor_version) \
                 VALUES ('x', 'no-such-paper', 1, '', '', 0, '', '')",
                [],
            )
            .unwrap_err();
        assert!(err.to_string().contains("FOREIGN KEY"));
        assert_eq!(bump_revision(&conn).unwrap(), 1);
        assert_eq!(revision(&conn).unwrap(), 1);
    }
}
