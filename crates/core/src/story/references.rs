//! Reference lists: the References (or Bibliography) section of a paper's normalized page
//! text, split into entries, with the arXiv ids, DOIs and title each entry names.
//!
//! Pages arrive as [`crate::ingest::normalize`] leaves them: lines of a paragraph joined by
//! spaces, paragraphs separated by a blank line. The list starts at the last heading that names
//! it and ends at the next appendix-like heading or at the end of the paper. Entries are split
//! on a numbering that runs `[1]`, `[2]`, ... or `1.`, `2.`, ... when there is one; otherwise
//! (author-year lists) where an entry's end (a year, a page range, an address) meets the
//! start of an author list.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

/// A place in a paper's text: a page (0-based) and a character offset into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// Page index, 0-based.
    pub page: usize,
    /// Offset in characters into the page's normalized text.
    pub offset: usize,
}

/// One entry of a reference list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceEntry {
    /// The entry as printed, whitespace collapsed, numbering removed.
    pub text: String,
    /// arXiv identifiers it names, without version (`2401.06066`, `cs/0112017`).
    pub arxiv_ids: Vec<String>,
    /// DOIs it names, lowercase.
    pub dois: Vec<String>,
    /// The part of the entry that reads as the cited work's title, when one stands out.
    pub title: Option<String>,
}

/// A paper's reference list: where it stands and its entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceList {
    /// Where the list starts (its heading).
    pub start: Position,
    /// Where it ends (exclusive): the next section's heading or the end of the paper.
    pub end: Position,
    /// Entries in order.
    pub entries: Vec<ReferenceEntry>,
}

impl ReferenceList {
    /// Whether the span `[start, end)` of page `page` (0-based) lies in the list: its middle
    /// does, so a passage that runs on from the last paragraph before belongs to where most
    /// of it is.
    pub fn contains(&self, page: usize, start: usize, end: usize) -> bool {
        let middle = Position { page, offset: start + (end.saturating_sub(start)) / 2 };
        self.start <= middle && middle < self.end
    }
}

/// A paragraph of a page with its place.
struct Paragraph<'a> {
    page: usize,
    /// Offset of its first character, in characters.
    offset: usize,
    text: &'a str,
}

fn paragraphs(pages: &[String]) -> Vec<Paragraph<'_>> {
    let mut out = Vec::new();
    for (page, text) in pages.iter().enumerate() {
        let mut chars = 0;
        let mut bytes = 0;
        for chunk in text.split("\n\n") {
            let lead = chunk.len() - chunk.trim_start().len();
            let trimmed = chunk.trim();
            if !trimmed.is_empty() {
                let offset = chars + text[bytes..bytes + lead].chars().count();
                out.push(Paragraph { page, offset, text: trimmed });
            }
            chars += chunk.chars().count() + 2;
            bytes += chunk.len() + 2;
        }
    }
    out
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid regex"))
}

/// Words that head a reference list.
const HEADINGS: &[&str] = &[
    "references",
    "reference",
    "bibliography",
    "literature cited",
    "works cited",
    "references and notes",
    "notes and references",
    "bibliographical references",
    "reference list",
    "references cited",
    "cited literature",
];

/// Whether a paragraph is a reference list's heading, alone (`References`, `7. REFERENCES`,
/// `Bibliography:`) or run on into the first entry (`REFERENCES [1] ...`).
fn is_heading(text: &str) -> bool {
    static NUMBER: OnceLock<Regex> = OnceLock::new();
    let number = re(&NUMBER, r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVXL]{1,5}\.?|[A-Z]\.)\s+");
    let t = number.replace(text, "");
    let t = t.trim().trim_end_matches([':', '.']).trim();
    if t.chars().count() <= 40 && HEADINGS.contains(&t.to_lowercase().as_str()) {
        return true;
    }
    static RUN_ON: OnceLock<Regex> = OnceLock::new();
    re(&RUN_ON, r"^(?:References|REFERENCES|Bibliography|BIBLIOGRAPHY)\s+(?:\[1\]|1\.?\s|\p{Lu}\.\s?\p{Lu}|\p{Lu}[\p{L}'’-]+,\s)")
        .is_match(t)
}

