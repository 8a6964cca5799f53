//! `papertrail timeline`

use std::process::ExitCode;

use papertrail_core::model::DatePrecision;
use papertrail_core::Library;

/// Arguments of `timeline`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only entries up to this date (YYYY-MM-DD, YYYY-MM or YYYY); undated papers are left out.
    #[arg(long)]
    until: Option<String>,
    /// Mark the path leading to this entry (a milestone id, or a library paper's id). Default:
    /// the catalog's focus, else the latest entry that builds on another, else the latest.
    #[arg(long)]
    focus: Option<String>,
    /// Print `[{id, date, precision, title, short, kind, origin, papers, claims, leads_to,
    /// cited_by, on_path, imported}]`: dated entries in order, then undated papers (`date` and
    /// `precision` null).
    #[arg(long)]
    json: bool,
}

/// Runs `timeline`.
pub fn run(lib: &Library, args: Args) -> anyhow::Result<ExitCode> {
    let t = lib.timeline(args.until.as_deref(), args.focus.as_deref())?;
    if args.json {
        crate::output::print_json(&t.entries)?;
        return Ok(ExitCode::SUCCESS);
    }
    let focus = t.focus.as_ref().and_then(|f| t.entries.iter().find(|e| &e.id == f));
    println!("Timeline of {}", t.catalog.name);
    if let (Some(start), Some(end)) = (&t.start, &t.end) {
        println!("Window: {start} to {end}");
    }
    if let Some(f) = focus {
        println!("Focus: {} ({})", f.short, f.id);
    }
    println!();
    let mut undated = Vec::new();
    for e in &t.entries {
        let (Some(date), Some(precision)) = (&e.date, e.precision) else {
            undated.push(e);
            continue;
        };
        let date = match precision {
            DatePrecision::Day => date.clone(),
            DatePrecision::Month => format!("{date} (month)"),
            DatePrecision::Year => format!("{date} (year)"),
        };
        let mark = if e.on_path { "●" } else { "○" };
        println!("{mark} {date:<18} {:<8} {}", e.kind.as_str(), e.title);
        if e.origin == "catalog" {
            for p in &e.papers {
                let state = if e.imported.contains(p) { "imported" } else { "not imported" };
                println!("    paper {p} ({state})");
            }
        } else {
            println!("    paper {} (in the library, not in the catalog)", e.papers.join(", "));
        }
        if !e.claims.is_empty() {
            println!("    claims: {}", e.claims.join(", "));
        }
        let catalog_leads: Vec<&String> = e.leads_to.iter().filter(|t| !e.cited_by.contains(t)).collect();
        if !catalog_leads.is_empty() {
            println!("    leads to: {}", catalog_leads.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "));
        }
        if !e.cited_by.is_empty() {
            println!("    cited by: {}", e.cited_by.join(", "));
        }
    }
    if !undated.is_empty() {
        println!("\nUndated (no date known; not placed on the timeline):");
        for e in undated {
            println!("  - {} ({})", e.title, e.id);
        }
    }
    if t.entries.is_empty() {
        println!("Nothing to show: the catalog has no milestones and no paper is imported yet.");
    }
    match focus {
        Some(f) => println!("\n● on the path to {}   ○ elsewhere", f.short),
        None => println!("\n○ no entry to lead up to"),
    }
    Ok(ExitCode::SUCCESS)
}
