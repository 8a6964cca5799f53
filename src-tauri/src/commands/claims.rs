//! Claims, their evidence, and suggested passages.

use papertrail_core::evidence::claims::{AnnotationLink, LinkEdit};
use papertrail_core::evidence::deleted::{Deleted, Restored};
use papertrail_core::{Claim, ClaimDetail, ClaimEdit, NewClaim, Stance, Suggestion};
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// Every claim with its derived verdict and evidence counts.
#[tauri::command]
pub async fn claims(state: State<'_, AppState>) -> CmdResult<Vec<Claim>> {
    Ok(state.library()?.claims()?)
}

/// One claim with its evidence grouped by stance.
#[tauri::command]
pub async fn claim(state: State<'_, AppState>, id: String) -> CmdResult<ClaimDetail> {
    Ok(state.library()?.claim(&id)?)
}

/// Adds a claim.
#[tauri::command]
pub async fn add_claim(state: State<'_, AppState>, new: NewClaim) -> CmdResult<Claim> {
    Ok(state.library()?.add_claim(&new)?)
}

/// Changes a claim's text, claimant, date, source or tags.
#[tauri::command]
pub async fn edit_claim(state: State<'_, AppState>, id: String, edit: ClaimEdit) -> CmdResult<Claim> {
    Ok(state.library()?.edit_claim(&id, &edit)?)
}

/// Deletes a claim and its evidence links (the annotations stay).
#[tauri::command]
pub async fn delete_claim(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    Ok(state.library()?.delete_claim(&id)?)
}

/// Links an annotation to a claim as evidence with a stance.
#[tauri::command]
pub async fn link(
    state: State<'_, AppState>,
    claim: String,
    annotation: String,
    stance: Stance,
    note: String,
) -> CmdResult<Claim> {
    Ok(state.library()?.link(&claim, &annotation, stance, &note)?)
}

/// Changes an evidence link's stance or note.
#[tauri::command]
pub async fn edit_link(
    state: State<'_, AppState>,
    claim: String,
    annotation: String,
    edit: LinkEdit,
) -> CmdResult<Claim> {
    Ok(state.library()?.edit_link(&claim, &annotation, &edit)?)
}

/// Removes an annotation from a claim's evidence; returns the link as it was, for undo.
#[tauri::command]
pub async fn unlink(state: State<'_, AppState>, claim: String, annotation: String) -> CmdResult<Deleted> {
    Ok(state.library()?.unlink(&claim, &annotation)?)
}

/// The claims an annotation is evidence for, with each link's stance and note.
#[tauri::command]
pub async fn annotation_links(state: State<'_, AppState>, annotation: String) -> CmdResult<Vec<AnnotationLink>> {
    Ok(state.library()?.annotation_links(&annotation)?)
}

/// Puts back what a deletion removed (an annotation with its links, or a link): undo.
#[tauri::command]
pub async fn restore_deleted(state: State<'_, AppState>, deleted: Deleted) -> CmdResult<Restored> {
    Ok(state.library()?.restore(&deleted)?)
}

/// Candidate passages for a claim (terms and numbers of the claim matched against the index).
#[tauri::command]
pub async fn suggest(state: State<'_, AppState>, claim: String, limit: usize) -> CmdResult<Vec<Suggestion>> {
    Ok(state.library()?.suggest_for_claim(&claim, limit)?)
}

/// Accepts a suggested passage as evidence with a stance.
#[tauri::command]
pub async fn accept_suggestion(
    state: State<'_, AppState>,
    claim: String,
    passage: u64,
    stance: Stance,
) -> CmdResult<Claim> {
    Ok(state.library()?.accept_suggestion(&claim, passage, stance)?)
}

/// Dismisses a suggested passage for this claim.
#[tauri::command]
pub async fn dismiss_suggestion(state: State<'_, AppState>, claim: String, passage: u64) -> CmdResult<()> {
    Ok(state.library()?.dismiss_suggestion(&claim, passage)?)
}
