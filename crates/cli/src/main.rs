//! `papertrail`: the headless command-line interface over the Papertrail core.

mod commands;
mod output;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Explore research papers and the claims made about them, offline.
#[derive(Debug, Parser)]
#[command(name = "papertrail", version, about, propagate_version = true)]
pub struct Cli {
    /// Library folder (default: the user's data directory).
    #[arg(long, global = true, env = "PAPERTRAIL_LIBRARY", value_name = "DIR")]
    library: Option<PathBuf>,
    /// Use this catalog (TOML) instead of the bundled DeepSeek one, from now on for this
    /// library; `--catalog bundled` goes back.
    #[arg(long, global = true, value_name = "FILE")]
    catalog: Option<PathBuf>,
    #[command(subcommand)]
    command: commands::Command,
}

/// mimalloc: extraction (in the worker, this same binary) and indexing allocate and free small
/// blocks at a high rate; with glibc's malloc a third of a worker's time went to malloc, free
/// and faulting freshly mapped pages in (BENCHMARKS.md, import).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // No transparent huge pages for this process and the extraction workers it starts (the
    // setting is inherited across fork and exec). mimalloc asks for them on its arenas, and
    // the kernel then zeroes 2 MiB at the first touch of each: a third of the CPU time of an
    // import went to zeroing pages that were never used (BENCHMARKS.md, import).
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE takes integer arguments only and touches no memory.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    papertrail_core::ingest::worker::run_if_worker();
    // Behave like other command-line tools when the reader of a pipe goes away
    // (`papertrail search x | head`): stop quietly instead of panicking in println!.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(1)
        }
    }
}
