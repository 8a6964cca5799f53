//! Downloading the catalog's papers from their pinned, checksummed sources (or from a mirror
//! that serves the same files), then importing them.
//!
//! A pinned sha256 must match the downloaded bytes, or nothing is imported. Each paper's
//! failure is its own; the rest carry on.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::events::{Cancel, Event, Events, NoEvents};
use crate::ingest::import::ImportOptions;
use crate::library::Library;
use crate::model::ImportStatus;

/// Where and how to download.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DownloadOptions {
    /// Base URL of a mirror serving the catalog's files at their relative paths
    /// (`pdf/deepseek-v3.pdf`, and `arxiv/<id>.pdf` for unpinned papers). `None`: upstream.
    pub mirror: Option<String>,
    /// Only these papers (default: every catalog paper without an imported PDF).
    pub papers: Vec<String>,
    /// Largest file accepted, in bytes.
    pub max_bytes: u64,
    /// Time limit per file.
    pub timeout_secs: u64,
    /// Only papers with a pinned, checksummed source.
    #[serde(default)]
    pub pinned_only: bool,
}

impl Default for DownloadOptions {
    fn default() -> Self {
        Self { mirror: None, papers: Vec::new(), max_bytes: 200 << 20, timeout_secs: 120, pinned_only: false }
    }
}

/// What happened to one paper.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DownloadOutcome {
    /// Paper id.
    pub paper_id: String,
    /// The address used.
    pub url: String,
    /// What happened.
    #[serde(flatten)]
    pub status: DownloadStatus,
}

/// The result for one paper.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DownloadStatus {
    /// Downloaded, checksum verified (when pinned) and imported.
    Imported {
        /// sha256 of the file.
        sha256: String,
        /// Whether the catalog pinned this sha256.
        verified: bool,
    },
    /// The paper already has a PDF in the library.
    AlreadyImported,
    /// Download, checksum or import failed; nothing was stored.
    Failed {
        /// Why.
        reason: String,
    },
}

impl Library {
    /// Downloads and imports catalog papers. Fails as a whole only for an unknown paper id or
    /// a library that cannot be written.
    pub fn download(
        &self,
        opts: &DownloadOptions,
        import: &ImportOptions,
        events: &dyn Events,
        cancel: &Cancel,
    ) -> Result<Vec<DownloadOutcome>> {
        let papers = self.papers()?;
        for id in &opts.papers {
            if self.catalog().paper(id).is_none() {
                return Err(Error::NotFound { kind: "catalog paper", id: id.clone() });
            }
        }
        let wanted: Vec<_> = self
            .catalog()
            .papers
            .iter()
            .filter(|p| opts.papers.is_empty() || opts.papers.contains(&p.id))
            .filter(|p| !opts.pinned_only || p.source.as_ref().is_some_and(|s| s.sha256.is_some()))
            .cloned()
            .collect();
        let tmp = self.dir().join("tmp");
        std::fs::create_dir_all(&tmp).map_err(|e| Error::io("creating", &tmp, e))?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(opts.timeout_secs.max(1))))
            .timeout_connect(Some(Duration::from_secs(15)))
            .build()
            .into();
        events.emit(Event::JobStarted { job: "download".into(), total: wanted.len() as u64 });
        let mut out = Vec::new();
        for (i, p) in wanted.iter().enumerate() {
            if cancel.is_cancelled() {
                events.emit(Event::JobFinished { job: "download".into(), cancelled: true });
                return Ok(out);
            }
            let url = match (&opts.mirror, &p.source, &p.arxiv_id) {
                (Some(m), Some(s), _) if s.path.is_some() => {
                    format!("{}/{}", m.trim_end_matches('/'), s.path.as_deref().unwrap_or_default())
                }
                (Some(m), _, Some(a)) => format!("{}/arxiv/{a}.pdf", m.trim_end_matches('/')),
                _ => p.download_url().unwrap_or_default(),
            };
            events.emit(Event::JobProgress {
                job: "download".into(),
                done: i as u64,
                total: wanted.len() as u64,
                item: p.id.clone(),
            });
            let has_pdf = papers.iter().any(|x| x.id == p.id && !x.versions.is_empty());
            let status = if has_pdf {
                DownloadStatus::AlreadyImported
            } else if url.is_empty() {
                DownloadStatus::Failed { reason: "the catalog gives no download address for this paper".into() }
            } else {
                let expected = p.source.as_ref().and_then(|s| s.sha256.clone());
                let file = tmp.join(format!("{}.pdf", p.id));
                let status = match fetch(&agent, &url, &file, opts.max_bytes, cancel) {
                    Err(e) => DownloadStatus::Failed { reason: e.to_string() },
                    Ok(sha) => match &expected {
                        Some(want) if *want != sha => DownloadStatus::Failed {
                            reason: format!("checksum mismatch: the catalog pins sha256 {want}, the download has {sha}; nothing was imported"),
                        },
                        _ => match self.import(std::slice::from_ref(&file), import, &NoEvents, cancel) {
                            Ok(results) => match results.into_iter().next().map(|o| o.status) {
                                Some(ImportStatus::Imported { sha256, .. }) | Some(ImportStatus::NewVersion { sha256, .. }) => {
                                    DownloadStatus::Imported { sha256, verified: expected.is_some() }
                                }
                                Some(ImportStatus::AlreadyPresent { .. }) => DownloadStatus::AlreadyImported,
                                Some(ImportStatus::Failed { reason }) => DownloadStatus::Failed { reason },
                                None => DownloadStatus::Failed { reason: "the import reported nothing".into() },
                            },
                            Err(e) => DownloadStatus::Failed { reason: e.to_string() },
                        },
                    },
                };
                let _ = std::fs::remove_file(&file);
                status
            };
            out.push(DownloadOutcome { paper_id: p.id.clone(), url, status });
        }
        events.emit(Event::JobProgress {
            job: "download".into(),
            done: wanted.len() as u64,
            total: wanted.len() as u64,
            item: String::new(),
        });
        events.emit(Event::JobFinished { job: "download".into(), cancelled: false });
        events.emit(Event::LibraryChanged);
        Ok(out)
    }
}

