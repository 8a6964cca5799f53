//! What the shell keeps between commands: the open library, the running jobs and the files
//! named on the command line.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use papertrail_core::{Cancel, Library};
use tauri::AppHandle;

use crate::error::{CmdResult, CommandError};
use crate::events::TauriEvents;

/// The command line: `papertrail-app [--library DIR] [PDF or folder]...`.
#[derive(Debug, Default)]
pub struct Args {
    /// `--library DIR`, else `PAPERTRAIL_LIBRARY`, else the default folder.
    pub library: Option<PathBuf>,
    /// Files or folders to import once the window is up.
    pub import: Vec<PathBuf>,
}

impl Args {
    /// Reads the process arguments.
    pub fn from_env() -> Self {
        Self::parse(std::env::args_os().skip(1))
    }

    /// Parses arguments; unknown flags are ignored so that toolkit flags do not break start-up.
    pub fn parse(args: impl IntoIterator<Item = OsString>) -> Self {
        let mut out = Args::default();
        let mut it = args.into_iter();
        while let Some(a) = it.next() {
            let s = a.to_string_lossy();
            if s == "--library" {
                out.library = it.next().map(PathBuf::from);
            } else if let Some(v) = s.strip_prefix("--library=") {
                out.library = Some(PathBuf::from(v));
            } else if !s.starts_with('-') {
                out.import.push(PathBuf::from(a));
            }
        }
        out
    }
}

/// Shared state behind every command.
pub struct AppState {
    /// The library folder.
    pub dir: PathBuf,
    library: Result<Arc<Library>, CommandError>,
    jobs: Mutex<HashMap<String, Cancel>>,
    pending: Mutex<Vec<PathBuf>>,
}

impl AppState {
    /// Opens the library named by the arguments, the environment or the default.
    /// A failure is kept and reported to the UI by every command, not a crash.
    pub fn open(args: Args) -> Self {
        let dir = args
            .library
            .or_else(|| std::env::var_os("PAPERTRAIL_LIBRARY").map(PathBuf::from))
            .unwrap_or_else(Library::default_dir);
        let library = Library::open(&dir).map(Arc::new).map_err(|e| {
            let mut err = CommandError::from(e);
            err.message = format!("{} (library folder {})", err.message, dir.display());
            err
        });
        if let Err(e) = &library {
            tracing::error!("could not open the library at {}: {}", dir.display(), e.message);
        }
        Self { dir, library, jobs: Mutex::default(), pending: Mutex::new(args.import) }
    }

    /// The open library, or why it could not be opened.
    pub fn library(&self) -> CmdResult<Arc<Library>> {
        self.library.clone()
    }

    /// The files named on the command line, handed out once.
    pub fn take_pending(&self) -> Vec<PathBuf> {
        std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Runs long work off the UI thread with progress events and a cancel flag registered
    /// under `name`; a second job of the same name while one runs is refused.
    pub async fn job<T, F>(&self, app: AppHandle, name: &str, work: F) -> CmdResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Library, &TauriEvents, &Cancel) -> papertrail_core::Result<T> + Send + 'static,
    {
        let lib = self.library()?;
        let cancel = Cancel::new();
        {
            let mut jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
            if jobs.contains_key(name) {
                return Err(CommandError::new(
                    "busy",
                    format!("a {name} is already running; wait for it to finish or cancel it"),
                ));
            }
            jobs.insert(name.to_owned(), cancel.clone());
        }
        let events = TauriEvents(app);
        let result = tauri::async_runtime::spawn_blocking(move || work(&lib, &events, &cancel)).await;
        self.jobs.lock().unwrap_or_else(|e| e.into_inner()).remove(name);
        match result {
            Ok(r) => r.map_err(CommandError::from),
            Err(e) => Err(CommandError::new("shell", format!("the {name} stopped unexpectedly: {e}"))),
        }
    }

    /// Asks the named job to stop; false when no such job runs.
    pub fn cancel(&self, name: &str) -> bool {
        let jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
        jobs.get(name).map(Cancel::cancel).is_some()
    }

    /// Reads a stored PDF by its sha256 (checked to be 64 hex digits, so no path can escape
    /// the library's pdfs folder).
    pub fn read_pdf(&self, sha256: &str) -> CmdResult<Vec<u8>> {
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(CommandError::new("invalid", format!("invalid sha256 `{sha256}`: expected 64 hex digits")));
        }
        let path = self.library()?.pdf_path(sha256);
        std::fs::read(&path).map_err(|e| {
            CommandError::new("not_found", format!("reading {}: {e}; re-import the paper's PDF", path.display()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_library_and_paths() {
        let a = Args::parse(["--library", "/tmp/lib", "a.pdf", "--ignored", "dir"].map(OsString::from));
        assert_eq!(a.library, Some(PathBuf::from("/tmp/lib")));
        assert_eq!(a.import, vec![PathBuf::from("a.pdf"), PathBuf::from("dir")]);
        let b = Args::parse(["--library=/x"].map(OsString::from));
        assert_eq!(b.library, Some(PathBuf::from("/x")));
    }
}
