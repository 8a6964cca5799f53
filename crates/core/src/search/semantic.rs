//! Search by meaning and words together (`search --semantic`): the query's word hits and the
//! passages nearest to its meaning, fused by reciprocal rank. Filters (`paper:`, `year:`,
//! current versions only) hold for both.

use std::collections::BTreeMap;

use rusqlite::OptionalExtension;

use crate::error::Result;
use crate::library::Library;
use crate::model::{SearchHit, SearchResults, Section};
use crate::search::index::SearchOptions;
use crate::search::query::{self, Clause};
use crate::search::snippet::SNIPPET_CHARS;
use crate::search::vectors::reciprocal_rank_fusion;

/// Reciprocal rank fusion's constant.
const RRF_K: f32 = 60.0;

/// The query's words and phrases as plain text, for its vector.
fn meaning_text(q: &query::Query) -> String {
    let mut parts = Vec::new();
    for c in &q.clauses {
        match c {
            Clause::Word { text, negate: false, .. } | Clause::Phrase { text, negate: false } => {
                parts.push(text.trim_end_matches('*').to_string())
            }
            _ => {}
        }
    }
    parts.join(" ")
}

/// The start of a passage as a snippet, cut at a space.
fn lead(text: &str) -> String {
    if text.chars().count() <= SNIPPET_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(SNIPPET_CHARS).collect();
    let end = cut.rfind(char::is_whitespace).filter(|&i| i > SNIPPET_CHARS / 2).unwrap_or(cut.len());
    format!("{}…", &cut[..end])
}

/// A passage as a search hit scored `score` (matched by meaning), with whether its version is
/// its paper's current one and its paper's year; `None` if the passage is gone.
fn passage_hit(conn: &rusqlite::Connection, id: u64, score: f32) -> Result<Option<(SearchHit, bool, Option<i32>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT v.paper_id, pa.title, p.version_sha256, p.page, p.start, p.end, p.text, p.section, pa.date,
           v.sha256 = (SELECT v2.sha256 FROM versions v2 WHERE v2.paper_id = v.paper_id
                       ORDER BY COALESCE(v2.created, v2.imported_at) DESC, v2.rowid DESC LIMIT 1),
           COALESCE((SELECT pg.source = 'ocr' FROM pages pg WHERE pg.version_sha256 = p.version_sha256 AND pg.page = p.page), 0)
         FROM passages p JOIN versions v ON v.sha256 = p.version_sha256 JOIN papers pa ON pa.id = v.paper_id
         WHERE p.id = ?1",
    )?;
    Ok(stmt
        .query_row([id as i64], |r| {
            let date: Option<String> = r.get(8)?;
            let text: String = r.get(6)?;
            let hit = SearchHit {
                paper_id: r.get(0)?,
                title: r.get(1)?,
                version_sha256: r.get(2)?,
                page: r.get(3)?,
                start: r.get::<_, i64>(4)? as usize,
                end: r.get::<_, i64>(5)? as usize,
                score,
                snippet: lead(&text),
                highlights: Vec::new(),
                text,
                section: Section::from_stored(&r.get::<_, String>(7)?),
                ocr: r.get(10)?,
                matched_by: vec!["meaning".into()],
            };
            let year = date.and_then(|d| d.get(0..4).and_then(|y| y.parse::<i32>().ok()));
            Ok((hit, r.get::<_, bool>(9)?, year))
        })
        .optional()?)
}

