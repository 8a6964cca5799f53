//! Search over every passage.

use papertrail_core::model::SearchResults;
use papertrail_core::SearchOptions;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// Searches passages; runs on a worker thread so typing never blocks the window.
#[tauri::command]
pub async fn search(state: State<'_, AppState>, query: String, opts: SearchOptions) -> CmdResult<SearchResults> {
    Ok(state.library()?.search(&query, &opts)?)
}
