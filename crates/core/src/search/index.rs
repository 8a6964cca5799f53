//! The tantivy index of passages, derived from SQLite and rebuildable from it.
//!
//! Three text fields: `text` (stemmed, for words; frequencies without positions) and `raw` (as
//! written, for phrases, prefixes and fuzzy matching, with positions), both over
//! [`PaperTokenizer`], and `pairs` (adjacent words of which one
//! is common, see [`crate::search::pairs`]), which narrows phrases of common words before their
//! positions are read. The commit payload records the database revision and the indexed
//! versions, so a lagging index is noticed and caught up.
//!
//! The schema is the index's version: an index whose schema differs (a field added, a
//! tokenizer renamed) is moved aside when opened and rebuilt from the database.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query as TQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::tokenizer::{Language, RawTokenizer, RemoveLongFilter, Stemmer, TextAnalyzer};
use tantivy::{doc, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::error::{Error, Result};
use crate::model::{SearchHit, SearchResults, Section};
use crate::search::pairs::{phrase_pairs, PairTokenizer, PAIR_TOKENIZER};
use crate::search::query::{Clause, Query};
use crate::search::snippet::{self, Matcher};
use crate::search::tokenizer::{chunks, PaperTokenizer};

pub use crate::search::ranked::{prose_quality, RankedPassage, WeightedTerm, COUNT_CAP};

const STEM_TOKENIZER: &str = "papertrail_stem";
/// The fast field holding a passage's [`Section`] (see [`section_code`]).
pub(crate) const SECTION_FIELD: &str = "section";
const RAW_TOKENIZER: &str = "papertrail_raw";

/// Memory budget of the index writer; kept small so an import stays well under 150 MB.
const WRITER_MEMORY: usize = 40_000_000;

/// One passage as indexed.
#[derive(Debug, Clone)]
pub struct PassageDoc {
    /// Row id of the passage in SQLite.
    pub passage_id: u64,
    /// Paper id.
    pub paper_id: String,
    /// Paper title.
    pub title: String,
    /// Version sha256.
    pub version: String,
    /// 1-based page.
    pub page: u32,
    /// Start offset (chars).
    pub start: u64,
    /// End offset (chars).
    pub end: u64,
    /// Year of the paper, if known.
    pub year: Option<i32>,
    /// Whether this is the newest version of its paper (searched by default).
    pub current: bool,
    /// Running text or reference list; reference passages rank after body passages.
    pub section: Section,
    /// The passage text.
    pub text: String,
}

/// What the index's last commit says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexState {
    /// The database revision the index was built from.
    pub revision: u64,
    /// The versions whose passages are in the index.
    pub versions: BTreeSet<String>,
    /// The versions indexed as the current (newest) version of their paper.
    #[serde(default)]
    pub current: BTreeSet<String>,
}

#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub(crate) passage_id: Field,
    pub(crate) paper_id: Field,
    pub(crate) title: Field,
    pub(crate) version: Field,
    pub(crate) page: Field,
    pub(crate) start: Field,
    pub(crate) end: Field,
    pub(crate) year: Field,
    pub(crate) current: Field,
    pub(crate) quality: Field,
    pub(crate) section: Field,
    pub(crate) text: Field,
    pub(crate) raw: Field,
    pub(crate) pairs: Field,
}

/// The passage index.
pub struct PassageIndex {
    index: Index,
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
    /// Whether phrases are narrowed by their common-word pairs (false only in tests that
    /// compare a phrase's hits with and without them).
    pub(crate) use_pairs: bool,
}

