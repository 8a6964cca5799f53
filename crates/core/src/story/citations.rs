//! Citations between library papers: each version's reference list is read once, when it is
//! stored ([`crate::story::references`]); its entries are matched to library papers by arXiv
//! id, DOI or title, and the edges kept in the `citations` table (`paper_id` cites
//! `cited_id`), which the timeline reads for lineage.
//!
//! Matching runs both ways: a paper just imported gets the papers it cites and the papers
//! already present that cite it. A title match must be strong: a library title of four words
//! or more, found whole in an entry and standing there as a title (punctuation or the entry's
//! edge on both sides, so "language models are few-shot learners" is not found in "large
//! language models are few-shot learners"); a title found in three or more entries of one
//! list names a venue or a series, not a paper. A paper never cites itself, nor a paper
//! dated after it.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;
use crate::library::Library;
use crate::model::Section;
use crate::story::references;

/// How an entry was matched to a library paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Via {
    /// The entry names the paper's arXiv id.
    Arxiv,
    /// The entry names the paper's DOI.
    Doi,
    /// The entry holds the paper's title, standing as a title.
    Title,
}

impl Via {
    /// The stored word.
    pub fn as_str(&self) -> &'static str {
        match self {
            Via::Arxiv => "arxiv",
            Via::Doi => "doi",
            Via::Title => "title",
        }
    }
}

/// Fewer title words than this never match on the title alone.
const MIN_TITLE_WORDS: usize = 4;
/// Nor fewer letters and digits than this.
const MIN_TITLE_CHARS: usize = 20;
/// A title found in this many entries of one list is a venue or a series.
const MAX_TITLE_ENTRIES: usize = 3;

/// Called once a version's rows are stored, in the same transaction: marks its reference
/// passages, stores its entries and recomputes the citations of its paper, both ways.
pub fn version_stored(conn: &Connection, sha256: &str, paper_id: &str) -> Result<()> {
    read_version(conn, sha256)?;
    refresh_paper(conn, paper_id)
}

/// Reads a stored version's reference list: sets each passage's section and replaces the
/// version's reference entries. Returns the number of entries.
pub fn read_version(conn: &Connection, sha256: &str) -> Result<usize> {
    let pages: Vec<String> = {
        let mut stmt = conn.prepare("SELECT text FROM pages WHERE version_sha256 = ?1 ORDER BY page")?;
        let rows = stmt.query_map([sha256], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
        rows
    };
    let list = references::parse(&pages);
    let passages: Vec<(i64, u32, usize, usize)> = {
        let mut stmt = conn.prepare("SELECT id, page, start, end FROM passages WHERE version_sha256 = ?1")?;
        let rows = stmt
            .query_map([sha256], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as usize, r.get::<_, i64>(3)? as usize))
            })?
            .collect::<std::result::Result<_, _>>()?;
        rows
    };
    let mut set = conn.prepare("UPDATE passages SET section = ?2 WHERE id = ?1 AND section != ?2")?;
    for (id, page, start, end) in passages {
        let in_list = list.as_ref().is_some_and(|l| l.contains(page as usize - 1, start, end));
        let section = if in_list { Section::References } else { Section::Body };
        set.execute((id, section.as_str()))?;
    }
    conn.execute("DELETE FROM reference_entries WHERE version_sha256 = ?1", [sha256])?;
    let entries = list.map(|l| l.entries).unwrap_or_default();
    let mut insert = conn.prepare(
        "INSERT INTO reference_entries (version_sha256, seq, text, arxiv_ids, dois, title) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (seq, e) in entries.iter().enumerate() {
        insert.execute(rusqlite::params![
            sha256,
            seq as i64 + 1,
            e.text,
            serde_json::to_string(&e.arxiv_ids)?,
            serde_json::to_string(&e.dois)?,
            e.title,
        ])?;
    }
    Ok(entries.len())
}

