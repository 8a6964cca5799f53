//! Citation bundles: export chosen claims with their evidence, import a colleague's bundle,
//! verify a bundle's passages against the PDFs. Each is a job with progress and Cancel.

use std::path::PathBuf;

use papertrail_core::bundle::{
    BundleImportReport, ExportOptions, ExportSummary, ImportBundleOptions, VerifyOptions, VerifyReport,
};
use tauri::{AppHandle, State};

use crate::error::CmdResult;
use crate::state::AppState;

/// Writes a citation bundle (zip) of the selection to `path` (job `export`; a cancelled
/// export leaves no file).
#[tauri::command]
pub async fn export_bundle(
    app: AppHandle,
    state: State<'_, AppState>,
    opts: ExportOptions,
    path: PathBuf,
) -> CmdResult<ExportSummary> {
    state.job(app, "export", move |lib, ev, cancel| lib.export_bundle_with(&opts, &path, ev, cancel)).await
}

/// Merges a bundle's claims, evidence and PDFs into the library; nothing is overwritten
/// (job `bundle`).
#[tauri::command]
pub async fn import_bundle(app: AppHandle, state: State<'_, AppState>, path: PathBuf) -> CmdResult<BundleImportReport> {
    state
        .job(app, "bundle", move |lib, ev, cancel| {
            lib.import_bundle_with(&path, &ImportBundleOptions::default(), ev, cancel)
        })
        .await
}

/// Checks every passage of a bundle against the PDF it names (job `verify`).
#[tauri::command]
pub async fn verify_bundle(app: AppHandle, state: State<'_, AppState>, path: PathBuf) -> CmdResult<VerifyReport> {
    state
        .job(app, "verify", move |lib, ev, cancel| lib.verify_bundle_with(&path, &VerifyOptions::default(), ev, cancel))
        .await
}
