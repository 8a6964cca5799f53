//! The cited papers as references: CSL-JSON (`references.json`), BibTeX (`references.bib`)
//! and RIS (`references.ris`). The citation key of a paper is its library id, the same in
//! all three files, so keys stay stable from one export to the next.

use serde::{Deserialize, Serialize};

use super::plan::PaperRef;

/// A CSL-JSON item, the subset Papertrail writes (readable by Zotero, citeproc, hayagriva).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CslItem {
    /// The citation key (the paper id).
    pub id: String,
    /// CSL item type: `article` (a preprint) for arXiv papers, else `report`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Title.
    pub title: String,
    /// Authors, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub author: Vec<CslName>,
    /// Date of first publication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<CslDate>,
    /// The publisher (`arXiv` for preprints).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// The arXiv identifier (`arXiv:2412.19437`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// DOI (arXiv's DataCite DOI `10.48550/arXiv.<id>`).
    #[serde(rename = "DOI", default, skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    /// Landing page.
    #[serde(rename = "URL", default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A CSL name: a person in parts, or a literal (corporate) name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CslName {
    /// A person.
    Person {
        /// Family name.
        family: String,
        /// Given names.
        given: String,
    },
    /// An organisation or any name kept whole.
    Literal {
        /// The name as written.
        literal: String,
    },
}

/// A CSL date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CslDate {
    /// `[[year, month?, day?]]`.
    #[serde(rename = "date-parts")]
    pub date_parts: Vec<Vec<i64>>,
}

/// Splits an author string: `Family, Given` or `Given Family` for persons; a single word
/// (`DeepSeek-AI`) or a name with an organisation word is kept whole.
pub fn csl_name(author: &str) -> CslName {
    let a = author.trim();
    if let Some((family, given)) = a.split_once(',') {
        return CslName::Person { family: family.trim().into(), given: given.trim().into() };
    }
    let org_words = ["AI", "Inc", "Lab", "Labs", "Team", "University", "Institute", "Group", "Research", "Corporation"];
    let words: Vec<&str> = a.split_whitespace().collect();
    if words.len() < 2 || words.len() > 4 || words.iter().any(|w| org_words.contains(w)) {
        return CslName::Literal { literal: a.into() };
    }
    let (family, given) = words.split_last().expect("two words or more");
    CslName::Person { family: family.to_string(), given: given.join(" ") }
}

fn date_parts(date: &str) -> Option<Vec<i64>> {
    let parts: Vec<i64> = date.split('-').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    (!parts.is_empty() && parts.len() <= 3).then_some(parts)
}

/// The CSL-JSON item of a paper.
pub fn csl_item(p: &PaperRef) -> CslItem {
    let arxiv = p.arxiv_id.as_deref();
    CslItem {
        id: p.id.clone(),
        kind: if arxiv.is_some() { "article" } else { "report" }.into(),
        title: p.title.clone(),
        author: p.authors.iter().map(|a| csl_name(a)).collect(),
        issued: p.date.as_deref().and_then(date_parts).map(|d| CslDate { date_parts: vec![d] }),
        publisher: arxiv.map(|_| "arXiv".to_string()),
        number: arxiv.map(|a| format!("arXiv:{a}")),
        doi: p.doi.clone().or_else(|| arxiv.map(|a| format!("10.48550/arXiv.{a}"))),
        url: arxiv.map(|a| format!("https://arxiv.org/abs/{a}")).or_else(|| p.source_url.clone()),
    }
}

/// `references.json`: a CSL-JSON array, by key.
pub fn csl_json(papers: &[PaperRef]) -> Vec<CslItem> {
    papers.iter().map(csl_item).collect()
}

