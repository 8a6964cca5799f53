//! Which paper a new file belongs to. A file becomes a new version of a paper only on strong
//! evidence: the same arXiv id or DOI, a catalog entry whose title the first page prints, or
//! the same (specific) title **and** text that largely overlaps the paper's current version. A
//! generic or empty title ("Abstract", "Technical Report") never merges anything.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;
use crate::ingest::metadata::{fold, title_on_first_page, Detected};

/// The share of the smaller text's word 5-grams the other must hold for two files with the
/// same title to be versions of one paper. Versions share most sentences; different papers
/// that share a title (a series' "Technical Report") share few.
const OVERLAP: f64 = 0.5;

/// The paper a file with `detected` metadata and `pages` of text belongs to, if any.
pub fn same_paper(conn: &Connection, detected: &Detected, pages: &[String]) -> Result<Option<String>> {
    if let Some(a) = &detected.arxiv_id {
        let id = conn
            .query_row("SELECT id FROM papers WHERE arxiv_id = ?1 ORDER BY in_catalog DESC LIMIT 1", [a], |r| r.get(0))
            .optional()?;
        if id.is_some() {
            return Ok(id);
        }
    }
    if let Some(d) = &detected.doi {
        let id = conn
            .query_row("SELECT id FROM papers WHERE lower(doi) = ?1 ORDER BY in_catalog DESC LIMIT 1", [d], |r| {
                r.get(0)
            })
            .optional()?;
        if id.is_some() {
            return Ok(id);
        }
    }
    let first_page = pages.first().map(String::as_str).unwrap_or("");
    let mut stmt = conn.prepare("SELECT id, title FROM papers WHERE in_catalog = 1 ORDER BY length(title) DESC")?;
    let catalog: Vec<(String, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    if let Some((id, _)) = catalog.into_iter().find(|(_, t)| specific(t) && title_on_first_page(t, first_page)) {
        return Ok(Some(id));
    }
    let Some(title) = detected.title.as_deref().filter(|t| specific(t)) else { return Ok(None) };
    let folded = fold(title);
    let mut stmt = conn.prepare(
        "SELECT p.id, p.title, (SELECT v.sha256 FROM versions v WHERE v.paper_id = p.id
                                ORDER BY COALESCE(v.created, v.imported_at) DESC, v.rowid DESC LIMIT 1)
         FROM papers p",
    )?;
    let same_title: Vec<(String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?)))?
        .filter_map(|r| r.ok())
        .filter(|(_, t, _)| fold(t) == folded)
        .map(|(id, _, sha)| (id, sha))
        .collect();
    let ours = shingles(pages.iter().map(String::as_str));
    for (id, sha) in same_title {
        let Some(sha) = sha else { continue };
        let mut stmt = conn.prepare("SELECT text FROM pages WHERE version_sha256 = ?1 ORDER BY page")?;
        let texts: Vec<String> = stmt.query_map([&sha], |r| r.get(0))?.collect::<Result<_, _>>()?;
        if overlap(&ours, &shingles(texts.iter().map(String::as_str))) >= OVERLAP {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

/// Adds a paper for a file that belongs to none: `title`, the detected metadata, and an id
/// made from the title (`-2`, `-3`... when taken). Returns the id.
pub(crate) fn insert_paper(conn: &Connection, title: &str, detected: &Detected) -> Result<String> {
    let base = crate::ingest::metadata::slug(title);
    let mut id = base.clone();
    let mut n = 2;
    while conn.query_row("SELECT 1 FROM papers WHERE id = ?1", [&id], |_| Ok(())).optional()?.is_some() {
        id = format!("{base}-{n}");
        n += 1;
    }
    conn.execute(
        "INSERT INTO papers (id, title, date, date_precision, arxiv_id, authors, in_catalog, created_at, doi)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?8)",
        rusqlite::params![
            id,
            title,
            detected.date,
            detected.date.map(|d| d.precision()),
            detected.arxiv_id,
            serde_json::to_string(&detected.authors)?,
            crate::date::now_rfc3339(),
            detected.doi,
        ],
    )?;
    Ok(id)
}

/// Whether a title says which paper it is: at least two words of three letters or more, and
/// not a generic heading.
pub fn specific(title: &str) -> bool {
    const GENERIC: &[&str] = &[
        "abstract",
        "technical report",
        "tech report",
        "research report",
        "report",
        "introduction",
        "contents",
        "table of contents",
        "preface",
        "untitled",
        "untitled paper",
        "paper",
        "article",
        "document",
        "draft",
        "manuscript",
        "thesis",
        "dissertation",
        "slides",
        "presentation",
        "system model",
        "overview",
        "summary",
        "chapter",
        "appendix",
        "references",
        "bibliography",
        "white paper",
        "working paper",
        "lecture notes",
        "notes",
        "proceedings",
        "extended abstract",
        "position paper",
        "short paper",
        "full paper",
        "poster",
    ];
    let f = fold(title);
    let words = f.split(' ').filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3).count();
    words >= 2 && !GENERIC.contains(&f.as_str())
}

/// Hashes of the word 5-grams of a text (lowercase words of letters and digits).
fn shingles<'a>(texts: impl Iterator<Item = &'a str>) -> HashSet<u64> {
    let mut words: Vec<String> = Vec::new();
    for t in texts {
        words.extend(fold(t).split(' ').filter(|w| !w.is_empty()).map(String::from));
    }
    words
        .windows(5)
        .map(|w| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            w.hash(&mut h);
            h.finish()
        })
        .collect()
}

