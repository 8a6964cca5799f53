//! `papertrail import-bundle FILE.zip [--no-pdfs] [--json]`

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use papertrail_core::bundle::ImportBundleOptions;
use papertrail_core::ingest::worker::WorkerCommand;
use papertrail_core::Library;

/// Arguments of `import-bundle`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The bundle to merge into the library.
    #[arg(value_name = "FILE.zip")]
    bundle: PathBuf,
    /// Do not import the PDFs the bundle brings.
    #[arg(long)]
    no_pdfs: bool,
    /// Print `{bundle, pdfs_imported, claims_added, claims_merged, annotations_added,
    /// annotations_merged, reanchored: [{annotation_id, version_sha256, page, score}], orphaned,
    /// evidence_added, evidence_merged, conflicts: [{kind, id, field, ours, theirs}],
    /// skipped: [{annotation_id, reason}]}`.
    #[arg(long)]
    json: bool,
}

fn short(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s
    }
}

/// Runs `import-bundle`.
pub fn run(lib: &Library, args: Args) -> anyhow::Result<ExitCode> {
    let opts = ImportBundleOptions {
        worker: WorkerCommand::current_exe().context("finding the papertrail binary")?,
        import_pdfs: !args.no_pdfs,
    };
    let r = lib.import_bundle(&args.bundle, &opts).with_context(|| format!("importing {}", args.bundle.display()))?;
    if args.json {
        crate::output::print_json(&r)?;
        return Ok(ExitCode::SUCCESS);
    }
    for sha in &r.pdfs_imported {
        println!("imported PDF {sha}");
    }
    println!(
        "claims: {} added, {} already present; passages: {} added, {} already present; evidence links: {} added, {} already present",
        r.claims_added.len(),
        r.claims_merged.len(),
        r.annotations_added.len(),
        r.annotations_merged.len(),
        r.evidence_added,
        r.evidence_merged
    );
    for p in &r.reanchored {
        println!("re-anchored {} at page {} (score {:.3})", p.annotation_id, p.page, p.score);
    }
    for id in &r.orphaned {
        println!("orphaned {id}: its quote is not in the local text; kept and flagged");
    }
    for c in &r.conflicts {
        println!(
            "conflict {} {} {}: kept yours “{}”, theirs was “{}”",
            c.kind,
            c.id,
            c.field,
            short(&c.ours),
            short(&c.theirs)
        );
    }
    for s in &r.skipped {
        let who = if s.annotation_id.is_empty() { String::new() } else { format!("{}: ", s.annotation_id) };
        println!("skipped {who}{}", s.reason);
    }
    Ok(ExitCode::SUCCESS)
}
