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

pub mod anchor;
pub mod annotation;
pub mod bundle;
pub mod catalog;
pub mod claims;
pub mod date;
pub mod download;
pub mod error;
pub mod events;
pub mod extract;
mod fonts;
pub mod import;
pub mod index;
pub mod library;
pub(crate) mod locator;
pub mod metadata;
pub mod model;
pub mod normalize;
pub mod passage;
pub mod query;
pub mod ranked;
pub mod snippet;
pub mod store;
pub mod suggest;
pub mod timeline;
pub mod tokenizer;
pub mod worker;

pub use annotation::{Annotation, AnnotationEdit, AnnotationFilter, NewAnnotation};
pub use bundle::{CitationStyle, ExportOptions, ImportBundleOptions, Selection, VerifyOptions};
pub use claims::{Claim, ClaimDetail, ClaimEdit, Evidence, EvidenceCounts, NewClaim, Verdict};
pub use error::{Error, Result};
pub use events::{Cancel, Event, Events, NoEvents};
pub use import::ImportOptions;
pub use index::SearchOptions;
pub use library::Library;
pub use model::Stance;
pub use suggest::Suggestion;
pub use timeline::TimelineEntry;
