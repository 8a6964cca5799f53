//! `papertrail export [--claims ID,...|--all] [--annotations ID,...|all] [--style S] [--include-pdfs] -o FILE.zip`

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use papertrail_core::bundle::{CitationStyle, ExportOptions, Selection};
use papertrail_core::Library;

/// Arguments of `export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Claim ids to export, comma-separated; their evidence passages come with them.
    #[arg(long, value_delimiter = ',', value_name = "ID,...", conflicts_with = "all")]
    claims: Vec<String>,
    /// Export every claim.
    #[arg(long)]
    all: bool,
    /// Annotation ids to add, comma-separated, or `all` for every annotation.
    #[arg(long, value_delimiter = ',', value_name = "ID,...|all")]
    annotations: Vec<String>,
    /// Citation style of the report: apa, ieee or chicago.
    #[arg(long, default_value = "apa", value_parser = ["apa", "ieee", "chicago"])]
    style: String,
    /// Put the cited PDFs in the bundle, so it can be verified without the library.
    #[arg(long)]
    include_pdfs: bool,
    /// The zip to write.
    #[arg(short = 'o', long = "output", value_name = "FILE.zip")]
    output: PathBuf,
    /// Print `{path, claims, passages, papers, pdfs, files: [{name, size}], size}`.
    #[arg(long)]
    json: bool,
}

/// Runs `export`.
pub fn run(lib: &Library, args: Args) -> anyhow::Result<ExitCode> {
    let all_annotations = args.annotations.iter().any(|a| a == "all");
    let selection = Selection {
        claims: args.claims,
        all_claims: args.all,
        annotations: args.annotations.into_iter().filter(|a| a != "all").collect(),
        all_annotations,
    };
    let opts =
        ExportOptions { selection, style: args.style.parse::<CitationStyle>()?, include_pdfs: args.include_pdfs };
    let summary = lib
        .export_bundle(&opts, &args.output)
        .with_context(|| format!("exporting the bundle {}", args.output.display()))?;
    if args.json {
        crate::output::print_json(&summary)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "wrote {}: {} claims, {} passages from {} papers, {} PDFs; {} files, {} bytes",
        summary.path,
        summary.claims.len(),
        summary.passages,
        summary.papers.len(),
        summary.pdfs,
        summary.files.len(),
        summary.size
    );
    for f in &summary.files {
        println!("  {:<28} {:>10} bytes", f.name, f.size);
    }
    Ok(ExitCode::SUCCESS)
}
