//! Ranking: BM25 damped by how much of a passage is prose, and "any of these weighted terms"
//! queries (used for evidence suggestions).

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query as TQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};

use crate::error::Result;
use crate::index::{stored_str, stored_u64, PassageIndex};

/// A term of a ranked "any of these" query (used for suggestions).
#[derive(Debug, Clone, PartialEq)]
pub enum WeightedTerm {
    /// A word, stemmed.
    Word(String, f32),
    /// A token as written (numbers with units).
    Raw(String, f32),
    /// Tokens as written, in order (a number followed by its unit).
    Phrase(Vec<String>, f32),
}

/// A passage returned by [`PassageIndex::search_any`].
#[derive(Debug, Clone, PartialEq)]
pub struct RankedPassage {
    /// Score.
    pub score: f32,
    /// Passage row id.
    pub passage_id: u64,
    /// Paper id.
    pub paper_id: String,
    /// Version.
    pub version: String,
    /// Page.
    pub page: u32,
    /// Start (chars).
    pub start: usize,
    /// End (chars).
    pub end: usize,
    /// Text.
    pub text: String,
}

impl PassageIndex {
    /// Ranks current passages matching any of `terms`, each weighted by its boost.
    pub fn search_any(&self, terms: &[WeightedTerm], limit: usize) -> Result<Vec<RankedPassage>> {
        let f = &self.fields;
        let mut should: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        for t in terms {
            let (q, boost): (Box<dyn TQuery>, f32) = match t {
                WeightedTerm::Word(w, b) => (
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.text, &self.stem(w)),
                        IndexRecordOption::WithFreqs,
                    )),
                    *b,
                ),
                WeightedTerm::Raw(w, b) => {
                    (Box::new(TermQuery::new(Term::from_field_text(f.raw, w), IndexRecordOption::WithFreqs)), *b)
                }
                WeightedTerm::Phrase(ws, b) if ws.len() > 1 => {
                    let terms = ws.iter().enumerate().map(|(i, w)| (i, Term::from_field_text(f.raw, w))).collect();
                    (Box::new(PhraseQuery::new_with_offset(terms)), *b)
                }
                WeightedTerm::Phrase(ws, b) => match ws.first() {
                    Some(w) => {
                        (Box::new(TermQuery::new(Term::from_field_text(f.raw, w), IndexRecordOption::WithFreqs)), *b)
                    }
                    None => continue,
                },
            };
            should.push((Occur::Should, Box::new(BoostQuery::new(q, boost))));
        }
        if should.is_empty() {
            return Ok(Vec::new());
        }
        let current = TermQuery::new(Term::from_field_u64(f.current, 1), IndexRecordOption::Basic);
        let query = BooleanQuery::new(vec![
            (Occur::Must, Box::new(BooleanQuery::new(should)) as Box<dyn TQuery>),
            (Occur::Must, Box::new(ConstScoreQuery::new(Box::new(current), 0.0))),
        ]);
        let searcher = self.reader.searcher();
        let top = searcher.search(&query, &self.ranked_with(limit.max(1), 0.75))?;
        let mut out = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let d: TantivyDocument = searcher.doc(addr)?;
            let (s, n) = (|field| stored_str(&d, field), |field| stored_u64(&d, field));
            out.push(RankedPassage {
                score,
                passage_id: n(f.passage_id),
                paper_id: s(f.paper_id),
                version: s(f.version),
                page: n(f.page) as u32,
                start: n(f.start) as usize,
                end: n(f.end) as usize,
                text: s(f.text),
            });
        }
        Ok(out)
    }

    /// Top documents by BM25, damped for passages that are mostly not prose (tables of
    /// contents, figure residue, reference lists).
    pub(crate) fn ranked(
        &self,
        limit: usize,
    ) -> impl tantivy::collector::Collector<Fruit = Vec<(f32, tantivy::DocAddress)>> {
        self.ranked_with(limit, 0.4)
    }

    /// Like [`Self::ranked`] with `weight` (0 to 1) of the score depending on prose quality.
    fn ranked_with(
        &self,
        limit: usize,
        weight: f32,
    ) -> impl tantivy::collector::Collector<Fruit = Vec<(f32, tantivy::DocAddress)>> {
        TopDocs::with_limit(limit).tweak_score(move |segment: &tantivy::SegmentReader| {
            let quality = segment.fast_fields().u64("quality").map(|c| c.first_or_default_col(100)).ok();
            move |doc: tantivy::DocId, score: tantivy::Score| {
                let q = quality.as_ref().map(|c| c.get_val(doc)).unwrap_or(100) as f32 / 100.0;
                score * (1.0 - weight + weight * q)
            }
        })
    }
}

/// How much of a passage is running prose, 20 to 100.
pub fn prose_quality(text: &str) -> u64 {
    let mut words = 0u32;
    let mut prose = 0u32;
    for w in text.split_whitespace() {
        words += 1;
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        if letters >= 3 && letters * 10 >= w.chars().count() * 7 {
            prose += 1;
        }
    }
    if words == 0 {
        return 20;
    }
    let mut q = f64::from(prose) / f64::from(words);
    if text.matches('…').count() >= 2 {
        q *= 0.4;
    }
    (q.clamp(0.2, 1.0) * 100.0) as u64
}
