//! Papertrail desktop app: wires the core library to the Tauri window. Nothing else lives here.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[cfg(test)]
mod bindings;
mod commands;
mod error;
mod events;
mod memory;
mod settings;
mod state;

fn main() {
    // Extraction runs in this same binary re-invoked as a worker; that must come first.
    papertrail_core::ingest::worker::run_if_worker();
    memory::configure();
    let args = state::Args::from_env();
    let config = settings::config_override(args.config.clone());
    // the window's size and place, kept beside settings.json
    let window_file = match &config {
        Some(dir) => dir.join(settings::WINDOW_FILE).to_string_lossy().into_owned(),
        None => settings::WINDOW_FILE.to_owned(),
    };
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_window_state::Builder::new().with_filename(window_file).build())
        .on_window_event(settings::on_window_event)
        .setup(move |app| {
            use tauri::Manager;
            let dir = match config {
                Some(dir) => dir,
                None => app.path().app_config_dir()?,
            };
            let (kept, unreadable) = settings::load(&dir);
            let (state, catalog_notice) = state::AppState::open(args, kept.catalog.as_deref());
            app.manage(state);
            app.manage(settings::SettingsState::new(dir, kept, unreadable.into_iter().chain(catalog_notice).collect()));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::library::library_info,
            commands::library::list_papers,
            commands::library::import_failures,
            commands::library::catch_up,
            commands::library::import_files,
            commands::library::download_catalog,
            commands::library::refresh,
            commands::library::reindex,
            commands::library::cancel_job,
            commands::library::run_ocr,
            commands::library::ocr_available,
            commands::library::edit_paper,
            commands::library::split_version,
            commands::library::merge_papers,
            commands::library::paper_text,
            commands::search::search,
            commands::search::search_semantic,
            commands::search::similar_passages,
            commands::search::passage_at,
            commands::search::meaning_status,
            commands::search::run_embed,
            commands::reader::pdf_bytes,
            commands::reader::page_text,
            commands::reader::annotations,
            commands::reader::annotate,
            commands::reader::edit_annotation,
            commands::reader::delete_annotation,
            commands::reader::reader_state,
            commands::reader::set_reader_state,
            commands::claims::claims,
            commands::claims::claim,
            commands::claims::add_claim,
            commands::claims::edit_claim,
            commands::claims::delete_claim,
            commands::claims::link,
            commands::claims::unlink,
            commands::claims::edit_link,
            commands::claims::annotation_links,
            commands::claims::restore_deleted,
            commands::claims::suggest,
            commands::claims::accept_suggestion,
            commands::claims::dismiss_suggestion,
            commands::timeline::timeline,
            commands::bundle::export_bundle,
            commands::bundle::import_bundle,
            commands::bundle::verify_bundle,
            commands::settings::settings,
            commands::settings::save_settings,
            commands::settings::choose_catalog,
        ])
        .run(tauri::generate_context!())
        .expect("Papertrail could not start its window");
}
