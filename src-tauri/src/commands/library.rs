//! Library: what is in it, importing, reindexing, cancelling long work.

use std::path::PathBuf;

use papertrail_core::ingest::ocr::OcrSummary;
use papertrail_core::model::{ImportOutcome, Paper, StoredPage};
use papertrail_core::paper_edit::PaperEdit;
use papertrail_core::story::download::{DownloadOptions, DownloadOutcome};
use papertrail_core::{Events, ImportOptions};
use serde::Serialize;
use tauri::{AppHandle, State};

use crate::error::CmdResult;
use crate::state::AppState;

/// The library folder and its size, for the status line and the first-run panel.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LibraryInfo {
    /// The library folder.
    pub path: String,
    /// Papers known (catalog and imported).
    pub papers: usize,
    /// Papers with at least one stored PDF.
    pub imported_papers: u64,
    /// Passages in the database.
    pub passages: u64,
    /// Files named on the command line, to import now (handed out once).
    pub pending_imports: Vec<String>,
}

/// A file that could not be imported.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ImportFailure {
    /// The file as given.
    pub path: String,
    /// Why, in words a user can act on.
    pub reason: String,
}

/// Where the library is and how much it holds.
#[tauri::command]
pub async fn library_info(state: State<'_, AppState>) -> CmdResult<LibraryInfo> {
    let lib = state.library()?;
    let (imported_papers, passages) = lib.counts()?;
    Ok(LibraryInfo {
        path: state.dir.display().to_string(),
        papers: lib.papers()?.len(),
        imported_papers,
        passages,
        pending_imports: state.take_pending().iter().map(|p| p.display().to_string()).collect(),
    })
}

/// Every paper, catalog and imported.
#[tauri::command]
pub async fn list_papers(state: State<'_, AppState>) -> CmdResult<Vec<Paper>> {
    Ok(state.library()?.papers()?)
}

/// Files that failed to import, most recent first, with the reason.
#[tauri::command]
pub async fn import_failures(state: State<'_, AppState>) -> CmdResult<Vec<ImportFailure>> {
    Ok(state.library()?.import_failures()?.into_iter().map(|(path, reason)| ImportFailure { path, reason }).collect())
}

/// Brings the search index up to the database after start (job `index`).
#[tauri::command]
pub async fn catch_up(app: AppHandle, state: State<'_, AppState>) -> CmdResult<bool> {
    state.job(app, "index", |lib, ev, _| lib.catch_up(ev as &dyn Events)).await
}

/// Imports PDF files and folders in the background (job `import`), one outcome per file.
#[tauri::command]
pub async fn import_files(
    app: AppHandle,
    state: State<'_, AppState>,
    paths: Vec<PathBuf>,
) -> CmdResult<Vec<ImportOutcome>> {
    state
        .job(app, "import", move |lib, ev, c| lib.import(&paths, &ImportOptions::default(), ev as &dyn Events, c))
        .await
}

/// Downloads the catalog's papers (pinned, checksummed; or from `opts.mirror`) and imports
/// them in the background (job `download`).
#[tauri::command]
pub async fn download_catalog(
    app: AppHandle,
    state: State<'_, AppState>,
    opts: DownloadOptions,
) -> CmdResult<Vec<DownloadOutcome>> {
    state
        .job(app, "download", move |lib, ev, c| lib.download(&opts, &ImportOptions::default(), ev as &dyn Events, c))
        .await
}

/// Sees what other processes (the CLI) committed since the library was opened.
#[tauri::command]
pub async fn refresh(state: State<'_, AppState>) -> CmdResult<()> {
    Ok(state.library()?.refresh()?)
}

/// Rebuilds the search index from the database (job `reindex`).
#[tauri::command]
pub async fn reindex(app: AppHandle, state: State<'_, AppState>) -> CmdResult<()> {
    state.job(app, "reindex", |lib, ev, c| lib.reindex(ev as &dyn Events, c).map(|_| ())).await
}

/// Asks a running job (`import`, `ocr`, `reindex`, `download`, `export`, ...) to stop.
#[tauri::command]
pub async fn cancel_job(state: State<'_, AppState>, job: String) -> CmdResult<bool> {
    Ok(state.cancel(&job))
}

/// Reads the pages that wait for OCR (scans, unreadable fonts) in the background (job `ocr`).
#[tauri::command]
pub async fn run_ocr(app: AppHandle, state: State<'_, AppState>) -> CmdResult<OcrSummary> {
    state.job(app, "ocr", |lib, ev, c| lib.ocr_pending(ev as &dyn Events, c)).await
}

/// Whether Tesseract is installed (OCR can read scanned pages).
#[tauri::command]
pub async fn ocr_available() -> CmdResult<bool> {
    Ok(papertrail_core::ingest::ocr::available())
}

/// Edits a paper's metadata; the fields given are kept over automatic updates.
#[tauri::command]
pub async fn edit_paper(state: State<'_, AppState>, id: String, edit: PaperEdit) -> CmdResult<Paper> {
    Ok(state.library()?.edit_paper(&id, &edit)?)
}

/// Splits a version off its paper into a paper of its own (job `split`).
#[tauri::command]
pub async fn split_version(app: AppHandle, state: State<'_, AppState>, sha256: String) -> CmdResult<Paper> {
    state.job(app, "split", move |lib, ev, _| lib.split_version(&sha256, &ImportOptions::default().worker, ev)).await
}

/// Merges paper `id` into `into`.
#[tauri::command]
pub async fn merge_papers(app: AppHandle, state: State<'_, AppState>, id: String, into: String) -> CmdResult<Paper> {
    state.job(app, "merge", move |lib, ev, _| lib.merge_papers(&id, &into, ev)).await
}

/// The stored text of a paper's pages (a version, default the current one; one page or all).
#[tauri::command]
pub async fn paper_text(
    state: State<'_, AppState>,
    paper: String,
    version: Option<String>,
    page: Option<u32>,
) -> CmdResult<Vec<StoredPage>> {
    Ok(state.library()?.paper_text(&paper, version.as_deref(), page)?)
}
