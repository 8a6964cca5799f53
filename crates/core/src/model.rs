//! Serializable records that leave the core: papers, versions, search hits and import outcomes.
//!
//! These are the shapes the CLI prints with `--json` and the desktop shell sends to the UI.

use serde::{Deserialize, Serialize};

/// How precisely a date is known.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    /// Only the year is known (`YYYY`).
    Year,
    /// Year and month are known (`YYYY-MM`).
    Month,
    /// The exact day is known (`YYYY-MM-DD`).
    Day,
}

/// One stored file of a paper, identified by the sha256 of its bytes.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    /// Hex sha256 of the PDF bytes; the file lives in the library as `<sha256>.pdf`.
    pub sha256: String,
    /// Number of pages extracted.
    pub pages: u32,
    /// When the file was imported, RFC 3339 UTC.
    pub imported_at: String,
    /// The file name it was imported from.
    pub file_name: String,
    /// Size in bytes.
    pub size: u64,
    /// How much of the file has a text layer.
    pub text_layer: TextLayer,
    /// Where OCR of its pages without usable text stands.
    pub ocr: OcrState,
    /// Pages that came out empty or unreadable, and repairs made to read the file.
    pub problems: Vec<PageProblem>,
    /// Whether every passage of this version has a vector (search by meaning).
    #[serde(default)]
    pub embedded: bool,
}

/// How much of a file has a usable text layer.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextLayer {
    /// Every page with content has text.
    Text,
    /// Some pages have no usable text (scanned or unreadable pages).
    Partial,
    /// No page has usable text: a scan.
    None,
}

/// Where OCR of a version's pages without usable text stands.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OcrState {
    /// Nothing needs OCR.
    None,
    /// Pages wait for OCR.
    Pending,
    /// OCR finished; the pages it read are marked `ocr`.
    Done,
    /// Tesseract is not installed: the pages stay without text.
    Unavailable,
    /// OCR ran and failed (see the version's problems).
    Failed,
}

/// Something wrong with one page of an imported file (or, page 0, with the file as a whole).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageProblem {
    /// The 1-based page, or 0 for the whole file.
    pub page: u32,
    /// What is wrong, as a sentence.
    pub problem: String,
}

/// A paper: a catalog entry or an imported document, with zero or more versions.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paper {
    /// Short slug, e.g. `deepseek-v3`.
    pub id: String,
    /// Title.
    pub title: String,
    /// Date as ISO text in its precision (`2024-12-26`, `2023-07`, `2024`), if known.
    pub date: Option<String>,
    /// Precision of `date`.
    pub date_precision: Option<DatePrecision>,
    /// arXiv identifier without version, e.g. `2412.19437`.
    pub arxiv_id: Option<String>,
    /// Authors, corporate or personal, in order.
    pub authors: Vec<String>,
    /// Whether the paper comes from the loaded catalog.
    pub in_catalog: bool,
    /// Stored versions, oldest first. Empty for a catalog paper with no PDF yet.
    pub versions: Vec<Version>,
    /// The DOI the paper prints (or a user gave), e.g. `10.1145/357172.357176`.
    pub doi: Option<String>,
    /// Ids of the library papers this paper's reference list cites, in date order.
    pub cites: Vec<String>,
    /// Ids of the library papers whose reference lists cite this paper, in date order.
    pub cited_by: Vec<String>,
    /// The fields a user edited (`title`, `authors`, `date`, `arxiv_id`, `doi`): kept over
    /// reindex, re-import and catalog reload.
    pub edited: Vec<String>,
}

/// Which part of a paper a passage belongs to.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    /// Running text: everything but the reference list.
    #[default]
    Body,
    /// The reference list (bibliography) of the paper.
    References,
}

