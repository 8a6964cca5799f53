//! Tauri commands, one file per domain; each command is one line over the core.

pub mod bundle;
pub mod claims;
pub mod library;
pub mod reader;
pub mod search;
pub mod settings;
pub mod timeline;
