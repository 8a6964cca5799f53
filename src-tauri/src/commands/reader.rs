//! Reader: the stored PDF's bytes and a page's extracted text.

use tauri::ipc::Response;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// The PDF stored as `<library>/pdfs/<sha256>.pdf`, as raw bytes (never from the network).
#[tauri::command]
pub async fn pdf_bytes(state: State<'_, AppState>, sha256: String) -> CmdResult<Response> {
    state.read_pdf(&sha256).map(Response::new)
}

/// The normalized text of one page (1-based) of a stored version.
#[tauri::command]
pub async fn page_text(state: State<'_, AppState>, sha256: String, page: u32) -> CmdResult<String> {
    Ok(state.library()?.page_text(&sha256, page)?)
}
