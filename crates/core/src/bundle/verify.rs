//! Verify: every passage of a bundle re-checked against the PDF it names, found by sha256 in
//! the library (its stored page text) or inside the bundle (extracted in a worker).
//!
//! With the same PDF bytes and the same extractor version, the quote, prefix and suffix must
//! match exactly at the recorded offsets: a quote edited by one character fails. With another
//! extractor version the quote is re-anchored by fuzzy matching and reported with its score
//! as "holds, re-anchored". The verdicts stated in `claims.jsonld` are checked against the
//! stances in `annotations.jsonld`.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::archive::BundleArchive;
use super::claimreview::{self, verdict_label};
use super::job::Job;
use super::manifest::{Manifest, MANIFEST};
use super::webannotation::{self, Passage};
use crate::error::Result;
use crate::events::{Cancel, Events, NoEvents};
use crate::evidence::anchor::{context, reanchor, Anchor};
use crate::evidence::claims::{EvidenceCounts, Verdict};
use crate::ingest::extract::{EXTRACTOR_NAME, EXTRACTOR_VERSION};
use crate::ingest::normalize::normalize_pages;
use crate::ingest::passage::char_slice;
use crate::ingest::worker::{extract_in_worker, WorkerCommand};
use crate::library::Library;
use crate::model::Stance;

/// How to verify.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// The extraction worker, for PDFs found only inside the bundle.
    pub worker: WorkerCommand,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        Self { worker: crate::ingest::import::ImportOptions::default().worker }
    }
}

/// The outcome for one passage.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// Found exactly at its recorded page and offsets.
    Holds,
    /// Found by fuzzy re-anchoring, the text having come from another extractor version.
    Reanchored,
    /// Not found where it should be.
    NotFound,
    /// Neither the library nor the bundle has the PDF.
    MissingPdf,
}

impl CheckStatus {
    /// True for [`CheckStatus::Holds`] and [`CheckStatus::Reanchored`].
    pub fn holds(&self) -> bool {
        matches!(self, CheckStatus::Holds | CheckStatus::Reanchored)
    }

    /// How the status reads in a report.
    pub fn label(&self) -> &'static str {
        match self {
            CheckStatus::Holds => "holds",
            CheckStatus::Reanchored => "holds, re-anchored",
            CheckStatus::NotFound => "not found",
            CheckStatus::MissingPdf => "missing PDF",
        }
    }
}

/// One passage checked.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassageCheck {
    /// The annotation id.
    pub annotation_id: String,
    /// Paper id.
    pub paper_id: String,
    /// The version named.
    pub version_sha256: String,
    /// The recorded page.
    pub page: u32,
    /// The recorded start offset.
    pub start: usize,
    /// The recorded end offset.
    pub end: usize,
    /// The quote as the bundle gives it.
    pub exact: String,
    /// The outcome.
    pub status: CheckStatus,
    /// Where the PDF text came from: `library` or `bundle`.
    pub pdf: Option<String>,
    /// Match score (1.0 exact).
    pub score: Option<f64>,
    /// Where the quote was found: `[page, start, end]`.
    pub found: Option<[usize; 3]>,
    /// What happened, in words.
    pub reason: String,
}

/// The outcome of verifying a bundle.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerifyReport {
    /// The bundle file.
    pub bundle: String,
    /// True when every passage holds and the verdicts agree with the evidence.
    pub ok: bool,
    /// Passages checked.
    pub total: usize,
    /// Passages that hold exactly.
    pub holds: usize,
    /// Passages that hold after re-anchoring.
    pub reanchored: usize,
    /// Passages that fail (not found or missing PDF).
    pub failed: usize,
    /// Every passage, in the bundle's order.
    pub passages: Vec<PassageCheck>,
    /// Other problems: verdicts that do not follow from the evidence, links to unknown claims.
    pub problems: Vec<String>,
}

/// The text of a version, from the library or from the bundle's PDF.
enum Text {
    Found { pages: Vec<String>, extractor: String, version: String, from: &'static str },
    Missing(String),
}

fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() > n {
        format!("{}…", s.chars().take(n).collect::<String>())
    } else {
        s.to_string()
    }
}