/// The share of the smaller set found in the larger.
fn overlap(a: &HashSet<u64>, b: &HashSet<u64>) -> f64 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.is_empty() {
        return 0.0;
    }
    small.iter().filter(|h| large.contains(h)).count() as f64 / small.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_titles_are_not_specific() {
        for t in ["Abstract", "Technical Report", "TECHNICAL  REPORT", "System Model", "", "A", "Untitled"] {
            assert!(!specific(t), "{t}");
        }
        for t in ["Buridan's Principle", "Epidemic Broadcast Trees", "DeepSeek-V3 Technical Report"] {
            assert!(specific(t), "{t}");
        }
    }

    fn conn_with(title: &str, text: &str) -> Connection {
        let conn = crate::store::open_in_memory().unwrap();
        conn.execute("INSERT INTO papers (id, title, created_at) VALUES ('p', ?1, 'now')", [title]).unwrap();
        conn.execute(
            "INSERT INTO versions (sha256, paper_id, pages, imported_at, file_name, size, extractor, extractor_version)
             VALUES ('s', 'p', 1, 'now', 'f.pdf', 1, 'x', 'y')",
            [],
        )
        .unwrap();
        conn.execute("INSERT INTO pages (version_sha256, page, text) VALUES ('s', 1, ?1)", [text]).unwrap();
        conn
    }

    const BODY: &str = "We describe a protocol that lets any number of parties agree on a value even when some \
                        of them fail, and we prove that it is safe under every schedule of messages.";

    #[test]
    fn the_same_title_merges_only_with_overlapping_text() {
        let conn = conn_with("Epidemic Broadcast Trees", BODY);
        let d = Detected { title: Some("Epidemic broadcast trees".into()), ..Default::default() };
        assert_eq!(same_paper(&conn, &d, &[format!("{BODY} A new paragraph.")]).unwrap().as_deref(), Some("p"));
        let other = "Cats sleep most of the day and hunt at night, which makes them good companions for owls.";
        assert_eq!(same_paper(&conn, &d, &[other.into()]).unwrap(), None);
    }

    #[test]
    fn a_generic_title_never_merges() {
        let conn = conn_with("Abstract", BODY);
        let d = Detected { title: Some("Abstract".into()), ..Default::default() };
        assert_eq!(same_paper(&conn, &d, &[BODY.into()]).unwrap(), None);
    }

    #[test]
    fn doi_and_arxiv_ids_merge() {
        let conn = conn_with("Something", BODY);
        conn.execute("UPDATE papers SET doi = '10.1145/357172.357176', arxiv_id = '2401.00001'", []).unwrap();
        let d = Detected { doi: Some("10.1145/357172.357176".into()), ..Default::default() };
        assert_eq!(same_paper(&conn, &d, &[]).unwrap().as_deref(), Some("p"));
        let d = Detected { arxiv_id: Some("2401.00001".into()), ..Default::default() };
        assert_eq!(same_paper(&conn, &d, &[]).unwrap().as_deref(), Some("p"));
    }
}
