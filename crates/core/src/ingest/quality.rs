//! Whether a page's extracted text is text: a page with no text layer comes out empty, and a
//! page set in a font whose codes cannot be mapped to letters comes out as symbols or strings
//! of consonants. Neither is indexed as words; both are marked, and OCR may read them.

use serde::{Deserialize, Serialize};

/// Where a stored page's text came from.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageSource {
    /// The PDF's text layer.
    Text,
    /// OCR of the rendered page.
    Ocr,
    /// No text: no text layer (a scan) or a page without words.
    Empty,
    /// A text layer whose glyphs could not be mapped to letters.
    Unreadable,
}

impl PageSource {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Ocr => "ocr",
            Self::Empty => "empty",
            Self::Unreadable => "unreadable",
        }
    }

    /// The stored name read back (unknown names read as text).
    pub fn parse(s: &str) -> Self {
        match s {
            "ocr" => Self::Ocr,
            "empty" => Self::Empty,
            "unreadable" => Self::Unreadable,
            _ => Self::Text,
        }
    }
}

/// The fewest non-space characters a page needs before it is judged unreadable: a page with a
/// page number and a stray symbol is empty, not unreadable.
const MIN_JUDGED: usize = 40;

/// Classifies a page's normalized text.
pub fn classify(text: &str) -> PageSource {
    let visible = text.chars().filter(|c| !c.is_whitespace()).count();
    if visible == 0 || (visible < MIN_JUDGED && text.chars().filter(|c| c.is_alphabetic()).count() < 3) {
        return PageSource::Empty;
    }
    if visible >= MIN_JUDGED && !readable(text) {
        return PageSource::Unreadable;
    }
    PageSource::Text
}

/// Whether a string reads as words: mostly letters (or digits, in tables), few control or
/// private-use characters, and its Latin words carry vowels (unmapped glyph codes come out as
/// symbols, private-use characters or strings of consonants).
pub fn readable(t: &str) -> bool {
    let mut visible = 0usize;
    let mut letters = 0usize;
    let mut digits = 0usize;
    let mut junk = 0usize;
    for c in t.chars().filter(|c| !c.is_whitespace()) {
        visible += 1;
        if c.is_alphabetic() {
            letters += 1;
        } else if c.is_ascii_digit() {
            digits += 1;
        }
        if c.is_control() || ('\u{E000}'..='\u{F8FF}').contains(&c) || c == '\u{FFFD}' {
            junk += 1;
        }
    }
    if visible == 0 || junk * 5 > visible || (letters + digits) * 2 < visible {
        return false;
    }
    let tokens: Vec<&str> = t.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| !w.is_empty()).collect();
    let latin: usize = tokens.iter().map(|w| w.len()).sum();
    if latin >= 300 {
        // Words run together (no spaces come out of the layer): the text cannot be searched.
        let long: usize = tokens.iter().filter(|w| w.len() > 20).map(|w| w.len()).sum();
        if long * 2 > latin {
            return false;
        }
    }
    // Running text in a Latin script is made of a few common letter pairs (th, he, in, er...):
    // about 0.6 to 0.85 of them on any page of prose, a table or a list of names. Glyphs read
    // in the wrong encoding (a substitution of letters) or letter salad have 0.1 to 0.35.
    let (common, pairs) = letter_pairs(t);
    if pairs >= 150 && common * 100 < pairs * 45 {
        return false;
    }
    let words: Vec<&str> = tokens.iter().copied().filter(|w| w.len() >= 3).collect();
    if words.len() < 4 {
        return letters * 10 >= visible * 5 || letters + digits >= visible * 7 / 10;
    }
    let voweled = words.iter().filter(|w| w.chars().any(|c| "aeiouyAEIOUY".contains(c))).count();
    voweled * 10 >= words.len() * 7
}

/// The most common letter pairs of English and the other languages papers are often written in.
const COMMON_PAIRS: &[&str] = &[
    "th", "he", "in", "er", "an", "re", "on", "at", "en", "nd", "ti", "es", "or", "te", "of", "ed", "is", "it", "al",
    "ar", "st", "to", "nt", "ng", "se", "ha", "as", "ou", "io", "le", "ve", "co", "me", "de", "hi", "ri", "ro", "ic",
    "ne", "ea", "ra", "ce", "li", "ch", "ll", "be", "ma", "si", "om", "ur", "ca", "el", "ta", "la", "ns", "di", "fo",
    "ho", "pe", "ec", "pr", "no", "ct", "us", "ac", "ot", "il", "tr", "ly", "nc", "et", "ut", "ss", "so", "rs", "un",
    "lo", "wa", "ge", "ie", "wh", "ee", "wi", "em", "ad", "ol", "rt", "po", "we", "na", "ul", "ni", "ts", "mo", "ow",
    "pa", "im", "mi", "ai", "sh", "ir", "su", "id", "os", "iv", "ia", "am", "fi", "ci", "vi", "pl", "ig", "tu", "ev",
    "ld", "ry", "mp", "fe", "bl", "ab", "gh", "ty", "op",
];

