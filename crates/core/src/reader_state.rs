//! Where the reader was in each paper (the page shown last and the zoom), so that opening a
//! paper again goes back there.
//!
//! This is a preference of the user's, not part of the library's evidence: it is never
//! indexed, exported in bundles, or re-anchored. It is written without the library's write
//! lock (it touches no passages and no revision), so the reader can save its place while an
//! import runs; SQLite's own locking orders it with other writers.

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::library::Library;

/// Smallest zoom the reader keeps (CSS pixels per PDF point).
pub const MIN_ZOOM: f64 = 0.1;
/// Largest zoom the reader keeps.
pub const MAX_ZOOM: f64 = 10.0;

/// The reader's place in a paper.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ReaderState {
    /// The page shown last (1-based).
    pub page: u32,
    /// CSS pixels per PDF point; `None` fits the page to the window's width.
    pub zoom: Option<f64>,
}

impl ReaderState {
    fn validate(&self) -> Result<()> {
        if self.page == 0 {
            return Err(Error::invalid("page", "pages are numbered from 1"));
        }
        if let Some(z) = self.zoom {
            if !z.is_finite() || !(MIN_ZOOM..=MAX_ZOOM).contains(&z) {
                return Err(Error::invalid(
                    "zoom",
                    format!("{z} is outside {MIN_ZOOM} to {MAX_ZOOM} (CSS pixels per PDF point)"),
                ));
            }
        }
        Ok(())
    }
}

impl Library {
    /// Where the reader was in `paper`, or `None` when it has not been opened (or not since
    /// this was kept).
    pub fn reader_state(&self, paper: &str) -> Result<Option<ReaderState>> {
        let conn = self.conn();
        let row: Option<(u32, Option<f64>)> = conn
            .query_row("SELECT page, zoom FROM reader_state WHERE paper_id = ?1", [paper], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        Ok(row.map(|(page, zoom)| ReaderState { page, zoom }))
    }

    /// Remembers where the reader is in `paper`. Fails with [`Error::NotFound`] for an unknown
    /// paper and [`Error::Invalid`] for page 0 or a zoom outside [`MIN_ZOOM`]..=[`MAX_ZOOM`].
    pub fn set_reader_state(&self, paper: &str, state: &ReaderState) -> Result<()> {
        state.validate()?;
        let conn = self.conn();
        let known: Option<String> =
            conn.query_row("SELECT id FROM papers WHERE id = ?1", [paper], |r| r.get(0)).optional()?;
        if known.is_none() {
            return Err(Error::NotFound { kind: "paper", id: paper.to_string() });
        }
        conn.execute(
            "INSERT INTO reader_state (paper_id, page, zoom, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (paper_id) DO UPDATE SET page = excluded.page, zoom = excluded.zoom,
               updated_at = excluded.updated_at",
            rusqlite::params![paper, state.page, state.zoom, crate::date::now_rfc3339()],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library() -> (tempfile::TempDir, Library) {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open(dir.path()).unwrap();
        (dir, lib)
    }

    /// A paper of the bundled catalog (present in every new library).
    fn some_paper(lib: &Library) -> String {
        lib.conn().query_row("SELECT id FROM papers ORDER BY id LIMIT 1", [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn a_place_is_kept_replaced_and_read_back_after_reopening() {
        let (dir, lib) = library();
        let id = some_paper(&lib);
        assert_eq!(lib.reader_state(&id).unwrap(), None);
        lib.set_reader_state(&id, &ReaderState { page: 12, zoom: Some(1.5) }).unwrap();
        lib.set_reader_state(&id, &ReaderState { page: 37, zoom: None }).unwrap();
        drop(lib);
        let lib = Library::open(dir.path()).unwrap();
        assert_eq!(lib.reader_state(&id).unwrap(), Some(ReaderState { page: 37, zoom: None }));
    }

    #[test]
    fn unknown_papers_and_bad_values_are_refused() {
        let (_dir, lib) = library();
        let id = some_paper(&lib);
        let err = lib.set_reader_state("no-such-paper", &ReaderState { page: 1, zoom: None }).unwrap_err();
        assert!(matches!(err, Error::NotFound { kind: "paper", .. }), "{err}");
        for (page, zoom) in [(0, None), (1, Some(0.0)), (1, Some(f64::NAN)), (1, Some(11.0)), (1, Some(-1.0))] {
            let err = lib.set_reader_state(&id, &ReaderState { page, zoom }).unwrap_err();
            assert_eq!(err.code(), "invalid", "page {page}, zoom {zoom:?}: {err}");
        }
        assert_eq!(lib.reader_state(&id).unwrap(), None, "nothing was written");
    }

    #[test]
    fn the_place_goes_with_its_paper() {
        let (_dir, lib) = library();
        let id = some_paper(&lib);
        lib.set_reader_state(&id, &ReaderState { page: 3, zoom: Some(2.0) }).unwrap();
        lib.conn().execute("DELETE FROM papers WHERE id = ?1", [&id]).unwrap();
        let left: i64 = lib.conn().query_row("SELECT COUNT(*) FROM reader_state", [], |r| r.get(0)).unwrap();
        assert_eq!(left, 0);
    }
}
