//! TypeScript types for the UI, generated from the Rust types by ts-rs:
//! `cargo test -p papertrail-app export_bindings` rewrites `ui/src/bindings/`.

use std::path::PathBuf;

use papertrail_core::bundle::{BundleImportReport, ExportOptions, ExportSummary};
use papertrail_core::evidence::claims::UnresolvedLocator;
use papertrail_core::model::{Colour, ImportOutcome, MilestoneKind, Paper, SearchResults};
use papertrail_core::story::download::{DownloadOptions, DownloadOutcome};
use papertrail_core::{
    Annotation, AnnotationEdit, AnnotationFilter, ClaimDetail, ClaimEdit, Event, NewAnnotation, NewClaim,
    SearchOptions, Suggestion, TimelineEntry,
};
use ts_rs::{Config, TS};

use crate::commands::library::{ImportFailure, LibraryInfo};
use crate::error::CommandError;
use crate::settings::{Settings, SettingsInfo, Theme};

fn out_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings")
}

#[test]
fn export_bindings() {
    let cfg = Config::new().with_out_dir(out_dir()).with_large_int("number");
    macro_rules! export {
        ($($t:ty),* $(,)?) => {$(
            <$t as TS>::export_all(&cfg).unwrap_or_else(|e| panic!("exporting {}: {e}", stringify!($t)));
        )*};
    }
    export!(
        Paper,
        SearchResults,
        SearchOptions,
        ImportOutcome,
        DownloadOptions,
        DownloadOutcome,
        Event,
        Annotation,
        Colour,
        NewAnnotation,
        AnnotationEdit,
        AnnotationFilter,
        ClaimDetail,
        papertrail_core::Claim,
        papertrail_core::Evidence,
        UnresolvedLocator,
        NewClaim,
        ClaimEdit,
        Suggestion,
        TimelineEntry,
        papertrail_core::story::timeline::Timeline,
        papertrail_core::story::catalog::CatalogInfo,
        MilestoneKind,
        ExportOptions,
        ExportSummary,
        BundleImportReport,
        papertrail_core::bundle::VerifyReport,
        papertrail_core::evidence::deleted::Deleted,
        papertrail_core::evidence::deleted::Restored,
        papertrail_core::evidence::claims::LinkEdit,
        papertrail_core::evidence::claims::AnnotationLink,
        LibraryInfo,
        ImportFailure,
        papertrail_core::paper_edit::PaperEdit,
        papertrail_core::ingest::ocr::OcrSummary,
        papertrail_core::search::vectors::EmbedSummary,
        papertrail_core::model::StoredPage,
        papertrail_core::reader_state::ReaderState,
        CommandError,
        Settings,
        SettingsInfo,
        Theme,
    );
}
