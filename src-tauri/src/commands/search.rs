//! Search over every passage, by words and by meaning.

use papertrail_core::model::{SearchHit, SearchResults};
use papertrail_core::search::vectors::EmbedSummary;
use papertrail_core::{Events, SearchOptions};
use tauri::{AppHandle, State};

use crate::error::CmdResult;
use crate::state::AppState;

/// Searches passages; runs on a worker thread so typing never blocks the window.
#[tauri::command]
pub async fn search(state: State<'_, AppState>, query: String, opts: SearchOptions) -> CmdResult<SearchResults> {
    Ok(state.library()?.search(&query, &opts)?)
}

/// Searches by words and meaning together; the flag is false when it fell back to words only.
#[tauri::command]
pub async fn search_semantic(
    state: State<'_, AppState>,
    query: String,
    opts: SearchOptions,
) -> CmdResult<(SearchResults, bool)> {
    Ok(state.library()?.search_semantic(&query, &opts)?)
}

/// Passages across the library like one passage; `None` without the embedding model.
#[tauri::command]
pub async fn similar_passages(
    state: State<'_, AppState>,
    passage_id: u64,
    limit: usize,
) -> CmdResult<Option<Vec<SearchHit>>> {
    Ok(state.library()?.similar_passages(passage_id, limit)?)
}

/// The passage at character `offset` of a page's stored text (where a selection or an
/// annotation starts), for "passages like this one"; `None` when the page has no passage.
#[tauri::command]
pub async fn passage_at(
    state: State<'_, AppState>,
    sha256: String,
    page: u32,
    offset: usize,
) -> CmdResult<Option<u64>> {
    Ok(state.library()?.passage_at(&sha256, page, offset)?)
}

/// Why search by meaning is not possible now (no model, no vectors yet); `None` when it is.
#[tauri::command]
pub async fn meaning_status(state: State<'_, AppState>) -> CmdResult<Option<String>> {
    let lib = state.library()?;
    Ok(papertrail_core::search::vectors::meaning_unavailable(&lib)?.map(str::to_string))
}

/// Embeds the passages that lack a vector in the background (job `embed`, cancellable).
#[tauri::command]
pub async fn run_embed(app: AppHandle, state: State<'_, AppState>) -> CmdResult<EmbedSummary> {
    state.job(app, "embed", |lib, ev, c| lib.embed_pending(ev as &dyn Events, c)).await
}