/// Why a download failed; each names the address or file.
#[derive(Debug, thiserror::Error)]
enum FetchError {
    #[error("the server answered HTTP {code} for {url}")]
    Status { url: String, code: u16 },
    #[error("cannot download {url}: {source}")]
    Request { url: String, source: ureq::Error },
    #[error("the file at {url} is {len} bytes, over the {max}-byte limit")]
    TooLarge { url: String, len: u64, max: u64 },
    #[error("the file at {url} is over the {max}-byte limit")]
    OverLimit { url: String, max: u64 },
    #[error("the download of {url} broke off after {received} bytes: {source}")]
    BrokeOff { url: String, received: u64, source: std::io::Error },
    #[error("cannot write {path}: {source}", path = .path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("cancelled")]
    Cancelled,
}

/// Downloads `url` into `dest` (through a `.part` file), returning the sha256 of the bytes.
fn fetch(
    agent: &ureq::Agent,
    url: &str,
    dest: &PathBuf,
    max_bytes: u64,
    cancel: &Cancel,
) -> std::result::Result<String, FetchError> {
    let mut res = agent.get(url).call().map_err(|e| match e {
        ureq::Error::StatusCode(code) => FetchError::Status { url: url.into(), code },
        source => FetchError::Request { url: url.into(), source },
    })?;
    if let Some(len) = res.body().content_length() {
        if len > max_bytes {
            return Err(FetchError::TooLarge { url: url.into(), len, max: max_bytes });
        }
    }
    let part = dest.with_extension("pdf.part");
    let write = |path: &PathBuf| {
        let path = path.clone();
        move |source| FetchError::Write { path, source }
    };
    let mut file = std::fs::File::create(&part).map_err(write(&part))?;
    let mut reader = res.body_mut().with_config().limit(max_bytes + 1).reader();
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        if cancel.is_cancelled() {
            let _ = std::fs::remove_file(&part);
            return Err(FetchError::Cancelled);
        }
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(source) => {
                let _ = std::fs::remove_file(&part);
                return Err(FetchError::BrokeOff { url: url.into(), received: total, source });
            }
        };
        total += n as u64;
        if total > max_bytes {
            let _ = std::fs::remove_file(&part);
            return Err(FetchError::OverLimit { url: url.into(), max: max_bytes });
        }
        hasher.update(&buf[..n]);
        file.write_all(&buf[..n]).map_err(write(&part))?;
    }
    file.sync_all().map_err(write(&part))?;
    std::fs::rename(&part, dest).map_err(write(dest))?;
    Ok(hex::encode(hasher.finalize()))
}