/// Recomputes the citations from and to one paper (after it was imported, edited, merged
/// into or split from).
///
/// The other papers' lists are read in full only where one of their entries may name this
/// paper (its identifiers or every word of its title appear in the entry's text): importing
/// one paper costs a scan of the library's stored entries, not their parsing.
pub fn refresh_paper(conn: &Connection, paper_id: &str) -> Result<()> {
    let targets = targets(conn)?;
    conn.execute("DELETE FROM citations WHERE paper_id = ?1 OR cited_id = ?1", [paper_id])?;
    let mut edges = Vec::new();
    let Some(me) = targets.iter().position(|t| t.id == paper_id) else { return Ok(()) };
    let nameable = targets[me].arxiv_id.is_some() || targets[me].doi.is_some() || targets[me].title.is_some();
    for (citing, sha) in current_versions(conn)? {
        let Some(c) = targets.iter().position(|t| t.id == citing) else { continue };
        if c == me {
            let entries = entries_of(conn, &sha)?;
            edges.extend(cites(&targets, c, &entries).into_iter().map(|(t, via)| (c, t, via)));
        } else if nameable && may_name(conn, &sha, &targets[me])? {
            let entries = entries_of(conn, &sha)?;
            edges
                .extend(cites(&targets, c, &entries).into_iter().filter(|(t, _)| *t == me).map(|(t, via)| (c, t, via)));
        }
    }
    insert(conn, &targets, &edges)
}

/// Whether an entry of a version's reference list may name the target: a necessary condition
/// of `Entry::names` read off the stored text, without parsing the entry. Every word of an
/// entry is a run of its compact text, so a title whose words are not all in it cannot stand
/// in the entry; nor can an identifier found neither in it nor in the stored identifiers.
fn may_name(conn: &Connection, sha: &str, t: &Target) -> Result<bool> {
    let mut stmt =
        conn.prepare_cached("SELECT text, arxiv_ids, dois FROM reference_entries WHERE version_sha256 = ?1")?;
    let mut rows = stmt.query([sha])?;
    while let Some(row) = rows.next()? {
        let text = row.get_ref(0)?.as_str().unwrap_or_default();
        let (arxiv_ids, dois) =
            (row.get_ref(1)?.as_str().unwrap_or_default(), row.get_ref(2)?.as_str().unwrap_or_default());
        let compact = compact(text);
        let holds = |stored: &str, id: &str| {
            // A stored identifier is JSON; one that JSON would escape is not looked for in it.
            compact.contains(id) || stored.contains(id) || id.chars().any(|c| c == '"' || c == '\\' || c.is_control())
        };
        let may = t.arxiv_id.as_ref().is_some_and(|a| holds(arxiv_ids, a))
            || t.doi.as_ref().is_some_and(|d| holds(dois, d))
            || t.title.as_ref().is_some_and(|words| words.iter().all(|w| compact.contains(w.as_str())));
        if may {
            return Ok(true);
        }
    }
    Ok(false)
}

/// An entry's text lowercase and without whitespace, for identifiers a line break split.
fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// Recomputes every citation of the library.
pub fn refresh_all(conn: &Connection) -> Result<()> {
    let targets = targets(conn)?;
    conn.execute("DELETE FROM citations", [])?;
    let mut edges = Vec::new();
    for (citing, entries) in current_entries(conn)? {
        let Some(c) = targets.iter().position(|t| t.id == citing) else { continue };
        edges.extend(cites(&targets, c, &entries).into_iter().map(|(t, via)| (c, t, via)));
    }
    insert(conn, &targets, &edges)
}

