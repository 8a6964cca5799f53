//! Citation bundles: chosen claims, their evidence and the cited papers as one zip that other
//! tools read, that anyone holding the PDFs can check, and that a colleague can merge.
//!
//! ```text
//! manifest.json            format, version, what was selected (Papertrail's own)
//! references.json          CSL-JSON, one item per cited paper (key = paper id)
//! references.bib           BibTeX with the same keys
//! references.ris           RIS
//! annotations.jsonld       W3C Web Annotation AnnotationCollection, one Annotation per passage
//! claims.jsonld            schema.org ClaimReview per claim, the derived verdict as its rating
//! ro-crate-metadata.json   RO-Crate 1.2: every file and every cited paper
//! report.md, report.html   per claim its verdict and quoted passages with CSL citations
//! pdfs/<sha256>.pdf        only with `include_pdfs`
//! ```
//!
//! Export is deterministic: the same library and selection give the same bytes (everything
//! sorted, timestamps taken from the data, zip entries with a fixed modification time).
//! [`Library::verify_bundle`](crate::Library::verify_bundle) re-finds every quote in the
//! PDFs; [`Library::import_bundle`](crate::Library::import_bundle) merges a bundle without
//! overwriting anything. Bundles are untrusted input: [`archive`] reads them under limits.
//!
//! ```no_run
//! use std::path::Path;
//! use papertrail_core::bundle::{CitationStyle, ExportOptions, Selection, VerifyOptions};
//! use papertrail_core::Library;
//! # fn main() -> papertrail_core::Result<()> {
//! let lib = Library::open(Path::new("/tmp/my-library"))?;
//! let selection = Selection { claims: vec!["v3-cost-5.6m".into()], ..Default::default() };
//! let opts = ExportOptions { selection, style: CitationStyle::Chicago, include_pdfs: true };
//! let summary = lib.export_bundle(&opts, Path::new("cost.zip"))?;
//! println!("{} passages from {} papers", summary.passages, summary.papers.len());
//! let report = lib.verify_bundle(Path::new("cost.zip"), &VerifyOptions::default())?;
//! assert!(report.ok, "{} passages fail", report.failed);
//! # Ok(())
//! # }
//! ```

pub mod archive;
pub mod cite;
pub mod claimreview;
pub mod export;
pub mod import;
mod job;
pub mod manifest;
mod papers;
pub mod plan;
pub mod references;
pub mod report;
pub mod rocrate;
pub mod verify;
pub mod webannotation;

pub use export::{BundleFile, ExportOptions, ExportSummary};
pub use import::{BundleImportReport, Conflict, ImportBundleOptions, Skipped};
pub use manifest::{Manifest, BUNDLE_FORMAT, BUNDLE_VERSION};
pub use plan::{BundlePreview, Selection};
pub use verify::{CheckStatus, PassageCheck, VerifyOptions, VerifyReport};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::model::Stance;

/// Prefix of the IRIs that name annotations in a bundle (`urn:papertrail:annotation:<id>`).
pub const ANNOTATION_IRI: &str = "urn:papertrail:annotation:";
/// Prefix of the IRIs that name claims in a bundle (`urn:papertrail:claim:<id>`).
pub const CLAIM_IRI: &str = "urn:papertrail:claim:";
/// Prefix of the IRI that names a paper version by the sha256 of its PDF bytes.
pub const SHA256_IRI: &str = "urn:sha256:";
/// The vocabulary of Papertrail's own JSON-LD terms (prefix `pt:`).
pub const PT_VOCAB: &str = "urn:papertrail:vocab:";
/// The CiTO ontology namespace.
pub const CITO: &str = "http://purl.org/spar/cito/";

/// A CSL style for the report's citations.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CitationStyle {
    /// APA 7th edition (author-date).
    #[default]
    Apa,
    /// IEEE (numeric).
    Ieee,
    /// Chicago Manual of Style, author-date.
    Chicago,
}

impl CitationStyle {
    /// The style's short name, as given on the command line.
    pub fn as_str(&self) -> &'static str {
        match self {
            CitationStyle::Apa => "apa",
            CitationStyle::Ieee => "ieee",
            CitationStyle::Chicago => "chicago",
        }
    }
}

impl std::str::FromStr for CitationStyle {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.to_ascii_lowercase().as_str() {
            "apa" => Ok(CitationStyle::Apa),
            "ieee" => Ok(CitationStyle::Ieee),
            "chicago" => Ok(CitationStyle::Chicago),
            other => Err(Error::invalid("style", format!("`{other}` is not a style; use apa, ieee or chicago"))),
        }
    }
}

/// The CiTO property for a stance: the passage supports, disputes or discusses the claim.
pub fn cito_term(stance: Stance) -> &'static str {
    match stance {
        Stance::Supports => "cito:supports",
        Stance::Contradicts => "cito:disputes",
        Stance::Context => "cito:discusses",
    }
}

/// The stance for a CiTO property (compact `cito:x` or full IRI). `refutes` reads as
/// contradicts, as does `disputes`.
pub fn stance_from_cito(term: &str) -> Option<Stance> {
    let local = term.strip_prefix("cito:").or_else(|| term.strip_prefix(CITO))?;
    match local {
        "supports" | "confirms" | "providesConclusionsFor" => Some(Stance::Supports),
        "disputes" | "refutes" | "critiques" => Some(Stance::Contradicts),
        "discusses" => Some(Stance::Context),
        _ => None,
    }
}

/// An `Error::Invalid` about a bundle, naming the file inside it.
pub(crate) fn bad(file: &str, message: impl std::fmt::Display) -> Error {
    Error::invalid(format!("bundle file {file}"), message)
}

#[cfg(test)]
mod roundtrip_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stances_map_to_cito_and_back() {
        for s in [Stance::Supports, Stance::Contradicts, Stance::Context] {
            assert_eq!(stance_from_cito(cito_term(s)), Some(s));
        }
        assert_eq!(stance_from_cito("http://purl.org/spar/cito/refutes"), Some(Stance::Contradicts));
        assert_eq!(stance_from_cito("cito:cites"), None);
    }
}
