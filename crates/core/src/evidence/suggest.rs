//! Suggested evidence: passages that state a claim's numbers and content words.
//!
//! A claim's numbers with units ("14.8 trillion tokens", "63.5%", "180K GPU hours",
//! "$5.6 million") weigh most, in the forms papers write them (`14.8T`, `$5.6M`); its content
//! words weigh by their rarity (BM25). Near-duplicate passages (the same text in two versions
//! or repeated on a page) are merged.

use std::collections::BTreeSet;

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::library::Library;
use crate::model::Stance;
use crate::search::index::{RankedPassage, WeightedTerm};
use crate::search::tokenizer::chunks;

/// A candidate passage for a claim.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    /// Paper id.
    pub paper_id: String,
    /// Version sha256.
    pub version_sha256: String,
    /// Page.
    pub page: u32,
    /// Start (chars).
    pub start: usize,
    /// End (chars).
    pub end: usize,
    /// Score (higher is better).
    pub score: f32,
    /// Passage text.
    pub text: String,
    /// The claim's terms found in the passage.
    pub matched_terms: Vec<String>,
    /// Passage row id (for accept and dismiss).
    pub passage_id: u64,
    /// What found it: `words` (the claim's words and numbers), `meaning` (its vector).
    #[serde(default)]
    pub matched_by: Vec<String>,
}

/// Reciprocal rank fusion's constant: how flat the credit for rank is.
const RRF_K: f32 = 60.0;

const STOPWORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been",
    "before", "being", "between", "both", "but", "by", "can", "could", "did", "do", "does", "during", "each", "for",
    "from", "had", "has", "have", "he", "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just",
    "more", "most", "no", "nor", "not", "of", "on", "once", "only", "or", "other", "our", "out", "over", "own", "same",
    "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they",
    "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when",
    "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "roughly", "around",
    "total", "first", "built", "made", "used", "using", "claim", "claims", "said", "says", "per", "pre",
];

fn scale_suffix(word: &str) -> Option<&'static str> {
    match word {
        "trillion" => Some("t"),
        "billion" => Some("b"),
        "million" => Some("m"),
        "thousand" => Some("k"),
        _ => None,
    }
}

/// The weighted terms of a claim, and the display form of each.
pub fn claim_terms(text: &str) -> Vec<(WeightedTerm, String)> {
    let cs = chunks(text);
    let mut out: Vec<(WeightedTerm, String)> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut push = |t: WeightedTerm, label: String, out: &mut Vec<(WeightedTerm, String)>| {
        if seen.insert(format!("{t:?}")) {
            out.push((t, label));
        }
    };
    for (i, c) in cs.iter().enumerate() {
        let has_digit = c.whole.chars().any(|ch| ch.is_ascii_digit());
        if has_digit {
            let number = c.whole.clone();
            push(WeightedTerm::Raw(number.clone(), 4.0), number.clone(), &mut out);
            let bare = number.trim_start_matches(['$', '€', '£']).trim_end_matches('%').to_string();
            if bare != number {
                push(WeightedTerm::Raw(bare.clone(), 2.0), bare.clone(), &mut out);
            }
            if number.contains(',') {
                push(WeightedTerm::Raw(number.replace(',', ""), 4.0), number.replace(',', ""), &mut out);
            }
            if let Some(next) = cs.get(i + 1) {
                if let Some(suffix) = scale_suffix(&next.whole) {
                    let compact = format!("{number}{suffix}");
                    push(WeightedTerm::Raw(compact.clone(), 5.0), compact, &mut out);
                    if let Some(after) = cs.get(i + 2) {
                        if !STOPWORDS.contains(&after.whole.as_str()) {
                            let label = format!("{number}{suffix} {}", after.whole);
                            push(
                                WeightedTerm::Phrase(vec![format!("{bare}{suffix}"), after.whole.clone()], 3.0),
                                label,
                                &mut out,
                            );
                        }
                    }
                } else if !STOPWORDS.contains(&next.whole.as_str()) && !next.whole.chars().any(|ch| ch.is_ascii_digit())
                {
                    let label = format!("{number} {}", next.whole);
                    let mut parts = c.parts.clone();
                    parts.push(next.whole.clone());
                    push(WeightedTerm::Phrase(parts, 3.0), label, &mut out);
                }
            }
            continue;
        }
        if c.whole.chars().count() < 3 || STOPWORDS.contains(&c.whole.as_str()) || scale_suffix(&c.whole).is_some() {
            continue;
        }
        push(WeightedTerm::Word(c.whole.clone(), 1.0), c.whole.clone(), &mut out);
        if c.parts.len() > 1 {
            for p in &c.parts {
                if p.chars().count() >= 3 && !STOPWORDS.contains(&p.as_str()) {
                    push(WeightedTerm::Word(p.clone(), 0.5), p.clone(), &mut out);
                }
            }
        }
    }
    out
}

