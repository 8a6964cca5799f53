//! Timeline: the catalog's milestones and the library's own papers, with the path to the focus marked.

use papertrail_core::story::timeline::Timeline;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// The timeline up to `until`, with the path to `focus` (default: the catalog's, else the latest
/// entry that builds on another) marked, and the catalog's words.
#[tauri::command]
pub async fn timeline(state: State<'_, AppState>, until: Option<String>, focus: Option<String>) -> CmdResult<Timeline> {
    Ok(state.library()?.timeline(until.as_deref(), focus.as_deref())?)
}