impl Section {
    /// The section as its stored word.
    pub fn as_str(&self) -> &'static str {
        match self {
            Section::Body => "body",
            Section::References => "references",
        }
    }

    /// Parses a stored word; anything unknown is body text.
    pub fn from_stored(s: &str) -> Section {
        if s == "references" {
            Section::References
        } else {
            Section::Body
        }
    }
}

/// One search hit: a passage of a page of a paper version.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    /// Paper id.
    pub paper_id: String,
    /// Paper title.
    pub title: String,
    /// The version the passage comes from.
    pub version_sha256: String,
    /// 1-based page number.
    pub page: u32,
    /// Start of the passage, in characters (Unicode scalar values) into the page's normalized text.
    pub start: usize,
    /// End of the passage (exclusive), in characters into the page's normalized text.
    pub end: usize,
    /// BM25 score (higher is better).
    pub score: f32,
    /// A short excerpt of the passage around the matches, plain text.
    pub snippet: String,
    /// Highlighted ranges in `snippet`, as `[start, end)` character offsets.
    pub highlights: Vec<[usize; 2]>,
    /// The whole passage text.
    pub text: String,
    /// Whether the passage is running text or part of the reference list; reference passages
    /// rank after every body passage that matches.
    pub section: Section,
    /// True when the page's text was read by OCR (a scan): its words may hold OCR errors.
    #[serde(default)]
    pub ocr: bool,
    /// What found it, in a search by meaning (`words`, `meaning`); empty in a word search.
    #[serde(default)]
    pub matched_by: Vec<String>,
}

/// The answer to a search.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// Hits, best first.
    pub hits: Vec<SearchHit>,
    /// Number of matching passages (may exceed `hits.len()`); a lower bound when
    /// `total_exact` is false.
    pub total: usize,
    /// False when counting stopped at [`crate::search::index::COUNT_CAP`] matches: `total` then means
    /// "at least this many".
    #[serde(default = "yes")]
    pub total_exact: bool,
    /// True when nothing matched exactly and these are close spellings.
    pub fuzzy: bool,
    /// Time spent in the core, in microseconds.
    pub elapsed_us: u64,
}

/// What happened to one file of an import.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ImportStatus {
    /// A new paper was created.
    Imported {
        /// The paper id.
        paper_id: String,
        /// The sha256 of the stored file.
        sha256: String,
        /// Number of pages.
        pages: u32,
    },
    /// The same bytes were already in the library.
    AlreadyPresent {
        /// The paper id.
        paper_id: String,
        /// The sha256 of the file.
        sha256: String,
    },
    /// The file is a new version of a paper that already had one.
    NewVersion {
        /// The paper id.
        paper_id: String,
        /// The sha256 of the stored file.
        sha256: String,
        /// Number of pages.
        pages: u32,
    },
    /// The file could not be imported; nothing was stored for it.
    Failed {
        /// Why, in words a user can act on.
        reason: String,
    },
}

/// The outcome of one file.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOutcome {
    /// The file as given.
    pub path: String,
    /// What a user should know about an imported file (pages without text, repairs, OCR).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// What happened.
    #[serde(flatten)]
    pub status: ImportStatus,
}

impl ImportOutcome {
    /// The outcome of the file at `path`, with no notes.
    pub fn new(path: &std::path::Path, status: ImportStatus) -> Self {
        Self { path: path.display().to_string(), notes: Vec::new(), status }
    }

    /// True when the file failed.
    pub fn is_failure(&self) -> bool {
        matches!(self.status, ImportStatus::Failed { .. })
    }
}

/// How a passage bears on a claim.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stance {
    /// The passage supports the claim.
    Supports,
    /// The passage contradicts the claim.
    Contradicts,
    /// The passage is relevant context, neither for nor against.
    Context,
}

impl Stance {
    /// The stance as its lowercase word.
    pub fn as_str(&self) -> &'static str {
        match self {
            Stance::Supports => "supports",
            Stance::Contradicts => "contradicts",
            Stance::Context => "context",
        }
    }
}

