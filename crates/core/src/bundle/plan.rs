//! What goes into a bundle: the selected claims with their evidence, the annotations, the
//! cited papers and versions, gathered from the library in a stable order.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::evidence::annotation::Annotation;
use crate::evidence::claims::{ClaimDetail, Verdict};
use crate::library::Library;
use crate::model::{DatePrecision, Stance};

/// Which claims and annotations to export.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    /// Claim ids; each claim's evidence passages come with it.
    pub claims: Vec<String>,
    /// Every claim in the library.
    pub all_claims: bool,
    /// Annotation ids to add (whether or not they are evidence for a selected claim).
    pub annotations: Vec<String>,
    /// Every annotation in the library.
    pub all_annotations: bool,
}

impl Selection {
    /// True when nothing at all is selected.
    pub fn is_empty(&self) -> bool {
        self.claims.is_empty() && !self.all_claims && self.annotations.is_empty() && !self.all_annotations
    }
}

/// One evidence link of an exported annotation to an exported claim.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The claim.
    pub claim_id: String,
    /// The claim's text.
    pub claim_text: String,
    /// How the passage bears on the claim.
    pub stance: Stance,
    /// The note on the link.
    pub note: String,
}

/// An annotation with its links to the selected claims.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedAnnotation {
    /// The annotation as stored.
    pub annotation: Annotation,
    /// Links to selected claims, by claim id.
    pub links: Vec<Link>,
}

/// A stored version of a cited paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRef {
    /// sha256 of the PDF bytes.
    pub sha256: String,
    /// Page count.
    pub pages: u32,
    /// Size in bytes.
    pub size: u64,
}

/// A cited paper with the versions the exported passages anchor in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperRef {
    /// Paper id, also the citation key.
    pub id: String,
    /// Title.
    pub title: String,
    /// Date (ISO in its precision).
    pub date: Option<String>,
    /// Precision of the date.
    pub date_precision: Option<DatePrecision>,
    /// arXiv id.
    pub arxiv_id: Option<String>,
    /// DOI the paper prints or a user gave (else arXiv's DataCite DOI is cited).
    pub doi: Option<String>,
    /// Authors, personal ("Family, Given" or "Given Family") or corporate.
    pub authors: Vec<String>,
    /// Where the PDF comes from, when known.
    pub source_url: Option<String>,
    /// Versions cited, by sha256.
    pub versions: Vec<VersionRef>,
}

/// Everything a bundle holds, in export order.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Selected claims by id.
    pub claims: Vec<ClaimDetail>,
    /// Annotations by paper, page, position and id.
    pub annotations: Vec<PlannedAnnotation>,
    /// Cited papers by id.
    pub papers: Vec<PaperRef>,
    /// The newest timestamp of the data (RFC 3339); the bundle's date.
    pub created: String,
}

/// A summary of what an export would hold, for a dialog's preview.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BundlePreview {
    /// `(claim id, text, verdict)` of each claim.
    pub claims: Vec<(String, String, Verdict)>,
    /// Number of quoted passages.
    pub passages: usize,
    /// `(paper id, title)` of each cited paper.
    pub papers: Vec<(String, String)>,
    /// The files of the zip, without PDFs.
    pub files: Vec<String>,
    /// The sha256 of each PDF that `include_pdfs` would add.
    pub pdfs: Vec<String>,
}

/// The date used when the data holds no timestamp at all.
const EPOCH: &str = "1980-01-01T00:00:00Z";

impl Plan {
    /// Gathers the selection from the library. Unknown ids are errors naming them.
    pub fn gather(lib: &Library, sel: &Selection) -> Result<Plan> {
        if sel.is_empty() {
            return Err(Error::invalid(
                "selection",
                "nothing to export: choose claims (--claims ID,... or --all) or annotations (--annotations ID,... or all)",
            ));
        }
        let claim_ids: BTreeSet<String> = if sel.all_claims {
            lib.claims()?.into_iter().map(|c| c.id).collect()
        } else {
            sel.claims.iter().map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect()
        };
        let mut claims = Vec::new();
        for id in &claim_ids {
            claims.push(lib.claim(id)?);
        }
        let mut annotations: BTreeMap<String, PlannedAnnotation> = BTreeMap::new();
        for c in &claims {
            for ev in c.supports.iter().chain(&c.contradicts).chain(&c.context) {
                let entry = annotations
                    .entry(ev.annotation.id.clone())
                    .or_insert_with(|| PlannedAnnotation { annotation: ev.annotation.clone(), links: Vec::new() });
                entry.links.push(Link {
                    claim_id: c.claim.id.clone(),
                    claim_text: c.claim.text.clone(),
                    stance: ev.stance,
                    note: ev.note.clone(),
                });
            }
        }
        let extra: Vec<Annotation> = if sel.all_annotations {
            lib.annotations(&Default::default())?
        } else {
            sel.annotations
                .iter()
                .map(|a| a.trim())
                .filter(|a| !a.is_empty())
                .map(|a| lib.annotation(a))
                .collect::<Result<_>>()?
        };
        for a in extra {
            annotations.entry(a.id.clone()).or_insert(PlannedAnnotation { annotation: a, links: Vec::new() });
        }
        let mut annotations: Vec<PlannedAnnotation> = annotations.into_values().collect();
        for a in &mut annotations {
            a.links.sort_by(|x, y| x.claim_id.cmp(&y.claim_id));
        }
        annotations.sort_by(|x, y| {
            let (a, b) = (&x.annotation, &y.annotation);
            (&a.paper_id, a.page, a.start, &a.id).cmp(&(&b.paper_id, b.page, b.start, &b.id))
        });
        let papers = gather_papers(lib, &annotations)?;
        let created = newest_timestamp(lib, &claim_ids, &annotations)?;
        Ok(Plan { claims, annotations, papers, created })
    }

