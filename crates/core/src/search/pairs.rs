//! Common-word pairs ("commongrams"): the index's `pairs` field holds every two adjacent
//! tokens of which at least one is a common word, so a phrase such as `"models using the"`
//! is narrowed to the passages holding `models using` and `using the`, two short posting
//! lists, before any position is read.
//!
//! A pair is only ever a necessary condition: the phrase itself is still matched on `raw`
//! with positions, so a phrase finds exactly what it found without pairs, faster. For that
//! every adjacent pair a phrase can match must be in the index: [`PairTokenizer`] pairs
//! every token at one position with every token at the next (a chunk's whole form and its
//! parts, `2,048` and `2048`), exactly as [`PaperTokenizer`] lays them out for `raw`.
//!
//! The common words are part of the index's schema (the tokenizer's name carries
//! `PAIR_TOKENIZER`'s version): changing `COMMON` must change that name, so indexes built
//! with another list are rebuilt instead of silently missing pairs.

use tantivy::tokenizer::{Token, Tokenizer};

use crate::search::tokenizer::{PaperTokenStream, PaperTokenizer};

/// The name the `pairs` field's tokenizer is registered under. Bump its version whenever
/// [`COMMON`] or the pairing changes: the schema then differs and old indexes are rebuilt.
pub(crate) const PAIR_TOKENIZER: &str = "papertrail_pairs_v1";

/// English function words and the words papers use as such (sorted, for binary search).
/// Phrases are made of these far more often than of anything else, and their posting lists
/// are the longest in the index.
const COMMON: &[&str] = &[
    "a", "about", "after", "al", "all", "also", "an", "and", "any", "are", "as", "at", "be", "because", "been",
    "before", "being", "between", "both", "but", "by", "can", "could", "did", "do", "does", "during", "each", "et",
    "for", "from", "had", "has", "have", "how", "however", "i", "if", "in", "into", "is", "it", "its", "may", "more",
    "most", "much", "must", "no", "not", "of", "on", "one", "only", "or", "other", "our", "out", "over", "per", "same",
    "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "those", "through", "thus", "to", "two", "under", "up", "upon", "us", "use", "used", "using", "via", "was", "we",
    "well", "were", "what", "when", "where", "whether", "which", "while", "who", "will", "with", "within", "without",
    "would",
];

/// Whether a token (lowercased, as indexed) is a common word.
pub fn is_common(token: &str) -> bool {
    COMMON.binary_search(&token).is_ok()
}

/// The indexed form of two adjacent tokens (a space never occurs inside a token).
pub fn pair_term(first: &str, second: &str) -> String {
    let mut out = String::with_capacity(first.len() + 1 + second.len());
    out.push_str(first);
    out.push(' ');
    out.push_str(second);
    out
}

/// The pairs a phrase of consecutive tokens must hold, each with the position of its first
/// word: `[a, b, c]` gives `(0, a b)` and `(1, b c)` where either word is common. Every
/// passage matching the phrase holds all of them.
pub fn phrase_pairs(tokens: &[String]) -> Vec<(usize, String)> {
    tokens
        .windows(2)
        .enumerate()
        .filter(|(_, w)| is_common(&w[0]) || is_common(&w[1]))
        .map(|(i, w)| (i, pair_term(&w[0], &w[1])))
        .collect()
}

/// Tantivy tokenizer of the `pairs` field: the tokens of [`PaperTokenizer`] paired with the
/// tokens at the next position, where either is common.
#[derive(Debug, Clone, Default)]
pub struct PairTokenizer {
    words: PaperTokenizer,
    pairs: Vec<Token>,
    len: usize,
}

impl PairTokenizer {
    /// Appends a pair, reusing a buffer left from an earlier text.
    fn push(&mut self, first: &Token, second: &Token) {
        if self.len == self.pairs.len() {
            self.pairs.push(Token::default());
        }
        let t = &mut self.pairs[self.len];
        t.offset_from = first.offset_from;
        t.offset_to = second.offset_to;
        t.position = first.position;
        t.position_length = 2;
        t.text.clear();
        t.text.push_str(&first.text);
        t.text.push(' ');
        t.text.push_str(&second.text);
        self.len += 1;
    }
}

