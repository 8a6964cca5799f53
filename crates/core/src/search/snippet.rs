//! Snippets: a short window of a passage around the words a query matched, with the matched
//! ranges as character offsets (the UI marks them as text, never as HTML).

use crate::search::tokenizer::{chunk_around, make_chunk, runs, Chunk};

/// Snippet length to aim for, in characters.
pub const SNIPPET_CHARS: usize = 240;

/// What counts as a match when highlighting.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    /// Stems of query words.
    pub stems: Vec<String>,
    /// Query tokens as written (lowercased).
    pub raws: Vec<String>,
    /// Prefixes (`distil*`).
    pub prefixes: Vec<String>,
    /// Words matched with an edit distance.
    pub fuzzy: Vec<(String, u8)>,
}

impl Matcher {
    fn matches(&self, token: &str, stem: &dyn Fn(&str) -> String) -> bool {
        if self.raws.iter().any(|r| r == token) || self.prefixes.iter().any(|p| token.starts_with(p.as_str())) {
            return true;
        }
        // A stem is almost always a prefix of its word: test that cheaply before stemming.
        if self.stems.iter().any(|s| token.starts_with(s.as_str()) || s.starts_with(token)) {
            let st = stem(token);
            if self.stems.contains(&st) {
                return true;
            }
        }
        self.fuzzy.iter().any(|(w, d)| within(w, token, usize::from(*d)))
    }
}

impl Matcher {
    fn matches_chunk(&self, chunk: &Chunk, stem: &dyn Fn(&str) -> String) -> bool {
        self.matches(&chunk.whole, stem) || chunk.parts.len() > 1 && chunk.parts.iter().any(|p| self.matches(p, stem))
    }

    /// Strings every matching chunk holds (lowercased), when that can be said: a chunk matches
    /// only if it holds a query word as written, a prefix, or a stem (which starts its word).
    /// `None` for close spellings or for words that are not ASCII, whose case folding may
    /// change lengths.
    fn needles(&self) -> Option<Vec<&str>> {
        if !self.fuzzy.is_empty() {
            return None;
        }
        let all: Vec<&str> = self
            .raws
            .iter()
            .chain(&self.stems)
            .chain(&self.prefixes)
            .map(String::as_str)
            .filter(|n| !n.is_empty())
            .collect();
        all.iter().all(|n| n.is_ascii()).then_some(all)
    }
}

/// Byte ranges of the chunks of `text` that match, in order.
fn matching_ranges(text: &str, matcher: &Matcher, stem: &dyn Fn(&str) -> String) -> Vec<(usize, usize)> {
    let Some(needles) = matcher.needles() else {
        return every_matching_chunk(text, matcher, stem);
    };
    // Only chunks around an occurrence of a needle can match: find those, then cut and test
    // only them. ASCII lowercasing keeps byte offsets. A chunk matches by a part (or its whole)
    // that equals or starts with a needle, and a part starts where a letter or digit does not
    // come before it: an occurrence inside a word (`a` in `data`) is passed over uncut.
    let lower = text.to_ascii_lowercase();
    let mut seen = std::collections::BTreeSet::new();
    let mut ranges = Vec::new();
    for needle in needles {
        for (pos, _) in lower.match_indices(needle) {
            if lower[..pos].chars().next_back().is_some_and(char::is_alphanumeric) {
                continue;
            }
            let Some(chunk) = chunk_around(text, pos) else { continue };
            if seen.insert(chunk.from) && matcher.matches_chunk(&chunk, stem) {
                ranges.push((chunk.from, chunk.to));
            }
        }
    }
    ranges.sort_unstable();
    ranges
}

/// Byte ranges of the chunks of `text` that match, testing every chunk ([`chunks`] cut by
/// hand: a plain ASCII word, most of a text, is tested without building a [`Chunk`]).
fn every_matching_chunk(text: &str, matcher: &Matcher, stem: &dyn Fn(&str) -> String) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut word = String::new();
    for (start, end) in runs(text) {
        let run = &text[start..end];
        if run.bytes().all(|b| b.is_ascii_alphanumeric()) {
            // Its chunk: the word lowercased, whole and only part.
            word.clear();
            word.extend(run.bytes().map(|b| char::from(b.to_ascii_lowercase())));
            if matcher.matches(&word, stem) {
                ranges.push((start, end));
            }
        } else if let Some(chunk) = make_chunk(text, start, end) {
            if matcher.matches_chunk(&chunk, stem) {
                ranges.push((chunk.from, chunk.to));
            }
        }
    }
    ranges
}

/// Char positions of a text: free for ASCII text (a char is a byte), one table otherwise.
struct CharIndex<'a> {
    text: &'a str,
    /// Byte offset of every char and of the end, empty for ASCII text.
    bytes: Vec<usize>,
}

