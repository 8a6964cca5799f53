//! Text normalization of extracted pages: Unicode NFKC (which also splits ligatures such as
//! `ﬁ`), line-end hyphenation, and whitespace.
//!
//! Line-end hyphens are resolved per document: `super-⏎vised` becomes `supervised` while
//! `DeepSeek-⏎R1` stays `DeepSeek-R1`. A hyphen is dropped when the joined word is seen
//! elsewhere in the document, or, failing any evidence, when it sits between two lowercase
//! letters; it is kept when the hyphenated form is seen elsewhere or either side is not a
//! lowercase word (capitals, digits).

use std::collections::HashSet;

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Normalizes every page of one document, returning one string per page.
///
/// Within a page, lines of a paragraph are joined with single spaces and paragraphs are
/// separated by a blank line (`"\n\n"`), so passage splitting can find them.
pub fn normalize_pages(pages: &[String]) -> Vec<String> {
    let prepared: Vec<String> = pages.iter().map(|p| prepare(p)).collect();
    let vocab = vocabulary(&prepared);
    prepared.iter().map(|p| collapse_leaders(&join_lines(p, &vocab))).collect()
}

/// Collapses dot leaders (`. . . . .` in tables of contents) into one `…`.
fn collapse_leaders(page: &str) -> String {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| regex::Regex::new(r"(?: ?\.){4,}").expect("valid regex"));
    re.replace_all(page, " …").into_owned()
}

/// Normalizes a single page on its own (no document-wide vocabulary).
pub fn normalize_page(page: &str) -> String {
    normalize_pages(&[page.to_string()]).pop().unwrap_or_default()
}

/// NFKC, soft hyphens and odd spaces removed, control characters dropped, lines trimmed.
fn prepare(page: &str) -> String {
    // Most pages are NFKC already (ASCII, or no ligatures and compatibility forms): the quick
    // check answers for them without composing every character again.
    let nfkc: std::borrow::Cow<str> = if page.is_ascii() || is_nfkc_quick(page.chars()) == IsNormalized::Yes {
        page.into()
    } else {
        page.nfkc().collect::<String>().into()
    };
    let mut out = String::with_capacity(nfkc.len());
    for c in nfkc.chars() {
        match c {
            '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' => {}
            '\r' | '\u{000C}' | '\u{000B}' => out.push('\n'),
            '\n' => out.push('\n'),
            '\u{2010}' | '\u{2011}' => out.push('-'),
            c if c.is_whitespace() => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    let mut lines = String::with_capacity(out.len());
    for (i, line) in out.split('\n').enumerate() {
        if i > 0 {
            lines.push('\n');
        }
        let mut last_space = false;
        for c in line.trim().chars() {
            if c == ' ' {
                if !last_space {
                    lines.push(' ');
                }
                last_space = true;
            } else {
                lines.push(c);
                last_space = false;
            }
        }
    }
    lines
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Words of the document as they appear in running text (lowercased), for hyphenation.
fn vocabulary(pages: &[String]) -> HashSet<String> {
    let mut set = HashSet::new();
    for page in pages {
        for line in page.split('\n') {
            let words: Vec<&str> = line.split(' ').collect();
            let n = words.len();
            for (i, w) in words.iter().enumerate() {
                // A word that ends a line with a hyphen is not evidence of anything.
                if i + 1 == n && w.ends_with('-') {
                    continue;
                }
                let w = w.trim_matches(|c: char| !is_word_char(c) && c != '-');
                if w.len() > 1 {
                    set.insert(w.to_lowercase());
                }
            }
        }
    }
    set
}

/// The trailing word of `s` (letters, digits and inner hyphens).
fn trailing_word(s: &str) -> &str {
    let start = s
        .char_indices()
        .rev()
        .find(|&(_, c)| !(is_word_char(c) || c == '-'))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    &s[start..]
}

/// The leading word of `s` (letters and digits, and inner hyphens).
fn leading_word(s: &str) -> &str {
    let end = s.char_indices().find(|&(_, c)| !(is_word_char(c) || c == '-')).map(|(i, _)| i).unwrap_or(s.len());
    s[..end].trim_end_matches('-')
}

/// Whether a line-end hyphen between `before` (ending in `-`) and `after` should be dropped.
fn drop_hyphen(before: &str, after: &str, vocab: &HashSet<String>) -> bool {
    let left = trailing_word(before.strip_suffix('-').unwrap_or(before));
    let right = leading_word(after);
    if left.is_empty() || right.is_empty() {
        return false;
    }
    let last_left = left.chars().last().unwrap_or(' ');
    let first_right = right.chars().next().unwrap_or(' ');
    if !last_left.is_alphabetic() || !first_right.is_alphabetic() {
        return false;
    }
    let left_last_part = left.rsplit('-').next().unwrap_or(left);
    let joined = format!("{left}{right}").to_lowercase();
    let joined_part = format!("{left_last_part}{right}").to_lowercase();
    let hyphenated = format!("{left}-{right}").to_lowercase();
    if vocab.contains(&joined) || vocab.contains(&joined_part) {
        return true;
    }
    if vocab.contains(&hyphenated) {
        return false;
    }
    last_left.is_lowercase() && first_right.is_lowercase()
}

/// Joins the lines of a prepared page into paragraphs.
fn join_lines(page: &str, vocab: &HashSet<String>) -> String {
    let mut out = String::with_capacity(page.len());
    let mut blank_run = 0usize;
    for line in page.split('\n') {
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if out.is_empty() {
            out.push_str(line);
        } else if blank_run > 0 {
            out.push_str("\n\n");
            out.push_str(line);
        } else if out.ends_with('-') && !out.ends_with(" -") && !out.ends_with("--") {
            if drop_hyphen(&out, line, vocab) {
                out.pop();
            }
            out.push_str(line);
        } else {
            out.push(' ');
            out.push_str(line);
        }
        blank_run = 0;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ligatures_become_letters() {
        assert_eq!(normalize_page("e\u{FB03}cient and \u{FB01}ne"), "efficient and fine");
    }

    #[test]
    fn soft_hyphenation_is_removed_and_real_hyphens_kept() {
        let page = "trained without super-\nvised fine-tuning as a step. DeepSeek-\nR1 is";
        assert_eq!(normalize_page(page), "trained without supervised fine-tuning as a step. DeepSeek-R1 is");
    }

    #[test]
    fn vocabulary_decides_ambiguous_breaks() {
        let pages = vec!["we use state-of-the-\nart models".to_string(), "a state-of-the-art result".to_string()];
        let n = normalize_pages(&pages);
        assert_eq!(n[0], "we use state-of-the-art models");
        let pages = vec!["the multi-\nhead attention".to_string(), "multihead attention".to_string()];
        assert_eq!(normalize_pages(&pages)[0], "the multihead attention");
    }

    #[test]
    fn paragraphs_survive_and_whitespace_collapses() {
        let page = "  First   line\nsecond\tline \n\n\nNext para\n";
        assert_eq!(normalize_page(page), "First line second line\n\nNext para");
    }

    #[test]
    fn dot_leaders_collapse() {
        assert_eq!(normalize_page("2.1 Attention . . . . . . . . 6"), "2.1 Attention … 6");
        assert_eq!(normalize_page("e.g. 1.5. And"), "e.g. 1.5. And");
    }

    #[test]
    fn dash_at_line_start_or_standalone_is_not_hyphenation() {
        assert_eq!(normalize_page("costs -\nnothing"), "costs - nothing");
    }
}