/// Escapes text for a braced BibTeX field value.
pub fn bibtex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\{"),
            '}' => out.push_str("\\}"),
            '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A citation key safe for BibTeX: the paper id with anything outside `[A-Za-z0-9_:.-]`
/// replaced by `-`.
pub fn bibtex_key(id: &str) -> String {
    let k: String = id.chars().map(|c| if c.is_ascii_alphanumeric() || "_:.-".contains(c) { c } else { '-' }).collect();
    if k.is_empty() {
        "paper".into()
    } else {
        k
    }
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// `references.bib`: one `@misc` (arXiv preprint) or `@techreport` entry per paper.
pub fn bibtex(papers: &[PaperRef]) -> String {
    let mut out = String::new();
    for p in papers {
        let mut fields: Vec<(&str, String)> = Vec::new();
        let authors: Vec<String> = p
            .authors
            .iter()
            .map(|a| match csl_name(a) {
                CslName::Person { family, given } => format!("{}, {}", bibtex_escape(&family), bibtex_escape(&given)),
                CslName::Literal { literal } => format!("{{{}}}", bibtex_escape(&literal)),
            })
            .collect();
        if !authors.is_empty() {
            fields.push(("author", format!("{{{}}}", authors.join(" and "))));
        }
        fields.push(("title", format!("{{{{{}}}}}", bibtex_escape(&p.title))));
        if let Some(parts) = p.date.as_deref().and_then(date_parts) {
            fields.push(("year", format!("{{{}}}", parts[0])));
            if let Some(m) = parts.get(1).and_then(|m| MONTHS.get((*m as usize).wrapping_sub(1))) {
                fields.push(("month", m.to_string()));
            }
            fields.push(("date", format!("{{{}}}", p.date.as_deref().unwrap_or_default())));
        }
        if let Some(a) = &p.arxiv_id {
            fields.push(("eprint", format!("{{{}}}", bibtex_escape(a))));
            fields.push(("archiveprefix", "{arXiv}".into()));
            fields.push(("eprinttype", "{arxiv}".into()));
            fields.push(("publisher", "{arXiv}".into()));
            let doi = p.doi.clone().unwrap_or_else(|| format!("10.48550/arXiv.{a}"));
            fields.push(("doi", format!("{{{}}}", bibtex_escape(&doi))));
            fields.push(("url", format!("{{https://arxiv.org/abs/{}}}", bibtex_escape(a))));
        } else {
            if let Some(d) = &p.doi {
                fields.push(("doi", format!("{{{}}}", bibtex_escape(d))));
            }
            if let Some(u) = &p.source_url {
                fields.push(("url", format!("{{{}}}", bibtex_escape(u))));
            }
        }
        let kind = if p.arxiv_id.is_some() { "misc" } else { "techreport" };
        out.push_str(&format!("@{kind}{{{},\n", bibtex_key(&p.id)));
        let width = fields.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        for (i, (k, v)) in fields.iter().enumerate() {
            let comma = if i + 1 < fields.len() { "," } else { "" };
            out.push_str(&format!("  {k:<width$} = {v}{comma}\n"));
        }
        out.push_str("}\n\n");
    }
    out
}

/// One RIS line; RIS values are single lines.
fn ris_line(out: &mut String, tag: &str, value: &str) {
    let v: String = value.chars().map(|c| if c == '\n' || c == '\r' { ' ' } else { c }).collect();
    out.push_str(&format!("{tag}  - {v}\r\n"));
}

/// `references.ris`: one record per paper (`RPRT`), CRLF line ends as the format asks.
pub fn ris(papers: &[PaperRef]) -> String {
    let mut out = String::new();
    for p in papers {
        ris_line(&mut out, "TY", "RPRT");
        ris_line(&mut out, "ID", &p.id);
        ris_line(&mut out, "TI", &p.title);
        for a in &p.authors {
            match csl_name(a) {
                CslName::Person { family, given } => ris_line(&mut out, "AU", &format!("{family}, {given}")),
                CslName::Literal { literal } => ris_line(&mut out, "AU", &literal),
            }
        }
        if let Some(parts) = p.date.as_deref().and_then(date_parts) {
            ris_line(&mut out, "PY", &parts[0].to_string());
            let part = |i: usize| parts.get(i).map(|v| format!("{v:02}")).unwrap_or_default();
            ris_line(&mut out, "DA", &format!("{}/{}/{}/", parts[0], part(1), part(2)));
        }
        if let Some(a) = &p.arxiv_id {
            ris_line(&mut out, "PB", "arXiv");
            ris_line(&mut out, "SN", &format!("arXiv:{a}"));
            ris_line(&mut out, "DO", &p.doi.clone().unwrap_or_else(|| format!("10.48550/arXiv.{a}")));
            ris_line(&mut out, "UR", &format!("https://arxiv.org/abs/{a}"));
        } else {
            if let Some(d) = &p.doi {
                ris_line(&mut out, "DO", d);
            }
            if let Some(u) = &p.source_url {
                ris_line(&mut out, "UR", u);
            }
        }
        ris_line(&mut out, "ER", "");
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper(authors: &[&str], title: &str) -> PaperRef {
        PaperRef {
            doi: None,
            id: "deepseek-v3".into(),
            title: title.into(),
            date: Some("2024-12-26".into()),
            date_precision: None,
            arxiv_id: Some("2412.19437".into()),
            authors: authors.iter().map(|a| a.to_string()).collect(),
            source_url: None,
            versions: Vec::new(),
        }
    }

    #[test]
    fn names_split_into_persons_and_organisations() {
        assert_eq!(csl_name("DeepSeek-AI"), CslName::Literal { literal: "DeepSeek-AI".into() });
        assert_eq!(csl_name("Shao, Zhihong"), CslName::Person { family: "Shao".into(), given: "Zhihong".into() });
        assert_eq!(csl_name("Zhihong Shao"), CslName::Person { family: "Shao".into(), given: "Zhihong".into() });
        assert!(matches!(csl_name("Google DeepMind Team"), CslName::Literal { .. }));
    }

    #[test]
    fn bibtex_escapes_special_characters_and_keeps_title_case() {
        let bib = bibtex(&[paper(&["DeepSeek-AI"], "Costs: $5.576M & 100% {fast}_now")]);
        assert!(bib.starts_with("@misc{deepseek-v3,\n"), "{bib}");
        assert!(bib.contains("{{Costs: \\$5.576M \\& 100\\% \\{fast\\}\\_now}}"), "{bib}");
        assert!(bib.contains("author        = {{DeepSeek-AI}}"), "{bib}");
        assert!(bib.contains("month         = dec"), "{bib}");
    }

    #[test]
    fn csl_and_ris_carry_the_arxiv_identity() {
        let item = csl_item(&paper(&["DeepSeek-AI"], "DeepSeek-V3 Technical Report"));
        assert_eq!(item.doi.as_deref(), Some("10.48550/arXiv.2412.19437"));
        assert_eq!(item.issued.unwrap().date_parts, vec![vec![2024, 12, 26]]);
        let r = ris(&[paper(&["DeepSeek-AI"], "T")]);
        assert!(r.starts_with("TY  - RPRT\r\n") && r.contains("DA  - 2024/12/26/\r\n") && r.contains("ER  - \r\n"));
    }
}
