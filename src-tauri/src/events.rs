//! The core's [`Events`] trait implemented with Tauri's `emit`: every core event goes to the
//! window as a `core` event carrying the serialized [`Event`].

use papertrail_core::{Event, Events};
use tauri::{AppHandle, Emitter};

/// The name of the window event the UI listens to.
pub const CORE_EVENT: &str = "core";

/// Forwards core events to the UI.
#[derive(Clone)]
pub struct TauriEvents(pub AppHandle);

impl Events for TauriEvents {
    fn emit(&self, event: Event) {
        if let Err(e) = self.0.emit(CORE_EVENT, &event) {
            tracing::warn!("could not send a core event to the window: {e}");
        }
    }
}
