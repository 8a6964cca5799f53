//! Catalog evidence locators: a claim's paper, page and terms, resolved into an annotation
//! linked with its stance once the paper is imported; and the catalog's claims and
//! milestones added to a library.

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;
use crate::story::catalog::Catalog;

/// Adds the catalog's claims (with their locators) and milestones that the library lacks.
/// Claims and milestones already present are left as they are: the user may have edited them.
pub(crate) fn sync_catalog_claims(conn: &Connection, catalog: &Catalog) -> Result<()> {
    let now = crate::date::now_rfc3339();
    for c in &catalog.claims {
        let inserted = conn.execute(
            "INSERT OR IGNORE INTO claims (id, text, claimant, date, date_precision, source, tags, origin, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'catalog', ?8)",
            rusqlite::params![
                c.id,
                c.text,
                c.claimant,
                c.date,
                c.date.map(|d| d.precision()),
                c.source,
                serde_json::to_string(&c.tags)?,
                now,
            ],
        )?;
        if inserted == 0 {
            continue;
        }
        for (seq, l) in c.evidence.iter().enumerate() {
            conn.execute(
                "INSERT OR IGNORE INTO locators (claim_id, seq, paper_id, page, terms, stance, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                rusqlite::params![
                    c.id,
                    seq as i64,
                    l.paper,
                    l.page,
                    serde_json::to_string(&l.terms)?,
                    l.stance.as_str(),
                    l.note
                ],
            )?;
        }
    }
    for m in &catalog.milestones {
        conn.execute(
            "INSERT OR IGNORE INTO milestones (id, date, date_precision, kind, title, papers, claims, leads_to)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            rusqlite::params![
                m.id,
                m.date,
                m.date.precision(),
                m.kind.as_str(),
                m.title,
                serde_json::to_string(&m.papers)?,
                serde_json::to_string(&m.claims)?,
                serde_json::to_string(&m.leads_to)?,
            ],
        )?;
    }
    // Papers imported before their catalog claims were known.
    let mut stmt = conn.prepare("SELECT DISTINCT paper_id FROM versions")?;
    let papers: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    for p in papers {
        resolve_locators(conn, &p)?;
    }
    Ok(())
}

/// Lowercases and folds hyphens and spaces so terms match across extraction differences.
pub(crate) fn fold_for_terms(s: &str) -> String {
    s.to_lowercase().chars().filter(|c| !c.is_whitespace() && *c != '-' && *c != ',').collect()
}