impl<'a> CharIndex<'a> {
    fn new(text: &'a str) -> Self {
        let bytes = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices().map(|(i, _)| i).chain([text.len()]).collect()
        };
        Self { text, bytes }
    }

    fn len(&self) -> usize {
        if self.bytes.is_empty() {
            self.text.len()
        } else {
            self.bytes.len() - 1
        }
    }

    /// Byte offset of char `i` (`len()` gives the end).
    fn byte(&self, i: usize) -> usize {
        if self.bytes.is_empty() {
            i
        } else {
            self.bytes[i]
        }
    }

    /// Char index of byte offset `b` (a char boundary).
    fn char(&self, b: usize) -> usize {
        if self.bytes.is_empty() {
            b
        } else {
            self.bytes.partition_point(|&x| x < b)
        }
    }

    fn is_space(&self, i: usize) -> bool {
        self.text[self.byte(i)..].chars().next().is_some_and(char::is_whitespace)
    }
}

/// Builds the snippet for `text`: returns it and the highlighted `[start, end)` char ranges.
pub fn make(text: &str, matcher: &Matcher, stem: &dyn Fn(&str) -> String) -> (String, Vec<[usize; 2]>) {
    // Byte ranges of matching chunks (or of their matching parts).
    let ranges = matching_ranges(text, matcher, stem);
    let chars = CharIndex::new(text);
    let total_chars = chars.len();
    let (win_start, win_end) = if total_chars <= SNIPPET_CHARS {
        (0, total_chars)
    } else {
        let first = ranges.first().map(|r| chars.char(r.0)).unwrap_or(0);
        let mut s = first.saturating_sub(60);
        if s + SNIPPET_CHARS > total_chars {
            s = total_chars - SNIPPET_CHARS;
        }
        (s, s + SNIPPET_CHARS)
    };
    // Snap the window to word boundaries.
    let mut s = win_start;
    while s > 0 && s < total_chars && !chars.is_space(s - 1) && win_start - s < 20 {
        s -= 1;
    }
    let mut e = win_end;
    while e < total_chars && !chars.is_space(e) && e - win_end < 20 {
        e += 1;
    }
    let lead = if s > 0 { "…" } else { "" };
    let mut snippet = String::with_capacity(chars.byte(e) - chars.byte(s) + 2 * lead.len());
    snippet.push_str(lead);
    snippet.push_str(&text[chars.byte(s)..chars.byte(e)]);
    if e < total_chars {
        snippet.push('…');
    }
    let shift = lead.chars().count();
    let highlights = ranges
        .into_iter()
        .map(|(a, b)| (chars.char(a), chars.char(b)))
        .filter(|(a, b)| *a >= s && *b <= e)
        .map(|(a, b)| [a - s + shift, b - s + shift])
        .collect();
    (snippet, highlights)
}

