//! The core's one error type.

use std::path::PathBuf;

/// Everything that can go wrong in the core. Messages say what failed, on what input, and
/// what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A filesystem operation failed on a path.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done ("reading", "creating").
        action: &'static str,
        /// The path it was done to.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The SQLite database failed.
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
    /// The tantivy index failed.
    #[error("search index error: {0} (run `papertrail reindex` to rebuild it)")]
    Index(#[from] tantivy::TantivyError),
    /// Another process is writing to the same library.
    #[error("library is busy: another Papertrail process is writing to {0}; wait for it to finish and try again")]
    Busy(PathBuf),
    /// A search query could not be understood.
    #[error("bad query: {0}")]
    Query(String),
    /// A value given by the user is invalid; names the field.
    #[error("invalid {field}: {message}")]
    Invalid {
        /// The field or argument at fault.
        field: String,
        /// What is wrong with it and what would be accepted.
        message: String,
    },
    /// An id that names nothing in the library.
    #[error("unknown {kind} `{id}`")]
    NotFound {
        /// What kind of thing ("paper", "claim", "annotation").
        kind: &'static str,
        /// The id given.
        id: String,
    },
    /// A catalog file could not be loaded.
    #[error("catalog {source_name}: {message}")]
    Catalog {
        /// The catalog file name.
        source_name: String,
        /// Line and reason.
        message: String,
    },
    /// A PDF could not be imported.
    #[error("{path}: {reason}")]
    Import {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The operation was cancelled.
    #[error("cancelled")]
    Cancelled,
    /// JSON (de)serialization failed.
    #[error("JSON error: {0}")]
    Json(#[from] serde_json::Error),
    /// The embedding model (search by meaning) could not be loaded or run.
    #[error("embedding model: {0}")]
    Model(String),
}

impl Error {
    /// A short stable code for the error's kind, sent to the UI with the message.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Io { .. } => "io",
            Error::Db(_) => "db",
            Error::Index(_) => "index",
            Error::Busy(_) => "busy",
            Error::Query(_) => "query",
            Error::Invalid { .. } => "invalid",
            Error::NotFound { .. } => "not_found",
            Error::Catalog { .. } => "catalog",
            Error::Import { .. } => "import",
            Error::Cancelled => "cancelled",
            Error::Json(_) => "json",
            Error::Model(_) => "model",
        }
    }

    /// Builds an [`Error::Io`].
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { action, path: path.into(), source }
    }

    /// Builds an [`Error::Invalid`]: the field, and what is wrong with it (a sentence, or a
    /// typed error such as [`crate::date::DateError`] whose message is one).
    pub fn invalid(field: impl Into<String>, message: impl std::fmt::Display) -> Self {
        Error::Invalid { field: field.into(), message: message.to_string() }
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