fn library_text(lib: &Library, sha: &str) -> Result<Option<Text>> {
    let conn = lib.conn();
    let v: Option<(String, String)> = conn
        .query_row("SELECT extractor, extractor_version FROM versions WHERE sha256 = ?1", [sha], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let Some((extractor, version)) = v else { return Ok(None) };
    let mut stmt = conn.prepare("SELECT text FROM pages WHERE version_sha256 = ?1 ORDER BY page")?;
    let pages = stmt.query_map([sha], |r| r.get(0))?.collect::<Result<Vec<String>, _>>()?;
    Ok(Some(Text::Found { pages, extractor, version, from: "library" }))
}

fn bundle_text(bundle: &BundleArchive, sha: &str, worker: &WorkerCommand) -> Text {
    let Some(bytes) = bundle.pdf(sha) else {
        return Text::Missing(format!(
            "no PDF with sha256 {sha} in the library or the bundle; import that exact PDF or ask for a bundle made with --include-pdfs"
        ));
    };
    if hex::encode(Sha256::digest(bytes)) != sha {
        return Text::Missing(format!("the bundle's pdfs/{sha}.pdf does not hash to its name; it was altered"));
    }
    let tmp = match tempfile::Builder::new().prefix("papertrail-verify-").suffix(".pdf").tempfile() {
        Ok(t) => t,
        Err(e) => return Text::Missing(format!("cannot write a temporary copy of the bundle's PDF: {e}")),
    };
    if let Err(e) = std::fs::write(tmp.path(), bytes) {
        return Text::Missing(format!("cannot write a temporary copy of the bundle's PDF: {e}"));
    }
    match extract_in_worker(worker, tmp.path()) {
        Ok(x) => Text::Found {
            pages: normalize_pages(&x.pages),
            extractor: EXTRACTOR_NAME.into(),
            version: EXTRACTOR_VERSION.into(),
            from: "bundle",
        },
        Err(reason) => Text::Missing(format!("the bundle's PDF could not be extracted: {reason}")),
    }
}

/// Describes how the recorded quote and context differ from the page at the offsets.
fn difference(p: &Passage, page: &str) -> String {
    let n = page.chars().count();
    if p.end > n {
        return format!(
            "page {} has {n} characters; the recorded offsets {}..{} run past its end",
            p.page, p.start, p.end
        );
    }
    let actual = char_slice(page, p.start, p.end);
    if actual != p.exact {
        let at = actual.chars().zip(p.exact.chars()).take_while(|(a, b)| a == b).count();
        let pdf_char = actual.chars().nth(at).map(|c| format!("“{c}”")).unwrap_or_else(|| "the end".into());
        let quote_char = p.exact.chars().nth(at).map(|c| format!("“{c}”")).unwrap_or_else(|| "the end".into());
        return format!(
            "the quote differs from the PDF's text at page {}, offsets {}..{}: character {} is {quote_char} in the bundle but {pdf_char} in the PDF (PDF text: “{}”)",
            p.page,
            p.start,
            p.end,
            at + 1,
            shorten(actual, 80)
        );
    }
    let (prefix, suffix) = context(page, p.start, p.end);
    if prefix != p.prefix {
        return format!("the quote matches but its prefix differs (PDF: “{prefix}”, bundle: “{}”)", p.prefix);
    }
    if suffix != p.suffix {
        return format!("the quote matches but its suffix differs (PDF: “{suffix}”, bundle: “{}”)", p.suffix);
    }
    String::new()
}

fn check(p: &Passage, text: &Text) -> PassageCheck {
    let mut c = PassageCheck {
        annotation_id: p.id.clone(),
        paper_id: p.paper.clone(),
        version_sha256: p.sha256.clone(),
        page: p.page,
        start: p.start,
        end: p.end,
        exact: p.exact.clone(),
        status: CheckStatus::NotFound,
        pdf: None,
        score: None,
        found: None,
        reason: String::new(),
    };
    let (pages, extractor, version, from) = match text {
        Text::Missing(reason) => {
            c.status = CheckStatus::MissingPdf;
            c.reason = reason.clone();
            return c;
        }
        Text::Found { pages, extractor, version, from } => (pages, extractor, version, from),
    };
    c.pdf = Some(from.to_string());
    if *extractor == p.extractor && *version == p.extractor_version {
        let Some(page) = pages.get(p.page as usize - 1) else {
            c.reason = format!("the PDF has {} pages, not page {}", pages.len(), p.page);
            return c;
        };
        let diff = difference(p, page);
        if diff.is_empty() {
            c.status = CheckStatus::Holds;
            c.score = Some(1.0);
            c.found = Some([p.page as usize, p.start, p.end]);
            c.reason = format!("found exactly at page {}, offsets {}..{}", p.page, p.start, p.end);
        } else {
            c.reason = format!("{diff} (same PDF and extractor {version}, so an exact match is required)");
        }
        return c;
    }
    let anchor = Anchor::new(p.page, &p.exact, &p.prefix, &p.suffix, p.start, p.end);
    match reanchor(&anchor, pages) {
        Some(f) => {
            c.status = CheckStatus::Reanchored;
            c.score = Some((f.score * 1000.0).round() / 1000.0);
            c.found = Some([f.page as usize, f.start, f.end]);
            c.reason = format!(
                "re-anchored at page {}, offsets {}..{} with score {:.3} (recorded with {} {}, checked with {extractor} {version})",
                f.page, f.start, f.end, f.score, p.extractor, p.extractor_version
            );
        }
        None => {
            c.reason = format!(
                "not found anywhere in the PDF's text (recorded with {} {}, checked with {extractor} {version})",
                p.extractor, p.extractor_version
            );
        }
    }
    c
}

impl Library {
    /// A hint naming the versions of `paper` this library does have (other PDFs than the one
    /// a passage names), or nothing.
    fn other_versions(&self, paper: &str) -> Result<String> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT sha256 FROM versions WHERE paper_id = ?1 ORDER BY sha256")?;
        let shas: Vec<String> = stmt.query_map([paper], |r| r.get(0))?.collect::<Result<_, _>>()?;
        if shas.is_empty() {
            return Ok(String::new());
        }
        let short: Vec<String> = shas.iter().map(|s| format!("{}…", &s[..12.min(s.len())])).collect();
        Ok(format!(
            " (this library has another version of `{paper}`, sha256 {}: a different PDF, so the passage cannot be checked against it)",
            short.join(", ")
        ))
    }

    /// Verifies a bundle: each passage against the PDF it names (see the module docs).
    /// Errors only when the bundle cannot be read or is malformed; failed passages are in the
    /// report.
    pub fn verify_bundle(&self, path: &Path, opts: &VerifyOptions) -> Result<VerifyReport> {
        self.verify_bundle_with(path, opts, &NoEvents, &Cancel::new())
    }

    /// [`Library::verify_bundle`] reporting progress as job `verify` (one step per passage,
    /// the item naming its paper and page) and stopping at the next passage when `cancel` is
    /// set, with [`Error::Cancelled`](crate::Error::Cancelled). Verifying changes nothing.
    pub fn verify_bundle_with(
        &self,
        path: &Path,
        opts: &VerifyOptions,
        events: &dyn Events,
        cancel: &Cancel,
    ) -> Result<VerifyReport> {
        let mut job = Job::start(events, cancel, "verify", 0);
        let result = self.verify_steps(path, opts, &mut job);
        job.finish(&result);
        result
    }

    fn verify_steps(&self, path: &Path, opts: &VerifyOptions, job: &mut Job<'_>) -> Result<VerifyReport> {
        let bundle = BundleArchive::read(path)?;
        Manifest::parse(bundle.require(MANIFEST)?)?;
        let passages = webannotation::parse(bundle.require(webannotation::FILE)?)?;
        let claims = claimreview::parse(bundle.require(claimreview::FILE)?)?;
        job.set_total(passages.len() as u64);
        let mut texts: HashMap<String, Text> = HashMap::new();
        let mut checks = Vec::new();
        for p in &passages {
            job.step(&format!("{} p.{}", p.paper, p.page))?;
            if !texts.contains_key(&p.sha256) {
                let t = match library_text(self, &p.sha256)? {
                    Some(t) => t,
                    None => match bundle_text(&bundle, &p.sha256, &opts.worker) {
                        Text::Missing(reason) => Text::Missing(format!("{reason}{}", self.other_versions(&p.paper)?)),
                        found => found,
                    },
                };
                texts.insert(p.sha256.clone(), t);
            }
            checks.push(check(p, &texts[&p.sha256]));
        }
        let mut problems = Vec::new();
        let mut counts: BTreeMap<&str, EvidenceCounts> = BTreeMap::new();
        for p in &passages {
            for (claim, stance, _) in &p.links {
                if !claims.iter().any(|c| &c.id == claim) {
                    problems.push(format!(
                        "annotations.jsonld: passage `{}` cites claim `{claim}`, which claims.jsonld does not review",
                        p.id
                    ));
                }
                let e = counts.entry(claim.as_str()).or_default();
                match stance {
                    Stance::Supports => e.supports += 1,
                    Stance::Contradicts => e.contradicts += 1,
                    Stance::Context => e.context += 1,
                }
            }
        }
        for c in &claims {
            let derived = Verdict::from_counts(&counts.get(c.id.as_str()).copied().unwrap_or_default());
            if derived != c.verdict {
                problems.push(format!(
                    "claims.jsonld: claim `{}` is rated {} but its evidence in annotations.jsonld makes it {}",
                    c.id,
                    verdict_label(c.verdict),
                    verdict_label(derived)
                ));
            }
        }
        let holds = checks.iter().filter(|c| c.status == CheckStatus::Holds).count();
        let reanchored = checks.iter().filter(|c| c.status == CheckStatus::Reanchored).count();
        let failed = checks.len() - holds - reanchored;
        Ok(VerifyReport {
            bundle: path.display().to_string(),
            ok: failed == 0 && problems.is_empty(),
            total: checks.len(),
            holds,
            reanchored,
            failed,
            passages: checks,
            problems,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passage(page_text: &str, start: usize, end: usize, version: &str) -> Passage {
        let (prefix, suffix) = context(page_text, start, end);
        Passage {
            id: "a-1".into(),
            paper: "p".into(),
            sha256: "0".repeat(64),
            page: 1,
            exact: char_slice(page_text, start, end).into(),
            prefix,
            suffix,
            start,
            end,
            extractor: EXTRACTOR_NAME.into(),
            extractor_version: version.into(),
            note: String::new(),
            tags: Vec::new(),
            color: "yellow".into(),
            created: String::new(),
            modified: String::new(),
            links: Vec::new(),
        }
    }

    fn text(page: &str) -> Text {
        Text::Found {
            pages: vec![page.into()],
            extractor: EXTRACTOR_NAME.into(),
            version: EXTRACTOR_VERSION.into(),
            from: "library",
        }
    }

    #[test]
    fn same_extractor_needs_an_exact_match_and_one_edited_character_fails() {
        let page = "Our total training costs amount to only $5.576M, assuming the rental price.";
        let p = passage(page, 4, 47, EXTRACTOR_VERSION);
        assert_eq!(check(&p, &text(page)).status, CheckStatus::Holds);
        let mut edited = p.clone();
        edited.exact = edited.exact.replace("5.576", "5.676");
        let c = check(&edited, &text(page));
        assert_eq!(c.status, CheckStatus::NotFound);
        assert!(c.reason.contains("character 40 is “6” in the bundle but “5” in the PDF"), "{}", c.reason);
    }

    #[test]
    fn another_extractor_version_reanchors_with_a_score() {
        let page = "Our total training costs amount to only $5.576M, assuming the rental price.";
        let p = passage(page, 4, 47, "0.0.1");
        let moved = format!("Header line. {}", page.replace("rental", "rent"));
        let c = check(&p, &text(&moved));
        assert_eq!(c.status, CheckStatus::Reanchored);
        assert_eq!(c.score, Some(1.0));
        assert_eq!(c.found.unwrap()[1], 17);
        assert!(c.status.label().contains("re-anchored"));
    }

    #[test]
    fn a_missing_pdf_is_reported_with_its_reason() {
        let p = passage("abc def ghi", 4, 7, EXTRACTOR_VERSION);
        let c = check(&p, &Text::Missing("no PDF".into()));
        assert_eq!(c.status, CheckStatus::MissingPdf);
        assert!(!c.status.holds());
    }
}
