//! The user's settings: `settings.json` in the user's config folder (or `--config DIR`), read
//! at start and written atomically (temporary file, then rename). The window's size and place
//! are kept beside it by `tauri-plugin-window-state` in `window-state.json`.
//!
//! A settings file that cannot be read never stops the app: it starts with the defaults and says
//! why, and the file is replaced the next time the user changes a setting.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{CmdResult, CommandError};

/// The settings file's name inside the config folder.
pub const FILE: &str = "settings.json";
/// The window state file's name inside the config folder (written by the window-state plugin).
pub const WINDOW_FILE: &str = "window-state.json";
/// Environment variable naming the config folder (as `--config DIR` does).
pub const CONFIG_ENV: &str = "PAPERTRAIL_CONFIG";

/// Light, dark, or as the system says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Theme {
    /// Follow the desktop's light or dark setting.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// What the user chose, kept between runs. Missing fields take their defaults, so a file
/// written by an older version still reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Settings {
    /// Light, dark or the system's theme.
    pub theme: Theme,
    /// Base URL of a mirror serving the catalog's files; empty for the pinned sources.
    pub mirror: String,
    /// The catalog TOML file the library is opened with; `None` for the catalog the library
    /// already keeps (the bundled one unless the CLI's `--catalog` chose another).
    pub catalog: Option<String>,
}

/// The settings as the window receives them at start: the values and anything to tell the
/// user about them (a file that could not be read, a catalog that could not be loaded).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SettingsInfo {
    /// The settings in force.
    pub settings: Settings,
    /// Where they are kept (the config folder).
    pub folder: String,
    /// Sentences for the user, shown once.
    pub notices: Vec<String>,
}

/// The config folder given on the command line (`--config DIR`), else by `PAPERTRAIL_CONFIG`;
/// `None` means the platform's config folder for the app, known once Tauri runs.
pub fn config_override(arg: Option<PathBuf>) -> Option<PathBuf> {
    arg.or_else(|| std::env::var_os(CONFIG_ENV).filter(|v| !v.is_empty()).map(PathBuf::from))
}

/// Reads the settings in `dir`: the defaults when there is no file; the defaults and a notice
/// when the file cannot be read or parsed.
pub fn load(dir: &Path) -> (Settings, Option<String>) {
    let path = dir.join(FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Settings::default(), None),
        Err(e) => return (Settings::default(), Some(unreadable(&format!("it could not be opened ({e})")))),
    };
    match serde_json::from_str::<Settings>(&text) {
        Ok(s) => (s, None),
        Err(e) => (Settings::default(), Some(unreadable(&format!("it is not valid settings ({e})")))),
    }
}

fn unreadable(why: &str) -> String {
    format!(
        "Your settings file could not be read: {why}. Papertrail started with the default settings; \
         changing a setting writes a new file."
    )
}

/// Writes the settings to `dir` atomically: a temporary file beside it, flushed, then renamed
/// over the old one, so a crash leaves either the old file or the new one, never half of one.
pub fn save(dir: &Path, settings: &Settings) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let json = serde_json::to_vec_pretty(settings).map_err(std::io::Error::other)?;
    // removed on drop unless persisted
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(&json)?;
    tmp.write_all(b"\n")?;
    tmp.as_file().sync_all()?;
    tmp.persist(dir.join(FILE)).map_err(|e| e.error)?;
    Ok(())
}

/// The settings of this run, shared by the commands.
pub struct SettingsState {
    dir: PathBuf,
    current: Mutex<Settings>,
    notices: Mutex<Vec<String>>,
}

impl SettingsState {
    /// Settings read from `dir`, with what to tell the user about them.
    pub fn new(dir: PathBuf, settings: Settings, notices: Vec<String>) -> Self {
        Self { dir, current: Mutex::new(settings), notices: Mutex::new(notices) }
    }

    /// The settings in force and the notices not yet shown (handed out once).
    pub fn info(&self) -> SettingsInfo {
        SettingsInfo {
            settings: self.get(),
            folder: self.dir.display().to_string(),
            notices: std::mem::take(&mut *self.notices.lock().unwrap_or_else(|e| e.into_inner())),
        }
    }

