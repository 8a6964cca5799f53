//! `papertrail download`

use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use papertrail_core::story::download::{DownloadOptions, DownloadStatus};
use papertrail_core::{Cancel, Event, Events, ImportOptions, Library};

/// Arguments of `download`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only these catalog papers (default: every catalog paper not yet imported).
    #[arg(value_name = "PAPER")]
    papers: Vec<String>,
    /// Base URL of a mirror serving the catalog's files (e.g. a local copy of the corpus).
    #[arg(long, env = "PAPERTRAIL_MIRROR", value_name = "URL")]
    mirror: Option<String>,
    /// Time limit per file, in seconds.
    #[arg(long, default_value_t = 120, value_name = "SECONDS")]
    timeout: u64,
    /// Only papers with a pinned, checksummed source.
    #[arg(long)]
    pinned_only: bool,
    /// Print the outcomes as JSON.
    #[arg(long)]
    json: bool,
}

struct Bar(ProgressBar);

impl Events for Bar {
    fn emit(&self, event: Event) {
        match event {
            Event::JobStarted { total, .. } => self.0.set_length(total),
            Event::JobProgress { done, item, .. } => {
                self.0.set_position(done);
                self.0.set_message(item);
            }
            _ => {}
        }
    }
}

/// Runs `download`.
pub fn run(lib: &Library, args: Args) -> anyhow::Result<ExitCode> {
    let opts = DownloadOptions {
        mirror: args.mirror,
        papers: args.papers,
        timeout_secs: args.timeout,
        pinned_only: args.pinned_only,
        ..Default::default()
    };
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{spinner} downloading [{bar:30}] {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let events = Bar(bar);
    let outcomes = lib.download(&opts, &ImportOptions::default(), &events, &Cancel::new())?;
    events.0.finish_and_clear();
    let failed = outcomes.iter().filter(|o| matches!(o.status, DownloadStatus::Failed { .. })).count();
    if args.json {
        crate::output::print_json(&outcomes)?;
    } else {
        for o in &outcomes {
            match &o.status {
                DownloadStatus::Imported { verified, .. } => {
                    println!(
                        "imported        {}  ({}){}",
                        o.paper_id,
                        o.url,
                        if *verified { " sha256 verified" } else { "" }
                    )
                }
                DownloadStatus::AlreadyImported => println!("already present {}", o.paper_id),
                DownloadStatus::Failed { reason } => println!("failed          {}: {reason}", o.paper_id),
            }
        }
        println!("{} papers: {failed} failed", outcomes.len());
    }
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