impl Tokenizer for PairTokenizer {
    type TokenStream<'a> = PaperTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PaperTokenStream<'a> {
        self.len = 0;
        // The word tokens live in `self.words`; take them out while pairs are pushed.
        let mut words = std::mem::take(&mut self.words);
        {
            let tokens = words.tokens(text);
            // Tokens come in order of position; [prev, cur) and [cur, next) are the runs of
            // two successive positions.
            let mut prev = 0;
            let mut cur = 0;
            while cur < tokens.len() {
                let position = tokens[cur].position;
                let next = cur + tokens[cur..].iter().take_while(|t| t.position == position).count();
                if cur > prev && tokens[prev].position + 1 == position {
                    for a in &tokens[prev..cur] {
                        let common = is_common(&a.text);
                        for b in &tokens[cur..next] {
                            if common || is_common(&b.text) {
                                self.push(a, b);
                            }
                        }
                    }
                }
                prev = cur;
                cur = next;
            }
        }
        self.words = words;
        PaperTokenStream::new(&mut self.pairs[..self.len])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::passage::split_passages;
    use crate::model::Section;
    use crate::search::index::{IndexState, PassageDoc, PassageIndex, SearchOptions};
    use crate::search::query::parse;
    use crate::search::ranked::COUNT_CAP;
    use tantivy::tokenizer::TokenStream;
    use tantivy::TantivyDocument;

    /// Pages of prose thick with common words, cut into passages as imports cut them, so
    /// phrases stand inside passages and across their boundaries.
    fn pages() -> Vec<String> {
        let words = [
            "of",
            "the",
            "models",
            "using",
            "model",
            "in",
            "a",
            "to",
            "and",
            "with",
            "data",
            "training",
            "is",
            "on",
            "these",
            "experts",
            "result",
            "for",
            "DeepSeek-R1",
            "2,048",
            "93.3%",
            "et",
            "al.",
            "this",
            "process",
        ];
        let mut seed = 7u64;
        let mut next = move |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        (0..12)
            .map(|_| {
                let mut page = String::new();
                for _ in 0..40 {
                    let sentence: Vec<&str> = (0..6 + next(14)).map(|_| words[next(words.len())]).collect();
                    page.push_str(&sentence.join(" "));
                    page.push_str(if next(4) == 0 { ".\n\n" } else { ". " });
                }
                page
            })
            .collect()
    }

    /// The index of those passages, and each passage's text by passage id.
    fn index() -> (PassageIndex, Vec<String>) {
        let index = PassageIndex::in_memory().unwrap();
        let mut w = index.writer().unwrap();
        let mut texts = Vec::new();
        for (p, page) in pages().iter().enumerate() {
            for passage in split_passages(page) {
                let d = PassageDoc {
                    passage_id: texts.len() as u64,
                    paper_id: format!("p{}", p % 3),
                    title: String::new(),
                    version: format!("v{}", p % 3),
                    page: p as u32 + 1,
                    start: passage.start as u64,
                    end: passage.end as u64,
                    year: Some(2024),
                    current: true,
                    section: Section::Body,
                    text: passage.text.clone(),
                };
                index.add(&w, &d).unwrap();
                texts.push(passage.text);
            }
        }
        index.commit(&mut w, &IndexState::default()).unwrap();
        (index, texts)
    }

    /// The passages a phrase query finds (every match, best first) and its count.
    fn hits(index: &PassageIndex, q: &str, first_pass: bool) -> (Vec<(u64, f32)>, usize) {
        let searcher = index.reader.searcher();
        let mut built = index.build(&parse(q).unwrap(), &SearchOptions::default(), false).unwrap();
        if !first_pass {
            built.candidates = None;
        }
        let top = index.top(&searcher, &built, COUNT_CAP).unwrap();
        let ids = top
            .docs
            .iter()
            .map(|(score, addr)| {
                let d: TantivyDocument = searcher.doc(*addr).unwrap();
                (crate::search::index::stored_u64(&d, index.fields.passage_id), *score)
            })
            .collect();
        (ids, top.total)
    }

    /// Whether the passage holds the words at consecutive positions, as `raw` indexes them.
    fn holds(text: &str, phrase: &[String]) -> bool {
        let mut tok = PaperTokenizer::default();
        let tokens: Vec<(usize, String)> = tok.tokens(text).iter().map(|t| (t.position, t.text.clone())).collect();
        tokens.iter().any(|(start, _)| {
            phrase.iter().enumerate().all(|(i, w)| tokens.iter().any(|(p, t)| *p == start + i && t == w))
        })
    }

    #[test]
    fn a_phrase_of_common_words_finds_the_same_passages_through_pairs() {
        let (mut index, texts) = index();
        let mut phrases: Vec<String> = [
            "of the",
            "the models using",
            "models using the",
            "et al",
            "in a",
            "of 2,048",
            "the DeepSeek-R1 model",
            "93.3% of the",
            "to and",
            "experts on these",
            "process this",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Phrases across the boundary of two passages of a page: the last two words of one and
        // the first two of the next.
        let mut across = 0;
        for w in texts.windows(2).take(30) {
            let a: Vec<&str> = w[0].split_whitespace().rev().take(2).collect::<Vec<_>>().into_iter().rev().collect();
            let b: Vec<&str> = w[1].split_whitespace().take(2).collect();
            phrases.push(format!("{} {}", a[1], b[0]));
            phrases.push(format!("{} {} {} {}", a[0], a[1], b[0], b[1]));
            across += 1;
        }
        assert!(across >= 20, "the pages cut into too few passages");
        let mut found = 0;
        for phrase in &phrases {
            let q = format!("\"{}\"", phrase.replace('"', ""));
            let words: Vec<String> =
                crate::search::tokenizer::chunks(phrase).into_iter().flat_map(|c| c.parts).collect();
            let expected = texts.iter().filter(|t| holds(t, &words)).count();
            for first_pass in [true, false] {
                index.use_pairs = true;
                let with = hits(&index, &q, first_pass);
                index.use_pairs = false;
                let without = hits(&index, &q, first_pass);
                assert_eq!(with, without, "{q} (first pass {first_pass})");
                assert_eq!(with.1, expected.min(COUNT_CAP), "{q}: every passage holding the phrase, no other");
            }
            found += usize::from(expected > 0);
        }
        // Most phrases are found: the test is not about empty answers. A phrase taken across a
        // boundary is found only in passages that hold it whole (`expected` above).
        assert!(found * 2 > phrases.len(), "only {found} of {} phrases found", phrases.len());
    }

    #[test]
    fn the_first_pass_looks_only_at_passages_that_can_hold_the_phrase() {
        let (index, texts) = index();
        let searcher = index.reader.searcher();
        let built = index.build(&parse("\"of the\"").unwrap(), &SearchOptions::default(), false).unwrap();
        let first = built.candidates.expect("a first pass");
        let looked_at = searcher.search(first.as_ref(), &tantivy::collector::Count).unwrap();
        let words = ["of".to_string(), "the".to_string()];
        let holding = texts.iter().filter(|t| holds(t, &words)).count();
        let with_both_words = texts
            .iter()
            .filter(|t| {
                let tokens: Vec<String> = PaperTokenizer::default().tokens(t).iter().map(|t| t.text.clone()).collect();
                words.iter().all(|w| tokens.contains(w))
            })
            .count();
        assert!(holding > 0 && holding < with_both_words, "{holding} of {with_both_words}: not a test of narrowing");
        assert_eq!(looked_at, holding, "a two-word phrase's pair is the phrase");
        // And a lone term: ranked by the pair's BM25, it skips blocks as a single word does.
        assert!(first.downcast_ref::<tantivy::query::TermQuery>().is_some());
    }

    fn pairs(text: &str) -> Vec<String> {
        let mut tok = PairTokenizer::default();
        let mut stream = tok.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn the_common_words_are_sorted_lowercase_and_unique() {
        assert!(COMMON.windows(2).all(|w| w[0] < w[1]), "COMMON must stay sorted for binary search");
        assert!(COMMON.iter().all(|w| w.chars().all(|c| c.is_ascii_lowercase())));
    }

    #[test]
    fn pairs_hold_a_common_word_and_cross_punctuation_as_phrases_do() {
        assert_eq!(
            pairs("The models, using the data of it."),
            ["the models", "models using", "using the", "the data", "data of", "of it"]
        );
        assert_eq!(pairs("mixture experts"), Vec::<String>::new());
    }

    #[test]
    fn every_token_at_a_position_pairs_with_every_token_at_the_next() {
        // `deepseek-r1` and `deepseek` stand at one position, `r1` at the next.
        assert_eq!(
            pairs("the DeepSeek-R1 of 2,048"),
            ["the deepseek-r1", "the deepseek", "r1 of", "of 2,048", "of 2048"]
        );
    }

    #[test]
    fn a_phrase_needs_its_adjacent_pairs_with_a_common_word() {
        let t = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        let terms = |s: &str| phrase_pairs(&t(s)).into_iter().map(|(_, p)| p).collect::<Vec<_>>();
        assert_eq!(terms("models using the"), ["models using", "using the"]);
        assert_eq!(terms("of the"), ["of the"]);
        assert_eq!(phrase_pairs(&t("mixture of experts today")), [(0, "mixture of".into()), (1, "of experts".into())]);
        assert!(phrase_pairs(&t("mixture of experts")).len() == 2);
        assert!(phrase_pairs(&t("mixture experts")).is_empty());
    }
}
