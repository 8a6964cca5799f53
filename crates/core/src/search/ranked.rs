//! Ranking: BM25 damped by how much of a passage is prose, and "any of these weighted terms"
//! queries (used for evidence suggestions).
//!
//! A search runs in two passes. The first ranks passages by plain BM25 over the words every
//! match must hold, which lets tantivy skip whole blocks of postings that cannot reach the top
//! (block-max WAND) instead of visiting every match. The second takes the best
//! [`RESCORE_WINDOW`] of those, keeps the ones the whole query matches (phrases, exclusions,
//! filters, the current version) and scores them with it: proximity and prose quality. Only
//! when that leaves too few hits does the whole query run over every match. Counting stops at
//! [`COUNT_CAP`].
//!
//! Passages of a reference list rank after every body passage that matches: a reference entry
//! names the words a paper is about without saying anything about them. A query only a
//! reference entry answers still finds it. The first pass ranks by BM25 alone, so when its
//! window does not hold `limit` body passages the whole query runs over every match.

use tantivy::collector::TopDocs;
use tantivy::query::{
    AllScorer, BooleanQuery, BoostQuery, ConstScoreQuery, EnableScoring, Occur, PhraseQuery, Query as TQuery, Scorer,
    TermQuery, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, Searcher, TantivyDocument, Term, TERMINATED};

use crate::error::Result;
use crate::model::Section;
use crate::search::index::{section_of_code, stored_str, stored_u64, Built, PassageIndex, SECTION_FIELD};

/// How many first-pass passages the whole query rescores.
pub const RESCORE_WINDOW: usize = 200;

/// Counting matches stops here; the UI then says "1000+".
pub const COUNT_CAP: usize = 1000;

/// Weight of prose quality in a search's score.
const SEARCH_QUALITY_WEIGHT: f32 = 0.4;

/// What a reference passage's score is multiplied by (it also ranks after every body passage).
const REFERENCE_WEIGHT: f32 = 0.5;

/// The best matches of a query and how many there are.
pub(crate) struct Top {
    /// Score and address, best first.
    pub(crate) docs: Vec<(f32, DocAddress)>,
    /// Matches counted, up to [`COUNT_CAP`].
    pub(crate) total: usize,
    /// False when counting stopped at the cap.
    pub(crate) exact: bool,
}

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
        for ((_, score), addr) in top {
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

    /// The best `limit` matches of a built query (see the module's docs for the two passes).
    pub(crate) fn top(&self, searcher: &Searcher, built: &Built, limit: usize) -> Result<Top> {
        let scoring = EnableScoring::enabled_from_searcher(searcher);
        let weight = built.query.weight(scoring)?;
        if let Some(candidates) = &built.candidates {
            let window = RESCORE_WINDOW.max(limit * 2);
            let first = searcher.search(candidates.as_ref(), &TopDocs::with_limit(window).order_by_score())?;
            let exhaustive = first.len() < window;
            let near = built.near.as_ref().map(|q| q.weight(scoring)).transpose()?;
            let (mut docs, bodies) =
                self.rescore(searcher, weight.as_ref(), near.as_deref(), first, SEARCH_QUALITY_WEIGHT)?;
            // Reference passages rank after body passages, so the window answers only when it
            // holds `limit` body passages: a body passage past it would outrank its references.
            if exhaustive || bodies >= limit {
                let (total, exact) =
                    if exhaustive { (docs.len(), true) } else { count_capped(searcher, weight.as_ref())? };
                docs.truncate(limit);
                return Ok(Top { docs, total, exact });
            }
        }
        let docs = match &built.near {
            Some(near) => {
                let whole =
                    BooleanQuery::new(vec![(Occur::Must, built.query.box_clone()), (Occur::Should, near.box_clone())]);
                searcher.search(&whole, &self.ranked_with(limit, SEARCH_QUALITY_WEIGHT))?
            }
            None => searcher.search(built.query.as_ref(), &self.ranked_with(limit, SEARCH_QUALITY_WEIGHT))?,
        };
        let docs = docs.into_iter().map(|((_, score), addr)| (score, addr)).collect();
        let (total, exact) = count_capped(searcher, weight.as_ref())?;
        Ok(Top { docs, total, exact })
    }

    /// Keeps the candidates the whole query matches, scored by it, by `near` where that matches
    /// too, and by prose quality; body passages first, then reference passages, each best
    /// first. Also says how many are body passages.
    fn rescore(
        &self,
        searcher: &Searcher,
        weight: &dyn Weight,
        near: Option<&dyn Weight>,
        mut candidates: Vec<(f32, DocAddress)>,
        quality_weight: f32,
    ) -> Result<(Vec<(f32, DocAddress)>, usize)> {
        candidates.sort_by_key(|(_, a)| (a.segment_ord, a.doc_id));
        let mut out = Vec::with_capacity(candidates.len());
        for group in candidates.chunk_by(|a, b| a.1.segment_ord == b.1.segment_ord) {
            let segment = searcher.segment_reader(group[0].1.segment_ord);
            let damping = Damping::new(segment, quality_weight);
            let mut scorer = Probe::new(weight.scorer(segment, 1.0)?);
            let mut near = near.map(|w| w.scorer(segment, 1.0)).transpose()?.map(Probe::new);
            for &(_, addr) in group {
                let doc = addr.doc_id;
                if !scorer.matches(doc) {
                    continue;
                }
                let mut score = scorer.scorer.score();
                if let Some(near) = near.as_mut() {
                    if near.matches(doc) {
                        score += near.scorer.score();
                    }
                }
                out.push((damping.apply(doc, score), addr));
            }
        }
        out.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal).then(a.1.cmp(&b.1)));
        let bodies = out.iter().filter(|(key, _)| key.0).count();
        Ok((out.into_iter().map(|((_, score), addr)| (score, addr)).collect(), bodies))
    }

    /// Top documents by BM25, damped for passages that are mostly not prose (tables of
    /// contents, figure residue, reference lists): `weight` (0 to 1) of the score depends on
    /// prose quality. Keyed by [`Damping::apply`]: body passages before reference passages.
    fn ranked_with(
        &self,
        limit: usize,
        weight: f32,
    ) -> impl tantivy::collector::Collector<Fruit = Vec<(RankKey, tantivy::DocAddress)>> {
        TopDocs::with_limit(limit).tweak_score(move |segment: &tantivy::SegmentReader| {
            let damping = Damping::new(segment, weight);
            move |doc: tantivy::DocId, score: tantivy::Score| damping.apply(doc, score)
        })
    }
}

