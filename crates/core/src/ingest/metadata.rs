//! Paper metadata from extracted text and the PDF's info dictionary: arXiv id, title, date,
//! authors, and matching against known papers.

use std::sync::OnceLock;

use regex::Regex;

use crate::date::PartialDate;
use crate::ingest::extract::PdfInfo;

/// What could be learned about a paper from its file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Detected {
    /// arXiv id without version.
    pub arxiv_id: Option<String>,
    /// A title.
    pub title: Option<String>,
    /// A date.
    pub date: Option<PartialDate>,
    /// Authors.
    pub authors: Vec<String>,
}

fn arxiv_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?i)arXiv:\s*(\d{4}\.\d{4,5})(v\d+)?").expect("valid regex"))
}

/// Looks at the first pages (normalized) and the info dictionary.
pub fn detect(pages: &[String], info: &PdfInfo) -> Detected {
    let head: String = pages.iter().take(2).cloned().collect::<Vec<_>>().join("\n\n");
    let arxiv_id = arxiv_re().captures(&head).map(|c| c[1].to_string());
    let title = info
        .title
        .as_ref()
        .filter(|t| plausible_title(t))
        .cloned()
        .or_else(|| first_line_title(pages.first().map(String::as_str).unwrap_or("")));
    let date = arxiv_id
        .as_ref()
        .and_then(|a| {
            let yy: i32 = a[0..2].parse().ok()?;
            let mm: u8 = a[2..4].parse().ok()?;
            Some(PartialDate { year: 2000 + yy, month: Some(mm), day: None })
        })
        .or_else(|| info.creation_date.as_deref().and_then(pdf_date));
    let authors = info
        .author
        .as_deref()
        .map(|a| {
            a.split([',', ';'])
                .flat_map(|s| s.split(" and "))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    Detected { arxiv_id, title, date, authors }
}

fn plausible_title(t: &str) -> bool {
    let lower = t.to_lowercase();
    t.chars().filter(|c| c.is_alphabetic()).count() >= 8
        && !lower.starts_with("untitled")
        && !lower.starts_with("microsoft word")
        && ![".dvi", ".tex", ".pdf", ".doc", ".docx"].iter().any(|x| lower.ends_with(x))
}

fn first_line_title(page: &str) -> Option<String> {
    let para = page.split("\n\n").map(str::trim).find(|p| p.chars().filter(|c| c.is_alphabetic()).count() >= 8)?;
    let title: String = para.chars().take(200).collect();
    Some(title.trim().to_string())
}

/// Parses a PDF date (`D:20250123075355Z`) to a month-precision date.
fn pdf_date(s: &str) -> Option<PartialDate> {
    let s = s.strip_prefix("D:").unwrap_or(s);
    let year: i32 = s.get(0..4)?.parse().ok()?;
    let month: u8 = s.get(4..6)?.parse().ok()?;
    ((1990..=2100).contains(&year) && (1..=12).contains(&month)).then_some(PartialDate {
        year,
        month: Some(month),
        day: None,
    })
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
        let d = detect(&pages, &PdfInfo::default());
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
