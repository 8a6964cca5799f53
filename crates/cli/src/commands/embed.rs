//! `papertrail embed`

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use papertrail_core::search::vectors::NO_MODEL;
use papertrail_core::{Cancel, Error, Event, Events, Library};

/// Arguments of `embed`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the summary as JSON (`{passages, windows, remaining}`).
    #[arg(long)]
    json: bool,
}

/// A progress bar for embedding (on stderr).
pub struct EmbedProgress(pub ProgressBar);

impl EmbedProgress {
    /// A hidden bar that shows itself when embedding starts.
    pub fn new() -> Self {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{spinner} embedding [{bar:30}] {pos}/{len} passages  {elapsed}  {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        Self(bar)
    }
}

impl Events for EmbedProgress {
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

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// A cancel flag set by Ctrl-C: the job stops after the batch in flight and keeps its work.
pub fn cancel_on_ctrl_c() -> Cancel {
    let cancel = Cancel::new();
    #[cfg(unix)]
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGINT, on_sigint as *const () as libc::sighandler_t);
    }
    let watched = cancel.clone();
    std::thread::spawn(move || loop {
        if INTERRUPTED.load(Ordering::SeqCst) {
            watched.cancel();
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    });
    cancel
}

/// Embeds the passages that lack a vector, with a progress bar; says once, on stderr, when the
/// model is not installed. Used by `embed`, `import` and `reindex`.
pub fn embed_pending(
    lib: &Library,
    quiet: bool,
) -> anyhow::Result<Option<papertrail_core::search::vectors::EmbedSummary>> {
    let progress = EmbedProgress::new();
    let cancel = cancel_on_ctrl_c();
    let result = lib.embed_pending(&progress, &cancel);
    progress.0.finish_and_clear();
    match result {
        Ok(s) => {
            if s.remaining > 0 && !quiet {
                eprintln!(
                    "embedding stopped: {} passages embedded, {} wait (run `papertrail embed` to go on)",
                    s.passages, s.remaining
                );
            }
            Ok(Some(s))
        }
        Err(Error::Model(m)) if m == NO_MODEL => {
            eprintln!("note: {NO_MODEL}");
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// Runs `embed`: gives every passage without a vector one, for search by meaning.
pub fn run(lib: &Library, args: Args) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let Some(summary) = embed_pending(lib, args.json)? else {
        if args.json {
            crate::output::print_json(
                &serde_json::json!({"passages": 0, "windows": 0, "remaining": lib.passages_without_vectors()?, "model": false}),
            )?;
        }
        return Ok(ExitCode::from(1));
    };
    if args.json {
        crate::output::print_json(&summary)?;
    } else {
        let secs = started.elapsed().as_secs_f64();
        println!(
            "embedded {} passages ({} windows) in {secs:.1} s; {} without a vector",
            summary.passages, summary.windows, summary.remaining
        );
    }
    Ok(if summary.remaining > 0 { ExitCode::from(130) } else { ExitCode::SUCCESS })
}
