//! Export: gathers the selection, writes every file of the bundle and the zip.

use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::job::Job;
use super::manifest::{Manifest, BUNDLE_FORMAT, BUNDLE_VERSION, MANIFEST};
use super::plan::{BundlePreview, Plan, Selection};
use super::{archive, claimreview, references, report, rocrate, webannotation, CitationStyle};
use crate::error::{Error, Result};
use crate::events::{Cancel, Events, NoEvents};
use crate::library::Library;

/// The files every bundle has (PDFs come on top with `include_pdfs`).
pub const FILES: &[&str] = archive::TEXT_FILES;

/// What to export and how.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportOptions {
    /// Which claims and annotations.
    pub selection: Selection,
    /// The report's citation style.
    pub style: CitationStyle,
    /// Put the cited PDFs in the bundle.
    pub include_pdfs: bool,
}

/// One file of a written bundle.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleFile {
    /// Name inside the zip.
    pub name: String,
    /// Uncompressed size in bytes.
    pub size: u64,
}

/// What an export wrote.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportSummary {
    /// The zip written.
    pub path: String,
    /// Claim ids exported.
    pub claims: Vec<String>,
    /// Number of passages (annotations).
    pub passages: usize,
    /// Cited paper ids.
    pub papers: Vec<String>,
    /// Number of PDFs included.
    pub pdfs: usize,
    /// Every file in the zip, by name.
    pub files: Vec<BundleFile>,
    /// Size of the zip in bytes.
    pub size: u64,
}

fn json_bytes<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    let mut v = serde_json::to_vec_pretty(value)?;
    v.push(b'\n');
    Ok(v)
}

/// A stable IRI for the bundle: a hash of what it holds and when the data last changed.
fn bundle_id(plan: &Plan) -> String {
    let mut h = Sha256::new();
    for c in &plan.claims {
        h.update(c.claim.id.as_bytes());
        h.update([0]);
    }
    h.update([1]);
    for a in &plan.annotations {
        h.update(a.annotation.id.as_bytes());
        h.update([0]);
    }
    h.update(plan.created.as_bytes());
    format!("urn:papertrail:bundle:{}", &hex::encode(h.finalize())[..16])
}

impl Library {
    /// What an export of `selection` would hold, without writing anything.
    pub fn bundle_preview(&self, selection: &Selection, include_pdfs: bool) -> Result<BundlePreview> {
        Ok(Plan::gather(self, selection)?.preview(include_pdfs))
    }

    /// Writes a bundle of the selection to `path` (a `.zip`). The same library and selection
    /// give the same bytes.
    pub fn export_bundle(&self, opts: &ExportOptions, path: &Path) -> Result<ExportSummary> {
        self.export_bundle_with(opts, path, &NoEvents, &Cancel::new())
    }

    /// [`Library::export_bundle`] reporting progress as job `export` (one step per PDF read,
    /// one per file of the bundle, one per zip entry written) and stopping at the next step
    /// when `cancel` is set, with [`Error::Cancelled`]. The zip is written to a temporary file
    /// renamed into place at the end, so a cancelled or failed export leaves no file at `path`
    /// (an older file there is left as it was).
    pub fn export_bundle_with(
        &self,
        opts: &ExportOptions,
        path: &Path,
        events: &dyn Events,
        cancel: &Cancel,
    ) -> Result<ExportSummary> {
        let plan = Plan::gather(self, &opts.selection)?;
        let pdfs: Vec<String> = if opts.include_pdfs { plan.shas() } else { Vec::new() };
        // PDFs read, the text files built, then every entry written
        let files = FILES.len() as u64;
        let mut job = Job::start(events, cancel, "export", pdfs.len() as u64 * 2 + files * 2);
        let result = self.export_steps(opts, path, &plan, &pdfs, &mut job);
        job.finish(&result);
        result
    }

    fn export_steps(
        &self,
        opts: &ExportOptions,
        path: &Path,
        plan: &Plan,
        pdfs: &[String],
        job: &mut Job<'_>,
    ) -> Result<ExportSummary> {
        let id = bundle_id(plan);
        let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
        for sha in pdfs {
            job.step(&format!("reading {sha:.12}…"))?;
            let src = self.pdf_path(sha);
            let bytes = std::fs::read(&src).map_err(|e| Error::io("reading the PDF to include", &src, e))?;
            if hex::encode(Sha256::digest(&bytes)) != *sha {
                return Err(Error::invalid(
                    "pdf",
                    format!(
                        "{} does not match its sha256; the library's copy is damaged, import the PDF again",
                        src.display()
                    ),
                ));
            }
            entries.push((format!("pdfs/{sha}.pdf"), bytes));
        }
        let manifest = Manifest {
            format: BUNDLE_FORMAT.into(),
            version: BUNDLE_VERSION,
            generator: format!("Papertrail {}", env!("CARGO_PKG_VERSION")),
            created: plan.created.clone(),
            style: opts.style.as_str().into(),
            claims: plan.claims.iter().map(|c| c.claim.id.clone()).collect(),
            annotations: {
                let mut ids: Vec<String> = plan.annotations.iter().map(|a| a.annotation.id.clone()).collect();
                ids.sort();
                ids
            },
            papers: plan.papers.iter().map(|p| p.id.clone()).collect(),
            pdfs: pdfs.to_vec(),
        };
        job.step(MANIFEST)?;
        entries.push((MANIFEST.into(), json_bytes(&manifest)?));
        job.step("references.json")?;
        entries.push(("references.json".into(), json_bytes(&references::csl_json(&plan.papers))?));
        job.step("references.bib")?;
        entries.push(("references.bib".into(), references::bibtex(&plan.papers).into_bytes()));
        job.step("references.ris")?;
        entries.push(("references.ris".into(), references::ris(&plan.papers).into_bytes()));
        job.step(webannotation::FILE)?;
        entries.push((webannotation::FILE.into(), json_bytes(&webannotation::build(plan, &id))?));
        job.step(claimreview::FILE)?;
        entries.push((claimreview::FILE.into(), json_bytes(&claimreview::build(plan))?));
        job.step("report.md")?;
        let reports = report::build(plan, opts.style)?;
        entries.push(("report.md".into(), reports.markdown.into_bytes()));
        job.step("report.html")?;
        entries.push(("report.html".into(), reports.html.into_bytes()));
        let mut sizes: Vec<(String, u64)> = entries.iter().map(|(n, b)| (n.clone(), b.len() as u64)).collect();
        sizes.sort();
        job.step(rocrate::FILE)?;
        entries.push((rocrate::FILE.into(), json_bytes(&rocrate::build(plan, &sizes, &id))?));
        let size = archive::write_with(path, &entries, archive::zip_time(&plan.created), &mut |name| {
            job.step(&format!("writing {name}"))
        })?;
        let mut files: Vec<BundleFile> =
            entries.iter().map(|(n, b)| BundleFile { name: n.clone(), size: b.len() as u64 }).collect();
        files.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(ExportSummary {
            path: path.display().to_string(),
            claims: manifest.claims,
            passages: plan.annotations.len(),
            papers: manifest.papers,
            pdfs: pdfs.len(),
            files,
            size,
        })
    }
}