/// Search options.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchOptions {
    /// Only this paper.
    pub paper: Option<String>,
    /// Only papers of this year.
    pub year: Option<i32>,
    /// Maximum number of hits (default 20).
    pub limit: usize,
    /// Search every stored version, not only the newest of each paper.
    #[serde(default)]
    pub all_versions: bool,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let num = NumericOptions::default().set_stored().set_indexed().set_fast();
    let passage_id = b.add_u64_field("passage_id", num.clone());
    let paper_id = b.add_text_field("paper_id", STRING | STORED);
    let title = b.add_text_field("title", STORED);
    let version = b.add_text_field("version", STRING | STORED);
    let page = b.add_u64_field("page", NumericOptions::default().set_stored());
    let start = b.add_u64_field("start", NumericOptions::default().set_stored());
    let end = b.add_u64_field("end", NumericOptions::default().set_stored());
    let year = b.add_i64_field("year", num.clone());
    let current = b.add_u64_field("current", num);
    let quality = b.add_u64_field("quality", NumericOptions::default().set_fast());
    // 0 for body text, 1 for the reference list (see `section_code`).
    let section = b.add_u64_field(SECTION_FIELD, NumericOptions::default().set_fast().set_stored());
    // Stems are only ever looked up as terms (BM25); phrases and proximity are matched on
    // `raw`, so no positions are kept here: recording them was a share of an import's CPU.
    let text = b.add_text_field(
        "text",
        TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(STEM_TOKENIZER)
                    .set_index_option(IndexRecordOption::WithFreqs),
            )
            .set_stored(),
    );
    let raw = b.add_text_field(
        "raw",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(RAW_TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        ),
    );
    // A pair narrows a phrase and ranks its first pass (BM25 of the pair, which for a two-word
    // phrase is the phrase's own frequency, so tantivy prunes blocks as for any single term);
    // the phrase itself is matched and scored on `raw`.
    let pairs = b.add_text_field(
        "pairs",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_tokenizer(PAIR_TOKENIZER).set_index_option(IndexRecordOption::WithFreqs),
        ),
    );
    (
        b.build(),
        Fields {
            passage_id,
            paper_id,
            title,
            version,
            page,
            start,
            end,
            year,
            current,
            quality,
            section,
            text,
            raw,
            pairs,
        },
    )
}

fn stem_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(PaperTokenizer::default())
        .filter(RemoveLongFilter::limit(64))
        .filter(Stemmer::new(Language::English))
        .build()
}

