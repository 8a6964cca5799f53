//! The paper metadata a bundle carries (`references.json`), merged into the library after its
//! claims and passages: a paper the bundle brought in as a new PDF takes the bundle's title,
//! authors, date and DOI as edits (what the colleague corrected travels with the bundle and is
//! kept over re-import and reindex); a paper the library already had keeps its own values,
//! and where the bundle says otherwise the difference is reported as a conflict of kind
//! `paper`. A DOI the library lacks is filled in. arXiv's DataCite DOI, which the export
//! writes for every arXiv paper without one of its own, is never taken for the paper's DOI.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::OptionalExtension;

use super::archive::BundleArchive;
use super::import::BundleImportReport;
use super::references::{CslItem, CslName};
use super::webannotation::Passage;
use crate::error::{Error, Result};
use crate::library::Library;
use crate::paper_edit::PaperEdit;

/// The bundle's file of cited papers.
const FILE: &str = "references.json";

/// What the bundle says about one paper, in the library's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
struct BundlePaper {
    title: String,
    authors: Vec<String>,
    date: Option<String>,
    doi: Option<String>,
}

impl BundlePaper {
    fn from_csl(item: &CslItem) -> BundlePaper {
        let authors = item
            .author
            .iter()
            .map(|a| match a {
                CslName::Person { family, given } if given.is_empty() => family.clone(),
                CslName::Person { family, given } => format!("{given} {family}"),
                CslName::Literal { literal } => literal.clone(),
            })
            .collect();
        let date = item.issued.as_ref().and_then(|d| d.date_parts.first()).and_then(|parts| match parts.as_slice() {
            [y] => Some(format!("{y:04}")),
            [y, m] => Some(format!("{y:04}-{m:02}")),
            [y, m, d] => Some(format!("{y:04}-{m:02}-{d:02}")),
            _ => None,
        });
        let doi = item
            .doi
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty() && !d.to_ascii_lowercase().starts_with("10.48550/arxiv."))
            .map(str::to_ascii_lowercase);
        BundlePaper { title: item.title.split_whitespace().collect::<Vec<_>>().join(" "), authors, date, doi }
    }
}

/// The library's own values for a paper.
struct Ours {
    title: String,
    authors: Vec<String>,
    date: Option<String>,
    doi: Option<String>,
}

