//! Settings: theme, mirror and the chosen catalog, kept in the user's config folder.

use papertrail_core::story::catalog::CatalogInfo;
use tauri::State;

use crate::error::CmdResult;
use crate::settings::{Settings, SettingsInfo, SettingsState};
use crate::state::AppState;

/// The settings in force, where they are kept, and what to tell the user about them (once).
#[tauri::command]
pub async fn settings(settings: State<'_, SettingsState>) -> CmdResult<SettingsInfo> {
    Ok(settings.info())
}

/// Keeps the theme and the mirror (the catalog changes only through `choose_catalog`).
#[tauri::command]
pub async fn save_settings(settings: State<'_, SettingsState>, new: Settings) -> CmdResult<Settings> {
    settings.update(|s| *s = Settings { catalog: s.catalog.take(), ..new })
}

/// Opens the library with the catalog TOML file at `path` (`None`: the bundled catalog) and
/// keeps the choice for the next start.
#[tauri::command]
pub async fn choose_catalog(
    state: State<'_, AppState>,
    settings: State<'_, SettingsState>,
    path: Option<String>,
) -> CmdResult<CatalogInfo> {
    let info = state.use_catalog(path.as_deref())?.catalog().info();
    settings.update(|s| s.catalog = path)?;
    Ok(info)
}
