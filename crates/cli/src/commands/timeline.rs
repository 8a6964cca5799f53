//! `papertrail timeline`

use std::process::ExitCode;

use papertrail_core::model::{DatePrecision, MilestoneKind};
use papertrail_core::Library;

/// Arguments of `timeline`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only milestones up to this date (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long)]
    until: Option<String>,
    /// Mark the path leading to this milestone (default: the R1 release).
    #[arg(long)]
    focus: Option<String>,
    /// Print `[{id, date, precision, title, kind, papers, claims, leads_to, on_path}]`.
    #[arg(long)]
    json: bool,
}

/// Runs `timeline`.
pub fn run(lib: &Library, args: Args) -> anyhow::Result<ExitCode> {
    let entries = lib.timeline(args.until.as_deref(), args.focus.as_deref())?;
    if args.json {
        crate::output::print_json(&entries)?;
        return Ok(ExitCode::SUCCESS);
    }
    for e in &entries {
        let date = match e.precision {
            DatePrecision::Day => e.date.clone(),
            DatePrecision::Month => format!("{} (month)", e.date),
            DatePrecision::Year => format!("{} (year)", e.date),
        };
        let kind = match e.kind {
            MilestoneKind::Paper => "paper",
            MilestoneKind::Release => "release",
            MilestoneKind::Event => "event",
            MilestoneKind::Claim => "claim",
        };
        let mark = if e.on_path { "●" } else { "○" };
        println!("{mark} {date:<18} {kind:<8} {}", e.title);
        for p in &e.papers {
            let state = if e.imported.contains(p) { "imported" } else { "not imported" };
            println!("    paper {p} ({state})");
        }
        if !e.claims.is_empty() {
            println!("    claims: {}", e.claims.join(", "));
        }
        if !e.leads_to.is_empty() {
            println!("    leads to: {}", e.leads_to.join(", "));
        }
    }
    println!("● on the path to the focus milestone   ○ elsewhere");
    Ok(ExitCode::SUCCESS)
}
