//! Paper metadata from a file: arXiv id, DOI, title, authors and date.
//!
//! The title is read from the first page's layout (the largest text near the top that is not
//! boilerplate: a proceedings banner, a journal header, a repository's cover line, "Abstract"),
//! then from the PDF's `/Title` when it looks like a title, then from the first lines of text.
//! Authors come from a plausible `/Author`, else from the lines under the title. The date comes
//! from the arXiv id, then a year printed beside a venue or copyright line on the first page,
//! then the PDF's own dates at the precision of a year.

use std::sync::OnceLock;

use regex::Regex;

use crate::date::PartialDate;
use crate::ingest::extract::PdfInfo;
use crate::ingest::layout::{PageLayout, TextLine};
use crate::ingest::quality::readable;

/// What could be learned about a paper from its file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Detected {
    /// arXiv id without version.
    pub arxiv_id: Option<String>,
    /// DOI (lowercase `10.…/…`), when the paper prints one.
    pub doi: Option<String>,
    /// A title.
    pub title: Option<String>,
    /// A date.
    pub date: Option<PartialDate>,
    /// Authors.
    pub authors: Vec<String>,
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid regex"))
}

fn arxiv_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(&RE, r"(?i)arXiv:\s*(\d{4}\.\d{4,5})(v\d+)?")
}

fn doi_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(&RE, r"(?i)\b(10\.\d{4,9}/[^\s\x22<>]+)")
}

/// Looks at the first pages (normalized), their layout and the info dictionary.
pub fn detect(pages: &[String], info: &PdfInfo, layout: &[PageLayout]) -> Detected {
    let head: String = pages.iter().take(2).cloned().collect::<Vec<_>>().join("\n\n");
    let arxiv_id = arxiv_re().captures(&head).map(|c| c[1].to_string());
    let doi = doi_re().captures(&head).map(|c| clean_doi(&c[1])).filter(|d| d.len() > 8);
    let first_page = pages.first().map(String::as_str).unwrap_or("");
    let from_layout = layout.iter().find_map(layout_title);
    let title = from_layout
        .as_ref()
        .map(|t| t.title.clone())
        .or_else(|| info.title.as_ref().filter(|t| plausible_title(t)).cloned())
        .or_else(|| first_line_title(first_page));
    let date = arxiv_id
        .as_ref()
        .and_then(|a| {
            let yy: i32 = a[0..2].parse().ok()?;
            let mm: u8 = a[2..4].parse().ok()?;
            Some(PartialDate { year: 2000 + yy, month: Some(mm), day: None })
        })
        .or_else(|| printed_date(first_page, info.creation_date.as_deref().and_then(pdf_year)))
        .or_else(|| {
            info.creation_date.as_deref().and_then(pdf_year).map(|year| PartialDate { year, month: None, day: None })
        });
    let mut authors = info.author.as_deref().map(split_authors).unwrap_or_default();
    if !authors.iter().all(|a| plausible_name(a)) || authors.is_empty() {
        authors = from_layout.map(|t| t.authors).unwrap_or_default();
    }
    Detected { arxiv_id, doi, title, date, authors }
}

fn clean_doi(d: &str) -> String {
    d.trim_end_matches(['.', ',', ';', ')', ']', '}']).to_lowercase()
}

fn split_authors(a: &str) -> Vec<String> {
    a.split([',', ';', '&'])
        .flat_map(|s| s.split(" and "))
        .map(|s| s.trim().trim_start_matches("and ").trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn plausible_title(t: &str) -> bool {
    let lower = t.to_lowercase();
    let words = t.split_whitespace().filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2).count();
    t.chars().filter(|c| c.is_alphabetic()).count() >= 8
        && words >= 2
        && !lower.starts_with("untitled")
        && !lower.starts_with("microsoft word")
        && !lower.contains('\\')
        && !lower.contains('/')
        && ![".dvi", ".tex", ".pdf", ".doc", ".docx", ".eps", ".ps", ".indd", ".qxd", ".rtf"]
            .iter()
            .any(|x| lower.contains(x))
        && !boilerplate(t)
        && readable(t)
}

/// Lines that are never a title: venue banners, repository covers, section names, notices.
pub fn boilerplate(line: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let line = line.trim();
    let lower = line.to_lowercase();
    re(
        &RE,
        r"(?i)^(abstract\b|(\d+(\.\d+)*\.?\s*)?(introduction|keywords|index terms|contents|table of contents|preface|acknowledg\w*|references|bibliography|appendix|chapter \d+|section \d+)\s*[.:—-]?\s*$)",
    )
    .is_match(line)
        || venue_numbers(line)
        || [
            "proceedings", "conference", "symposium", "workshop", "journal", "transactions on", "vol.", "volume ",
            "issn", "isbn", "doi", "copyright", "©", "arxiv", "preprint", "submitted to", "accepted", "published",
            "http", "www.", "@", "see discussions", "researchgate", "this paper is included", "technical report",
            "tech report", "downloaded", "licensed", "permission", "usenix association", "all rights reserved",
            "open access", "to appear", "camera-ready", "draft", "page ", "manuscript", "letters", "magazine",
            "under consideration", "in press", "forthcoming", "jl. of", "j. of",
            "communications of the", "reprinted", "author manuscript", "creative commons",
        ]
        .iter()
        .any(|b| lower.contains(b))
}

/// A journal's volume(issue), pages line: `19(2), 185-224`, `vol. 4, no. 2, pp. 1-9`.
fn venue_numbers(line: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(&RE, r"(?i)\b\d+\s*\(\d+\)\s*[,:]\s*\d+\s*[-–]\s*\d+|\bpp?\.\s*\d+\s*[-–]\s*\d+").is_match(line)
}

/// A title read from a page's layout, with the author lines under it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LayoutTitle {
    title: String,
    authors: Vec<String>,
}

