//! Anchoring quotes in page text, the way a W3C Web Annotation's TextQuoteSelector does:
//! an exact quote with about 32 characters of prefix and suffix, character offsets as a hint.
//!
//! Re-anchoring finds the quote again in changed text: exact occurrences first (the one whose
//! context and position fit best), then an approximate match (Sellers' edit-distance search)
//! scored by similarity, nearest page first. What cannot be found is reported, never guessed.

use crate::ingest::passage::char_slice;

/// Characters of context kept on each side of a quote.
pub const CONTEXT_CHARS: usize = 32;

/// Lowest similarity (1 − edits / quote length) accepted for a fuzzy re-anchor.
pub const MIN_FUZZY_SCORE: f64 = 0.8;

/// The prefix and suffix (up to [`CONTEXT_CHARS`] each) around `start..end` of `page`.
pub fn context(page: &str, start: usize, end: usize) -> (String, String) {
    let n = page.chars().count();
    let prefix = char_slice(page, start.saturating_sub(CONTEXT_CHARS), start.min(n)).to_string();
    let suffix = char_slice(page, end.min(n), (end + CONTEXT_CHARS).min(n)).to_string();
    (prefix, suffix)
}

/// A quote anchored in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// 1-based page.
    pub page: u32,
    /// The exact quote.
    pub exact: String,
    /// Up to 32 characters before it.
    pub prefix: String,
    /// Up to 32 characters after it.
    pub suffix: String,
    /// Start offset hint (chars).
    pub start: usize,
    /// End offset hint (chars).
    pub end: usize,
}

impl Anchor {
    /// An anchor from its parts.
    pub fn new(page: u32, exact: &str, prefix: &str, suffix: &str, start: usize, end: usize) -> Self {
        Anchor { page, exact: exact.to_string(), prefix: prefix.to_string(), suffix: suffix.to_string(), start, end }
    }
}

/// Where a quote was found again.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// 1-based page.
    pub page: u32,
    /// Start (chars).
    pub start: usize,
    /// End (chars).
    pub end: usize,
    /// 1.0 for an exact match, lower for an approximate one.
    pub score: f64,
}

/// Char offsets of every occurrence of `needle` in `hay`.
pub fn occurrences(hay: &str, needle: &str) -> Vec<usize> {
    if needle.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = hay[from..].find(needle) {
        let byte = from + pos;
        out.push(hay[..byte].chars().count());
        from = byte + hay[byte..].chars().next().map(char::len_utf8).unwrap_or(1);
    }
    out
}

fn common_suffix_len(a: &str, b: &str) -> usize {
    a.chars().rev().zip(b.chars().rev()).take_while(|(x, y)| x == y).count()
}

fn common_prefix_len(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// A loose form of `text` for comparing a selection with the stored page text: NFKC, lower
/// case, letters and digits only (spacing, hyphenation, punctuation and ligatures never
/// matter). Returns the folded chars and, for each, the char index in `text` it came from.
pub fn fold(text: &str) -> (Vec<char>, Vec<usize>) {
    use unicode_normalization::UnicodeNormalization;
    let mut out = Vec::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len());
    let mut buf = [0u8; 4];
    for (i, c) in text.chars().enumerate() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
                map.push(i);
            }
            continue;
        }
        for n in (&*c.encode_utf8(&mut buf)).nfkc() {
            for l in n.to_lowercase() {
                if l.is_alphanumeric() {
                    out.push(l);
                    map.push(i);
                }
            }
        }
    }
    (out, map)
}

/// Every place `quote` occurs in `page` when both are folded (see [`fold`]), as char spans of
/// `page` from the first to the last letter or digit of the match.
pub fn loose_occurrences(page: &str, quote: &str) -> Vec<(usize, usize)> {
    let (q, _) = fold(quote);
    let (p, map) = fold(page);
    if q.is_empty() || q.len() > p.len() {
        return Vec::new();
    }
    p.windows(q.len())
        .enumerate()
        .filter(|(_, w)| *w == q.as_slice())
        .map(|(i, _)| (map[i], map[i + q.len() - 1] + 1))
        .collect()
}