impl Library {
    /// Merges the paper metadata of `bundle` (see the module docs). `passages` map the bundle's
    /// paper ids to the library's through the files they quote; `report.pdfs_imported` names
    /// the files this import brought in. Call without holding the write lock.
    pub(crate) fn merge_bundle_papers(
        &self,
        bundle: &BundleArchive,
        passages: &[Passage],
        report: &mut BundleImportReport,
    ) -> Result<()> {
        let Some(bytes) = bundle.get(FILE) else { return Ok(()) };
        let items: Vec<CslItem> = serde_json::from_slice(bytes).map_err(|e| {
            Error::invalid(FILE, format!("the bundle's list of cited papers is not valid CSL-JSON: {e}"))
        })?;
        let fresh: BTreeSet<String> = report.pdfs_imported.iter().cloned().collect();
        let mut edits: Vec<(String, PaperEdit)> = Vec::new();
        {
            let conn = self.conn();
            // The bundle's paper id -> the library's, through the files its passages quote.
            let mut local: BTreeMap<&str, String> = BTreeMap::new();
            for p in passages {
                if local.contains_key(p.paper.as_str()) {
                    continue;
                }
                let id: Option<String> = conn
                    .query_row("SELECT paper_id FROM versions WHERE sha256 = ?1", [&p.sha256], |r| r.get(0))
                    .optional()?;
                if let Some(id) = id {
                    local.insert(&p.paper, id);
                }
            }
            for item in &items {
                let theirs = BundlePaper::from_csl(item);
                let id = match local.get(item.id.as_str()) {
                    Some(id) => id.clone(),
                    None => item.id.clone(),
                };
                let row = conn
                    .query_row("SELECT title, authors, date, doi FROM papers WHERE id = ?1", [&id], |r| {
                        Ok(Ours {
                            title: r.get(0)?,
                            authors: serde_json::from_str(&r.get::<_, String>(1)?).unwrap_or_default(),
                            date: r.get(2)?,
                            doi: r.get(3)?,
                        })
                    })
                    .optional()?;
                let Some(ours) = row else { continue };
                let shas: Vec<String> = {
                    let mut stmt = conn.prepare("SELECT sha256 FROM versions WHERE paper_id = ?1")?;
                    let rows = stmt.query_map([&id], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
                    rows
                };
                let brought = !shas.is_empty() && shas.iter().all(|s| fresh.contains(s));
                let edit = if brought { adopt(&ours, &theirs) } else { compare(&id, &ours, &theirs, report) };
                if !edit.is_empty() {
                    edits.push((id, edit));
                }
            }
        }
        for (id, edit) in edits {
            self.edit_paper(&id, &edit)?;
        }
        Ok(())
    }
}

/// A paper this import created from the bundle's file takes every value the bundle gives
/// that differs from what was detected.
fn adopt(ours: &Ours, theirs: &BundlePaper) -> PaperEdit {
    PaperEdit {
        title: (!theirs.title.is_empty() && theirs.title != ours.title).then(|| theirs.title.clone()),
        authors: (!theirs.authors.is_empty() && theirs.authors != ours.authors).then(|| theirs.authors.clone()),
        date: theirs.date.clone().filter(|d| Some(d) != ours.date.as_ref()),
        arxiv_id: None,
        doi: theirs.doi.clone().filter(|d| Some(d) != ours.doi.as_ref()),
    }
}

/// A paper the library had keeps its values: differences become conflicts, and only a DOI
/// the library lacks is taken.
fn compare(id: &str, ours: &Ours, theirs: &BundlePaper, report: &mut BundleImportReport) -> PaperEdit {
    let mut conflict = |field: &str, ours: &str, theirs: &str| {
        if !theirs.is_empty() && ours != theirs {
            report.conflicts.push(super::import::Conflict {
                kind: "paper".into(),
                id: id.to_string(),
                field: field.into(),
                ours: ours.into(),
                theirs: theirs.into(),
            });
        }
    };
    conflict("title", &ours.title, &theirs.title);
    conflict("authors", &ours.authors.join("; "), &theirs.authors.join("; "));
    conflict("date", ours.date.as_deref().unwrap_or(""), theirs.date.as_deref().unwrap_or(""));
    match (&ours.doi, &theirs.doi) {
        (None, Some(d)) => return PaperEdit { doi: Some(d.clone()), ..Default::default() },
        (Some(o), Some(t)) => conflict("doi", o, t),
        _ => {}
    }
    PaperEdit::default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::references::CslDate;

    fn item(doi: Option<&str>) -> CslItem {
        CslItem {
            id: "p".into(),
            kind: "report".into(),
            title: "A  Corrected   Title".into(),
            author: vec![
                CslName::Person { family: "Lovelace".into(), given: "Ada".into() },
                CslName::Literal { literal: "DeepSeek-AI".into() },
            ],
            issued: Some(CslDate { date_parts: vec![vec![1978, 7]] }),
            publisher: None,
            number: None,
            doi: doi.map(String::from),
            url: None,
        }
    }

    fn ours() -> Ours {
        Ours { title: "Abstract".into(), authors: vec![], date: Some("2002".into()), doi: None }
    }

    #[test]
    fn a_paper_brought_by_the_bundle_takes_its_metadata() {
        let theirs = BundlePaper::from_csl(&item(Some("10.1145/359545.359563")));
        let edit = adopt(&ours(), &theirs);
        assert_eq!(edit.title.as_deref(), Some("A Corrected Title"));
        assert_eq!(edit.authors, Some(vec!["Ada Lovelace".to_string(), "DeepSeek-AI".to_string()]));
        assert_eq!(edit.date.as_deref(), Some("1978-07"));
        assert_eq!(edit.doi.as_deref(), Some("10.1145/359545.359563"));
    }

    #[test]
    fn arxivs_datacite_doi_is_not_the_papers_doi() {
        let theirs = BundlePaper::from_csl(&item(Some("10.48550/arXiv.2501.12948")));
        assert_eq!(theirs.doi, None);
    }

    #[test]
    fn a_paper_the_library_had_keeps_its_values_and_reports_differences() {
        let theirs = BundlePaper::from_csl(&item(Some("10.1145/359545.359563")));
        let mut report = BundleImportReport::default();
        let edit = compare("p", &ours(), &theirs, &mut report);
        assert_eq!(edit, PaperEdit { doi: Some("10.1145/359545.359563".into()), ..Default::default() });
        let fields: Vec<&str> = report.conflicts.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["title", "authors", "date"]);
        assert!(report.conflicts.iter().all(|c| c.kind == "paper" && c.id == "p"));
        let mut same = BundleImportReport::default();
        let mine = Ours {
            title: "A Corrected Title".into(),
            authors: vec!["Ada Lovelace".into(), "DeepSeek-AI".into()],
            date: Some("1978-07".into()),
            doi: Some("10.1145/359545.359563".into()),
        };
        assert!(compare("p", &mine, &theirs, &mut same).is_empty());
        assert!(same.conflicts.is_empty(), "{:?}", same.conflicts);
    }
}
