//! `papertrail reindex`

use std::process::ExitCode;

use papertrail_core::{Cancel, Library, NoEvents};

/// Arguments of `reindex`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `reindex`.
pub fn run(lib: &Library, _args: Args) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let n = lib.reindex(&NoEvents, &Cancel::new())?;
    println!("reindexed {n} passages in {:.2} s", started.elapsed().as_secs_f64());
    if let Some(s) = super::embed::embed_pending(lib, false)? {
        println!("embedded {} passages for search by meaning", s.passages);
    }
    Ok(ExitCode::SUCCESS)
}