/// Whether `a` and `b` are at most `max` edits apart ([`levenshtein`]). Words whose lengths
/// differ by more than `max` are not: most words of a passage are ruled out by their length.
///
/// Computed on the stack, row by row, stopping as soon as a row holds nothing within `max`.
pub fn within(a: &str, b: &str, max: usize) -> bool {
    const N: usize = 64;
    if a.chars().count().abs_diff(b.chars().count()) > max {
        return false;
    }
    let (mut ac, mut bc) = (['\0'; N], ['\0'; N]);
    let (mut la, mut lb) = (0, 0);
    for (chars, len, word) in [(&mut ac, &mut la, a), (&mut bc, &mut lb, b)] {
        for c in word.chars() {
            if *len == N {
                return levenshtein(a, b) <= max;
            }
            chars[*len] = c;
            *len += 1;
        }
    }
    let mut prev = [0usize; N + 1];
    let mut cur = [0usize; N + 1];
    for (j, p) in prev.iter_mut().enumerate().take(lb + 1) {
        *p = j;
    }
    for i in 1..=la {
        cur[0] = i;
        let mut best = i;
        for j in 1..=lb {
            let cost = usize::from(ac[i - 1] != bc[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            best = best.min(cur[j]);
        }
        if best > max {
            return false;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[lb] <= max
}

/// Levenshtein distance in characters.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::tokenizer::chunks;

    #[test]
    fn highlights_slice_the_snippet_to_the_match() {
        let m = Matcher { raws: vec!["aha".into(), "moment".into()], ..Default::default() };
        let text = format!("{} an aha moment here {}", "word ".repeat(80), "tail ".repeat(80));
        let (snip, hl) = make(&text, &m, &|w| w.to_string());
        assert!(snip.starts_with('…') && snip.ends_with('…'));
        let marked: Vec<String> = hl.iter().map(|[a, b]| snip.chars().skip(*a).take(b - a).collect()).collect();
        assert_eq!(marked, ["aha", "moment"]);
    }

    #[test]
    fn the_needle_scan_finds_what_a_full_scan_finds() {
        let stem = |w: &str| {
            let s = w.trim_end_matches("ing").trim_end_matches('s');
            s.to_string()
        };
        let text = "Training DeepSeek-R1 costs $5.576M; trains, RETRAINING, 93.3% of H800s. Ölmodell träning";
        let matchers = [
            Matcher { stems: vec!["train".into()], raws: vec!["training".into()], ..Default::default() },
            Matcher { raws: vec!["r1".into(), "$5.576m".into(), "93.3%".into()], ..Default::default() },
            Matcher { prefixes: vec!["h80".into()], stems: vec!["cost".into()], ..Default::default() },
            Matcher { raws: vec!["ölmodell".into()], ..Default::default() },
        ];
        for m in &matchers {
            let full: Vec<(usize, usize)> =
                chunks(text).into_iter().filter(|c| m.matches_chunk(c, &stem)).map(|c| (c.from, c.to)).collect();
            assert!(!full.is_empty());
            assert_eq!(matching_ranges(text, m, &stem), full, "{m:?}");
        }
    }

    proptest::proptest! {
        /// Needles of one or two letters occur inside most words; passing over those
        /// occurrences must not lose a match (typing `a`, `d`, `mu` in the app's search). Close
        /// spellings test every chunk, cut by hand: the same chunks [`chunks`] cuts.
        #[test]
        fn the_needle_scan_finds_what_a_full_scan_finds_for_short_needles(
            words in proptest::collection::vec("[a-dA-D]{1,5}|[a-d]{1,3}-[A-D0-9]{1,2}|[0-9],[0-9]{3}|[àá]{1,2}b", 1..30),
            needles in proptest::collection::vec("[a-d]{1,2}", 1..3),
            kind in 0..5usize,
        ) {
            let text = words.join(" ");
            let stem = |w: &str| w.trim_end_matches('d').to_string();
            let m = match kind {
                0 => Matcher { raws: needles, ..Default::default() },
                1 => Matcher { prefixes: needles, ..Default::default() },
                // Close spellings: every chunk is tested, plain words without a `Chunk`.
                3 => Matcher { fuzzy: needles.into_iter().map(|n| (n, 1)).collect(), ..Default::default() },
                4 => Matcher { fuzzy: vec![("ab-c".into(), 2)], raws: needles, ..Default::default() },
                _ => Matcher { stems: needles, ..Default::default() },
            };
            let full: Vec<(usize, usize)> =
                chunks(&text).into_iter().filter(|c| m.matches_chunk(c, &stem)).map(|c| (c.from, c.to)).collect();
            proptest::prop_assert_eq!(matching_ranges(&text, &m, &stem), full);
        }

        #[test]
        fn within_agrees_with_the_distance(a in "[a-cé]{0,8}", b in "[a-cé]{0,8}", max in 0..3usize) {
            proptest::prop_assert_eq!(within(&a, &b, max), levenshtein(&a, &b) <= max);
        }
    }

    /// The snippet window worked out on a `Vec<char>`, the plain way.
    fn reference(text: &str, ranges: &[(usize, usize)]) -> (String, Vec<[usize; 2]>) {
        let chars: Vec<char> = text.chars().collect();
        let to_char = |b: usize| text[..b].chars().count();
        let n = chars.len();
        let (ws, we) = if n <= SNIPPET_CHARS {
            (0, n)
        } else {
            let s = ranges.first().map(|r| to_char(r.0)).unwrap_or(0).saturating_sub(60).min(n - SNIPPET_CHARS);
            (s, s + SNIPPET_CHARS)
        };
        let (mut s, mut e) = (ws, we);
        while s > 0 && s < n && !chars[s - 1].is_whitespace() && ws - s < 20 {
            s -= 1;
        }
        while e < n && !chars[e].is_whitespace() && e - we < 20 {
            e += 1;
        }
        let lead = usize::from(s > 0);
        let snippet: String = ["…".repeat(lead), chars[s..e].iter().collect(), "…".repeat(usize::from(e < n))].concat();
        let hl = ranges
            .iter()
            .map(|&(a, b)| (to_char(a), to_char(b)))
            .filter(|(a, b)| *a >= s && *b <= e)
            .map(|(a, b)| [a - s + lead, b - s + lead])
            .collect();
        (snippet, hl)
    }

    #[test]
    fn snippets_cut_and_mark_by_chars_in_any_script() {
        let m = Matcher { raws: vec!["été".into(), "moment".into(), "x".into()], ..Default::default() };
        let texts = [
            format!("{} un été — aha moment ici {}", "mot ".repeat(80), "fin ".repeat(80)),
            format!("{} an ete - aha moment here {}", "word ".repeat(80), "tail ".repeat(80)),
            format!("été {}", "παράδειγμα ".repeat(60)),
            format!("{}x", "ab".repeat(300)),
            "short été moment".to_string(),
            String::new(),
        ];
        for text in &texts {
            let ranges = matching_ranges(text, &m, &|w| w.to_string());
            assert_eq!(make(text, &m, &|w| w.to_string()), reference(text, &ranges), "{text}");
        }
        let (snip, hl) = make(&texts[0], &m, &|w| w.to_string());
        let marked: Vec<String> = hl.iter().map(|[a, b]| snip.chars().skip(*a).take(b - a).collect()).collect();
        assert_eq!(marked, ["été", "moment"]);
    }

    #[test]
    fn levenshtein_counts_edits() {
        assert_eq!(levenshtein("distilation", "distillation"), 1);
        assert_eq!(levenshtein("abc", "abc"), 0);
    }
}