fn matched(passage: &str, terms: &[(WeightedTerm, String)]) -> Vec<String> {
    let lower = passage.to_lowercase();
    let tokens: BTreeSet<String> =
        chunks(passage).into_iter().flat_map(|c| std::iter::once(c.whole).chain(c.parts)).collect();
    let mut out = Vec::new();
    for (t, label) in terms {
        let hit = match t {
            WeightedTerm::Raw(w, _) => tokens.contains(w),
            WeightedTerm::Word(w, _) => {
                let stem: String = w.chars().take(w.chars().count().saturating_sub(2).max(4)).collect();
                tokens.iter().any(|tok| tok.starts_with(&stem))
            }
            WeightedTerm::Phrase(ws, _) => lower.contains(&ws.join(" ")),
        };
        if hit && !out.contains(label) {
            out.push(label.clone());
        }
    }
    out
}

fn token_set(s: &str) -> BTreeSet<String> {
    chunks(s).into_iter().map(|c| c.whole).collect()
}

fn near_duplicate(a: &RankedPassage, b: &RankedPassage) -> bool {
    if a.paper_id == b.paper_id && a.page == b.page && a.version == b.version && a.start < b.end && b.start < a.end {
        return true;
    }
    let (x, y) = (token_set(&a.text), token_set(&b.text));
    let inter = x.intersection(&y).count() as f64;
    let union = x.union(&y).count().max(1) as f64;
    inter / union > 0.8
}

impl Library {
    /// Ranks candidate passages for a claim's text.
    pub fn suggest(&self, text: &str, limit: usize) -> Result<Vec<Suggestion>> {
        if text.trim().is_empty() {
            return Err(Error::invalid("text", "give the claim's text to find passages for"));
        }
        self.suggest_excluding(text, None, limit, &BTreeSet::new(), &[])
    }