impl Library {
    /// Searches by words and by meaning: the hits of [`Library::search`] and the passages
    /// closest in meaning to the query's words, fused. Each hit's `matched_by` says which
    /// found it. Without the embedding model (or before any passage has a vector) this is
    /// [`Library::search`] with every hit `matched_by` words; the second value is false then.
    pub fn search_semantic(&self, query_text: &str, opts: &SearchOptions) -> Result<(SearchResults, bool)> {
        let started = std::time::Instant::now();
        let q = query::parse(query_text)?;
        let limit = if opts.limit == 0 { 20 } else { opts.limit };
        let wanted = limit * 2;
        let mut words = self.search(query_text, &SearchOptions { limit: wanted, ..opts.clone() })?;
        for h in &mut words.hits {
            h.matched_by = vec!["words".into()];
        }
        let text = meaning_text(&q);
        let near = if text.trim().is_empty() { None } else { self.nearest_passages(&text, wanted * 4)? };
        let Some(near) = near.filter(|n| !n.is_empty()) else {
            words.hits.truncate(limit);
            return Ok((words, false));
        };
        let paper = opts
            .paper
            .clone()
            .or_else(|| q.clauses.iter().find_map(|c| if let Clause::Paper(p) = c { Some(p.clone()) } else { None }));
        let year =
            opts.year.or_else(|| q.clauses.iter().find_map(|c| if let Clause::Year(y) = c { Some(*y) } else { None }));
        let mut by_key: BTreeMap<(String, u32, usize), SearchHit> = BTreeMap::new();
        let mut word_keys = Vec::new();
        for h in words.hits.drain(..) {
            let key = (h.version_sha256.clone(), h.page, h.start);
            word_keys.push(key.clone());
            by_key.insert(key, h);
        }
        let mut meaning_keys = Vec::new();
        {
            let conn = self.conn();
            for (id, similarity) in &near {
                if meaning_keys.len() == wanted {
                    break;
                }
                let row = passage_hit(&conn, *id, *similarity)?;
                let Some((hit, current, year_of)) = row else { continue };
                if (!opts.all_versions && !current)
                    || paper.as_ref().is_some_and(|p| *p != hit.paper_id)
                    || year.is_some_and(|y| year_of != Some(y))
                {
                    continue;
                }
                let key = (hit.version_sha256.clone(), hit.page, hit.start);
                if let Some(existing) = by_key.get_mut(&key) {
                    existing.matched_by.push("meaning".into());
                } else {
                    by_key.insert(key.clone(), hit);
                }
                meaning_keys.push(key);
            }
        }
        // Fuse over positions in one list of keys.
        let keys: Vec<(String, u32, usize)> = by_key.keys().cloned().collect();
        let index = |k: &(String, u32, usize)| keys.binary_search(k).unwrap_or(0) as u64;
        let w: Vec<u64> = word_keys.iter().map(index).collect();
        let m: Vec<u64> = meaning_keys.iter().map(index).collect();
        let mut hits = Vec::with_capacity(limit);
        for (i, score) in reciprocal_rank_fusion(&[&w, &m], RRF_K) {
            if let Some(mut h) = by_key.remove(&keys[i as usize]) {
                h.score = score;
                hits.push(h);
            }
            if hits.len() == limit {
                break;
            }
        }
        // Reference-list passages after body passages, as in word search.
        hits.sort_by_key(|h| h.section == Section::References);
        let total = words.total.max(hits.len());
        Ok((
            SearchResults {
                hits,
                total,
                total_exact: words.total_exact,
                fuzzy: words.fuzzy,
                elapsed_us: started.elapsed().as_micros() as u64,
            },
            true,
        ))
    }

