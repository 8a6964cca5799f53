//! `papertrail ocr`

use std::process::ExitCode;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use papertrail_core::{Cancel, Event, Events, Library};

/// Arguments of `ocr`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the summary as JSON (`{versions, pages, failed}`).
    #[arg(long)]
    json: bool,
}

/// A progress bar for OCR (on stderr).
pub struct OcrProgress(pub ProgressBar);

impl OcrProgress {
    /// A hidden bar that shows itself when OCR starts.
    pub fn new() -> Self {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{spinner} OCR [{bar:30}] {pos}/{len} pages  {elapsed}  {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        Self(bar)
    }
}

impl Events for OcrProgress {
    fn emit(&self, event: Event) {
        match event {
            Event::JobStarted { total, .. } => {
                self.0.set_length(total);
                self.0.enable_steady_tick(Duration::from_millis(120));
            }
            Event::JobProgress { done, .. } => self.0.set_position(done),
            _ => {}
        }
    }
}

/// Runs `ocr`: reads every page that waits for OCR (scans, unreadable pages).
pub fn run(lib: &Library, args: Args) -> anyhow::Result<ExitCode> {
    let progress = OcrProgress::new();
    let summary = lib.ocr_pending(&progress, &Cancel::new())?;
    progress.0.finish_and_clear();
    if args.json {
        crate::output::print_json(&summary)?;
    } else {
        println!("OCR read {} pages of {} files", summary.pages, summary.versions);
        for (sha, page, reason) in &summary.failed {
            println!("failed: {sha} page {page}: {reason}");
        }
    }
    Ok(if summary.failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