/// How a passage ranks: body passages (`true`) before reference passages, then by score.
type RankKey = (bool, f32);

/// A segment's prose quality (the `quality` fast field, 20 to 100), how much of a score
/// depends on it, and which passages belong to a reference list.
struct Damping {
    quality: Option<std::sync::Arc<dyn tantivy::columnar::ColumnValues<u64>>>,
    section: Option<std::sync::Arc<dyn tantivy::columnar::ColumnValues<u64>>>,
    weight: f32,
}

impl Damping {
    fn new(segment: &tantivy::SegmentReader, weight: f32) -> Self {
        let quality = segment.fast_fields().u64("quality").map(|c| c.first_or_default_col(100)).ok();
        let section = segment.fast_fields().u64(SECTION_FIELD).map(|c| c.first_or_default_col(0)).ok();
        Self { quality, section, weight }
    }

    /// Whether the passage is body text, and `score` with `weight` of it scaled by the
    /// passage's quality (and by [`REFERENCE_WEIGHT`] in a reference list).
    fn apply(&self, doc: DocId, score: f32) -> RankKey {
        let q = self.quality.as_ref().map(|c| c.get_val(doc)).unwrap_or(100) as f32 / 100.0;
        let score = score * (1.0 - self.weight + self.weight * q);
        let body = self.section.as_ref().is_none_or(|c| section_of_code(c.get_val(doc)) == Section::Body);
        if body {
            (true, score)
        } else {
            (false, score * REFERENCE_WEIGHT)
        }
    }
}

/// Tests whether a scorer matches documents given in increasing order, without walking to
/// the next match after a miss (`seek` on a phrase would read positions all the way there).
struct Probe {
    scorer: Box<dyn Scorer>,
}

impl Probe {
    fn new(scorer: Box<dyn Scorer>) -> Self {
        Self { scorer }
    }

    /// Whether `doc` matches; when it does, the scorer stands on it. `doc` must grow.
    fn matches(&mut self, doc: DocId) -> bool {
        // A scorer never stands past its next match, so nothing below where it stands matches.
        if doc == TERMINATED || doc < self.scorer.doc() {
            return false;
        }
        // tantivy does not export the type `seek_danger` answers with; compare it with the
        // answer for a document that is surely there.
        let found = AllScorer::new(1).seek_danger(0);
        self.scorer.seek_danger(doc) == found
    }
}