/// Whether a paragraph heads what follows a reference list: an appendix, supplementary
/// material, acknowledgments, the authors' biographies, or a lettered section (`A. Proofs`).
fn is_end(text: &str) -> bool {
    let t = text.trim();
    if t.chars().count() > 100 || t.contains(',') {
        return false;
    }
    let lower = t.to_lowercase();
    const WORDS: &[&str] = &[
        "appendix",
        "appendices",
        "supplementary",
        "supplemental",
        "acknowledgment",
        "acknowledgement",
        "about the author",
        "author biograph",
        "biographies",
    ];
    if WORDS.iter().any(|w| lower.starts_with(w)) {
        return true;
    }
    static LETTERED: OnceLock<Regex> = OnceLock::new();
    static YEAR: OnceLock<Regex> = OnceLock::new();
    re(&LETTERED, r"^[A-Z](?:\.\d+)*\.?\s+\p{Lu}\p{Ll}{2,}(?:\s+[\p{L}-]+){0,8}$").is_match(t)
        && !re(&YEAR, r"\b(?:1[89]|20)\d{2}\b").is_match(t)
        && !lower.contains("et al")
}

/// Finds and parses the reference list of a paper's normalized pages.
pub fn parse(pages: &[String]) -> Option<ReferenceList> {
    let paras = paragraphs(pages);
    let head = paras.iter().rposition(|p| is_heading(p.text))?;
    let tail = paras[head + 1..].iter().position(|p| is_end(p.text)).map(|i| head + 1 + i);
    let start = Position { page: paras[head].page, offset: paras[head].offset };
    let end = match tail {
        Some(i) => Position { page: paras[i].page, offset: paras[i].offset },
        None => Position { page: pages.len(), offset: 0 },
    };
    // The heading paragraph may carry the first entries (`REFERENCES [1] ...`).
    let mut body: Vec<&str> = Vec::new();
    let first = paras[head].text;
    let first_rest = first.split_once(char::is_whitespace).map(|(_, r)| r.trim()).unwrap_or("");
    if !is_heading_alone(first) && !first_rest.is_empty() {
        body.push(first_rest);
    }
    let region = &paras[head + 1..tail.unwrap_or(paras.len())];
    // Running headers and footers: short paragraphs repeated on several pages of the list.
    let mut seen: HashMap<&str, std::collections::BTreeSet<usize>> = HashMap::new();
    for p in region.iter().filter(|p| p.text.chars().count() <= 120) {
        seen.entry(p.text).or_default().insert(p.page);
    }
    static PAGE_NUMBER: OnceLock<Regex> = OnceLock::new();
    let page_number = re(&PAGE_NUMBER, r"^(?:\d{1,4}|[ivxlc]{1,6}|Page \d+( of \d+)?)$");
    for p in region {
        if page_number.is_match(p.text) || seen.get(p.text).is_some_and(|pages| pages.len() >= 2) {
            continue;
        }
        body.push(p.text);
    }
    let entries = split_entries(&body).into_iter().map(|t| read_entry(&t)).collect();
    Some(ReferenceList { start, end, entries })
}

fn is_heading_alone(text: &str) -> bool {
    is_heading(text) && text.chars().count() <= 40
}

/// Splits the list's paragraphs into entries' texts.
fn split_entries(paragraphs: &[&str]) -> Vec<String> {
    let text = paragraphs.join("\n");
    let entries = numbered(&text).unwrap_or_else(|| author_year(&text));
    entries
        .into_iter()
        .map(|e| e.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|e| e.chars().count() >= 10)
        .collect()
}

