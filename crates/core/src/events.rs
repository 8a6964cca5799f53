//! Progress and change events leave the core through [`Events`], a trait of its own.
//!
//! The CLI implements it with a progress bar, the desktop shell with Tauri's `emit`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde::Serialize;

use crate::model::ImportOutcome;

/// Something the core reports while it works.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// A long job started; `total` is the number of steps when known.
    JobStarted {
        /// Job name: `import`, `reindex`, `download`, `export`.
        job: String,
        /// Number of steps.
        total: u64,
    },
    /// One step of a job is done.
    JobProgress {
        /// Job name.
        job: String,
        /// Steps done so far.
        done: u64,
        /// Number of steps.
        total: u64,
        /// What is being worked on (a file name, a paper id).
        item: String,
    },
    /// A file of an import finished, successfully or not.
    FileImported(ImportOutcome),
    /// A long job ended.
    JobFinished {
        /// Job name.
        job: String,
        /// True when the job was cancelled before it finished.
        cancelled: bool,
    },
    /// The library's contents changed (papers, passages, claims, annotations).
    LibraryChanged,
}

/// Receives [`Event`]s. Implementations must be cheap and must not block.
pub trait Events: Send + Sync {
    /// Called for each event, possibly from worker threads.
    fn emit(&self, event: Event);
}

/// An [`Events`] sink that drops everything.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoEvents;

impl Events for NoEvents {
    fn emit(&self, _event: Event) {}
}

/// A flag that asks a long job to stop at its next checkpoint.
#[derive(Debug, Default, Clone)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A fresh, unset flag.
    pub fn new() -> Self {
        Self::default()
    }
    /// Ask the job to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    /// Whether a stop was asked for.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}