/// [`COMMON_PAIRS`] as a 26 × 26 table, built at compile time: one lookup per letter pair.
const COMMON_TABLE: [[bool; 26]; 26] = {
    let mut table = [[false; 26]; 26];
    let mut i = 0;
    while i < COMMON_PAIRS.len() {
        let p = COMMON_PAIRS[i].as_bytes();
        table[(p[0] - b'a') as usize][(p[1] - b'a') as usize] = true;
        i += 1;
    }
    table
};

/// Whether two lowercase ASCII letters form a common pair.
fn is_common_pair([a, b]: [u8; 2]) -> bool {
    a.is_ascii_lowercase() && b.is_ascii_lowercase() && COMMON_TABLE[(a - b'a') as usize][(b - b'a') as usize]
}

/// How many letter pairs inside ASCII words are common ones, of how many.
fn letter_pairs(t: &str) -> (usize, usize) {
    let (mut common, mut pairs) = (0, 0);
    for w in t.split(|c: char| !c.is_ascii_alphabetic()) {
        let w = w.as_bytes();
        for p in w.windows(2) {
            pairs += 1;
            let pair = [p[0].to_ascii_lowercase(), p[1].to_ascii_lowercase()];
            if is_common_pair(pair) {
                common += 1;
            }
        }
    }
    (common, pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_is_text_and_symbol_soup_is_not() {
        let prose = "We present a protocol for scalable anonymous communication over the Internet. \
                     It hides who talks to whom.";
        assert_eq!(classify(prose), PageSource::Text);
        assert_eq!(classify("   \n  "), PageSource::Empty);
        assert_eq!(classify("12"), PageSource::Empty);
        let soup = "!\"#$%&'()*+ ,-./0 !\"#$ %&'()*+,-./ !\"# $%&'()* +,-./0 !\"#$%&'( )*+,-./ \"#$%& '()*+";
        assert_eq!(classify(soup), PageSource::Unreadable);
        let consonants = "Xkr vbnt qwrt zxcvb pkdfg Tstv hjklm ngrt bcdfg hjklm npqrs tvwxz bcdfg Hjklm";
        assert_eq!(classify(consonants), PageSource::Unreadable);
        let pua: String = std::iter::repeat_n('\u{E001}', 60).collect();
        assert_eq!(classify(&pua), PageSource::Unreadable);
        // Letters in the wrong encoding: vowels, but no words.
        let shifted = "ABCDEFGDHIJKLMNOPQRSOTUVWTPQRXWYORZTQRSO RSUWPQRSOS TQTQ TPQRXWdZNUQReZW RTTORZTQRSO ";
        assert_eq!(classify(&shifted.repeat(12)), PageSource::Unreadable);
        let cipher = "81I M7 0DWwxpkWEOw wpxDED4 TwUwpxkA ennL Sh e ksl4eeW p4V UMCb Bbkfk QofA5bk YV9 CAw GC4f05 ";
        assert_eq!(classify(&cipher.repeat(8)), PageSource::Unreadable);
        // Words run together.
        let glued = "correctionfactorisglobalitisaddedattheendaftertheweightsfortheindividualterms ";
        assert_eq!(classify(&glued.repeat(8)), PageSource::Unreadable);
        // Lists without a function word are text.
        let list: String = (0..12).map(|i| format!("Left column sentence number {i} about alpha. ")).collect();
        assert_eq!(classify(&list), PageSource::Text);
    }

    #[test]
    fn tables_and_other_scripts_are_text() {
        let table = "Model 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31";
        assert_eq!(classify(table), PageSource::Text);
        let chinese = "我们提出了一种新的方法来训练大型语言模型，并在多个基准上取得了很好的结果。这是一个测试页面，包含足够的文字。";
        assert_eq!(classify(chinese), PageSource::Text);
    }
}
