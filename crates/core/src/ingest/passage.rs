//! Splitting a normalized page into passages of about a paragraph, with character offsets.
//!
//! Offsets count Unicode scalar values (Rust `char`s) into the page's normalized text, so
//! `page.chars().skip(start).take(end - start)` is always the passage text.

use unicode_segmentation::UnicodeSegmentation;

/// Passages shorter than this are merged with a neighbour when possible.
pub const MIN_CHARS: usize = 160;
/// Passages longer than this are split at sentence boundaries.
pub const MAX_CHARS: usize = 1100;

/// A span of a page's normalized text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// Start offset in characters.
    pub start: usize,
    /// End offset in characters (exclusive).
    pub end: usize,
    /// The text, equal to the page text between `start` and `end`.
    pub text: String,
}

/// Splits a normalized page into passages. Empty pages give none.
pub fn split_passages(page: &str) -> Vec<Passage> {
    // Byte ranges of paragraphs (separated by blank lines), trimmed.
    let mut paras: Vec<(usize, usize)> = Vec::new();
    let mut pos = 0;
    for chunk in page.split("\n\n") {
        let lead = chunk.len() - chunk.trim_start().len();
        let trimmed = chunk.trim();
        if !trimmed.is_empty() {
            paras.push((pos + lead, pos + lead + trimmed.len()));
        }
        pos += chunk.len() + 2;
    }
    // Split long paragraphs at sentence boundaries.
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    for (s, e) in paras {
        if page[s..e].chars().count() <= MAX_CHARS {
            pieces.push((s, e));
            continue;
        }
        let mut cur_start = s;
        let mut cur_len = 0usize;
        for (off, sentence) in page[s..e].split_sentence_bound_indices() {
            let n = sentence.chars().count();
            let at_space = page[..s + off].ends_with(char::is_whitespace);
            if cur_len > 0 && cur_len + n > MAX_CHARS * 3 / 4 && at_space {
                pieces.push(trim_range(page, cur_start, s + off));
                cur_start = s + off;
                cur_len = 0;
            }
            cur_len += n;
            // A single sentence longer than the limit is cut at word boundaries.
            if cur_len > MAX_CHARS {
                let mut cut_start = cur_start;
                let mut acc = 0usize;
                for (woff, word) in page[cur_start..s + off + sentence.len()].split_word_bound_indices() {
                    acc += word.chars().count();
                    if acc > MAX_CHARS * 3 / 4 && word.trim().is_empty() {
                        pieces.push(trim_range(page, cut_start, cur_start + woff));
                        cut_start = cur_start + woff;
                        acc = 0;
                    }
                }
                cur_start = cut_start;
                cur_len = page[cur_start..s + off + sentence.len()].chars().count();
            }
        }
        if cur_start < e {
            pieces.push(trim_range(page, cur_start, e));
        }
    }
    pieces.retain(|(s, e)| s < e);
    // Merge short pieces into the following one (or the previous at the end).
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in pieces {
        if let Some(last) = merged.last_mut() {
            let last_len = page[last.0..last.1].chars().count();
            let this_len = page[s..e].chars().count();
            if (last_len < MIN_CHARS || this_len < MIN_CHARS / 2) && last_len + this_len <= MAX_CHARS {
                last.1 = e;
                continue;
            }
        }
        merged.push((s, e));
    }
    // Convert byte ranges to char offsets in one pass.
    let mut out = Vec::with_capacity(merged.len());
    let mut byte_to_char = 0usize;
    let mut last_byte = 0usize;
    for (s, e) in merged {
        byte_to_char += page[last_byte..s].chars().count();
        let start = byte_to_char;
        let text = page[s..e].to_string();
        let end = start + text.chars().count();
        byte_to_char = end;
        last_byte = e;
        out.push(Passage { start, end, text });
    }
    out
}

fn trim_range(page: &str, s: usize, e: usize) -> (usize, usize) {
    let slice = &page[s..e];
    let lead = slice.len() - slice.trim_start().len();
    (s + lead, s + lead + slice.trim().len())
}

/// The characters `start..end` of `text` (offsets in chars).
pub fn char_slice(text: &str, start: usize, end: usize) -> &str {
    let mut it = text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len()));
    let b = it.by_ref().nth(start).unwrap_or(text.len());
    let e = if end > start { it.nth(end - start - 1).unwrap_or(text.len()) } else { b };
    &text[b..e]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn paragraphs_become_passages() {
        let a = "A".repeat(300);
        let b = "b".repeat(400);
        let page = format!("{a}\n\n{b}");
        let ps = split_passages(&page);
        assert_eq!(ps.len(), 2);
        assert_eq!(ps[1].start, 302);
        assert_eq!(ps[1].text, b);
    }

    #[test]
    fn short_paragraphs_merge() {
        let page = "Title\n\nAbstract\n\nA longer paragraph that follows the heading.";
        let ps = split_passages(page);
        assert_eq!(ps.len(), 1);
        assert_eq!(ps[0].text, page);
    }

    #[test]
    fn long_paragraphs_split_at_sentences() {
        let sentence = "This sentence is about forty characters. ";
        let page = sentence.repeat(100);
        let ps = split_passages(page.trim());
        assert!(ps.len() >= 4, "{}", ps.len());
        assert!(ps.iter().all(|p| p.text.chars().count() <= MAX_CHARS));
        assert!(ps.iter().all(|p| p.text.ends_with('.')));
    }

    #[test]
    fn char_slice_counts_chars() {
        assert_eq!(char_slice("héllo wörld", 1, 5), "éllo");
        assert_eq!(char_slice("abc", 3, 3), "");
        assert_eq!(char_slice("abc", 0, 3), "abc");
    }

    proptest! {
        #[test]
        fn offsets_always_slice_the_page(words in proptest::collection::vec("[a-zé0-9ﬁ.,%$-]{1,12}", 0..600), breaks in proptest::collection::vec(0usize..600, 0..40)) {
            let mut page = String::new();
            for (i, w) in words.iter().enumerate() {
                if i > 0 {
                    page.push_str(if breaks.contains(&i) { "\n\n" } else { " " });
                }
                page.push_str(w);
                if i % 17 == 16 { page.push('.'); }
            }
            let page = crate::ingest::normalize::normalize_page(&page);
            let ps = split_passages(&page);
            let mut prev_end = 0;
            for p in &ps {
                prop_assert_eq!(char_slice(&page, p.start, p.end), p.text.as_str());
                prop_assert!(p.start >= prev_end);
                prop_assert!(!p.text.trim().is_empty());
                prev_end = p.end;
            }
            let covered: usize = ps.iter().map(|p| p.text.split_whitespace().count()).sum();
            prop_assert_eq!(covered, page.split_whitespace().count());
        }
    }
}
