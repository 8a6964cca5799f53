//! A user's hand on paper metadata and identity: editing a paper's title, authors, date, arXiv
//! id and DOI (kept over every automatic update), splitting a version off into a paper of its
//! own, and merging two papers into one.

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::date::PartialDate;
use crate::error::{Error, Result};
use crate::events::{Event, Events};
use crate::ingest::metadata::detect;
use crate::ingest::worker::{extract_in_worker, WorkerCommand};
use crate::library::Library;
use crate::model::Paper;

/// Changes to a paper's metadata; `None` leaves a field as it is. Edited fields are remembered
/// and never overwritten by catalog updates, re-imports or detection.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperEdit {
    /// A new title.
    pub title: Option<String>,
    /// New authors, in order.
    pub authors: Option<Vec<String>>,
    /// A new date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; empty clears it.
    pub date: Option<String>,
    /// A new arXiv id (`2412.19437` or `cs/0112017`); empty clears it.
    pub arxiv_id: Option<String>,
    /// A new DOI (`10.1145/357172.357176`, with or without `https://doi.org/`); empty clears it.
    pub doi: Option<String>,
}

impl PaperEdit {
    /// True when nothing would change.
    pub fn is_empty(&self) -> bool {
        self.title.is_none()
            && self.authors.is_none()
            && self.date.is_none()
            && self.arxiv_id.is_none()
            && self.doi.is_none()
    }
}

/// A valid arXiv id (new style `YYMM.NNNNN` or old style `archive/YYMMNNN`), without version.
fn arxiv_id(s: &str) -> Result<Option<String>> {
    let s = s.trim().trim_start_matches("arXiv:").trim_start_matches("arxiv:");
    if s.is_empty() {
        return Ok(None);
    }
    let s = s.split('v').next().unwrap_or(s);
    let new = s.len() >= 9
        && s.as_bytes()[4] == b'.'
        && s[..4].bytes().all(|b| b.is_ascii_digit())
        && s[5..].bytes().all(|b| b.is_ascii_digit())
        && (4..=5).contains(&s[5..].len());
    let old = s.split_once('/').is_some_and(|(a, n)| {
        !a.is_empty()
            && a.bytes().all(|b| b.is_ascii_lowercase() || b == b'-' || b == b'.')
            && n.len() == 7
            && n.bytes().all(|b| b.is_ascii_digit())
    });
    if new || old {
        Ok(Some(s.to_string()))
    } else {
        Err(Error::invalid("arxiv", format!("`{s}` is not an arXiv id; write it like 2412.19437 or cs/0112017")))
    }
}

/// A valid DOI, lowercase, without a resolver prefix.
fn doi(s: &str) -> Result<Option<String>> {
    let s = s.trim();
    let s = ["https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:", "DOI:"]
        .iter()
        .fold(s, |s, p| s.strip_prefix(p).unwrap_or(s))
        .trim();
    if s.is_empty() {
        return Ok(None);
    }
    let ok = s.starts_with("10.")
        && s.split_once('/').is_some_and(|(reg, suffix)| {
            reg.len() > 3 && reg[3..].bytes().all(|b| b.is_ascii_digit() || b == b'.') && !suffix.is_empty()
        })
        && !s.chars().any(char::is_whitespace);
    if ok {
        Ok(Some(s.to_lowercase()))
    } else {
        Err(Error::invalid("doi", format!("`{s}` is not a DOI; a DOI looks like 10.1145/357172.357176")))
    }
}