/// Counts the matches of `weight`, stopping past [`COUNT_CAP`]: `(count, exact)`.
fn count_capped(searcher: &Searcher, weight: &dyn Weight) -> Result<(usize, bool)> {
    let mut n = 0;
    for segment in searcher.segment_readers() {
        let alive = segment.alive_bitset();
        let mut scorer = weight.scorer(segment, 1.0)?;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                n += 1;
                if n > COUNT_CAP {
                    return Ok((COUNT_CAP, false));
                }
            }
            doc = scorer.advance();
        }
    }
    Ok((n, true))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::index::{IndexState, PassageDoc, SearchOptions};
    use crate::search::query::parse;

    /// 1,500 passages: every one holds "alpha"; "beta" and "gamma" stand next to each other in
    /// some and apart in others; prose quality varies.
    fn index() -> PassageIndex {
        let index = PassageIndex::in_memory().unwrap();
        let mut w = index.writer().unwrap();
        for i in 0..1500u64 {
            let mut text = format!("alpha passage number {i} of the synthetic library");
            if i % 7 == 0 {
                text.push_str(" beta gamma stand together here");
            } else if i % 5 == 0 {
                text.push_str(" beta is far away from the word gamma in this one");
            }
            if i % 11 == 0 {
                text.push_str(" 1.0 2.0 3.0 4.0 5.0 6.0 7.0");
            }
            let d = PassageDoc {
                passage_id: i,
                paper_id: format!("p{}", i % 30),
                title: String::new(),
                version: format!("v{}", i % 30),
                page: 1,
                start: 0,
                end: text.chars().count() as u64,
                year: Some(2024),
                current: true,
                section: Section::Body,
                text,
            };
            index.add(&w, &d).unwrap();
        }
        index.commit(&mut w, &IndexState::default()).unwrap();
        index
    }

    fn run(index: &PassageIndex, q: &str, limit: usize, first_pass: bool) -> Top {
        let searcher = index.reader.searcher();
        let mut built = index.build(&parse(q).unwrap(), &SearchOptions::default(), false).unwrap();
        if !first_pass {
            built.candidates = None;
        }
        index.top(&searcher, &built, limit).unwrap()
    }

    #[test]
    fn reference_passages_rank_after_body_passages_and_are_still_found() {
        let index = PassageIndex::in_memory().unwrap();
        let mut w = index.writer().unwrap();
        // 300 reference entries that say "mixture experts" densely (a better BM25 score than
        // the body passages, and more than the first pass's window), and two body passages.
        let mut texts: Vec<(String, Section)> = (0..300)
            .map(|i| {
                (format!("A. Author{i}. Mixture experts mixture experts. arXiv preprint, 2024."), Section::References)
            })
            .collect();
        texts.push(("We route tokens to a mixture of experts; a long passage of running prose about routing, load balance and the shared experts that every token reaches.".into(), Section::Body));
        texts.push(("Fine-grained experts make a mixture more specialized, as the ablations of this section show at three scales of model and data.".into(), Section::Body));
        texts.push(("Z. Zed. Singular title words only here. 2020.".into(), Section::References));
        for (i, (text, section)) in texts.into_iter().enumerate() {
            let d = PassageDoc {
                passage_id: i as u64,
                paper_id: format!("p{}", i % 3),
                title: String::new(),
                version: format!("v{}", i % 3),
                page: 1,
                start: 0,
                end: text.chars().count() as u64,
                year: Some(2024),
                current: true,
                section,
                text,
            };
            index.add(&w, &d).unwrap();
        }
        index.commit(&mut w, &IndexState::default()).unwrap();
        let searcher = index.reader.searcher();
        let sections = |top: &Top| -> Vec<Section> {
            top.docs
                .iter()
                .map(|(_, a)| {
                    let d: TantivyDocument = searcher.doc(*a).unwrap();
                    crate::search::index::section_of_code(stored_u64(&d, index.fields.section))
                })
                .collect()
        };
        for first_pass in [true, false] {
            let top = run(&index, "mixture experts", 10, first_pass);
            let s = sections(&top);
            assert_eq!(&s[..2], [Section::Body, Section::Body], "first pass {first_pass}");
            assert!(s[2..].iter().all(|s| *s == Section::References));
            assert_eq!(top.total, 302);
        }
        let only = run(&index, "singular title", 10, true);
        assert_eq!(sections(&only), [Section::References]);
    }

    #[test]
    fn counting_stops_at_the_cap_and_says_so() {
        let index = index();
        let top = run(&index, "alpha", 10, true);
        assert_eq!((top.total, top.exact), (COUNT_CAP, false));
        let top = run(&index, "gamma", 10, true);
        let holding_gamma = (0..1500).filter(|i| i % 7 == 0 || i % 5 == 0).count();
        assert!(holding_gamma < COUNT_CAP);
        assert_eq!((top.total, top.exact), (holding_gamma, true));
    }

    #[test]
    fn the_two_passes_rank_as_the_whole_query_does() {
        let index = index();
        for q in ["alpha", "beta gamma", "\"of the\"", "alpha -beta", "gamma passage", "\"beta gamma\" alpha", "gam*"] {
            let fast = run(&index, q, 10, true);
            let full = run(&index, q, 10, false);
            let ids = |t: &Top| t.docs.iter().map(|d| d.1).collect::<Vec<_>>();
            assert_eq!(ids(&fast), ids(&full), "{q}");
            for (a, b) in fast.docs.iter().zip(&full.docs) {
                assert!((a.0 - b.0).abs() < 1e-4, "{q}: {} vs {}", a.0, b.0);
            }
            assert_eq!((fast.total, fast.exact), (full.total, full.exact), "{q}");
            assert!(!fast.docs.is_empty(), "{q} found nothing");
        }
        // Words typed together that stand together come first.
        let searcher = index.reader.searcher();
        let top = run(&index, "beta gamma", 10, true);
        for (_, addr) in top.docs {
            let d: TantivyDocument = searcher.doc(addr).unwrap();
            assert!(stored_str(&d, index.fields.text).contains("beta gamma"));
        }
    }
}