impl PassageIndex {
    /// Opens the index in `dir`, creating it if needed.
    ///
    /// The index is derived data: one written by another version of Papertrail (a different
    /// schema) or damaged beyond opening is moved aside and started afresh, and the library's
    /// catch-up rebuilds it from the database.
    pub fn open(dir: &Path) -> Result<Self> {
        match Self::open_existing(dir) {
            Ok(index) => Ok(index),
            Err(first) => {
                let aside = dir.with_file_name(format!(
                    "index.unreadable-{}",
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.as_secs())
                        .unwrap_or(0)
                ));
                tracing::warn!("search index at {} cannot be opened ({first}); rebuilding it", dir.display());
                if std::fs::rename(dir, &aside).is_err() {
                    return Err(first);
                }
                let index = Self::open_existing(dir).map_err(|_| first)?;
                let _ = std::fs::remove_dir_all(&aside);
                Ok(index)
            }
        }
    }

    fn open_existing(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io("creating", dir, e))?;
        let (schema, fields) = schema();
        let directory = tantivy::directory::MmapDirectory::open(dir).map_err(|e| Error::Index(e.into()))?;
        let index = Index::open_or_create(directory, schema)?;
        Self::from_index(index, fields)
    }

    /// An index in memory (tests and benchmarks).
    pub fn in_memory() -> Result<Self> {
        let (schema, fields) = schema();
        Self::from_index(Index::create_in_ram(schema), fields)
    }

    fn from_index(index: Index, fields: Fields) -> Result<Self> {
        index.tokenizers().register(STEM_TOKENIZER, stem_analyzer());
        index.tokenizers().register(
            RAW_TOKENIZER,
            TextAnalyzer::builder(PaperTokenizer::default()).filter(RemoveLongFilter::limit(64)).build(),
        );
        index.tokenizers().register(PAIR_TOKENIZER, TextAnalyzer::from(PairTokenizer::default()));
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Self { index, reader, fields, use_pairs: true })
    }

    /// A writer. Fails with [`Error::Busy`]-worthy `LockBusy` when another process holds one.
    pub fn writer(&self) -> Result<IndexWriter> {
        Ok(self.index.writer_with_num_threads(1, WRITER_MEMORY)?)
    }

    /// A writer that indexes on two threads (the same memory budget, split), for imports: the
    /// last file's passages are indexed after its extraction, when nothing else is left to do,
    /// and two threads halve that wait. Each commit then makes up to two segments.
    pub fn import_writer(&self) -> Result<IndexWriter> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
        Ok(self.index.writer_with_num_threads(threads, WRITER_MEMORY)?)
    }

    /// Adds a passage.
    pub fn add(&self, writer: &IndexWriter, d: &PassageDoc) -> Result<()> {
        let f = &self.fields;
        let mut document = doc!(
            f.passage_id => d.passage_id,
            f.paper_id => d.paper_id.as_str(),
            f.title => d.title.as_str(),
            f.version => d.version.as_str(),
            f.page => u64::from(d.page),
            f.start => d.start,
            f.end => d.end,
            f.current => u64::from(d.current),
            f.quality => prose_quality(&d.text),
            f.section => section_code(d.section),
            f.text => d.text.as_str(),
            f.raw => d.text.as_str(),
            f.pairs => d.text.as_str(),
        );
        if let Some(y) = d.year {
            document.add_i64(f.year, i64::from(y));
        }
        writer.add_document(document)?;
        Ok(())
    }

    /// Deletes every passage of a version.
    pub fn delete_version(&self, writer: &IndexWriter, sha256: &str) {
        writer.delete_term(Term::from_field_text(self.fields.version, sha256));
    }

    /// Deletes every passage of a paper.
    pub fn delete_paper(&self, writer: &IndexWriter, paper_id: &str) {
        writer.delete_term(Term::from_field_text(self.fields.paper_id, paper_id));
    }

    /// Commits with the state the index now reflects, and reloads the reader.
    pub fn commit(&self, writer: &mut IndexWriter, state: &IndexState) -> Result<()> {
        let payload = serde_json::to_string(state)?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// The state recorded by the last commit (default for a new index).
    pub fn state(&self) -> Result<IndexState> {
        let metas = self.index.load_metas()?;
        Ok(metas.payload.and_then(|p| serde_json::from_str(&p).ok()).unwrap_or_default())
    }

    /// Reloads the reader to see other processes' commits.
    pub fn reload(&self) -> Result<()> {
        Ok(self.reader.reload()?)
    }

    /// Number of passages in the index.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The English stem of one lowercased word, as the `text` field indexes it.
    pub(crate) fn stem(&self, word: &str) -> String {
        thread_local! {
            // One analyzer per thread: building or cloning one per word was a measurable part
            // of a query's fixed cost.
            static STEMMER: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(
                TextAnalyzer::builder(RawTokenizer::default()).filter(Stemmer::new(Language::English)).build(),
            );
        }
        STEMMER.with(|cell| {
            let mut analyzer = cell.borrow_mut();
            let mut stream = analyzer.token_stream(word);
            let mut out = word.to_string();
            stream.process(&mut |t| out = t.text.clone());
            out
        })
    }

    /// Builds the tantivy query and the highlight matcher; `fuzzy` relaxes words.
    pub(crate) fn build(&self, q: &Query, opts: &SearchOptions, fuzzy: bool) -> Result<Built> {
        let f = &self.fields;
        let mut must: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        // Stems every match must hold (in the `text` field) that no phrase pair stands for: the
        // cheap first pass, with the pairs.
        let mut required: Vec<String> = Vec::new();
        // The common-word pairs of the query's phrases: a passage without one cannot match.
        let mut pairs: Vec<String> = Vec::new();
        let mut matcher = Matcher::default();
        let mut papers: Vec<String> = opts.paper.iter().cloned().collect();
        let mut years: Vec<i32> = opts.year.iter().copied().collect();
        let mut any_fuzzy = false;
        // Words typed next to each other score higher when they stand together in the text.
        let mut proximity: Vec<String> = Vec::new();
        for clause in &q.clauses {
            if let Clause::Word { text, prefix: false, negate: false } = clause {
                for chunk in chunks(text) {
                    proximity.extend(chunk.parts.iter().cloned());
                }
            }
        }
        let near: Option<Box<dyn TQuery>> = (!fuzzy && proximity.len() >= 2 && proximity.len() <= 8).then(|| {
            let terms: Vec<(usize, Term)> =
                proximity.iter().enumerate().map(|(i, p)| (i, Term::from_field_text(f.raw, p))).collect();
            Box::new(PhraseQuery::new_with_offset_and_slop(terms, 3)) as Box<dyn TQuery>
        });
        for clause in &q.clauses {
            match clause {
                Clause::Paper(p) => papers.push(p.clone()),
                Clause::Year(y) => years.push(*y),
                Clause::Word { text, prefix: true, negate } => {
                    let lower = text.to_lowercase();
                    let lower = lower.trim_matches(|c: char| !c.is_alphanumeric() && c != '$' && c != '%');
                    let pattern = format!("{}.*", regex_escape(lower));
                    let query = RegexQuery::from_pattern(&pattern, f.raw)?;
                    if !negate {
                        matcher.prefixes.push(lower.to_string());
                    }
                    must.push((occur(*negate), Box::new(query)));
                }
                Clause::Word { text, prefix: false, negate } => {
                    for chunk in chunks(text) {
                        let query: Box<dyn TQuery> = if fuzzy && !negate && self.misspelled(&chunk.whole)? {
                            // Only a word the library does not hold is relaxed: words that exist
                            // but never stand together are not a spelling problem.
                            any_fuzzy = true;
                            let whole = chunk.whole.clone();
                            let d = if whole.chars().count() <= 6 { 1 } else { 2 };
                            matcher.fuzzy.push((whole.clone(), d));
                            Box::new(FuzzyTermQuery::new(Term::from_field_text(f.raw, &whole), d, true))
                        } else {
                            if !negate {
                                required.extend(chunk.parts.iter().map(|p| self.stem(p)));
                            }
                            let stem = self.stem(&chunk.whole);
                            let whole_q: Box<dyn TQuery> = Box::new(TermQuery::new(
                                Term::from_field_text(f.text, &stem),
                                IndexRecordOption::WithFreqs,
                            ));
                            if !negate {
                                matcher.stems.push(stem);
                                matcher.raws.push(chunk.whole.clone());
                            }
                            if chunk.parts.len() > 1 {
                                let terms: Vec<(usize, Term)> = chunk
                                    .parts
                                    .iter()
                                    .enumerate()
                                    .map(|(i, p)| (i, Term::from_field_text(f.raw, p)))
                                    .collect();
                                Box::new(BooleanQuery::new(vec![
                                    (Occur::Should, whole_q),
                                    (Occur::Should, Box::new(PhraseQuery::new_with_offset(terms))),
                                ]))
                            } else {
                                whole_q
                            }
                        };
                        must.push((occur(*negate), query));
                    }
                }
                Clause::Phrase { text, negate } => {
                    let mut terms = Vec::new();
                    let mut words = Vec::new();
                    let mut pos = 0;
                    for chunk in chunks(text) {
                        for p in &chunk.parts {
                            terms.push((pos, Term::from_field_text(f.raw, p)));
                            words.push(p.clone());
                            if !negate {
                                matcher.raws.push(p.clone());
                            }
                            pos += 1;
                        }
                        if !negate {
                            matcher.raws.push(chunk.whole.clone());
                        }
                    }
                    let query: Box<dyn TQuery> = match terms.len() {
                        0 => continue,
                        1 => Box::new(TermQuery::new(terms.remove(0).1, IndexRecordOption::WithFreqs)),
                        _ => Box::new(PhraseQuery::new_with_offset(terms)),
                    };
                    must.push((occur(*negate), query));
                    if *negate {
                        continue;
                    }
                    // Every passage holding the phrase holds its common-word pairs: short
                    // posting lists that lead the intersection, so positions are read only
                    // where the phrase can stand. In the whole query they score nothing.
                    let mut covered = vec![false; words.len()];
                    if self.use_pairs {
                        for (i, pair) in phrase_pairs(&words) {
                            let q = TermQuery::new(Term::from_field_text(f.pairs, &pair), IndexRecordOption::Basic);
                            must.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(q), 0.0))));
                            pairs.push(pair);
                            covered[i] = true;
                            covered[i + 1] = true;
                        }
                    }
                    // A word a pair stands for needs no stem in the first pass.
                    required.extend(words.iter().zip(&covered).filter(|(_, c)| !**c).map(|(w, _)| self.stem(w)));
                }
            }
        }
        if !papers.is_empty() {
            let any: Vec<(Occur, Box<dyn TQuery>)> = papers
                .iter()
                .map(|p| {
                    let q: Box<dyn TQuery> =
                        Box::new(TermQuery::new(Term::from_field_text(f.paper_id, p), IndexRecordOption::Basic));
                    (Occur::Should, q)
                })
                .collect();
            must.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(any)), 0.0))));
        }
        if !years.is_empty() {
            let any: Vec<(Occur, Box<dyn TQuery>)> = years
                .iter()
                .map(|y| {
                    let q: Box<dyn TQuery> =
                        Box::new(TermQuery::new(Term::from_field_i64(f.year, i64::from(*y)), IndexRecordOption::Basic));
                    (Occur::Should, q)
                })
                .collect();
            must.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(any)), 0.0))));
        }
        if !opts.all_versions {
            let q = TermQuery::new(Term::from_field_u64(f.current, 1), IndexRecordOption::Basic);
            must.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(q), 0.0))));
        }
        if !must.iter().any(|(o, _)| *o == Occur::Must) {
            must.push((Occur::Must, Box::new(tantivy::query::AllQuery)));
        }
        let candidates = if fuzzy { None } else { self.candidates(required, pairs) };
        Ok(Built { query: Box::new(BooleanQuery::new(must)), near, matcher, any_fuzzy, candidates })
    }

    /// True for a word worth relaxing to close spellings: four letters or more, no digits, and
    /// in no passage, neither as written nor by its stem.
    fn misspelled(&self, word: &str) -> Result<bool> {
        if word.chars().count() < 4 || word.chars().any(|c| c.is_ascii_digit()) {
            return Ok(false);
        }
        let searcher = self.reader.searcher();
        Ok(searcher.doc_freq(&Term::from_field_text(self.fields.raw, word))? == 0
            && searcher.doc_freq(&Term::from_field_text(self.fields.text, &self.stem(word)))? == 0)
    }

    /// The first-pass query: every required stem and every phrase's common-word pairs, all
    /// BM25, so tantivy can skip blocks that cannot reach the top (block-max WAND): a window of
    /// the best passages that can hold the phrases, instead of the best passages holding their
    /// words, most of which do not when the words are common. A pair stands for its two words
    /// (their stems are not required again), so a two-word phrase of common words is one pair
    /// term, ranked by how often the phrase itself occurs. `None` when nothing is required.
    fn candidates(&self, mut stems: Vec<String>, mut pairs: Vec<String>) -> Option<Box<dyn TQuery>> {
        stems.sort();
        stems.dedup();
        pairs.sort();
        pairs.dedup();
        let term = |field, text: &String| -> Box<dyn TQuery> {
            Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs))
        };
        let mut terms: Vec<Box<dyn TQuery>> = stems.iter().map(|s| term(self.fields.text, s)).collect();
        terms.extend(pairs.iter().map(|p| term(self.fields.pairs, p)));
        match terms.len() {
            // Nothing required (a prefix alone): the whole query is the only pass.
            0 => None,
            // A lone term query prunes by itself; wrapped in a boolean query it would not.
            1 => terms.pop(),
            _ => Some(Box::new(BooleanQuery::new(terms.into_iter().map(|t| (Occur::Must, t)).collect()))),
        }
    }

    /// Runs a parsed query: exact first, then, when nothing matched, close spellings.
    pub fn search(&self, q: &Query, opts: &SearchOptions) -> Result<SearchResults> {
        let started = std::time::Instant::now();
        let limit = if opts.limit == 0 { 20 } else { opts.limit };
        let searcher = self.reader.searcher();
        let built = self.build(q, opts, false)?;
        let mut top = self.top(&searcher, &built, limit)?;
        let mut matcher = built.matcher;
        let mut fuzzy = false;
        if top.total == 0 && q.has_positive_text() {
            let relaxed = self.build(q, opts, true)?;
            if relaxed.any_fuzzy {
                let t = self.top(&searcher, &relaxed, limit)?;
                fuzzy = t.total > 0;
                top = t;
                matcher = relaxed.matcher;
            }
        }
        let f = &self.fields;
        let mut hits = Vec::with_capacity(top.docs.len());
        for (score, addr) in top.docs {
            let d: TantivyDocument = searcher.doc(addr)?;
            let (s, n) = (|field| stored_str(&d, field), |field| stored_u64(&d, field));
            let text = s(f.text);
            let (snippet, highlights) = snippet::make(&text, &matcher, &|w| self.stem(w));
            hits.push(SearchHit {
                paper_id: s(f.paper_id),
                title: s(f.title),
                version_sha256: s(f.version),
                page: n(f.page) as u32,
                start: n(f.start) as usize,
                end: n(f.end) as usize,
                score,
                snippet,
                highlights,
                text,
                section: section_of_code(n(f.section)),
                ocr: false,
                matched_by: Vec::new(),
            });
        }
        Ok(SearchResults {
            hits,
            total: top.total,
            total_exact: top.exact,
            fuzzy,
            elapsed_us: started.elapsed().as_micros() as u64,
        })
    }
}