/// Entries of a numbered list: markers `[n]` (or `n.` at a paragraph's or sentence's start)
/// whose numbers run 1, 2, 3, ... in order; `None` when fewer than three do.
fn numbered(text: &str) -> Option<Vec<String>> {
    static BRACKET: OnceLock<Regex> = OnceLock::new();
    static DOTTED: OnceLock<Regex> = OnceLock::new();
    let patterns = [re(&BRACKET, r"(?:^|\s)\[(\d{1,4})\]\s*"), re(&DOTTED, r"(?:^|\n|[.)]\s)(\d{1,4})\.\s+\p{Lu}")];
    for pattern in patterns {
        // (start of marker, start of entry text, number)
        let markers: Vec<(usize, usize, u32)> = pattern
            .captures_iter(text)
            .filter_map(|c| {
                let n = c.get(1)?;
                let whole = c.get(0)?;
                let after = if whole.as_str().ends_with(|ch: char| ch.is_alphabetic()) {
                    whole.end() - whole.as_str().chars().last().map_or(0, char::len_utf8)
                } else {
                    whole.end()
                };
                Some((n.start().saturating_sub(1), after, n.as_str().parse().ok()?))
            })
            .collect();
        let Some(first) = markers.iter().position(|m| m.2 == 1) else { continue };
        let mut chain = vec![markers[first]];
        for m in &markers[first + 1..] {
            if m.2 == chain.last().map_or(0, |l| l.2) + 1 {
                chain.push(*m);
            }
        }
        if chain.len() < 3 {
            continue;
        }
        let mut out = Vec::with_capacity(chain.len());
        for (i, m) in chain.iter().enumerate() {
            let stop = chain.get(i + 1).map_or(text.len(), |n| n.0);
            out.push(text[m.1..stop.max(m.1)].to_string());
        }
        return Some(out);
    }
    None
}

/// Entries of an unnumbered (author-year) list: a new entry starts where a sentence that ends
/// like an entry (a year, a page range, a number, an address) is followed by an author list.
fn author_year(text: &str) -> Vec<String> {
    static END: OnceLock<Regex> = OnceLock::new();
    static START: OnceLock<Regex> = OnceLock::new();
    let end = re(&END, r"(?:\(?(?:1[6-9]|20)\d{2}[a-z]?\)?|\d+\s?[–-]\s?\d+|\d+|\S*/\S*|\S+\.(?:pdf|html?|md))\.$");
    let start = re(
        &START,
        concat!(
            r"^(?:",
            // J. Austin, / H. P. de Oliveira Pinto, / J.-P. Serre and
            r"(?:\p{Lu}\.(?:\s?-?\p{Lu}\.)*\s?)(?:(?:de|van|der|von|di|da|del|la|le|den|dos)\s)*\p{Lu}[\p{L}'’-]+(?:,|\sand\s|\.)",
            // Austin, J. / Lamport, Leslie / LAMPORT, L.
            r"|\p{Lu}[\p{L}'’-]+,\s(?:\p{Lu}\.|\p{Lu}\p{Ll}+)",
            // Leslie Lamport, / Edsger W. Dijkstra.
            r"|\p{Lu}\p{Ll}+(?:\s\p{Lu}\.)?\s\p{Lu}[\p{L}'’-]+(?:,|\sand\s|\.\s)",
            // Corporate: Anthropic. / AI@Meta.
            r"|\p{Lu}[\p{L}\d@&-]+\.\s",
            r")"
        ),
    );
    const NOT_A_START: &[&str] = &["In ", "URL", "Available", "Retrieved", "Accessed", "ISBN", "ISSN", "Proc", "Vol"];
    let mut out = Vec::new();
    let mut from = 0;
    let mut prev_end = 0;
    for (i, c) in text.char_indices() {
        if !c.is_whitespace() || i < prev_end {
            continue;
        }
        // `i` is a run of whitespace; the word before it and what follows.
        let next = text[i..].trim_start();
        let at = text.len() - next.len();
        prev_end = at;
        let before = &text[from..i];
        let last_word = before.rsplit(char::is_whitespace).next().unwrap_or("");
        if !last_word.ends_with('.') || before.trim().chars().count() < 10 {
            continue;
        }
        // The last sentence before: an address broken by a line end (`claude-3 -5-sonnet.`)
        // still ends an entry.
        let last_sentence = before[..before.len() - 1].rsplit(". ").next().unwrap_or("");
        let address = ["http", "www.", "doi:", "doi.org"].iter().any(|w| last_sentence.contains(w));
        let boundary = end.is_match(last_word) || address || text[i..at].contains('\n');
        if boundary && start.is_match(next) && !NOT_A_START.iter().any(|w| next.starts_with(w)) {
            out.push(text[from..i].to_string());
            from = at;
        }
    }
    out.push(text[from..].to_string());
    out
}

/// Reads the identifiers and the title of one entry.
fn read_entry(text: &str) -> ReferenceEntry {
    ReferenceEntry { text: text.to_string(), arxiv_ids: arxiv_ids(text), dois: dois(text), title: title(text) }
}

