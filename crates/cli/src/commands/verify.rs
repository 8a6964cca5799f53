//! `papertrail verify FILE.zip [--json]`

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use papertrail_core::bundle::{CheckStatus, VerifyOptions};
use papertrail_core::ingest::worker::WorkerCommand;
use papertrail_core::Library;

/// Arguments of `verify`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The bundle to check.
    #[arg(value_name = "FILE.zip")]
    bundle: PathBuf,
    /// Print `{bundle, ok, total, holds, reanchored, failed, passages: [{annotation_id, paper_id,
    /// version_sha256, page, start, end, exact, status, pdf, score, found, reason}], problems}`.
    #[arg(long)]
    json: bool,
}

fn short(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 70 {
        format!("{}…", s.chars().take(70).collect::<String>())
    } else {
        s
    }
}

/// Runs `verify`: exit 0 only when every passage holds.
pub fn run(lib: &Library, args: Args) -> anyhow::Result<ExitCode> {
    let opts = VerifyOptions { worker: WorkerCommand::current_exe().context("finding the papertrail binary")? };
    let report =
        lib.verify_bundle(&args.bundle, &opts).with_context(|| format!("verifying {}", args.bundle.display()))?;
    if args.json {
        crate::output::print_json(&report)?;
    } else {
        for p in &report.passages {
            let status = match p.status {
                CheckStatus::Reanchored => format!("HOLDS, RE-ANCHORED (score {:.3})", p.score.unwrap_or_default()),
                s => s.label().to_uppercase(),
            };
            println!("{status:<12} {} · {} p.{} · “{}”", p.annotation_id, p.paper_id, p.page, short(&p.exact));
            if !p.status.holds() || p.status == CheckStatus::Reanchored {
                println!("             {}", p.reason);
            }
        }
        for problem in &report.problems {
            println!("PROBLEM      {problem}");
        }
        println!(
            "{} passages: {} hold ({} re-anchored), {} fail{}",
            report.total,
            report.holds + report.reanchored,
            report.reanchored,
            report.failed,
            if report.problems.is_empty() {
                String::new()
            } else {
                format!("; {} other problems", report.problems.len())
            }
        );
    }
    Ok(if report.ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