/// A query ready to run.
pub(crate) struct Built {
    /// What must match: every clause and filter.
    pub(crate) query: Box<dyn TQuery>,
    /// The bonus for words typed together that stand within three words of each other.
    pub(crate) near: Option<Box<dyn TQuery>>,
    /// What to highlight.
    matcher: Matcher,
    /// Whether any word was relaxed to close spellings.
    any_fuzzy: bool,
    /// The first pass (see [`PassageIndex::candidates`]).
    pub(crate) candidates: Option<Box<dyn TQuery>>,
}

/// How a [`Section`] is stored in the index: 0 body, 1 references.
pub(crate) fn section_code(section: Section) -> u64 {
    match section {
        Section::Body => 0,
        Section::References => 1,
    }
}

/// The [`Section`] of a stored code (anything unknown is body).
pub(crate) fn section_of_code(code: u64) -> Section {
    if code == 1 {
        Section::References
    } else {
        Section::Body
    }
}

/// A stored text field of a document ("" when absent).
pub(crate) fn stored_str(d: &TantivyDocument, field: Field) -> String {
    d.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_string()
}

/// A stored u64 field of a document (0 when absent).
pub(crate) fn stored_u64(d: &TantivyDocument, field: Field) -> u64 {
    d.get_first(field).and_then(|v| v.as_u64()).unwrap_or_default()
}

fn occur(negate: bool) -> Occur {
    if negate {
        Occur::MustNot
    } else {
        Occur::Must
    }
}

fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~\"@<>".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
