//! The tokenizer behind search: words, and numbers and units as written.
//!
//! A chunk of text such as `$5.576M`, `93.3%`, `2,048`, `R1-Zero` or `DeepSeek-R1` is kept
//! whole (lowercased) *and* split into its parts (`5.576m`; `93.3`; `2,048` and `2048`; `r1`,
//! `zero`), so `DeepSeek` finds `DeepSeek-R1`, `93.3%` finds itself, and phrases keep their
//! positions. The whole chunk sits at the position of its first part.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// One chunk of text with its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// The whole chunk, lowercased (e.g. `$5.576m`).
    pub whole: String,
    /// Its parts in order (e.g. `["deepseek", "r1"]`); equal to `[whole]` for simple words.
    pub parts: Vec<String>,
    /// Byte offset of the chunk in the text.
    pub from: usize,
    /// Byte offset of the chunk's end.
    pub to: usize,
}

fn is_joiner(c: char) -> bool {
    matches!(c, '.' | ',' | '-' | '$' | '%' | '/' | '+' | '_' | '€' | '£' | '×')
}

/// Whether `c` belongs in a chunk: letters, digits and joiners.
fn in_chunk(c: char) -> bool {
    c.is_alphanumeric() || is_joiner(c)
}

/// Byte ranges of the maximal runs of chunk characters, in order.
pub(crate) fn runs(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut iter = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while iter.next_if(|&(_, c)| !in_chunk(c)).is_some() {}
        let &(start, _) = iter.peek()?;
        let mut end = start;
        while let Some((i, c)) = iter.next_if(|&(_, c)| in_chunk(c)) {
            end = i + c.len_utf8();
        }
        Some((start, end))
    })
}

/// Splits text into chunks. Joiners (`. , - $ % / +`) bind characters into one chunk;
/// anything else separates.
pub fn chunks(text: &str) -> Vec<Chunk> {
    runs(text).filter_map(|(start, end)| make_chunk(text, start, end)).collect()
}

/// The chunk of text around byte `pos`, as [`chunks`] would cut it; `None` when `pos` is not
/// inside one (or not on a character boundary).
pub fn chunk_around(text: &str, pos: usize) -> Option<Chunk> {
    if !text.is_char_boundary(pos) {
        return None;
    }
    if !text[pos..].chars().next().is_some_and(in_chunk) {
        return None;
    }
    let start = text[..pos].char_indices().rev().take_while(|&(_, c)| in_chunk(c)).last().map_or(pos, |(i, _)| i);
    let end = text[pos..].char_indices().find(|&(_, c)| !in_chunk(c)).map_or(text.len(), |(i, _)| pos + i);
    if start == end {
        return None;
    }
    make_chunk(text, start, end)
}

/// The chunk of the run `text[start..end]` (see [`runs`]), trimmed of joiners at its ends.
pub(crate) fn make_chunk(text: &str, start: usize, end: usize) -> Option<Chunk> {
    let raw = &text[start..end];
    // Trim leading joiners, but keep a currency sign before a digit.
    let mut s = raw;
    loop {
        let mut cs = s.chars();
        match cs.next() {
            Some(c) if matches!(c, '$' | '€' | '£') && cs.next().is_some_and(|d| d.is_ascii_digit()) => break,
            Some(c) if is_joiner(c) => s = &s[c.len_utf8()..],
            _ => break,
        }
    }
    // Trim trailing joiners, but keep a percent sign after a digit.
    loop {
        let mut cs = s.chars().rev();
        match cs.next() {
            Some('%') if cs.next().is_some_and(|d| d.is_ascii_digit()) => break,
            Some(c) if is_joiner(c) => s = &s[..s.len() - c.len_utf8()],
            _ => break,
        }
    }
    if s.is_empty() || !s.chars().any(char::is_alphanumeric) {
        return None;
    }
    let from = start + (s.as_ptr() as usize - raw.as_ptr() as usize);
    let to = from + s.len();
    let whole = s.to_lowercase();
    let parts = split_parts(&whole);
    Some(Chunk { whole, parts, from, to })
}

