//! Anchoring quotes in page text, the way a W3C Web Annotation's TextQuoteSelector does.

use crate::passage::char_slice;

/// Characters of context kept on each side of a quote.
pub const CONTEXT_CHARS: usize = 32;

/// The prefix and suffix (up to [`CONTEXT_CHARS`] each) around `start..end` of `page`.
pub fn context(page: &str, start: usize, end: usize) -> (String, String) {
    let n = page.chars().count();
    let prefix = char_slice(page, start.saturating_sub(CONTEXT_CHARS), start.min(n)).to_string();
    let suffix = char_slice(page, end.min(n), (end + CONTEXT_CHARS).min(n)).to_string();
    (prefix, suffix)
}