/// Whether the span `start..end` of `page` holds `quote`, compared loosely: the same letters
/// and digits (see [`fold`]), or, for a quote of 12 or more of them, within a few edits (a
/// glyph one extractor reads and the other does not).
pub fn span_fits(page: &str, start: usize, end: usize, quote: &str) -> bool {
    let n = page.chars().count();
    if start >= end || end > n {
        return false;
    }
    let (q, _) = fold(quote);
    let (s, _) = fold(char_slice(page, start, end));
    if q.is_empty() {
        return false;
    }
    if q == s {
        return true;
    }
    if q.len() < 12 || s.len().abs_diff(q.len()) > q.len() / 10 + 1 {
        return false;
    }
    let (q, s): (String, String) = (q.into_iter().collect(), s.into_iter().collect());
    // the whole span must be the match, give or take the few edits allowed at its ends
    approximate(&s, &q)
        .is_some_and(|(a, b, edits)| edits <= q.chars().count() / 10 + 1 && a + (s.chars().count() - b) <= 2)
}

/// The span `start..end` of `page` without whitespace at either end.
pub fn trim_span(page: &str, start: usize, end: usize) -> (usize, usize) {
    let chars: Vec<char> = page.chars().collect();
    let (mut s, mut e) = (start.min(chars.len()), end.min(chars.len()));
    while s < e && chars[s].is_whitespace() {
        s += 1;
    }
    while e > s && chars[e - 1].is_whitespace() {
        e -= 1;
    }
    (s, e)
}

/// Finds `anchor` again in `pages` (index 0 is page 1).
pub fn reanchor(anchor: &Anchor, pages: &[String]) -> Option<Found> {
    let len = anchor.exact.chars().count();
    if len == 0 || pages.is_empty() {
        return None;
    }
    let mut order: Vec<usize> = (0..pages.len()).collect();
    let home = anchor.page.saturating_sub(1) as usize;
    order.sort_by_key(|&i| (i as i64 - home as i64).unsigned_abs());
    // Exact occurrences: best context fit, then nearest page, then nearest offset.
    let mut best: Option<(usize, u64, u64, Found)> = None;
    for &i in &order {
        for start in occurrences(&pages[i], &anchor.exact) {
            let (prefix, suffix) = context(&pages[i], start, start + len);
            let fit = common_suffix_len(&prefix, &anchor.prefix) + common_prefix_len(&suffix, &anchor.suffix);
            let page_dist = (i as i64 - home as i64).unsigned_abs();
            let off_dist = (start as i64 - anchor.start as i64).unsigned_abs();
            let key = (usize::MAX - fit, page_dist, off_dist);
            if best.as_ref().is_none_or(|b| key < (b.0, b.1, b.2)) {
                best = Some((key.0, key.1, key.2, Found { page: i as u32 + 1, start, end: start + len, score: 1.0 }));
            }
        }
    }
    if let Some(b) = best {
        return Some(b.3);
    }
    // Approximate: the best match over all pages, nearest first, stopping at a near-perfect one.
    let mut best: Option<Found> = None;
    for &i in &order {
        if let Some((start, end, dist)) = approximate(&pages[i], &anchor.exact) {
            let score = 1.0 - dist as f64 / len as f64;
            if score >= MIN_FUZZY_SCORE && best.as_ref().is_none_or(|b| score > b.score) {
                best = Some(Found { page: i as u32 + 1, start, end, score });
                if score >= 0.97 {
                    break;
                }
            }
        }
    }
    best
}