/// Splits a lowercased chunk at joiners, except `.` and `,` between digits.
fn split_parts(whole: &str) -> Vec<String> {
    let chars: Vec<char> = whole.chars().collect();
    let mut parts = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let numeric_sep = matches!(c, '.' | ',')
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit());
        if c.is_alphanumeric() || numeric_sep {
            cur.push(c);
        } else if !cur.is_empty() {
            parts.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    parts
}

/// The tokens of a chunk in index order: `(position offset, text)`.
pub fn chunk_tokens(chunk: &Chunk) -> Vec<(usize, String)> {
    let mut out = Vec::with_capacity(chunk.parts.len() + 2);
    if chunk.parts.len() != 1 || chunk.parts[0] != chunk.whole {
        out.push((0, chunk.whole.clone()));
    }
    for (i, p) in chunk.parts.iter().enumerate() {
        out.push((i, p.clone()));
        if p.contains(',') {
            out.push((i, p.replace(',', "")));
        }
    }
    out
}

/// Width of a chunk in positions.
pub fn chunk_width(chunk: &Chunk) -> usize {
    chunk.parts.len().max(1)
}

/// Tantivy tokenizer over [`chunks`].
///
/// Indexing runs it over every passage twice (stemmed and as written), so it avoids the
/// allocations of [`chunks`] for the common case, a plain word of ASCII letters and digits,
/// and reuses its tokens' buffers from one passage to the next.
#[derive(Debug, Clone, Default)]
pub struct PaperTokenizer {
    tokens: Vec<Token>,
    len: usize,
}

impl PaperTokenizer {
    /// Appends a token, reusing a buffer left from an earlier text.
    fn push(&mut self, from: usize, to: usize, position: usize, text: &str, lowercase: bool) {
        if self.len == self.tokens.len() {
            self.tokens.push(Token::default());
        }
        let t = &mut self.tokens[self.len];
        t.offset_from = from;
        t.offset_to = to;
        t.position = position;
        t.position_length = 1;
        t.text.clear();
        if lowercase {
            t.text.extend(text.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            t.text.push_str(text);
        }
        self.len += 1;
    }

    /// The tokens of `text`, in order of position (what [`Tokenizer::token_stream`] streams).
    pub(crate) fn tokens(&mut self, text: &str) -> &[Token] {
        self.fill(text);
        &self.tokens[..self.len]
    }

    fn fill(&mut self, text: &str) {
        self.len = 0;
        let mut position = 0usize;
        for (start, end) in runs(text) {
            let run = &text[start..end];
            if run.bytes().all(|b| b.is_ascii_alphanumeric()) {
                // A plain word: one token, itself lowercased (what `chunk_tokens` gives).
                if run.len() <= 64 {
                    self.push(start, end, position, run, true);
                }
                position += 1;
                continue;
            }
            let Some(chunk) = make_chunk(text, start, end) else { continue };
            for (off, t) in chunk_tokens(&chunk) {
                if t.len() <= 64 {
                    self.push(chunk.from, chunk.to, position + off, &t, false);
                }
            }
            position += chunk_width(&chunk);
        }
    }
}

/// Token stream of [`PaperTokenizer`] (and of the pairs tokenizer): a walk over tokens made
/// beforehand.
pub struct PaperTokenStream<'a> {
    tokens: &'a mut [Token],
    index: usize,
}

impl<'a> PaperTokenStream<'a> {
    /// A stream over `tokens`, in order.
    pub(crate) fn new(tokens: &'a mut [Token]) -> Self {
        PaperTokenStream { tokens, index: 0 }
    }
}

impl Tokenizer for PaperTokenizer {
    type TokenStream<'a> = PaperTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PaperTokenStream<'a> {
        self.fill(text);
        PaperTokenStream::new(&mut self.tokens[..self.len])
    }
}

