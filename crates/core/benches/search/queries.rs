//! Realistic queries drawn from the real corpus: rare words, common words, phrases, numbers.

use std::collections::HashMap;

use crate::util::Rng;

/// What kind of query it is; results are reported per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// One word found in at most 3 passages.
    Rare,
    /// One or two words each found in 5% to 60% of passages.
    Common,
    /// Two to four consecutive words, quoted.
    Phrase,
    /// A number as written, with its unit or decimals (`93.3%`, `$5.576M`, `671B`).
    Number,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Rare, Kind::Common, Kind::Phrase, Kind::Number];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Rare => "rare",
            Kind::Common => "common",
            Kind::Phrase => "phrase",
            Kind::Number => "number",
        }
    }
}

/// One query, in Papertrail's language and in FTS5's.
#[derive(Debug, Clone)]
pub struct BenchQuery {
    pub kind: Kind,
    pub papertrail: String,
    pub fts5: String,
}

const STOPWORDS: &[&str] = &[
    "the", "and", "for", "that", "with", "this", "from", "are", "was", "were", "which", "these", "their", "have",
    "has", "been", "can", "our", "also", "each", "into", "such", "than", "more", "other", "both", "when", "while",
    "where", "then", "they", "them", "its", "not", "all", "any", "but", "only", "using", "used", "use", "between",
];

fn word_key(w: &str) -> Option<String> {
    let t = w.trim_matches(|c: char| !c.is_alphanumeric());
    if t.chars().count() >= 4 && t.chars().all(|c| c.is_ascii_alphabetic()) {
        Some(t.to_ascii_lowercase())
    } else {
        None
    }
}

fn is_number(w: &str) -> bool {
    let t = w.trim_end_matches([',', ';', ':', ')', '.']).trim_start_matches('(');
    let Some(first_digit) = t.find(|c: char| c.is_ascii_digit()) else { return false };
    if first_digit > 1 || t.len() < 3 || t.len() > 10 {
        return false;
    }
    let has_unit = t.ends_with('%') || t.ends_with('M') || t.ends_with('B') || t.ends_with('K') || t.ends_with('x');
    let has_decimal = t.contains('.') && t.chars().filter(|c| c.is_ascii_digit()).count() >= 2;
    let body_ok = t.chars().all(|c| c.is_ascii_digit() || ".,%$MBKx".contains(c));
    body_ok && (has_unit || has_decimal || t.starts_with('$'))
}

fn fts_word(w: &str) -> String {
    format!("\"{}\"", w.replace('"', "\"\""))
}

/// Generates `per_kind` queries of each kind (fewer numbers if the corpus has fewer) from the
/// passages' texts, deterministically for a seed.
pub fn generate(passages: &[String], per_kind: usize, seed: u64) -> Vec<BenchQuery> {
    let mut rng = Rng::new(seed);
    let mut df: HashMap<String, usize> = HashMap::new();
    let mut numbers: Vec<String> = Vec::new();
    for p in passages {
        let mut seen = std::collections::HashSet::new();
        for w in p.split_whitespace() {
            if let Some(k) = word_key(w) {
                if seen.insert(k.clone()) {
                    *df.entry(k).or_default() += 1;
                }
            }
            if is_number(w) {
                numbers.push(w.trim_end_matches([',', ';', ':', ')', '.']).trim_start_matches('(').to_string());
            }
        }
    }
    let n = passages.len();
    let mut rare: Vec<String> = df.iter().filter(|(w, d)| **d <= 3 && w.len() >= 6).map(|(w, _)| w.clone()).collect();
    let mut common: Vec<String> = df
        .iter()
        .filter(|(w, d)| **d * 20 >= n && **d * 10 <= n * 6 && !STOPWORDS.contains(&w.as_str()))
        .map(|(w, _)| w.clone())
        .collect();
    rare.sort();
    common.sort();
    numbers.sort();
    numbers.dedup();
    let mut out = Vec::new();
    for _ in 0..per_kind {
        let w = rng.pick(&rare).clone();
        out.push(BenchQuery { kind: Kind::Rare, fts5: fts_word(&w), papertrail: w });
    }
    for i in 0..per_kind {
        // Half single common words, half pairs ("training data").
        let words: Vec<String> = if i % 2 == 0 {
            vec![rng.pick(&common).clone()]
        } else {
            vec![rng.pick(&common).clone(), rng.pick(&common).clone()]
        };
        out.push(BenchQuery {
            kind: Kind::Common,
            papertrail: words.join(" "),
            fts5: words.iter().map(|w| fts_word(w)).collect::<Vec<_>>().join(" "),
        });
    }
    let mut phrases = 0;
    while phrases < per_kind {
        let p = rng.pick(passages);
        let words: Vec<&str> = p.split_whitespace().collect();
        let len = 2 + rng.below(3);
        if words.len() < len + 1 {
            continue;
        }
        let at = rng.below(words.len() - len);
        let cleaned: Vec<String> =
            words[at..at + len].iter().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string()).collect();
        // Realistic phrases are words, not table residue.
        if cleaned.iter().any(|w| w.is_empty() || !w.chars().all(|c| c.is_alphabetic() || c == '-')) {
            continue;
        }
        let text = cleaned.join(" ");
        out.push(BenchQuery { kind: Kind::Phrase, papertrail: format!("\"{text}\""), fts5: fts_word(&text) });
        phrases += 1;
    }
    for _ in 0..per_kind.min(numbers.len().max(1)) {
        if numbers.is_empty() {
            break;
        }
        let w = rng.pick(&numbers).clone();
        out.push(BenchQuery { kind: Kind::Number, fts5: fts_word(&w), papertrail: w });
    }
    out
}
