//! `manifest.json`: what a bundle is (format and version) and what was selected.

use serde::{Deserialize, Serialize};

use crate::error::Result;

use super::bad;

/// The `format` of every Papertrail bundle's manifest.
pub const BUNDLE_FORMAT: &str = "papertrail-bundle";
/// The bundle version this build writes and reads.
pub const BUNDLE_VERSION: u32 = 1;
/// The manifest's file name inside the zip.
pub const MANIFEST: &str = "manifest.json";

/// The manifest of a bundle.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`BUNDLE_FORMAT`].
    pub format: String,
    /// The bundle version ([`BUNDLE_VERSION`]).
    pub version: u32,
    /// The program that wrote it.
    pub generator: String,
    /// The newest timestamp of the exported data (RFC 3339), so the same data gives the same bundle.
    pub created: String,
    /// The CSL style of the report.
    pub style: String,
    /// Claim ids, sorted.
    pub claims: Vec<String>,
    /// Annotation ids, sorted.
    pub annotations: Vec<String>,
    /// Cited paper ids, sorted.
    pub papers: Vec<String>,
    /// The sha256 of every PDF included under `pdfs/`, sorted.
    pub pdfs: Vec<String>,
}

impl Manifest {
    /// Parses and checks a manifest: the format must be Papertrail's and the version known.
    pub fn parse(bytes: &[u8]) -> Result<Manifest> {
        let value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| bad(MANIFEST, format!("is not valid JSON: {e}")))?;
        match value.get("format").and_then(|f| f.as_str()) {
            Some(BUNDLE_FORMAT) => {}
            Some(other) => {
                return Err(bad(MANIFEST, format!("format `{other}` is not a Papertrail bundle ({BUNDLE_FORMAT})")))
            }
            None => {
                return Err(bad(MANIFEST, format!("has no `format`; a Papertrail bundle says \"{BUNDLE_FORMAT}\"")))
            }
        }
        match value.get("version").and_then(|v| v.as_u64()) {
            Some(v) if v == BUNDLE_VERSION as u64 => {}
            Some(v) => {
                return Err(bad(
                    MANIFEST,
                    format!(
                        "bundle version {v} is not supported: this Papertrail reads version {BUNDLE_VERSION}; \
                         update Papertrail to read newer bundles"
                    ),
                ))
            }
            None => return Err(bad(MANIFEST, "has no numeric `version`")),
        }
        serde_json::from_value(value).map_err(|e| bad(MANIFEST, e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_versions_and_formats_are_refused_by_name() {
        let e = Manifest::parse(br#"{"format":"papertrail-bundle","version":99}"#).unwrap_err().to_string();
        assert!(e.contains("version 99 is not supported"), "{e}");
        let e = Manifest::parse(br#"{"format":"zotero","version":1}"#).unwrap_err().to_string();
        assert!(e.contains("not a Papertrail bundle"), "{e}");
        let e = Manifest::parse(b"{oops").unwrap_err().to_string();
        assert!(e.contains("manifest.json") && e.contains("not valid JSON"), "{e}");
    }
}