/// Lines merged when the PDF draws one visual line in pieces, in reading order.
fn visual_lines(layout: &PageLayout) -> Vec<TextLine> {
    let mut lines: Vec<TextLine> =
        layout.lines.iter().filter(|l| !l.text.trim().is_empty() && l.size > 0.0).cloned().collect();
    lines.sort_by(|a, b| a.top.total_cmp(&b.top).then(a.left.total_cmp(&b.left)));
    let mut out: Vec<TextLine> = Vec::new();
    for l in lines {
        match out.last_mut() {
            Some(prev)
                if (prev.top - l.top).abs() < 0.4 * prev.size.max(l.size)
                    && (prev.size - l.size).abs() <= 0.15 * prev.size.max(l.size) =>
            {
                prev.text.push(' ');
                prev.text.push_str(l.text.trim());
                prev.size = prev.size.max(l.size);
            }
            _ => out.push(TextLine { text: l.text.trim().to_string(), ..l }),
        }
    }
    for l in &mut out {
        l.text = l.text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    out
}

fn layout_title(layout: &PageLayout) -> Option<LayoutTitle> {
    let lines = visual_lines(layout);
    if lines.is_empty() {
        return None;
    }
    let mut sizes: Vec<f32> = lines.iter().map(|l| l.size).collect();
    sizes.sort_by(f32::total_cmp);
    let body = sizes[sizes.len() / 2];
    let limit = if layout.height > 0.0 { layout.height * 0.6 } else { f32::MAX };
    let candidate = |l: &TextLine| {
        l.top >= 0.0
            && l.top <= limit
            && l.text.chars().filter(|c| c.is_alphabetic()).count() >= 4
            && !boilerplate(&l.text)
            && readable(&l.text)
    };
    // The largest text first; a block of it with fewer than two words (a logo, a series
    // name, a figure's label) is passed over for the next size down.
    let mut tried: Vec<f32> = Vec::new();
    loop {
        let biggest = lines
            .iter()
            .filter(|l| candidate(l) && !tried.iter().any(|t| (t - l.size).abs() < 0.01))
            .map(|l| l.size)
            .fold(0.0f32, f32::max);
        if biggest < body * 1.12 || tried.len() >= 4 {
            return None;
        }
        tried.push(biggest);
        let same = |l: &TextLine| (l.size - biggest).abs() <= biggest * 0.07;
        let Some(start) = lines.iter().position(|l| candidate(l) && same(l)) else { continue };
        // The title's lines: the same size, each within a little more than two lines of the
        // one before; lines between them in other sizes (a column of body text beside a
        // title, a footnote mark) are passed over.
        let mut block: Vec<usize> = vec![start];
        for (i, l) in lines.iter().enumerate().skip(start + 1) {
            let last = &lines[block[block.len() - 1]];
            if l.top - last.top > 2.4 * biggest {
                break;
            }
            if same(l) && !boilerplate(&l.text) && l.text.chars().any(char::is_alphabetic) {
                block.push(i);
            }
        }
        let mut text = String::new();
        for &i in &block {
            let l = &lines[i].text;
            if text.ends_with('-') && l.starts_with(|c: char| c.is_lowercase()) {
                text.pop();
            } else if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(l);
        }
        let text: String = clean_title(&text.chars().take(300).collect::<String>());
        let words = text.split_whitespace().filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3).count();
        if words < 2 || !plausible_layout_title(&text) {
            continue;
        }
        let end = block[block.len() - 1];
        let authors = authors_under(&lines[end + 1..], biggest, body);
        return Some(LayoutTitle { title: text, authors });
    }
}

