//! Reader: the stored PDF's bytes, a page's extracted text, annotations, and where the reader
//! was in each paper.

use papertrail_core::evidence::deleted::Deleted;
use papertrail_core::reader_state::ReaderState;
use papertrail_core::{Annotation, AnnotationEdit, AnnotationFilter, NewAnnotation};
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

/// Annotations matching the filter (paper, version, page, tag).
#[tauri::command]
pub async fn annotations(state: State<'_, AppState>, filter: AnnotationFilter) -> CmdResult<Vec<Annotation>> {
    Ok(state.library()?.annotations(&filter)?)
}

/// Creates an annotation from a quote found on a page.
#[tauri::command]
pub async fn annotate(state: State<'_, AppState>, new: NewAnnotation) -> CmdResult<Annotation> {
    Ok(state.library()?.annotate(&new)?)
}

/// Changes an annotation's note, tags or colour.
#[tauri::command]
pub async fn edit_annotation(state: State<'_, AppState>, id: String, edit: AnnotationEdit) -> CmdResult<Annotation> {
    Ok(state.library()?.edit_annotation(&id, &edit)?)
}

/// Deletes an annotation with its evidence links; returns what went, for undo
/// (`restore_deleted`).
#[tauri::command]
pub async fn delete_annotation(state: State<'_, AppState>, id: String) -> CmdResult<Deleted> {
    Ok(state.library()?.delete_annotation(&id)?)
}

/// Where the reader was in a paper (last page and zoom), if it has been opened before.
#[tauri::command]
pub async fn reader_state(state: State<'_, AppState>, paper: String) -> CmdResult<Option<ReaderState>> {
    Ok(state.library()?.reader_state(&paper)?)
}

/// Remembers where the reader is in a paper.
#[tauri::command]
pub async fn set_reader_state(state: State<'_, AppState>, paper: String, place: ReaderState) -> CmdResult<()> {
    Ok(state.library()?.set_reader_state(&paper, &place)?)
}
