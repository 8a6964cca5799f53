//! The one error the UI receives: `{code, message}`, serialized.

use serde::Serialize;

/// An error as the UI sees it: a stable `code` to branch on and a `message` to show.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CommandError {
    /// Stable machine-readable kind, e.g. `not_found`, `import`, `busy`.
    pub code: String,
    /// What failed, on what input, and what to do.
    pub message: String,
}

impl CommandError {
    /// An error raised by the shell itself.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self { code: code.to_owned(), message: message.into() }
    }
}

impl From<papertrail_core::Error> for CommandError {
    fn from(e: papertrail_core::Error) -> Self {
        Self { code: e.code().to_owned(), message: e.to_string() }
    }
}

impl From<tauri::Error> for CommandError {
    fn from(e: tauri::Error) -> Self {
        Self::new("shell", e.to_string())
    }
}

/// What every command returns.
pub type CmdResult<T> = Result<T, CommandError>;