/// NFKC (ligatures), single spaces, no trailing footnote marks, and an all-capitals title in
/// title case.
fn clean_title(t: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let t: String = t.nfkc().collect();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    let t = t.trim_end_matches(|c: char| "*∗†‡§¶0123456789 ,".contains(c)).trim().to_string();
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 12 && letters.iter().all(|c| !c.is_lowercase()) {
        const SMALL: &[&str] = &["a", "an", "the", "of", "and", "in", "for", "on", "to", "with", "by", "or", "at"];
        return t
            .split(' ')
            .enumerate()
            .map(|(i, w)| {
                let lower = w.to_lowercase();
                if i > 0 && SMALL.contains(&lower.as_str()) {
                    lower
                } else {
                    let mut c = lower.chars();
                    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
    }
    t
}

fn plausible_layout_title(t: &str) -> bool {
    t.chars().filter(|c| c.is_alphabetic()).count() >= 4 && readable(t) && !boilerplate(t)
}

/// Names on the lines under a title, down to the abstract or the body text.
fn authors_under(lines: &[TextLine], title_size: f32, body: f32) -> Vec<String> {
    let mut out = Vec::new();
    for l in lines.iter().take(8) {
        let lower = l.text.to_lowercase();
        if lower.starts_with("abstract") || l.size >= title_size * 0.92 {
            break;
        }
        if l.text.split_whitespace().count() > 14 && l.size <= body * 1.02 {
            break;
        }
        let cleaned: String =
            l.text.chars().map(|c| if c.is_ascii_digit() || "*†‡§¶∗⋆⁎#".contains(c) { ' ' } else { c }).collect();
        for part in cleaned.split([',', ';', '&']).flat_map(|s| s.split(" and ")) {
            let part = clean_title(part);
            let part = part.trim_start_matches("and ").trim();
            if plausible_name(part) && !out.iter().any(|a: &String| a == part) {
                out.push(part.to_string());
            }
        }
        if out.len() >= 30 {
            break;
        }
    }
    out
}

/// A person's name: two to five words, each capitalized, an initial or a particle; no digits,
/// no institution words.
fn plausible_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if !(2..=5).contains(&words.len()) || s.chars().any(|c| c.is_ascii_digit() || c == '@') {
        return false;
    }
    let lower = s.to_lowercase();
    const INSTITUTIONS: &[&str] = &[
        "university",
        "institute",
        "laborator",
        "lab",
        "inc",
        "corporation",
        "research",
        "department",
        "school",
        "college",
        "center",
        "centre",
        "google",
        "microsoft",
        "company",
        "group",
        "faculty",
        "science",
        "computer",
        "abstract",
        "technology",
        "systems",
        "street",
        "road",
        "avenue",
        "usa",
        "admin",
        "user",
        "author",
        "media",
        "computing",
        "engineering",
        "foundation",
        "national",
        "labs",
        "ltd",
        "gmbh",
        "state",
        "city",
        "new",
        "york",
        "email",
        "editors",
        "editor",
        "programming",
        "techniques",
        "gardens",
        "hall",
        "building",
    ];
    if words.iter().any(|w| {
        let w = w.to_lowercase();
        let w = w.trim_matches(|c: char| !c.is_alphabetic());
        INSTITUTIONS.iter().any(|i| w == *i || (i.len() >= 5 && w.starts_with(i)))
    }) || lower.contains("univ")
    {
        return false;
    }
    words.iter().all(|w| {
        let w = w.trim_matches(|c: char| c == ',' || c == '.');
        let first = w.chars().next();
        ["van", "von", "de", "der", "da", "di", "la", "le", "del", "den", "du"].contains(&w)
            || (first.is_some_and(char::is_uppercase) && w.chars().all(|c| c.is_alphabetic() || "-'’.".contains(c)))
    })
}

/// The first line of a page's text that reads like a title (no boilerplate, two words or more).
pub(crate) fn first_line_title(page: &str) -> Option<String> {
    let para = page
        .split('\n')
        .map(str::trim)
        .filter(|p| !boilerplate(p) && readable(p))
        .find(|p| p.chars().filter(|c| c.is_alphabetic()).count() >= 8 && p.split_whitespace().count() >= 2)?;
    let title: String = para.chars().take(200).collect();
    Some(title.trim().to_string())
}

/// The year (and month, when printed with it) beside a venue, copyright or publication line on
/// the first page; never later than the year after `not_after` (the PDF's own year, when it
/// has one).
fn printed_date(first_page: &str, not_after: Option<i32>) -> Option<PartialDate> {
    static YEAR: OnceLock<Regex> = OnceLock::new();
    static CONTEXT: OnceLock<Regex> = OnceLock::new();
    static MONTH: OnceLock<Regex> = OnceLock::new();
    let year_re = re(&YEAR, r"\b(1[89]\d\d|20\d\d)\b");
    let context = re(
        &CONTEXT,
        r"(?i)(©|\(c\)|copyright|proceedings|conference|symposium|workshop|journal|transactions|\bvol\b|volume|published|received|accepted|appeared|presented|press|report|\bno\.|issue|university|acm|ieee|usenix|siam|springer|elsevier)",
    );
    let month_re =
        re(&MONTH, r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+(?:\d{1,2},?\s+)?$");
    let head: String = first_page.chars().take(6000).collect();
    // A paper is often made before its venue's year (a December PDF for a January conference).
    let max_year = not_after.map_or(i32::MAX, |y| y + 1).min(crate::date::current_year());
    let mut best: Option<PartialDate> = None;
    for m in year_re.find_iter(&head) {
        let year: i32 = m.as_str().parse().ok()?;
        if year < 1900 || year > max_year {
            continue;
        }
        // The context is the year's own line, at most 60 characters either side.
        let line_start = head[..m.start()].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let line_end = head[m.end()..].find('\n').map(|i| m.end() + i).unwrap_or(head.len());
        let lo =
            head[line_start..m.start()].char_indices().rev().nth(60).map(|(i, _)| line_start + i).unwrap_or(line_start);
        let hi = head[m.end()..line_end].char_indices().nth(60).map(|(i, _)| m.end() + i).unwrap_or(line_end);
        let month = month_re.captures(&head[lo..m.start()]).and_then(|c| month_number(&c[1]));
        if !context.is_match(&head[lo..hi]) && month.is_none() {
            continue;
        }
        let date = PartialDate { year, month, day: None };
        if best.is_none_or(|b| (year, month.is_some()) > (b.year, b.month.is_some())) {
            best = Some(date);
        }
    }
    best
}

fn month_number(name: &str) -> Option<u8> {
    let names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let lower = name.to_lowercase();
    names.iter().position(|n| lower.starts_with(n)).map(|i| i as u8 + 1)
}

/// The year of a PDF date (`D:2002…`), when it is a believable one.
fn pdf_year(s: &str) -> Option<i32> {
    let s = s.strip_prefix("D:").unwrap_or(s);
    let year: i32 = s.get(0..4)?.parse().ok()?;
    (1990..=crate::date::current_year()).contains(&year).then_some(year)
}

/// Parses a PDF date (`D:20250123075355Z`) to ISO `2025-01-23T07:53:55`.
pub fn pdf_timestamp(s: &str) -> Option<String> {
    let s = s.strip_prefix("D:").unwrap_or(s);
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() < 8 {
        return None;
    }
    let d = |a: usize, b: usize| digits.get(a..b).unwrap_or("00").to_string();
    Some(format!("{}-{}-{}T{}:{}:{}", d(0, 4), d(4, 6), d(6, 8), d(8, 10), d(10, 12), d(12, 14)))
}

/// Lowercase letters and digits of `s`, single-spaced: the form titles are compared in.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    out.trim_end().to_string()
}

/// Whether `title` appears near the top of the first page.
pub fn title_on_first_page(title: &str, first_page: &str) -> bool {
    let t = fold(title);
    if t.len() < 8 {
        return false;
    }
    let head: String = first_page.chars().take(1500).collect();
    let head = fold(&head);
    head.contains(&t) || head.replace(' ', "").contains(&t.replace(' ', ""))
}

/// A short slug of a title: lowercase words joined by `-`, at most six words.
pub fn slug(title: &str) -> String {
    let s: Vec<String> = fold(title).split(' ').filter(|w| !w.is_empty()).take(6).map(String::from).collect();
    let s = s.join("-");
    if s.is_empty() {
        "paper".to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_arxiv_and_dates() {
        let pages = vec!["A Title Of Some Paper\n\narXiv:2412.19437v1 [cs.CL] 27 Dec 2024".to_string()];
        let d = detect(&pages, &PdfInfo::default(), &[]);
        assert_eq!(d.arxiv_id.as_deref(), Some("2412.19437"));
        assert_eq!(d.date.unwrap().to_iso(), "2024-12");
        assert_eq!(d.title.as_deref(), Some("A Title Of Some Paper"));
    }

    #[test]
    fn pdf_timestamps_become_iso() {
        assert_eq!(pdf_timestamp("D:20250123075355Z").as_deref(), Some("2025-01-23T07:53:55"));
        assert_eq!(pdf_timestamp("D:2025").as_deref(), None);
    }

    #[test]
    fn titles_match_across_line_breaks_and_case() {
        assert!(title_on_first_page("DeepSeek-V3 Technical Report", "DeepSeek-V3 Technical\nReport\n\nDeepSeek-AI"));
        assert!(!title_on_first_page("DeepSeek-V2: A Strong", "nothing here"));
        assert_eq!(slug("Attention Is All You Need: Really, Truly Now"), "attention-is-all-you-need-really");
    }
}