impl Library {
    /// Edits a paper's metadata. The fields given are remembered as the user's own.
    pub fn edit_paper(&self, id: &str, edit: &PaperEdit) -> Result<Paper> {
        if edit.is_empty() {
            return Err(Error::invalid(
                "paper edit",
                "nothing to change: give a title, authors, a date, an arXiv id or a DOI",
            ));
        }
        let _guard = self.try_write()?;
        let title = match &edit.title {
            Some(t) if t.trim().is_empty() => return Err(Error::invalid("title", "the title cannot be empty")),
            Some(t) => Some(t.split_whitespace().collect::<Vec<_>>().join(" ")),
            None => None,
        };
        let date = match edit.date.as_deref().map(str::trim) {
            Some("") => Some(None),
            Some(d) => Some(Some(PartialDate::parse(d).map_err(|e| Error::invalid("date", e))?)),
            None => None,
        };
        let arxiv = edit.arxiv_id.as_deref().map(arxiv_id).transpose()?;
        let doi = edit.doi.as_deref().map(doi).transpose()?;
        let authors: Option<Vec<String>> = edit.authors.as_ref().map(|a| {
            a.iter().map(|s| s.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|s| !s.is_empty()).collect()
        });
        {
            let conn = self.conn();
            let tx = conn.unchecked_transaction()?;
            paper_row_exists(&tx, id)?;
            let mut edited: Vec<String> = tx
                .query_row("SELECT edited FROM papers WHERE id = ?1", [id], |r| r.get::<_, String>(0))
                .map(|s| serde_json::from_str(&s).unwrap_or_default())?;
            let mut mark = |field: &str| {
                if !edited.iter().any(|f| f == field) {
                    edited.push(field.to_string());
                }
            };
            if let Some(t) = &title {
                tx.execute("UPDATE papers SET title = ?2 WHERE id = ?1", (id, t))?;
                mark("title");
            }
            if let Some(a) = &authors {
                tx.execute("UPDATE papers SET authors = ?2 WHERE id = ?1", (id, serde_json::to_string(a)?))?;
                mark("authors");
            }
            if let Some(d) = date {
                tx.execute(
                    "UPDATE papers SET date = ?2, date_precision = ?3 WHERE id = ?1",
                    rusqlite::params![id, d, d.map(|d| d.precision())],
                )?;
                mark("date");
            }
            if let Some(a) = arxiv {
                tx.execute("UPDATE papers SET arxiv_id = ?2 WHERE id = ?1", (id, a))?;
                mark("arxiv_id");
            }
            if let Some(d) = doi {
                tx.execute("UPDATE papers SET doi = ?2 WHERE id = ?1", (id, d))?;
                mark("doi");
            }
            tx.execute("UPDATE papers SET edited = ?2 WHERE id = ?1", (id, serde_json::to_string(&edited)?))?;
            crate::story::citations::refresh_paper(&tx, id)?;
            crate::store::bump_revision(&tx)?;
            tx.commit()?;
        }
        // Titles and years are stored in the index with each passage.
        self.reindex_papers(&[id])?;
        self.paper(id)
    }

    /// Splits a version off its paper into a paper of its own, with metadata read again from
    /// the file. Returns the new paper. Its annotations go with it.
    pub fn split_version(&self, sha256: &str, worker: &WorkerCommand, events: &dyn Events) -> Result<Paper> {
        let _guard = self.try_write()?;
        let (from, count): (String, i64) = {
            let conn = self.conn();
            let from: Option<String> =
                conn.query_row("SELECT paper_id FROM versions WHERE sha256 = ?1", [sha256], |r| r.get(0)).optional()?;
            let from = from.ok_or_else(|| Error::NotFound { kind: "version", id: sha256.to_string() })?;
            let count = conn.query_row("SELECT count(*) FROM versions WHERE paper_id = ?1", [&from], |r| r.get(0))?;
            (from, count)
        };
        if count < 2 {
            return Err(Error::invalid(
                "version",
                format!("{sha256} is the only version of {from}; there is nothing to split it from"),
            ));
        }
        let pdf = self.pdf_path(sha256);
        let extracted =
            extract_in_worker(worker, &pdf).map_err(|e| Error::Import { path: pdf.clone(), reason: e.to_string() })?;
        let text = crate::ingest::pages::PageTexts::read(&extracted, false);
        let detected = detect(&text.pages, &extracted.info, &extracted.layout);
        let id = {
            let conn = self.conn();
            let tx = conn.unchecked_transaction()?;
            let title = detected.title.clone().unwrap_or_else(|| format!("{from} (split)"));
            // The paper it leaves keeps an id both share, or the next version of either would
            // be ambiguous.
            let own = crate::ingest::metadata::Detected {
                arxiv_id: detected.arxiv_id.clone().filter(|a| !shares(&tx, "arxiv_id", &from, a)),
                doi: detected.doi.clone().filter(|d| !shares(&tx, "doi", &from, d)),
                ..detected.clone()
            };
            let id = crate::ingest::identify::insert_paper(&tx, &title, &own)?;
            tx.execute("UPDATE versions SET paper_id = ?2 WHERE sha256 = ?1", (sha256, &id))?;
            crate::story::citations::refresh_paper(&tx, &from)?;
            crate::story::citations::refresh_paper(&tx, &id)?;
            crate::store::bump_revision(&tx)?;
            tx.commit()?;
            id
        };
        self.reindex_papers(&[&from, &id])?;
        events.emit(Event::LibraryChanged);
        self.paper(&id)
    }

