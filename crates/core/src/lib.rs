//! Papertrail's core library: a library folder of research papers (SQLite as the source of
//! truth, PDFs stored by sha256, a tantivy index derived from the database), text extraction
//! in isolated workers, passage search, anchors, claims and the timeline.
//!
//! The core knows nothing of its shells: progress leaves it through [`events::Events`].
//!
//! ```no_run
//! use papertrail_core::{Library, SearchOptions};
//! # fn main() -> papertrail_core::Result<()> {
//! let lib = Library::open(std::path::Path::new("/tmp/my-library"))?;
//! let results = lib.search("\"aha moment\"", &SearchOptions { limit: 5, ..Default::default() })?;
//! for hit in results.hits {
//!     println!("{} p.{}: {}", hit.paper_id, hit.page, hit.snippet);
//! }
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

pub mod bundle;
pub mod date;
pub mod error;
pub mod events;
pub mod evidence;
pub mod ingest;
pub mod library;
pub mod model;
pub mod paper_edit;
pub mod reader_state;
pub mod search;
pub mod store;
pub mod story;

pub use bundle::{CitationStyle, ExportOptions, ImportBundleOptions, Selection, VerifyOptions};
pub use error::{Error, Result};
pub use events::{Cancel, Event, Events, NoEvents};
pub use evidence::annotation::{Annotation, AnnotationEdit, AnnotationFilter, NewAnnotation};
pub use evidence::claims::{Claim, ClaimDetail, ClaimEdit, Evidence, EvidenceCounts, NewClaim, Verdict};
pub use evidence::suggest::Suggestion;
pub use ingest::import::ImportOptions;
pub use library::Library;
pub use model::Stance;
pub use search::index::SearchOptions;
pub use story::timeline::TimelineEntry;
