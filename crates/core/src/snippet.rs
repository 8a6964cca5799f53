//! Snippets: a short window of a passage around the words a query matched, with the matched
//! ranges as character offsets (the UI marks them as text, never as HTML).

use crate::tokenizer::{chunk_around, chunks, Chunk};

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
        self.fuzzy.iter().any(|(w, d)| levenshtein(w, token) <= usize::from(*d))
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
        return chunks(text).into_iter().filter(|c| matcher.matches_chunk(c, stem)).map(|c| (c.from, c.to)).collect();
    };
    // Only chunks around an occurrence of a needle can match: find those, then cut and test
    // only them. ASCII lowercasing keeps byte offsets.
    let lower = text.to_ascii_lowercase();
    let mut seen = std::collections::BTreeSet::new();
    let mut ranges = Vec::new();
    for needle in needles {
        for (pos, _) in lower.match_indices(needle) {
            let Some(chunk) = chunk_around(text, pos) else { continue };
            if seen.insert(chunk.from) && matcher.matches_chunk(&chunk, stem) {
                ranges.push((chunk.from, chunk.to));
            }
        }
    }
    ranges.sort_unstable();
    ranges
}

/// Builds the snippet for `text`: returns it and the highlighted `[start, end)` char ranges.
pub fn make(text: &str, matcher: &Matcher, stem: &dyn Fn(&str) -> String) -> (String, Vec<[usize; 2]>) {
    // Byte ranges of matching chunks (or of their matching parts).
    let ranges = matching_ranges(text, matcher, stem);
    let total_chars = text.chars().count();
    // Char index of each byte boundary we need.
    let to_char = |b: usize| text[..b].chars().count();
    let (win_start, win_end) = if total_chars <= SNIPPET_CHARS {
        (0, total_chars)
    } else {
        let first = ranges.first().map(|r| to_char(r.0)).unwrap_or(0);
        let mut s = first.saturating_sub(60);
        if s + SNIPPET_CHARS > total_chars {
            s = total_chars - SNIPPET_CHARS;
        }
        (s, s + SNIPPET_CHARS)
    };
    // Snap the window to word boundaries.
    let chars: Vec<char> = text.chars().collect();
    let mut s = win_start;
    while s > 0 && s < chars.len() && !chars[s - 1].is_whitespace() && win_start - s < 20 {
        s -= 1;
    }
    let mut e = win_end;
    while e < chars.len() && !chars[e].is_whitespace() && e - win_end < 20 {
        e += 1;
    }
    let mut snippet = String::new();
    let lead = if s > 0 { "…" } else { "" };
    snippet.push_str(lead);
    snippet.extend(&chars[s..e]);
    if e < chars.len() {
        snippet.push('…');
    }
    let shift = lead.chars().count();
    let highlights = ranges
        .into_iter()
        .map(|(a, b)| (to_char(a), to_char(b)))
        .filter(|(a, b)| *a >= s && *b <= e)
        .map(|(a, b)| [a - s + shift, b - s + shift])
        .collect();
    (snippet, highlights)
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

    #[test]
    fn levenshtein_counts_edits() {
        assert_eq!(levenshtein("distilation", "distillation"), 1);
        assert_eq!(levenshtein("abc", "abc"), 0);
    }
}