    /// Passages across the library like passage `passage_id` ("passages like this one"): the
    /// nearest by meaning to its vector, best first, leaving out its own page and passages of
    /// older versions; body text only. `None` when the embedding model is not installed.
    pub fn similar_passages(&self, passage_id: u64, limit: usize) -> Result<Option<Vec<SearchHit>>> {
        let limit = if limit == 0 { 10 } else { limit };
        let Some(embedder) = crate::search::vectors::shared_embedder()? else { return Ok(None) };
        let (own, text, version, page) = {
            let conn = self.conn();
            let row: Option<(Option<Vec<u8>>, String, String, u32)> = conn
                .query_row(
                    "SELECT (SELECT data FROM passage_vectors WHERE passage_id = p.id), p.text, p.version_sha256, p.page
                     FROM passages p WHERE p.id = ?1",
                    [passage_id as i64],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            row.ok_or_else(|| crate::error::Error::NotFound { kind: "passage", id: passage_id.to_string() })?
        };
        // The passage's own windows, averaged (embedded now if it has no vector yet).
        let windows: Vec<Vec<f32>> = match own.as_deref().and_then(crate::search::vectors::decode) {
            Some(ws) => ws.into_iter().map(|(scale, q)| q.iter().map(|b| *b as f32 * scale).collect()).collect(),
            None => embedder.embed_tokens(&embedder.windows(&text)?)?,
        };
        let mut query = vec![0f32; crate::search::embed::DIM];
        for w in &windows {
            for (a, b) in query.iter_mut().zip(w) {
                *a += b;
            }
        }
        let norm = query.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
        query.iter_mut().for_each(|x| *x /= norm);
        let near = self.vector_set()?.nearest(&query, limit * 4 + 8);
        let conn = self.conn();
        let mut hits: Vec<SearchHit> = Vec::new();
        for (id, similarity) in near {
            let Some((hit, current, _)) = passage_hit(&conn, id, similarity)? else { continue };
            if id == passage_id
                || (hit.version_sha256 == version && hit.page == page)
                || !current
                || hit.section != Section::Body
                || hits.iter().any(|h| h.text == hit.text)
            {
                continue;
            }
            hits.push(hit);
            if hits.len() == limit {
                break;
            }
        }
        Ok(Some(hits))
    }

    /// The passage of page `page` of version `version` at character `offset` of the page's
    /// stored text (where a selection or an annotation starts): the first passage that ends
    /// after it, so an offset between two passages gives the next one, and one past the last
    /// passage gives the last; `None` when the page has no passage.
    pub fn passage_at(&self, version: &str, page: u32, offset: usize) -> Result<Option<u64>> {
        let id: Option<i64> = self
            .conn()
            .query_row(
                "SELECT id FROM passages WHERE version_sha256 = ?1 AND page = ?2
                 ORDER BY end <= ?3, CASE WHEN end > ?3 THEN start ELSE -start END LIMIT 1",
                rusqlite::params![version, page, offset as i64],
                |r| r.get(0),
            )
            .optional()?;
        Ok(id.map(|id| id as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{Cancel, NoEvents};

    #[test]
    fn the_passage_at_an_offset_is_the_one_holding_it_or_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open(dir.path()).unwrap();
        let conn = lib.conn();
        conn.execute_batch(
            "INSERT INTO papers (id, title, authors, created_at) VALUES ('p', 'P', '[]', '');
             INSERT INTO versions (sha256, paper_id, pages, imported_at, file_name, size, extractor, extractor_version)
               VALUES ('v', 'p', 2, '', 'p.pdf', 1, '', '');
             INSERT INTO passages (version_sha256, page, start, end, text) VALUES ('v', 1, 2, 10, 'first...'), ('v', 1, 12, 20, 'second..');",
        )
        .unwrap();
        let id = |start: i64| -> u64 {
            conn.query_row("SELECT id FROM passages WHERE page = 1 AND start = ?1", [start], |r| r.get::<_, i64>(0))
                .unwrap() as u64
        };
        let (first, second) = (id(2), id(12));
        drop(conn);
        let at = |offset| lib.passage_at("v", 1, offset).unwrap();
        assert_eq!(at(0), Some(first), "before the first passage");
        assert_eq!(at(2), Some(first));
        assert_eq!(at(9), Some(first));
        assert_eq!(at(10), Some(second), "between two passages: the next one");
        assert_eq!(at(15), Some(second));
        assert_eq!(at(40), Some(second), "past the last passage: the last one");
        assert_eq!(lib.passage_at("v", 2, 0).unwrap(), None, "a page without passages");
        assert_eq!(lib.passage_at("w", 1, 0).unwrap(), None, "another version");
    }

    #[test]
    fn passages_like_one_are_found_by_meaning_and_filters_hold() {
        let Some(_) = crate::search::embed::tests::embedder() else { return };
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open(dir.path()).unwrap();
        let texts = [
            "The policy was optimized with rewards from a rule-based verifier, without supervised data.",
            "We thank the anonymous reviewers and our colleagues for their helpful comments.",
            "Trained only by reinforcement learning, the network learned to reason step by step.",
            "The dataset contains images of cats and dogs collected from the web.",
        ];
        {
            let conn = lib.conn();
            conn.execute_batch(
                "INSERT INTO papers (id, title, authors, created_at) VALUES ('p', 'P', '[]', '');
                 INSERT INTO versions (sha256, paper_id, pages, imported_at, file_name, size, extractor, extractor_version)
                   VALUES ('v', 'p', 4, '', 'p.pdf', 1, '', '');",
            )
            .unwrap();
            for (i, t) in texts.iter().enumerate() {
                conn.execute(
                    "INSERT INTO passages (version_sha256, page, start, end, text) VALUES ('v', ?1, 0, ?2, ?3)",
                    rusqlite::params![i as i64 + 1, t.chars().count() as i64, t],
                )
                .unwrap();
            }
            crate::store::bump_revision(&conn).unwrap();
        }
        lib.catch_up(&NoEvents).unwrap();
        lib.embed_pending(&NoEvents, &Cancel::new()).unwrap();
        let first: i64 = lib.conn().query_row("SELECT id FROM passages WHERE page = 1", [], |r| r.get(0)).unwrap();
        let like = lib.similar_passages(first as u64, 2).unwrap().unwrap();
        assert_eq!(like.iter().map(|h| h.page).collect::<Vec<_>>()[0], 3, "{like:?}");
        assert!(like.iter().all(|h| h.page != 1 && h.matched_by == ["meaning"]));
        let (found, by_meaning) = lib
            .search_semantic("learning to reason from rewards alone", &SearchOptions { limit: 2, ..Default::default() })
            .unwrap();
        assert!(by_meaning);
        assert!([1, 3].contains(&found.hits[0].page), "{:?}", found.hits);
        let (none, _) = lib
            .search_semantic(
                "learning to reason from rewards alone",
                &SearchOptions { paper: Some("p".into()), year: Some(1999), limit: 2, ..Default::default() },
            )
            .unwrap();
        assert!(none.hits.is_empty(), "{:?}", none.hits);
    }
}