/// arXiv identifiers named in `text` (`arXiv:2108.07732`, `abs/2107.03374`,
/// `10.48550/arXiv.2401.06066`, `arXiv:cs/0112017`), even when a line break split them.
pub fn arxiv_ids(text: &str) -> Vec<String> {
    static NEW: OnceLock<Regex> = OnceLock::new();
    static OLD: OnceLock<Regex> = OnceLock::new();
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out: Vec<String> = Vec::new();
    for c in re(&NEW, r"(?i)(?:arxiv[:.]?|abs/|pdf/)(\d{4})\.(\d{4,5})(\d?)").captures_iter(&compact) {
        let month: u32 = c[1][2..].parse().unwrap_or(0);
        if !(1..=12).contains(&month) || !c[3].is_empty() {
            continue;
        }
        let id = format!("{}.{}", &c[1], &c[2]);
        if !out.contains(&id) {
            out.push(id);
        }
    }
    for c in re(&OLD, r"(?i)(?:arxiv:|abs/)([a-z-]+(?:\.[a-z]{2})?/\d{7})").captures_iter(&compact) {
        let id = c[1].to_lowercase();
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// DOIs named in `text`, lowercase, without trailing punctuation.
pub fn dois(text: &str) -> Vec<String> {
    static DOI: OnceLock<Regex> = OnceLock::new();
    let mut out: Vec<String> = Vec::new();
    for m in re(&DOI, r"\b10\.\d{4,9}/[^\s\x22<>]+").find_iter(text) {
        let doi = m.as_str().trim_end_matches(['.', ',', ';', ')', ']', '”']).to_lowercase();
        if doi.len() > 8 && !out.contains(&doi) {
            out.push(doi);
        }
    }
    out
}

/// The part of an entry that reads as a title: a quoted string, else the sentence after the
/// authors.
fn title(text: &str) -> Option<String> {
    static QUOTED: OnceLock<Regex> = OnceLock::new();
    if let Some(c) = re(&QUOTED, r#"[“"]([^”"]{10,300})[”"]"#).captures(text) {
        return Some(c[1].trim().trim_end_matches([',', '.']).to_string());
    }
    let sentences = sentences(text);
    let authors = sentences.first()?;
    let looks_like_authors = authors.contains(',') || authors.contains(" and ") || authors.split(' ').count() <= 3;
    let pick = if looks_like_authors && sentences.len() > 1 { &sentences[1] } else { authors };
    // `Llama 3 model card, 2024a` and `ZeroEval: ..., July 2024` name their year after the title.
    static YEAR: OnceLock<Regex> = OnceLock::new();
    let pick = re(&YEAR, r",\s*(?:\p{Lu}\p{Ll}+\.?\s)?(?:1[6-9]|20)\d{2}[a-z]?$").replace(pick.trim(), "");
    (pick.chars().count() >= 8 && pick.chars().any(char::is_alphabetic)).then(|| pick.chars().take(300).collect())
}

/// Splits at `. ` except after an initial (`J. Austin`).
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let words: Vec<&str> = text.split(' ').collect();
    for (i, w) in words.iter().enumerate() {
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(w);
        let stem = w.trim_end_matches('.');
        // `J.`, `W.-L.`: an initial, not the end of a sentence.
        let initial = stem.split('-').all(|p| {
            let p = p.trim_end_matches('.');
            p.chars().count() == 1 && p.chars().all(char::is_uppercase)
        });
        if w.ends_with('.') && !initial && i + 1 < words.len() {
            out.push(std::mem::take(&mut cur).trim_end_matches('.').to_string());
        }
    }
    if !cur.is_empty() {
        out.push(cur.trim_end_matches('.').to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn author_year_entries_split_where_an_end_meets_an_author_list() {
        let p = pages(&[
            "Introduction\n\nWe build on prior work (Austin et al., 2021).",
            "References\n\nAI@Meta. Llama 3 model card, 2024a. URL https://github.com/meta-llama/llama3/bl ob/main/MODEL_CARD.md. \
             Anthropic. Claude 3.5 sonnet, 2024. URL https://www.anthropic.com/news/claude-3 -5-sonnet. \
             J. Austin, A. Odena, M. Nye, et al. Program synthesis with large language models. arXiv preprint arXiv:2108.07732, 2021. \
             D. Dai, C. Deng, C. Zhao, R. X. Xu, H. Gao, D. Chen, J. Li, W. Zeng, X. Yu, Y. Wu, Z. Xie, Y. K. Li, \
             P. Huang, F. Luo, C. Ruan, Z. Sui, and W. Liang. Deepseekmoe: Towards ultimate expert \
             specialization in mixture-of-experts language models. CoRR, abs/2401. 06066, 2024. URL \
             https://doi.org/10.48550/arXiv.2401.06066.\n\n36\n\nM. Bauer, S. Treichler, and A. Aiken. Singe: leveraging warp \
             specialization. In PPoPP ’14, page 119–130, 2014. doi: 10.1145/2555243.2555258.",
            "Appendix\n\nA. Contributions and Acknowledgments\n\nMore text.",
        ]);
        let list = parse(&p).expect("a list");
        let texts: Vec<&str> = list.entries.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(list.entries.len(), 5, "{texts:#?}");
        assert!(texts[0].starts_with("AI@Meta."));
        assert!(texts[2].starts_with("J. Austin"));
        assert_eq!(list.entries[2].arxiv_ids, ["2108.07732"]);
        assert_eq!(list.entries[2].title.as_deref(), Some("Program synthesis with large language models"));
        assert_eq!(list.entries[3].arxiv_ids, ["2401.06066"]);
        assert_eq!(list.entries[4].dois, ["10.1145/2555243.2555258"]);
        assert!(!texts.iter().any(|t| t.contains("Appendix") || t.contains(" 36 ")));
        assert_eq!(list.start, Position { page: 1, offset: 0 });
        assert_eq!(list.end, Position { page: 2, offset: 0 });
        assert!(list.contains(1, 20, 200));
        assert!(!list.contains(0, 0, 20));
        assert!(!list.contains(2, 10, 40));
    }

    #[test]
    fn numbered_entries_follow_their_numbering() {
        let p = pages(&[
            "Body text that cites [2] and [1].\n\nREFERENCES\n\n[1] L. Lamport, “Time, clocks, and the ordering of events in a \
             distributed system,” Commun. ACM, vol. 21, no. 7, pp. 558–565, 1978.\n\n[2] F. B. Schneider, “Implementing \
             fault-tolerant services using the state machine approach: a tutorial,” ACM Comput. Surv., 1990. [3] B. Lampson. \
             Hints for computer system design. 1983.",
        ]);
        let list = parse(&p).expect("a list");
        assert_eq!(list.entries.len(), 3);
        assert_eq!(
            list.entries[0].title.as_deref(),
            Some("Time, clocks, and the ordering of events in a distributed system")
        );
        assert!(list.entries[2].text.starts_with("B. Lampson"));
        assert_eq!(list.entries[2].title.as_deref(), Some("Hints for computer system design"));
        let dotted = pages(&[
            "References\n\n1. Lamport L. Time, clocks. 1978.\n\n2. Lampson B. Hints. In Proc. 1983. 3. Shannon C. A mathematical theory of communication. 1948.",
        ]);
        assert_eq!(parse(&dotted).expect("a list").entries.len(), 3);
    }

    #[test]
    fn no_heading_no_list_and_a_table_of_contents_is_not_one() {
        assert_eq!(parse(&pages(&["Just text.\n\nMore text about references in general."])), None);
        let toc = pages(&[
            "Contents\n\n1 Introduction … 3\n\nReferences … 36",
            "Body.\n\nReferences\n\nA. Author. A title. 2020.",
        ]);
        let list = parse(&toc).expect("a list");
        assert_eq!(list.start.page, 1);
    }

    #[test]
    fn identifiers_are_read_across_line_breaks_and_not_from_numbers() {
        assert_eq!(arxiv_ids("arXiv preprint arXiv:2412. 19437, 2024"), ["2412.19437"]);
        assert_eq!(arxiv_ids("CoRR abs/1803.05457v2"), ["1803.05457"]);
        assert_eq!(arxiv_ids("arXiv:hep-th/9901001"), ["hep-th/9901001"]);
        assert!(arxiv_ids("pages 2412.19437 and arXiv:2413.00001").is_empty());
        assert_eq!(dois("doi: 10.1609/aaai.v34i05.6239. URL x"), ["10.1609/aaai.v34i05.6239"]);
    }
}