    /// Merges paper `id` into `into`: its versions become versions of `into` (the newest is
    /// current, annotations move to it as on a new version), claims' references follow, and
    /// `id` is removed. A catalog paper cannot be merged away (merge the other into it).
    pub fn merge_papers(&self, id: &str, into: &str, events: &dyn Events) -> Result<Paper> {
        if id == into {
            return Err(Error::invalid("paper", format!("{id} cannot be merged into itself")));
        }
        let _guard = self.try_write()?;
        {
            let conn = self.conn();
            let tx = conn.unchecked_transaction()?;
            paper_row_exists(&tx, id)?;
            paper_row_exists(&tx, into)?;
            let catalog: bool = tx.query_row("SELECT in_catalog FROM papers WHERE id = ?1", [id], |r| r.get(0))?;
            if catalog {
                return Err(Error::invalid(
                    "paper",
                    format!("{id} is a catalog paper and stays; merge {into} into {id} instead"),
                ));
            }
            tx.execute("UPDATE versions SET paper_id = ?2 WHERE paper_id = ?1", (id, into))?;
            tx.execute("UPDATE locators SET paper_id = ?2 WHERE paper_id = ?1", (id, into))?;
            // Milestones name papers in JSON lists.
            let mut stmt = tx.prepare("SELECT id, papers FROM milestones")?;
            let rows: Vec<(String, String)> =
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<std::result::Result<_, _>>()?;
            drop(stmt);
            for (m, papers) in rows {
                let mut list: Vec<String> = serde_json::from_str(&papers).unwrap_or_default();
                if list.iter().any(|p| p == id) {
                    list.retain(|p| p != id);
                    if !list.iter().any(|p| p == into) {
                        list.push(into.to_string());
                    }
                    tx.execute("UPDATE milestones SET papers = ?2 WHERE id = ?1", (&m, serde_json::to_string(&list)?))?;
                }
            }
            tx.execute("DELETE FROM papers WHERE id = ?1", [id])?;
            crate::evidence::annotation::reanchor_paper(&tx, into)?;
            crate::story::citations::refresh_paper(&tx, into)?;
            crate::store::bump_revision(&tx)?;
            tx.commit()?;
        }
        self.reindex_papers(&[into])?;
        events.emit(Event::LibraryChanged);
        self.paper(into)
    }

    /// One paper, as [`Library::papers`] lists it.
    pub fn paper(&self, id: &str) -> Result<Paper> {
        self.papers()?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| Error::NotFound { kind: "paper", id: id.to_string() })
    }

    /// Indexes again every version of these papers (after their metadata or versions changed)
    /// and drops what the database no longer has.
    fn reindex_papers(&self, ids: &[&str]) -> Result<()> {
        let shas: Vec<String> = {
            let conn = self.conn();
            let mut out = Vec::new();
            for id in ids {
                let mut stmt = conn.prepare("SELECT sha256 FROM versions WHERE paper_id = ?1")?;
                out.extend(stmt.query_map([id], |r| r.get::<_, String>(0))?.filter_map(|r| r.ok()));
            }
            out
        };
        let mut writer = self.index.writer().map_err(|_| Error::Busy(self.dir().to_path_buf()))?;
        for sha in &shas {
            self.index.delete_version(&writer, sha);
            self.index_version(&writer, sha)?;
        }
        let state = self.db_state()?;
        self.index.commit(&mut writer, &state)?;
        Ok(())
    }
}

fn paper_row_exists(conn: &Connection, id: &str) -> Result<()> {
    let found: Option<i64> = conn.query_row("SELECT 1 FROM papers WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    found.map(|_| ()).ok_or_else(|| Error::NotFound { kind: "paper", id: id.to_string() })
}

/// Whether paper `id` has `value` in `column` (`arxiv_id` or `doi`).
fn shares(conn: &Connection, column: &str, id: &str, value: &str) -> bool {
    let sql = format!("SELECT 1 FROM papers WHERE id = ?1 AND lower({column}) = lower(?2)");
    conn.query_row(&sql, (id, value), |_| Ok(())).optional().ok().flatten().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arxiv_ids_and_dois_are_checked() {
        assert_eq!(arxiv_id("2412.19437").unwrap().as_deref(), Some("2412.19437"));
        assert_eq!(arxiv_id("arXiv:2412.19437v2").unwrap().as_deref(), Some("2412.19437"));
        assert_eq!(arxiv_id("cs/0112017").unwrap().as_deref(), Some("cs/0112017"));
        assert_eq!(arxiv_id(" ").unwrap(), None);
        assert!(arxiv_id("12345").unwrap_err().to_string().contains("not an arXiv id"));
        assert_eq!(doi("https://doi.org/10.1145/357172.357176").unwrap().as_deref(), Some("10.1145/357172.357176"));
        assert_eq!(doi("10.1016/J.IPM.2010.09.001").unwrap().as_deref(), Some("10.1016/j.ipm.2010.09.001"));
        assert!(doi("11.1/x").is_err());
        assert!(doi("10.1145/ space").is_err());
    }
}
