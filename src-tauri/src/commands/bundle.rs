//! Citation bundles: export chosen claims with their evidence, import a colleague's bundle.

use std::path::PathBuf;

use papertrail_core::bundle::{BundleImportReport, ExportOptions, ExportSummary, ImportBundleOptions};
use tauri::{AppHandle, State};

use crate::error::CmdResult;
use crate::state::AppState;

/// Writes a citation bundle (zip) of the selection to `path` (job `export`).
#[tauri::command]
pub async fn export_bundle(
    app: AppHandle,
    state: State<'_, AppState>,
    opts: ExportOptions,
    path: PathBuf,
) -> CmdResult<ExportSummary> {
    state.job(app, "export", move |lib, _, _| lib.export_bundle(&opts, &path)).await
}

/// Merges a bundle's claims, evidence and PDFs into the library; nothing is overwritten
/// (job `bundle`).
#[tauri::command]
pub async fn import_bundle(app: AppHandle, state: State<'_, AppState>, path: PathBuf) -> CmdResult<BundleImportReport> {
    state.job(app, "bundle", move |lib, _, _| lib.import_bundle(&path, &ImportBundleOptions::default())).await
}