    /// The settings in force.
    pub fn get(&self) -> Settings {
        self.current.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Changes the settings with `f` and writes them; on a failed write nothing changes.
    pub fn update(&self, f: impl FnOnce(&mut Settings)) -> CmdResult<Settings> {
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        let mut next = current.clone();
        f(&mut next);
        next.mirror = next.mirror.trim().to_owned();
        save(&self.dir, &next).map_err(|e| {
            CommandError::new(
                "settings",
                format!(
                    "the settings could not be saved in {} ({e}); check that the folder is writable",
                    self.dir.display()
                ),
            )
        })?;
        *current = next.clone();
        Ok(next)
    }
}

/// Writes the window's size and place soon after it moves or is resized (at most every
/// 400 ms), not only on a clean exit, so a window that is killed still reopens where it was.
pub fn on_window_event(window: &tauri::Window, event: &tauri::WindowEvent) {
    use tauri_plugin_window_state::{AppHandleExt, StateFlags};
    static LATEST: AtomicU64 = AtomicU64::new(0);
    if !matches!(event, tauri::WindowEvent::Moved(_) | tauri::WindowEvent::Resized(_)) {
        return;
    }
    let mine = LATEST.fetch_add(1, Ordering::SeqCst) + 1;
    let app = tauri::Manager::app_handle(window).clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(400));
        if LATEST.load(Ordering::SeqCst) == mine {
            // the plugin writes the file but does not create a folder given with --config
            if let Some(settings) = tauri::Manager::try_state::<SettingsState>(&app) {
                let _ = std::fs::create_dir_all(&settings.dir);
            }
            if let Err(e) = app.save_window_state(StateFlags::all()) {
                tracing::warn!("could not save the window's size and place: {e}");
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    use super::*;

    #[test]
    fn missing_file_gives_defaults_and_no_notice() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()), (Settings::default(), None));
    }

    #[test]
    fn saved_settings_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let s =
            Settings { theme: Theme::Dark, mirror: "http://127.0.0.1:8000/".into(), catalog: Some("/c/x.toml".into()) };
        save(dir.path(), &s).unwrap();
        assert_eq!(load(dir.path()), (s, None));
        // no temporary file is left beside it
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![OsString::from(FILE)]);
    }

    #[test]
    fn corrupt_file_gives_defaults_and_says_why() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), "{\"theme\": \"dark\", ").unwrap();
        let (s, notice) = load(dir.path());
        assert_eq!(s, Settings::default());
        let notice = notice.expect("a notice");
        assert!(notice.contains("could not be read") && notice.contains("default settings"), "{notice}");
        assert!(notice.contains("line 1"), "names where the file breaks: {notice}");
    }

    #[test]
    fn unknown_theme_is_a_notice_not_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), r#"{"theme": "sepia"}"#).unwrap();
        let (s, notice) = load(dir.path());
        assert_eq!(s, Settings::default());
        assert!(notice.unwrap().contains("sepia"));
    }

    #[test]
    fn older_files_with_missing_or_extra_fields_still_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), r#"{"theme": "light", "future_field": 1}"#).unwrap();
        assert_eq!(load(dir.path()).0, Settings { theme: Theme::Light, ..Settings::default() });
    }

    #[test]
    fn update_writes_and_a_failed_write_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let state = SettingsState::new(dir.path().to_path_buf(), Settings::default(), vec!["hello".into()]);
        let s = state.update(|s| s.mirror = "  http://m/  ".into()).unwrap();
        assert_eq!(s.mirror, "http://m/");
        assert_eq!(load(dir.path()).0, s);
        assert_eq!(state.info().notices, vec!["hello".to_owned()]);
        assert!(state.info().notices.is_empty(), "notices are handed out once");

        // a config "folder" that is a file cannot be written
        let file = dir.path().join("not-a-folder");
        std::fs::write(&file, "").unwrap();
        let blocked = SettingsState::new(file, s.clone(), vec![]);
        let err = blocked.update(|s| s.theme = Theme::Dark).unwrap_err();
        assert_eq!(err.code, "settings");
        assert_eq!(blocked.get(), s);
    }
}