/// Sellers' algorithm: the substring of `text` with the fewest edits to `pattern`.
/// Returns `(start, end, edits)` in chars.
pub fn approximate(text: &str, pattern: &str) -> Option<(usize, usize, usize)> {
    let t: Vec<char> = text.chars().collect();
    let p: Vec<char> = pattern.chars().collect();
    let m = p.len();
    if m == 0 || t.is_empty() {
        return None;
    }
    let max_edits = m / 4 + 1;
    // Column j holds, for each pattern prefix, the fewest edits of a match ending at text
    // char j and where that match starts. Row 0 is free: a match may start anywhere.
    let mut prev: Vec<(usize, usize)> = (0..=m).map(|i| (i, 0)).collect();
    let mut cur = vec![(0usize, 0usize); m + 1];
    let mut best: Option<(usize, usize, usize)> = None;
    for (jj, &tc) in t.iter().enumerate() {
        let j = jj + 1;
        cur[0] = (0, j);
        for i in 1..=m {
            let sub = (prev[i - 1].0 + usize::from(p[i - 1] != tc), prev[i - 1].1);
            let skip_text = (prev[i].0 + 1, prev[i].1);
            let skip_pattern = (cur[i - 1].0 + 1, cur[i - 1].1);
            cur[i] = sub.min(skip_text).min(skip_pattern);
        }
        let (cost, start) = cur[m];
        if cost <= max_edits && best.is_none_or(|b| cost < b.2) {
            best = Some((start, j, cost));
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn anchor_at(page: &str, page_no: u32, start: usize, end: usize) -> Anchor {
        let (prefix, suffix) = context(page, start, end);
        Anchor { page: page_no, exact: char_slice(page, start, end).to_string(), prefix, suffix, start, end }
    }

    #[test]
    fn exact_match_prefers_matching_context() {
        let page = "alpha the quote here beta. gamma the quote here delta.";
        let second = page.rfind("the quote").unwrap();
        let a = anchor_at(page, 1, second, second + 15);
        let moved = format!("new start. {page}");
        let f = reanchor(&a, std::slice::from_ref(&moved)).unwrap();
        assert_eq!(char_slice(&moved, f.start, f.end), "the quote here ");
        assert!(moved[..moved.find("gamma").unwrap()].chars().count() < f.start);
    }

    #[test]
    fn fuzzy_match_survives_small_edits_and_moves_pages() {
        let old = "The model learns to rethink using an anthropomorphic tone, which is remarkable.";
        let a = anchor_at(old, 3, 4, 56);
        let new_pages = vec![
            "nothing here".to_string(),
            "x".into(),
            "y".into(),
            "The model learns to re-think using an anthropomorphic tone, which".into(),
        ];
        let f = reanchor(&a, &new_pages).unwrap();
        assert_eq!(f.page, 4);
        assert!(f.score > 0.9 && f.score < 1.0, "{}", f.score);
        assert!(char_slice(&new_pages[3], f.start, f.end).starts_with("model learns"));
    }

    #[test]
    fn unrelated_text_is_not_found() {
        let a = Anchor {
            page: 1,
            exact: "Multi-head Latent Attention".into(),
            prefix: String::new(),
            suffix: String::new(),
            start: 0,
            end: 27,
        };
        assert_eq!(reanchor(&a, &["a page about something else entirely".to_string()]), None);
    }

    proptest! {
        #[test]
        fn anchor_then_reanchor_after_edits_outside_the_quote(
            words in proptest::collection::vec("[a-z]{2,9}", 30..120),
            qs in 0usize..20, ql in 3usize..8,
            edits in proptest::collection::vec((0usize..2000, "[a-z ]{0,12}", 0usize..10), 0..12),
        ) {
            let page = words.join(" ");
            let ws: Vec<usize> = std::iter::once(0).chain(page.match_indices(' ').map(|(i, _)| i + 1)).collect();
            let qs = qs.min(ws.len() - 2);
            let qe = (qs + ql).min(ws.len() - 1);
            let (sb, eb) = (ws[qs], ws[qe] - 1);
            let start = page[..sb].chars().count();
            let end = page[..eb].chars().count();
            let a = anchor_at(&page, 1, start, end);
            // Random insertions and deletions before and after the quote, never inside it.
            let (mut before, quote, mut after) = (page[..sb].to_string(), page[sb..eb].to_string(), page[eb..].to_string());
            for (pos, ins, del) in edits {
                let target = if pos % 2 == 0 { &mut before } else { &mut after };
                let at = (pos / 2).min(target.len());
                let at = (0..=at).rev().find(|i| target.is_char_boundary(*i)).unwrap_or(0);
                let d = (at + del).min(target.len());
                let d = (d..=target.len()).find(|i| target.is_char_boundary(*i)).unwrap_or(target.len());
                target.replace_range(at..d, &ins);
            }
            let new_page = format!("{before}{quote}{after}");
            let f = reanchor(&a, std::slice::from_ref(&new_page));
            prop_assert!(f.is_some());
            let f = f.unwrap();
            prop_assert_eq!(char_slice(&new_page, f.start, f.end), quote.as_str());
        }
    }
}