    /// The preview of this plan.
    pub fn preview(&self, include_pdfs: bool) -> BundlePreview {
        let mut files: Vec<String> = super::export::FILES.iter().map(|f| f.to_string()).collect();
        files.sort();
        BundlePreview {
            claims: self.claims.iter().map(|c| (c.claim.id.clone(), c.claim.text.clone(), c.claim.verdict)).collect(),
            passages: self.annotations.len(),
            papers: self.papers.iter().map(|p| (p.id.clone(), p.title.clone())).collect(),
            files,
            pdfs: if include_pdfs { self.shas() } else { Vec::new() },
        }
    }

    /// The sha256 of every cited version, sorted.
    pub fn shas(&self) -> Vec<String> {
        let set: BTreeSet<String> =
            self.papers.iter().flat_map(|p| p.versions.iter().map(|v| v.sha256.clone())).collect();
        set.into_iter().collect()
    }

    /// The paper of an id.
    pub fn paper(&self, id: &str) -> Option<&PaperRef> {
        self.papers.iter().find(|p| p.id == id)
    }
}

fn gather_papers(lib: &Library, annotations: &[PlannedAnnotation]) -> Result<Vec<PaperRef>> {
    let mut used: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for a in annotations {
        used.entry(a.annotation.paper_id.clone()).or_default().insert(a.annotation.version_sha256.clone());
    }
    let conn = lib.conn();
    let mut papers = Vec::new();
    for (id, shas) in used {
        let row = conn
            .query_row(
                "SELECT id, title, date, date_precision, arxiv_id, authors, source_url, doi FROM papers WHERE id = ?1",
                [&id],
                |r| {
                    let authors: String = r.get(5)?;
                    Ok(PaperRef {
                        id: r.get(0)?,
                        title: r.get(1)?,
                        date: r.get(2)?,
                        date_precision: r.get(3)?,
                        arxiv_id: r.get(4)?,
                        authors: serde_json::from_str(&authors).unwrap_or_default(),
                        source_url: r.get(6)?,
                        doi: r.get(7)?,
                        versions: Vec::new(),
                    })
                },
            )
            .optional()?;
        let mut paper = row.ok_or_else(|| Error::NotFound { kind: "paper", id: id.clone() })?;
        for sha in shas {
            let v = conn.query_row("SELECT pages, size FROM versions WHERE sha256 = ?1", [&sha], |r| {
                Ok(VersionRef { sha256: sha.clone(), pages: r.get(0)?, size: r.get::<_, i64>(1)? as u64 })
            })?;
            paper.versions.push(v);
        }
        papers.push(paper);
    }
    Ok(papers)
}

fn newest_timestamp(lib: &Library, claims: &BTreeSet<String>, annotations: &[PlannedAnnotation]) -> Result<String> {
    let conn = lib.conn();
    let mut newest = EPOCH.to_string();
    let mut consider = |t: String| {
        if t > newest {
            newest = t;
        }
    };
    for id in claims {
        let t: Option<String> =
            conn.query_row("SELECT created_at FROM claims WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        t.into_iter().for_each(&mut consider);
        let t: Option<String> =
            conn.query_row("SELECT max(created_at) FROM evidence WHERE claim_id = ?1", [id], |r| r.get(0))?;
        t.into_iter().for_each(&mut consider);
    }
    for a in annotations {
        consider(a.annotation.updated_at.clone());
    }
    Ok(newest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preview_lists_what_an_export_would_hold_and_an_empty_selection_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open(dir.path()).unwrap();
        let e = lib.bundle_preview(&Selection::default(), false).unwrap_err().to_string();
        assert!(e.contains("nothing to export"), "{e}");
        let sel = Selection { claims: vec!["v3-cost-5.6m".into(), "gpu-50k-h100".into()], ..Default::default() };
        let p = lib.bundle_preview(&sel, true).unwrap();
        let ids: Vec<&str> = p.claims.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(ids, ["gpu-50k-h100", "v3-cost-5.6m"]);
        assert!(p.claims.iter().all(|c| c.2 == Verdict::Unresolved));
        assert_eq!((p.passages, p.papers.len(), p.pdfs.len()), (0, 0, 0));
        assert!(p.files.contains(&"annotations.jsonld".to_string()) && p.files.len() == 9);
        let e = lib.bundle_preview(&Selection { annotations: vec!["a-none".into()], ..Default::default() }, false);
        assert!(e.unwrap_err().to_string().contains("unknown annotation `a-none`"));
    }
}
