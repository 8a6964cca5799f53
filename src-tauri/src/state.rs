//! What the shell keeps between commands: the open library, the running jobs and the files
//! named on the command line.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use papertrail_core::{Cancel, Library};
use tauri::AppHandle;

use crate::error::{CmdResult, CommandError};
use crate::events::TauriEvents;

/// The command line: `papertrail-app [--library DIR] [--config DIR] [PDF or folder]...`.
#[derive(Debug, Default)]
pub struct Args {
    /// `--library DIR`, else `PAPERTRAIL_LIBRARY`, else the default folder.
    pub library: Option<PathBuf>,
    /// `--config DIR`: where the settings are kept (else `PAPERTRAIL_CONFIG`, else the user's
    /// config folder).
    pub config: Option<PathBuf>,
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
            } else if s == "--config" {
                out.config = it.next().map(PathBuf::from);
            } else if let Some(v) = s.strip_prefix("--config=") {
                out.config = Some(PathBuf::from(v));
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
    library: RwLock<Result<Arc<Library>, CommandError>>,
    jobs: Mutex<HashMap<String, Cancel>>,
    pending: Mutex<Vec<PathBuf>>,
}

impl AppState {
    /// Opens the library named by the arguments, the environment or the default, with the
    /// catalog file chosen in the settings (if any). A failure is kept and reported to the UI by
    /// every command, not a crash; a catalog file that cannot be used is reported in the
    /// returned notice and the library opens with the catalog it keeps.
    pub fn open(args: Args, catalog: Option<&str>) -> (Self, Option<String>) {
        let dir = args
            .library
            .or_else(|| std::env::var_os("PAPERTRAIL_LIBRARY").map(PathBuf::from))
            .unwrap_or_else(Library::default_dir);
        let mut notice = None;
        let chosen = catalog.and_then(|path| match read_catalog(path) {
            Ok(c) => Some(c),
            Err(e) => {
                notice = Some(format!(
                    "The catalog chosen in the settings could not be used: {} The library opened with the catalog it keeps; choose the catalog again in the settings.",
                    e.message
                ));
                None
            }
        });
        let library = Library::open_with_catalog(&dir, chosen).map(Arc::new).map_err(|e| {
            let mut err = CommandError::from(e);
            err.message = format!("{} (library folder {})", err.message, dir.display());
            err
        });
        if let Err(e) = &library {
            tracing::error!("could not open the library at {}: {}", dir.display(), e.message);
        }
        let state =
            Self { dir, library: RwLock::new(library), jobs: Mutex::default(), pending: Mutex::new(args.import) };
        (state, notice)
    }

    /// The open library, or why it could not be opened.
    pub fn library(&self) -> CmdResult<Arc<Library>> {
        self.library.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Opens the library again with the catalog in the TOML file at `path` (or, with `None`, the
    /// bundled one), which the library remembers from now on. Refused while a job runs; on an
    /// error (an invalid catalog, with its line) the library stays as it was.
    pub fn use_catalog(&self, path: Option<&str>) -> CmdResult<Arc<Library>> {
        let catalog = path.map(read_catalog_text).transpose()?;
        let jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(name) = jobs.keys().next() {
            return Err(CommandError::new(
                "busy",
                format!("a {name} is running; wait for it to finish or cancel it, then choose the catalog again"),
            ));
        }
        let lib = Arc::new(Library::open_with_catalog_setting(
            &self.dir,
            catalog.as_ref().map(|(name, text)| (name.as_str(), text.as_str())),
        )?);
        *self.library.write().unwrap_or_else(|e| e.into_inner()) = Ok(lib.clone());
        drop(jobs);
        Ok(lib)
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
        self.library()?.read_pdf(sha256).map_err(|e| match e {
            papertrail_core::Error::Io { .. } => {
                CommandError::new("not_found", format!("{e}; re-import the paper's PDF."))
            }
            e => e.into(),
        })
    }
}

/// Reads a catalog file: its name (the file name, for messages) and its text.
fn read_catalog_text(path: &str) -> CmdResult<(String, String)> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CommandError::new("not_found", format!("the catalog file {path} could not be read ({e}).")))?;
    let name =
        std::path::Path::new(path).file_name().map_or_else(|| path.to_owned(), |n| n.to_string_lossy().into_owned());
    Ok((name, text))
}

/// Reads and validates a catalog file.
fn read_catalog(path: &str) -> CmdResult<papertrail_core::story::catalog::Catalog> {
    let (name, text) = read_catalog_text(path)?;
    Ok(papertrail_core::story::catalog::Catalog::parse(&name, &text)?)
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
        let c = Args::parse(["--config", "/cfg", "a.pdf", "--config=/other"].map(OsString::from));
        assert_eq!(c.config, Some(PathBuf::from("/other")));
        assert_eq!(c.import, vec![PathBuf::from("a.pdf")], "the config folder is not a file to import");
    }
}
