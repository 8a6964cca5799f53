//! Timeline: milestones with the path to the focus release marked.

use papertrail_core::TimelineEntry;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// Milestones in date order (up to `until`), with the path to `focus` (default: the catalog's) marked.
#[tauri::command]
pub async fn timeline(
    state: State<'_, AppState>,
    until: Option<String>,
    focus: Option<String>,
) -> CmdResult<Vec<TimelineEntry>> {
    Ok(state.library()?.timeline(until.as_deref(), focus.as_deref())?)
}