/// A word that names none of an enum's values: what was given, and what it may be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{given}` is not a {what}; use {expected}")]
pub struct UnknownWord {
    /// The word given.
    pub given: String,
    /// What it should have named ("stance").
    pub what: &'static str,
    /// The words accepted, as a sentence ("supports, contradicts or context").
    pub expected: &'static str,
}

impl std::str::FromStr for Stance {
    type Err = UnknownWord;
    fn from_str(s: &str) -> Result<Self, UnknownWord> {
        match s {
            "supports" => Ok(Stance::Supports),
            "contradicts" => Ok(Stance::Contradicts),
            "context" => Ok(Stance::Context),
            other => Err(UnknownWord {
                given: other.to_string(),
                what: "stance",
                expected: "supports, contradicts or context",
            }),
        }
    }
}

/// An annotation's highlight colour, stored and sent as its lowercase name.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Colour {
    /// The default.
    #[default]
    Yellow,
    /// Green.
    Green,
    /// Blue.
    Blue,
    /// Pink.
    Pink,
    /// Orange.
    Orange,
    /// Purple.
    Purple,
}

impl Colour {
    /// Every colour, in the order a picker shows them.
    pub const ALL: [Colour; 6] =
        [Colour::Yellow, Colour::Green, Colour::Blue, Colour::Pink, Colour::Orange, Colour::Purple];

    /// The colour's stored name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Colour::Yellow => "yellow",
            Colour::Green => "green",
            Colour::Blue => "blue",
            Colour::Pink => "pink",
            Colour::Orange => "orange",
            Colour::Purple => "purple",
        }
    }
}

impl std::fmt::Display for Colour {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Colour {
    type Err = UnknownWord;
    fn from_str(s: &str) -> Result<Self, UnknownWord> {
        Colour::ALL.into_iter().find(|c| c.as_str() == s).ok_or_else(|| UnknownWord {
            given: s.to_string(),
            what: "colour",
            expected: "one of yellow, green, blue, pink, orange, purple",
        })
    }
}

impl rusqlite::types::ToSql for Colour {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

impl rusqlite::types::FromSql for Colour {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        value.as_str()?.parse().map_err(|e| rusqlite::types::FromSqlError::Other(Box::new(e)))
    }
}

/// What kind of milestone a timeline entry is.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MilestoneKind {
    /// A paper's publication.
    Paper,
    /// A model or product release.
    Release,
    /// Anything else that happened.
    Event,
    /// A public claim.
    Claim,
}

impl MilestoneKind {
    /// The kind as its lowercase word.
    pub fn as_str(&self) -> &'static str {
        match self {
            MilestoneKind::Paper => "paper",
            MilestoneKind::Release => "release",
            MilestoneKind::Event => "event",
            MilestoneKind::Claim => "claim",
        }
    }
}

impl std::str::FromStr for MilestoneKind {
    type Err = UnknownWord;
    fn from_str(s: &str) -> Result<Self, UnknownWord> {
        match s {
            "paper" => Ok(MilestoneKind::Paper),
            "release" => Ok(MilestoneKind::Release),
            "event" => Ok(MilestoneKind::Event),
            "claim" => Ok(MilestoneKind::Claim),
            other => Err(UnknownWord {
                given: other.to_string(),
                what: "milestone kind",
                expected: "paper, release, event or claim",
            }),
        }
    }
}

fn yes() -> bool {
    true
}

/// Reads a unit enum from its stored snake_case name (`"partial"` → `TextLayer::Partial`).
pub fn json_enum<T: serde::de::DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
}

/// The stored snake_case name of a unit enum (`TextLayer::Partial` → `"partial"`).
pub fn enum_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// One stored page of a version.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPage {
    /// 1-based page number.
    pub page: u32,
    /// The normalized text (empty when the page has no readable text).
    pub text: String,
    /// Where the text came from.
    pub source: crate::ingest::quality::PageSource,
}
