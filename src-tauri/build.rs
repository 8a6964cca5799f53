// Every app command must be listed here and allowed in capabilities/default.json: the window
// can call nothing else.
const COMMANDS: &[&str] = &[
    "library_info",
    "list_papers",
    "import_failures",
    "catch_up",
    "import_files",
    "download_catalog",
    "refresh",
    "reindex",
    "cancel_job",
    "run_ocr",
    "ocr_available",
    "edit_paper",
    "split_version",
    "merge_papers",
    "paper_text",
    "search",
    "pdf_bytes",
    "page_text",
    "annotations",
    "annotate",
    "edit_annotation",
    "delete_annotation",
    "claims",
    "claim",
    "add_claim",
    "edit_claim",
    "delete_claim",
    "link",
    "unlink",
    "edit_link",
    "annotation_links",
    "restore_deleted",
    "suggest",
    "accept_suggestion",
    "dismiss_suggestion",
    "timeline",
    "export_bundle",
    "import_bundle",
    "verify_bundle",
    "settings",
    "save_settings",
    "choose_catalog",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run the Tauri build script");
}