/// The Rust half of migration 0004: reads the reference list of every version stored before
/// it, then computes every citation. Bumps the passages revision (sections changed).
pub(crate) fn backfill(conn: &Connection) -> Result<()> {
    let versions: Vec<String> = {
        let mut stmt = conn.prepare("SELECT sha256 FROM versions")?;
        let rows = stmt.query_map([], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
        rows
    };
    for sha in &versions {
        read_version(conn, sha)?;
    }
    refresh_all(conn)?;
    if !versions.is_empty() {
        crate::store::bump_revision(conn)?;
    }
    Ok(())
}

impl Library {
    /// Recomputes every citation between library papers (after papers were merged, split or
    /// their titles, ids or dates edited).
    pub fn refresh_citations(&self) -> Result<()> {
        let _guard = self.try_write()?;
        let conn = self.conn();
        let tx = conn.unchecked_transaction()?;
        refresh_all(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// The entries of the reference list of a paper's newest version, in order.
    pub fn references(&self, paper_id: &str) -> Result<Vec<references::ReferenceEntry>> {
        let conn = self.conn();
        let current: Option<String> = conn
            .query_row(
                "SELECT sha256 FROM versions WHERE paper_id = ?1 ORDER BY COALESCE(created, imported_at) DESC, rowid DESC LIMIT 1",
                [paper_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(sha) = current else { return Ok(Vec::new()) };
        Ok(entries_of(&conn, &sha)?.into_iter().map(|e| e.entry).collect())
    }
}

/// A library paper as a reference entry may name it.
#[derive(Debug)]
struct Target {
    id: String,
    date: Option<String>,
    arxiv_id: Option<String>,
    doi: Option<String>,
    /// The title's words, lowercase, when the title is strong enough to match alone.
    title: Option<Vec<String>>,
}

fn targets(conn: &Connection) -> Result<Vec<Target>> {
    let mut stmt = conn.prepare("SELECT id, title, date, arxiv_id, doi FROM papers ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        let title: String = r.get(1)?;
        let arxiv: Option<String> = r.get(3)?;
        let doi: Option<String> = r.get(4)?;
        let words: Vec<String> = words(&title).into_iter().map(|w| w.text).collect();
        let strong =
            words.len() >= MIN_TITLE_WORDS && words.iter().map(|w| w.chars().count()).sum::<usize>() >= MIN_TITLE_CHARS;
        Ok(Target {
            id: r.get(0)?,
            date: r.get(2)?,
            arxiv_id: arxiv.map(|a| a.trim().to_lowercase()).filter(|a| !a.is_empty()),
            doi: doi.map(|d| d.trim().to_lowercase()).filter(|d| d.len() > 8),
            title: strong.then_some(words),
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// A stored entry with what matching needs.
struct Entry {
    entry: references::ReferenceEntry,
    /// Lowercase text without whitespace (see [`compact`]).
    compact: String,
    words: Vec<Word>,
}

impl Entry {
    fn new(entry: references::ReferenceEntry) -> Self {
        let compact = compact(&entry.text);
        let words = words(&entry.text);
        Self { entry, compact, words }
    }

    fn by_arxiv(&self, t: &Target) -> bool {
        t.arxiv_id.as_ref().is_some_and(|a| self.entry.arxiv_ids.contains(a) || holds_id(&self.compact, a))
    }

    fn by_doi(&self, t: &Target) -> bool {
        t.doi.as_ref().is_some_and(|d| self.entry.dois.contains(d) || holds_id(&self.compact, d))
    }

    /// Whether the target's title stands in the entry as a title.
    fn by_title(&self, t: &Target) -> bool {
        let Some(title) = &t.title else { return false };
        let n = title.len();
        if n > self.words.len() {
            return false;
        }
        (0..=self.words.len() - n).any(|i| {
            self.words[i..i + n].iter().zip(title).all(|(w, t)| w.text == *t)
                && self.words[i].break_before
                && self.words.get(i + n).is_none_or(|w| w.break_before)
        })
    }

    /// Whether the entry names the target at all: what [`may_name`] is a necessary condition of
    /// (the tests hold it to that).
    #[cfg(test)]
    fn names(&self, t: &Target) -> bool {
        self.by_arxiv(t) || self.by_doi(t) || self.by_title(t)
    }
}

/// Whether `compact` holds the identifier `id` with no letter or digit running on after it
/// (so `2401.0606` is not found in `2401.06066`) nor before it.
fn holds_id(compact: &str, id: &str) -> bool {
    compact.match_indices(id).any(|(at, _)| {
        let before = compact[..at].chars().next_back();
        let after = compact[at + id.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_alphanumeric())
    })
}

/// A word of an entry: lowercase letters and digits, and whether punctuation (or the entry's
/// start) separates it from the word before.
struct Word {
    text: String,
    break_before: bool,
}

fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut gap_breaks = true;
    for c in text.chars() {
        if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else {
            if !cur.is_empty() {
                out.push(Word { text: std::mem::take(&mut cur), break_before: gap_breaks });
                gap_breaks = false;
            }
            if ".,:;“”\"()[]?!".contains(c) {
                gap_breaks = true;
            }
        }
    }
    if !cur.is_empty() {
        out.push(Word { text: cur, break_before: gap_breaks });
    }
    out
}

/// The entries of each paper's newest version: `(paper_id, entries)`.
fn current_entries(conn: &Connection) -> Result<Vec<(String, Vec<Entry>)>> {
    let current = current_versions(conn)?;
    let mut out = Vec::with_capacity(current.len());
    for (paper, sha) in current {
        out.push((paper, entries_of(conn, &sha)?));
    }
    Ok(out)
}

/// Each paper's newest version: `(paper_id, sha256)`.
fn current_versions(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT p.id, (SELECT v.sha256 FROM versions v WHERE v.paper_id = p.id ORDER BY COALESCE(v.created, v.imported_at) DESC, v.rowid DESC LIMIT 1) AS sha
         FROM papers p WHERE sha IS NOT NULL ORDER BY p.id",
    )?;
    let current = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<std::result::Result<_, _>>()?;
    Ok(current)
}

fn entries_of(conn: &Connection, sha: &str) -> Result<Vec<Entry>> {
    let mut stmt = conn
        .prepare("SELECT text, arxiv_ids, dois, title FROM reference_entries WHERE version_sha256 = ?1 ORDER BY seq")?;
    let rows = stmt.query_map([sha], |r| {
        let arxiv: String = r.get(1)?;
        let dois: String = r.get(2)?;
        Ok(references::ReferenceEntry {
            text: r.get(0)?,
            arxiv_ids: serde_json::from_str(&arxiv).unwrap_or_default(),
            dois: serde_json::from_str(&dois).unwrap_or_default(),
            title: r.get(3)?,
        })
    })?;
    Ok(rows.map(|r| r.map(Entry::new)).collect::<std::result::Result<_, _>>()?)
}

/// The papers (indexes into `targets`) that `citing`'s entries cite, with how.
fn cites(targets: &[Target], citing: usize, entries: &[Entry]) -> BTreeMap<usize, Via> {
    let mut found: BTreeMap<usize, Via> = BTreeMap::new();
    let mut title_entries: BTreeMap<usize, usize> = BTreeMap::new();
    for e in entries {
        let ids: Vec<(usize, Via)> = targets
            .iter()
            .enumerate()
            .filter_map(|(i, t)| {
                if e.by_arxiv(t) {
                    Some((i, Via::Arxiv))
                } else if e.by_doi(t) {
                    Some((i, Via::Doi))
                } else {
                    None
                }
            })
            .collect();
        let matched = if ids.is_empty() {
            // The longest title found: a shorter title inside it names a different work.
            let titled: Vec<usize> = (0..targets.len()).filter(|&i| e.by_title(&targets[i])).collect();
            let longest = titled.iter().map(|&i| targets[i].title.as_ref().map_or(0, Vec::len)).max().unwrap_or(0);
            let kept: Vec<(usize, Via)> = titled
                .into_iter()
                .filter(|&i| targets[i].title.as_ref().map_or(0, Vec::len) == longest)
                .map(|i| (i, Via::Title))
                .collect();
            for (i, _) in &kept {
                *title_entries.entry(*i).or_default() += 1;
            }
            kept
        } else {
            ids
        };
        for (i, via) in matched {
            let best = found.entry(i).or_insert(via);
            *best = (*best).min(via);
        }
    }
    found.retain(|i, via| {
        *i != citing
            && !(*via == Via::Title && title_entries.get(i).copied().unwrap_or(0) >= MAX_TITLE_ENTRIES)
            && !later(targets[*i].date.as_deref(), targets[citing].date.as_deref())
    });
    found
}

/// Whether `cited` is dated after `citing`, compared at the precision both dates have
/// (`2024-05` is not after `2024-05-07`).
fn later(cited: Option<&str>, citing: Option<&str>) -> bool {
    match (cited, citing) {
        (Some(a), Some(b)) => {
            let n = a.len().min(b.len());
            a.get(..n) > b.get(..n)
        }
        _ => false,
    }
}

fn insert(conn: &Connection, targets: &[Target], edges: &[(usize, usize, Via)]) -> Result<()> {
    let mut stmt = conn.prepare("INSERT OR REPLACE INTO citations (paper_id, cited_id, via) VALUES (?1, ?2, ?3)")?;
    let mut seen = BTreeSet::new();
    for &(c, t, via) in edges {
        if c != t && seen.insert((c, t)) {
            stmt.execute((&targets[c].id, &targets[t].id, via.as_str()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(id: &str, title: &str, date: Option<&str>, arxiv: Option<&str>) -> Target {
        let words: Vec<String> = words(title).into_iter().map(|w| w.text).collect();
        Target {
            id: id.into(),
            date: date.map(Into::into),
            arxiv_id: arxiv.map(Into::into),
            doi: None,
            title: (words.len() >= MIN_TITLE_WORDS).then_some(words),
        }
    }

    fn entry(text: &str) -> Entry {
        Entry::new(references::ReferenceEntry {
            text: text.into(),
            arxiv_ids: references::arxiv_ids(text),
            dois: references::dois(text),
            title: None,
        })
    }

    fn add_paper(conn: &Connection, id: &str, title: &str, date: &str, pages: &[&str]) {
        conn.execute(
            "INSERT INTO papers (id, title, date, date_precision, created_at) VALUES (?1, ?2, ?3, 'month', '')",
            (id, title, date),
        )
        .unwrap();
        let sha = format!("sha-{id}");
        conn.execute(
            "INSERT INTO versions (sha256, paper_id, pages, imported_at, file_name, size, extractor, extractor_version)
             VALUES (?1, ?2, ?3, '', '', 0, '', '')",
            (&sha, id, pages.len() as i64),
        )
        .unwrap();
        for (i, text) in pages.iter().enumerate() {
            conn.execute(
                "INSERT INTO pages (version_sha256, page, text) VALUES (?1, ?2, ?3)",
                (&sha, i as i64 + 1, text),
            )
            .unwrap();
            for ps in crate::ingest::passage::split_passages(text) {
                conn.execute(
                    "INSERT INTO passages (version_sha256, page, start, end, text) VALUES (?1, ?2, ?3, ?4, ?5)",
                    (&sha, i as i64 + 1, ps.start as i64, ps.end as i64, &ps.text),
                )
                .unwrap();
            }
        }
    }

    fn edges(conn: &Connection) -> Vec<(String, String, String)> {
        let mut stmt = conn.prepare("SELECT paper_id, cited_id, via FROM citations ORDER BY 1, 2").unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect()
    }

    const BODY: &str = "We study how language models scale when trained for a long time on a great deal of text, \
        and what that teaches about the choice of data, the size of the model and the schedule of the learning rate.";

    #[test]
    fn a_paper_imported_later_is_cited_by_the_papers_already_there() {
        let conn = crate::store::open_in_memory().unwrap();
        let refs = format!(
            "{BODY}\n\nReferences\n\nA. Author, B. Author, and C. Author. Scaling open language models with \
             longtermism. arXiv preprint, 2024. D. Other. An unrelated work on something else entirely. 2020."
        );
        add_paper(&conn, "new", "A Newer Paper On Language Models", "2024-05", &[BODY, &refs]);
        version_stored(&conn, "sha-new", "new").unwrap();
        assert!(edges(&conn).is_empty());
        add_paper(&conn, "old", "Scaling Open Language Models with Longtermism", "2024-01", &[BODY]);
        version_stored(&conn, "sha-old", "old").unwrap();
        assert_eq!(edges(&conn), [("new".into(), "old".into(), "title".into())]);
        let sections: Vec<(u32, String)> = conn
            .prepare("SELECT page, section FROM passages WHERE version_sha256 = 'sha-new' ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(sections.first().map(|s| s.1.as_str()), Some("body"));
        assert_eq!(sections.last().map(|s| s.1.as_str()), Some("references"));
        // A later date on the cited paper removes the edge; refreshing all agrees with refreshing one.
        conn.execute("UPDATE papers SET date = '2024-06' WHERE id = 'old'", []).unwrap();
        refresh_all(&conn).unwrap();
        assert!(edges(&conn).is_empty());
    }

    #[test]
    fn the_backfill_reads_versions_stored_before_the_migration() {
        let conn = crate::store::open_in_memory().unwrap();
        let refs = format!(
            "{BODY}\n\nREFERENCES\n\n[1] A. Author. Scaling Open Language Models with Longtermism. \
            arXiv:2401.02954, 2024.\n\n[2] B. Author. Other. 2021.\n\n[3] C. Author. More. 2022."
        );
        add_paper(&conn, "old", "Some Title That Is Not Printed", "2024-01", &[BODY]);
        conn.execute("UPDATE papers SET arxiv_id = '2401.02954' WHERE id = 'old'", []).unwrap();
        add_paper(&conn, "new", "A Newer Paper On Language Models", "2024-05", &[&refs]);
        let before = crate::store::revision(&conn).unwrap();
        backfill(&conn).unwrap();
        assert_eq!(edges(&conn), [("new".into(), "old".into(), "arxiv".into())]);
        let refs_passages: i64 =
            conn.query_row("SELECT count(*) FROM passages WHERE section = 'references'", [], |r| r.get(0)).unwrap();
        assert!(refs_passages >= 1);
        assert!(crate::store::revision(&conn).unwrap() > before);
        let n: i64 = conn.query_row("SELECT count(*) FROM reference_entries", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 3);
    }

    /// The quick test before reading a list in full never misses an entry that names the paper:
    /// importing a paper finds the same citations of it as recomputing every citation does.
    #[test]
    fn refreshing_one_paper_finds_what_refreshing_all_finds() {
        let conn = crate::store::open_in_memory().unwrap();
        add_paper(&conn, "old", "Scaling Open Language Models with Longtermism", "2024-01", &[BODY]);
        add_paper(&conn, "byid", "A Title Nobody Prints In Full", "2024-02", &[BODY]);
        add_paper(&conn, "bydoi", "Another Title Nobody Prints", "2024-02", &[BODY]);
        add_paper(&conn, "none", "Neither Named Nor Cited Anywhere At All", "2024-02", &[BODY]);
        conn.execute("UPDATE papers SET arxiv_id = '2402.01234' WHERE id = 'byid'", []).unwrap();
        conn.execute("UPDATE papers SET doi = '10.1145/3600006.3613165' WHERE id = 'bydoi'", []).unwrap();
        // The identifiers are split by line breaks, the title set in capitals.
        let refs = format!(
            "{BODY}\n\nREFERENCES\n\n[1] A. Author. SCALING OPEN LANGUAGE MODELS WITH LONGTERMISM. In Proc. 2024.\n\n\
             [2] B. Author. Something. arXiv:2402.\n01234, 2024.\n\n[3] C. Author. More. doi:10.1145/\n3600006.3613165, 2024."
        );
        add_paper(&conn, "new", "A Newer Paper On Language Models", "2024-05", &[&refs]);
        read_version(&conn, "sha-new").unwrap();
        for id in ["old", "byid", "bydoi", "none"] {
            refresh_paper(&conn, id).unwrap();
        }
        let one = edges(&conn);
        refresh_all(&conn).unwrap();
        assert_eq!(one, edges(&conn));
        let cited: Vec<&str> = one.iter().map(|(_, c, _)| c.as_str()).collect();
        assert_eq!(cited, ["bydoi", "byid", "old"], "{one:?}");
    }

    proptest::proptest! {
        #[test]
        fn the_quick_test_holds_whenever_an_entry_names_the_paper(
            title in "[A-Za-z0-9 ÄÉßİ.-]{0,60}",
            noise in "[A-Za-z0-9 \n\t\u{0B}ÄÉßİ.,:-]{0,60}",
            id in "[0-9]{4}\\.[0-9]{5}",
            split in 0usize..10,
        ) {
            let conn = crate::store::open_in_memory().unwrap();
            add_paper(&conn, "p", "The paper whose list is read", "2024-01", &[]);
            let mut t = target("t", &title, None, Some(&id));
            t.doi = Some(format!("10.1000/{id}"));
            let (a, b) = id.split_at(split.min(id.len()));
            for text in [format!("{noise}. {title}. {noise}"), format!("{noise} arXiv:{a}\n{b} {noise}"), format!("doi:10.1000/{a} {b}.")] {
                let e = entry(&text);
                conn.execute(
                    "INSERT INTO reference_entries (version_sha256, seq, text, arxiv_ids, dois) VALUES ('sha-p', 1, ?1, ?2, ?3)",
                    (&text, serde_json::to_string(&e.entry.arxiv_ids).unwrap(), serde_json::to_string(&e.entry.dois).unwrap()),
                ).unwrap();
                if e.names(&t) {
                    proptest::prop_assert!(may_name(&conn, "sha-p", &t).unwrap(), "{text:?} names {t:?}");
                }
                conn.execute("DELETE FROM reference_entries", []).unwrap();
            }
        }
    }

    #[test]
    fn a_title_must_stand_as_a_title() {
        let t = target("gpt3", "Language Models are Few-Shot Learners", None, None);
        assert!(entry("T. Brown, et al. Language models are few-shot learners. In NeurIPS, 2020.").by_title(&t));
        assert!(entry("[3] T. Brown, “Language models are few-shot learners,” NeurIPS 2020.").by_title(&t));
        assert!(!entry("X. Y. Large language models are few-shot learners. 2023.").by_title(&t));
        assert!(!entry("X. Y. Language models are few-shot learners in the wild. 2023.").by_title(&t));
    }

    #[test]
    fn ids_win_over_titles_and_the_longest_title_wins() {
        let targets = vec![
            target("citing", "A paper that cites others here", Some("2025-01-20"), None),
            target(
                "v2",
                "DeepSeek-V2: A Strong, Economical, and Efficient Mixture-of-Experts Language Model",
                Some("2024-05-07"),
                Some("2405.04434"),
            ),
            target("moe", "Mixture-of-Experts Language Model", Some("2024-01"), None),
            target("later", "A Report Written After The Citing One", Some("2025-02"), None),
            target("short", "Short Title", None, None),
            target("base", "Scaling Open Language Models", None, None),
            target("full", "Scaling Open Language Models: With Longtermism", None, None),
        ];
        let entries = vec![
            entry("DeepSeek-AI. Deepseek-v2: A strong, economical, and efficient mixture-of-experts language model. CoRR, abs/2405. 04434, 2024."),
            entry("X. Y. Deepseek-v2: A strong, economical, and efficient mixture-of-experts language model, 2024."),
            entry("A. B. A report written after the citing one. 2025."),
            entry("A. B. Short title. 2020."),
            entry("A. B. A paper that cites others here. 2024."),
            entry("C. D. Scaling open language models: with longtermism. 2024."),
        ];
        let found = cites(&targets, 0, &entries);
        assert_eq!(found.into_iter().collect::<Vec<_>>(), vec![(1, Via::Arxiv), (6, Via::Title)]);
    }

    #[test]
    fn a_title_in_many_entries_is_a_venue() {
        let targets = vec![
            target("citing", "Citing paper with a long title", None, None),
            target("venue", "Communications of the ACM", None, None),
        ];
        let one = vec![entry("L. Lamport. Time, clocks. Communications of the ACM, 21(7), 1978.")];
        let many: Vec<Entry> =
            (0..3).map(|i| entry(&format!("A. B{i}. Paper {i}. Communications of the ACM, 1978."))).collect();
        assert_eq!(cites(&targets, 0, &one).len(), 1);
        assert!(cites(&targets, 0, &many).is_empty());
    }

    #[test]
    fn dates_compare_at_the_precision_both_have() {
        assert!(!later(Some("2024-05"), Some("2024-05-07")));
        assert!(later(Some("2024-06"), Some("2024-05-07")));
        assert!(later(Some("2024"), Some("2023-12")));
        assert!(!later(None, Some("2020")));
        assert!(holds_id("arxiv:2401.06066,2024", "2401.06066"));
        assert!(!holds_id("arxiv:2401.060661", "2401.06066"));
        assert!(!holds_id("12401.06066", "2401.06066"));
    }
}