/// The span holding every folded term: one passage of the page, else two adjacent passages
/// of the page, else one passage of a neighbouring page. Returns (page, start, end, text).
fn find_locator_span(
    conn: &Connection,
    sha: &str,
    page: u32,
    folded: &[String],
) -> Result<Option<(u32, i64, i64, String)>> {
    let holds = |t: &str| {
        let f = fold_for_terms(t);
        folded.iter().all(|x| f.contains(x.as_str()))
    };
    let passages = |p: u32| -> Result<Vec<(i64, i64, String)>> {
        let mut stmt = conn
            .prepare("SELECT start, end, text FROM passages WHERE version_sha256 = ?1 AND page = ?2 ORDER BY start")?;
        let rows = stmt.query_map((sha, p), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
        Ok(rows)
    };
    let here = passages(page)?;
    if let Some((s, e, t)) = here.iter().find(|(_, _, t)| holds(t)) {
        return Ok(Some((page, *s, *e, t.clone())));
    }
    if here.len() > 1 {
        let text: Option<String> = conn
            .query_row("SELECT text FROM pages WHERE version_sha256 = ?1 AND page = ?2", (sha, page), |r| r.get(0))
            .optional()?;
        if let Some(text) = text {
            for w in here.windows(2) {
                let span = crate::ingest::passage::char_slice(&text, w[0].0 as usize, w[1].1 as usize);
                if holds(span) {
                    return Ok(Some((page, w[0].0, w[1].1, span.to_string())));
                }
            }
        }
    }
    for p in [page + 1, page.saturating_sub(1)] {
        if p == 0 || p == page {
            continue;
        }
        if let Some((s, e, t)) = passages(p)?.into_iter().find(|(_, _, t)| holds(t)) {
            return Ok(Some((p, s, e, t)));
        }
    }
    Ok(None)
}

/// The shortest run of whole sentences of a passage (starting at char `start`) that holds
/// every folded term, as (start, end, text); `None` when no run does.
fn narrow_to_sentences(start: i64, text: &str, folded: &[String]) -> Option<(i64, i64, String)> {
    use unicode_segmentation::UnicodeSegmentation;
    let sentences: Vec<(usize, usize)> = text
        .split_sentence_bound_indices()
        .map(|(i, s)| (i, i + s.len()))
        .filter(|(a, b)| !text[*a..*b].trim().is_empty())
        .collect();
    let mut best: Option<(usize, usize)> = None;
    for i in 0..sentences.len() {
        for j in i..sentences.len() {
            let (a, b) = (sentences[i].0, sentences[j].1);
            let f = fold_for_terms(&text[a..b]);
            if folded.iter().all(|t| f.contains(t.as_str())) {
                if best.is_none_or(|(x, y)| b - a < y - x) {
                    best = Some((a, b));
                }
                break;
            }
        }
    }
    let (a, b) = best?;
    let slice = &text[a..b];
    let lead = slice.len() - slice.trim_start().len();
    let (a, b) = (a + lead, a + lead + slice.trim().len());
    let s = start + text[..a].chars().count() as i64;
    let quote = text[a..b].to_string();
    Some((s, s + quote.chars().count() as i64, quote))
}

/// Resolves pending catalog locators of `paper_id` against its newest version: the passage on
/// the locator's page holding every term becomes an annotation linked to the claim.
pub(crate) fn resolve_locators(conn: &Connection, paper_id: &str) -> Result<()> {
    let version: Option<(String, String, String)> = conn
        .query_row(
            "SELECT sha256, extractor, extractor_version FROM versions WHERE paper_id = ?1 ORDER BY COALESCE(created, imported_at) DESC, rowid DESC LIMIT 1",
            [paper_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((sha, extractor, extractor_version)) = version else { return Ok(()) };
    let mut stmt = conn.prepare(
        "SELECT claim_id, seq, page, terms, stance, note FROM locators WHERE paper_id = ?1 AND status != 'resolved'",
    )?;
    let pending: Vec<(String, i64, u32, String, String, String)> = stmt
        .query_map([paper_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?
        .collect::<Result<_, _>>()?;
    let now = crate::date::now_rfc3339();
    for (claim_id, seq, page, terms, stance, note) in pending {
        let terms: Vec<String> = serde_json::from_str(&terms)?;
        let folded: Vec<String> = terms.iter().map(|t| fold_for_terms(t)).collect();
        let Some((page, start, end, text)) = find_locator_span(conn, &sha, page, &folded)? else {
            conn.execute(
                "UPDATE locators SET status = 'not_found' WHERE claim_id = ?1 AND seq = ?2",
                (&claim_id, seq),
            )?;
            continue;
        };
        let (start, end, text) = narrow_to_sentences(start, &text, &folded).unwrap_or((start, end, text));
        let page_text: String =
            conn.query_row("SELECT text FROM pages WHERE version_sha256 = ?1 AND page = ?2", (&sha, page), |r| {
                r.get(0)
            })?;
        let (start, end, text) = (&start, &end, &text);
        let (prefix, suffix) = crate::evidence::anchor::context(&page_text, *start as usize, *end as usize);
        let annotation_id = format!("cat-{claim_id}-{seq}");
        conn.execute(
            "INSERT OR REPLACE INTO annotations (id, version_sha256, page, exact, prefix, suffix, start, end, extractor, extractor_version, note, tags, color, orphaned, origin, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, '[]', 'yellow', 0, 'catalog', ?12, ?12)",
            rusqlite::params![annotation_id, sha, page, text, prefix, suffix, start, end, extractor, extractor_version, note, now],
        )?;
        conn.execute(
            "INSERT OR IGNORE INTO evidence (claim_id, annotation_id, stance, note, origin, created_at) VALUES (?1, ?2, ?3, ?4, 'catalog', ?5)",
            rusqlite::params![claim_id, annotation_id, stance, note, now],
        )?;
        conn.execute(
            "UPDATE locators SET status = 'resolved', annotation_id = ?3 WHERE claim_id = ?1 AND seq = ?2",
            rusqlite::params![claim_id, seq, annotation_id],
        )?;
    }
    Ok(())
}