impl TokenStream for PaperTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.index < self.tokens.len() {
            self.index += 1;
            true
        } else {
            false
        }
    }
    fn token(&self) -> &Token {
        &self.tokens[self.index - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wholes(text: &str) -> Vec<String> {
        chunks(text).into_iter().map(|c| c.whole).collect()
    }

    #[test]
    fn numbers_and_units_stay_whole() {
        assert_eq!(
            wholes("costs ($5.576M), or 2.788M GPU-hours; 93.3%."),
            ["costs", "$5.576m", "or", "2.788m", "gpu-hours", "93.3%"]
        );
        assert_eq!(wholes("H800 and R1-Zero and DeepSeek-R1."), ["h800", "and", "r1-zero", "and", "deepseek-r1"]);
    }

    #[test]
    fn chunk_around_cuts_as_chunks_does() {
        let text = "costs ($5.576M), or DeepSeek-R1; 93.3%. é";
        for chunk in chunks(text) {
            for pos in chunk.from..chunk.to {
                if text.is_char_boundary(pos) {
                    assert_eq!(chunk_around(text, pos).as_ref(), Some(&chunk), "at byte {pos}");
                }
            }
        }
        assert_eq!(chunk_around(text, 5), None);
    }

    #[test]
    fn parts_split_at_joiners_but_not_inside_numbers() {
        let c = &chunks("DeepSeek-R1")[0];
        assert_eq!(c.parts, ["deepseek", "r1"]);
        let c = &chunks("$5.576M")[0];
        assert_eq!(c.parts, ["5.576m"]);
        let c = &chunks("2,048")[0];
        let toks: Vec<String> = chunk_tokens(c).into_iter().map(|t| t.1).collect();
        assert_eq!(toks, ["2,048", "2048"]);
    }

    /// The tokens [`chunks`] and [`chunk_tokens`] define, built the plain way.
    fn reference(text: &str) -> Vec<(usize, usize, usize, String)> {
        let mut out = Vec::new();
        let mut position = 0;
        for chunk in chunks(text) {
            for (off, t) in chunk_tokens(&chunk) {
                if t.len() <= 64 {
                    out.push((chunk.from, chunk.to, position + off, t));
                }
            }
            position += chunk_width(&chunk);
        }
        out
    }

    fn tokens(tok: &mut PaperTokenizer, text: &str) -> Vec<(usize, usize, usize, String)> {
        let mut stream = tok.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.offset_from, t.offset_to, t.position, t.text.clone()));
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn the_tokenizer_gives_the_tokens_chunks_define(
            words in proptest::collection::vec("[a-zA-Z0-9]{1,8}|[A-Z][a-z]+-R[0-9]|\\$[0-9]{1,2}\\.[0-9]{3}M|[0-9]{1,2}\\.[0-9]%|2,048|[éÉßİ東京]{1,3}|[.,;:()\\-]{1,2}|x{70}", 0..40),
            seps in proptest::collection::vec(" |\n|, |-|—", 0..40),
        ) {
            let text: String = words.iter().zip(seps.iter().chain(std::iter::repeat(&" ".to_string()))).map(|(w, s)| format!("{w}{s}")).collect();
            let mut tok = PaperTokenizer::default();
            // Twice: the second run reuses the first one's buffers.
            proptest::prop_assert_eq!(tokens(&mut tok, "A longer text, first: with $5.576M and DeepSeek-R1."), reference("A longer text, first: with $5.576M and DeepSeek-R1."));
            proptest::prop_assert_eq!(tokens(&mut tok, &text), reference(&text));
        }
    }

    #[test]
    fn positions_advance_by_parts() {
        let mut tok = PaperTokenizer::default();
        let mut stream = tok.token_stream("the DeepSeek-R1 model");
        let mut seen = Vec::new();
        while stream.advance() {
            let t = stream.token();
            seen.push((t.position, t.text.clone()));
        }
        assert_eq!(
            seen,
            [
                (0, "the".into()),
                (1, "deepseek-r1".into()),
                (1, "deepseek".into()),
                (2, "r1".into()),
                (3, "model".into())
            ]
        );
    }
}
