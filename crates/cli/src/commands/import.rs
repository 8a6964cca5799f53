//! `papertrail import PATH...`

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use papertrail_core::model::ImportStatus;
use papertrail_core::{Cancel, Event, Events, ImportOptions, Library};

/// Arguments of `import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// PDF files and folders (folders are searched recursively for *.pdf).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Time limit for extracting one file, in seconds.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    timeout: u64,
    /// Files to extract at once (default: the number of cores).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Print the outcomes as a JSON array.
    #[arg(long)]
    json: bool,
    /// Do not read scanned pages with OCR after the import (`papertrail ocr` does it later).
    #[arg(long)]
    no_ocr: bool,
    /// Do not embed the new passages for search by meaning after the import (`papertrail embed` does it later).
    #[arg(long)]
    no_embed: bool,
}

struct Progress {
    bar: ProgressBar,
    json: bool,
}

impl Events for Progress {
    fn emit(&self, event: Event) {
        match event {
            Event::JobStarted { total, .. } => self.bar.set_length(total),
            Event::JobProgress { done, .. } => self.bar.set_position(done),
            Event::FileImported(o) if !self.json => {
                let line = match &o.status {
                    ImportStatus::Imported { paper_id, pages, .. } => {
                        format!("imported        {}  → {paper_id} ({pages} pages)", o.path)
                    }
                    ImportStatus::AlreadyPresent { paper_id, .. } => {
                        format!("already present {}  → {paper_id}", o.path)
                    }
                    ImportStatus::NewVersion { paper_id, pages, .. } => {
                        format!("new version of {paper_id}  {} ({pages} pages)", o.path)
                    }
                    ImportStatus::Failed { reason } => format!("failed          {}: {reason}", o.path),
                };
                self.bar.suspend(|| {
                    println!("{line}");
                    for note in &o.notes {
                        println!("                  note: {note}");
                    }
                });
            }
            _ => {}
        }
    }
}

/// Runs `import`.
pub fn run(lib: &Library, args: Args) -> anyhow::Result<ExitCode> {
    let mut opts = ImportOptions::default();
    opts.worker.timeout = Duration::from_secs(args.timeout.max(1));
    if let Some(j) = args.jobs {
        opts.jobs = j.max(1);
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{spinner} importing [{bar:30}] {pos}/{len} files  {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    let progress = Progress { bar, json: args.json };
    let outcomes = lib.import(&args.paths, &opts, &progress, &Cancel::new())?;
    progress.bar.finish_and_clear();
    if !args.no_ocr && papertrail_core::ingest::ocr::available() {
        let ocr = super::ocr::OcrProgress::new();
        match lib.ocr_pending(&ocr, &Cancel::new()) {
            Ok(s) if s.pages > 0 && !args.json => {
                println!("OCR read {} pages of {} scanned files", s.pages, s.versions)
            }
            Ok(_) => {}
            Err(e) => eprintln!("OCR did not run: {e}"),
        }
        ocr.0.finish_and_clear();
    }
    if !args.no_embed {
        super::embed::embed_pending(lib, args.json)?;
    }
    let count = |f: fn(&ImportStatus) -> bool| outcomes.iter().filter(|o| f(&o.status)).count();
    let failed = count(|s| matches!(s, ImportStatus::Failed { .. }));
    if args.json {
        crate::output::print_json(&outcomes)?;
    } else {
        let (papers, passages) = lib.counts()?;
        println!(
            "{} imported, {} new versions, {} already present, {} failed · library: {papers} papers, {passages} passages",
            count(|s| matches!(s, ImportStatus::Imported { .. })),
            count(|s| matches!(s, ImportStatus::NewVersion { .. })),
            count(|s| matches!(s, ImportStatus::AlreadyPresent { .. })),
            failed,
        );
    }
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