    /// Ranks candidate passages for an existing claim, leaving out dismissed passages and
    /// passages already linked as its evidence.
    pub fn suggest_for_claim(&self, claim_id: &str, limit: usize) -> Result<Vec<Suggestion>> {
        let (text, dismissed, linked) = {
            let conn = self.conn();
            let claim = crate::evidence::claims::get_claim(&conn, claim_id)?;
            let mut stmt = conn.prepare("SELECT passage_id FROM dismissed_suggestions WHERE claim_id = ?1")?;
            let dismissed: BTreeSet<u64> =
                stmt.query_map([claim_id], |r| r.get::<_, i64>(0).map(|v| v as u64))?.collect::<Result<_, _>>()?;
            let mut stmt = conn.prepare(
                "SELECT a.version_sha256, a.page, a.start, a.end FROM evidence e JOIN annotations a ON a.id = e.annotation_id WHERE e.claim_id = ?1",
            )?;
            let linked: Vec<(String, u32, usize, usize)> = stmt
                .query_map([claim_id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as usize, r.get::<_, i64>(3)? as usize))
                })?
                .collect::<Result<_, _>>()?;
            (claim.text, dismissed, linked)
        };
        self.suggest_excluding(&text, Some(claim_id), limit, &dismissed, &linked)
    }

    /// Ranks passages for `text`; `claim` names the stored claim it is the text of, whose
    /// vector is then kept (see [`Library::nearest_passages_for_claim`]).
    fn suggest_excluding(
        &self,
        text: &str,
        claim: Option<&str>,
        limit: usize,
        dismissed: &BTreeSet<u64>,
        linked: &[(String, u32, usize, usize)],
    ) -> Result<Vec<Suggestion>> {
        let limit = if limit == 0 { 10 } else { limit };
        let terms = claim_terms(text);
        let weighted: Vec<WeightedTerm> = terms.iter().map(|(t, _)| t.clone()).collect();
        let wanted = limit * 4 + dismissed.len() + linked.len();
        let lexical = self.index.search_any(&weighted, wanted)?;
        let by_words: BTreeSet<u64> = lexical.iter().map(|r| r.passage_id).collect();
        let near = match claim {
            Some(id) => self.nearest_passages_for_claim(id, text, wanted * 2)?,
            None => self.nearest_passages(text, wanted * 2)?,
        };
        let (ranked, by_meaning) = match near {
            Some(near) if !near.is_empty() => self.fuse(lexical, &near, wanted)?,
            _ => (lexical, BTreeSet::new()),
        };
        let mut kept: Vec<RankedPassage> = Vec::new();
        for r in ranked {
            if dismissed.contains(&r.passage_id)
                || linked.iter().any(|(v, p, s, e)| *v == r.version && *p == r.page && *s < r.end && r.start < *e)
            {
                continue;
            }
            if kept.iter().any(|k| near_duplicate(k, &r)) {
                continue;
            }
            kept.push(r);
            if kept.len() == limit {
                break;
            }
        }
        Ok(kept
            .into_iter()
            .map(|r| Suggestion {
                matched_by: [("words", &by_words), ("meaning", &by_meaning)]
                    .into_iter()
                    .filter(|(_, set)| set.contains(&r.passage_id))
                    .map(|(name, _)| name.to_string())
                    .collect(),
                matched_terms: matched(&r.text, &terms),
                paper_id: r.paper_id,
                version_sha256: r.version,
                page: r.page,
                start: r.start,
                end: r.end,
                score: r.score,
                text: r.text,
                passage_id: r.passage_id,
            })
            .collect())
    }

    /// Fuses the word ranking (with its number-aware boosts) and the nearest passages by
    /// meaning by reciprocal rank fusion. Passages found only by meaning are kept when they
    /// are body text of a paper's current version, as the word ranking's are. Returns the
    /// fused ranking and the passages found by meaning.
    fn fuse(
        &self,
        lexical: Vec<RankedPassage>,
        near: &[(u64, f32)],
        wanted: usize,
    ) -> Result<(Vec<RankedPassage>, BTreeSet<u64>)> {
        let mut pool: std::collections::BTreeMap<u64, RankedPassage> =
            lexical.iter().map(|r| (r.passage_id, r.clone())).collect();
        let mut meaning: Vec<u64> = Vec::new();
        {
            let conn = self.conn();
            let mut stmt = conn.prepare_cached(
                "SELECT v.paper_id, p.version_sha256, p.page, p.start, p.end, p.text FROM passages p
                 JOIN versions v ON v.sha256 = p.version_sha256
                 WHERE p.id = ?1 AND p.section != 'references'
                   AND v.sha256 = (SELECT v2.sha256 FROM versions v2 WHERE v2.paper_id = v.paper_id
                                   ORDER BY COALESCE(v2.created, v2.imported_at) DESC, v2.rowid DESC LIMIT 1)",
            )?;
            for (id, similarity) in near {
                if meaning.len() == wanted {
                    break;
                }
                if !pool.contains_key(id) {
                    let row = stmt
                        .query_row([*id as i64], |r| {
                            Ok(RankedPassage {
                                score: *similarity,
                                passage_id: *id,
                                paper_id: r.get(0)?,
                                version: r.get(1)?,
                                page: r.get(2)?,
                                start: r.get::<_, i64>(3)? as usize,
                                end: r.get::<_, i64>(4)? as usize,
                                text: r.get(5)?,
                            })
                        })
                        .optional()?;
                    let Some(row) = row else { continue };
                    pool.insert(*id, row);
                }
                meaning.push(*id);
            }
        }
        let words: Vec<u64> = lexical.iter().map(|r| r.passage_id).collect();
        let fused = crate::search::vectors::reciprocal_rank_fusion(&[&words, &meaning], RRF_K);
        let ranked = fused
            .into_iter()
            .filter_map(|(id, score)| pool.remove(&id).map(|r| RankedPassage { score, ..r }))
            .collect();
        Ok((ranked, meaning.into_iter().collect()))
    }

    /// Accepts a suggested passage: it becomes an annotation linked to the claim with `stance`.
    pub fn accept_suggestion(
        &self,
        claim_id: &str,
        passage_id: u64,
        stance: Stance,
    ) -> Result<crate::evidence::claims::Claim> {
        let (paper, version, page, start, end) = {
            let conn = self.conn();
            crate::evidence::claims::get_claim(&conn, claim_id)?;
            conn.query_row(
                "SELECT v.paper_id, p.version_sha256, p.page, p.start, p.end FROM passages p JOIN versions v ON v.sha256 = p.version_sha256 WHERE p.id = ?1",
                [passage_id as i64],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, u32>(2)?, r.get::<_, i64>(3)?, r.get::<_, i64>(4)?)),
            )
            .optional()?
            .ok_or_else(|| Error::NotFound { kind: "passage", id: passage_id.to_string() })?
        };
        let a = self.annotate(&crate::evidence::annotation::NewAnnotation {
            paper,
            version: Some(version),
            page,
            start: Some(start as usize),
            end: Some(end as usize),
            ..Default::default()
        })?;
        {
            let conn = self.conn();
            conn.execute("UPDATE annotations SET origin = 'suggestion' WHERE id = ?1", [&a.id])?;
        }
        self.link_with_origin(claim_id, &a.id, stance, "", "suggestion")
    }

    /// Dismisses a suggested passage so it is not offered for this claim again.
    pub fn dismiss_suggestion(&self, claim_id: &str, passage_id: u64) -> Result<()> {
        let _guard = self.try_write()?;
        let conn = self.conn();
        crate::evidence::claims::get_claim(&conn, claim_id)?;
        conn.execute(
            "INSERT OR IGNORE INTO dismissed_suggestions (claim_id, passage_id) VALUES (?1, ?2)",
            (claim_id, passage_id as i64),
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_with_scale_words_become_compact_forms() {
        let labels: Vec<String> = claim_terms("V3 was pre-trained on 14.8 trillion tokens at $5.6 million")
            .into_iter()
            .map(|t| t.1)
            .collect();
        assert!(labels.contains(&"14.8t".to_string()), "{labels:?}");
        assert!(labels.contains(&"14.8t tokens".to_string()), "{labels:?}");
        assert!(labels.contains(&"$5.6m".to_string()), "{labels:?}");
        assert!(!labels.contains(&"the".to_string()));
    }

    #[test]
    fn units_after_numbers_make_phrases() {
        let terms = claim_terms("It needs 180K GPU hours and scores 63.5%");
        let labels: Vec<&str> = terms.iter().map(|t| t.1.as_str()).collect();
        assert!(labels.contains(&"180k gpu"), "{labels:?}");
        assert!(labels.contains(&"63.5%") && labels.contains(&"63.5"), "{labels:?}");
    }
}
