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
            let mut stmt = conn.prepare_cached(
                "SELECT v.paper_id, pa.title, p.version_sha256, p.page, p.start, p.end, p.text, p.section, pa.date,
                   v.sha256 = (SELECT v2.sha256 FROM versions v2 WHERE v2.paper_id = v.paper_id
                               ORDER BY COALESCE(v2.created, v2.imported_at) DESC, v2.rowid DESC LIMIT 1),
                   COALESCE((SELECT pg.source = 'ocr' FROM pages pg WHERE pg.version_sha256 = p.version_sha256 AND pg.page = p.page), 0)
                 FROM passages p JOIN versions v ON v.sha256 = p.version_sha256 JOIN papers pa ON pa.id = v.paper_id
                 WHERE p.id = ?1",
            )?;
            for (id, similarity) in &near {
                if meaning_keys.len() == wanted {
                    break;
                }
                let row = stmt
                    .query_row([*id as i64], |r| {
                        let date: Option<String> = r.get(8)?;
                        let hit = SearchHit {
                            paper_id: r.get(0)?,
                            title: r.get(1)?,
                            version_sha256: r.get(2)?,
                            page: r.get(3)?,
                            start: r.get::<_, i64>(4)? as usize,
                            end: r.get::<_, i64>(5)? as usize,
                            score: *similarity,
                            snippet: String::new(),
                            highlights: Vec::new(),
                            text: r.get(6)?,
                            section: Section::from_stored(&r.get::<_, String>(7)?),
                            ocr: r.get(10)?,
                            matched_by: Vec::new(),
                        };
                        let year_of = date.and_then(|d| d.get(0..4).and_then(|y| y.parse::<i32>().ok()));
                        Ok((hit, r.get::<_, bool>(9)?, year_of))
                    })
                    .optional()?;
                let Some((mut hit, current, year_of)) = row else { continue };
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
                    hit.snippet = lead(&hit.text);
                    hit.matched_by = vec!["meaning".into()];
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
}
