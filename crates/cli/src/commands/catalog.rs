//! `papertrail catalog export -o FILE.toml`

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use papertrail_core::story::catalog::Catalog;
use papertrail_core::Library;

/// The `catalog` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Write the library's papers, milestones and claims as a catalog (TOML) that another lab
    /// member can load with `--catalog FILE`: the catalog's papers with their pinned sources,
    /// the library's own papers, the timeline's milestones (citations as lineage), every claim
    /// with its evidence.
    Export(ExportArgs),
}

/// Arguments of `catalog export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The TOML file to write.
    #[arg(short = 'o', long = "output", value_name = "FILE.toml")]
    output: PathBuf,
    /// Short id of the new catalog (lowercase letters, digits, `-`, `.`, `_`; default: the
    /// loaded catalog's).
    #[arg(long)]
    id: Option<String>,
    /// Its display name (default: the loaded catalog's).
    #[arg(long)]
    name: Option<String>,
    /// The lab whose papers these are (default: the loaded catalog's).
    #[arg(long)]
    lab: Option<String>,
    /// Print `{path, papers, milestones, claims}`.
    #[arg(long)]
    json: bool,
}

/// Runs a `catalog` subcommand.
pub fn run(lib: &Library, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Export(args) => export(lib, args),
    }
}

fn export(lib: &Library, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let mut catalog = lib.export_catalog()?;
    if let Some(id) = args.id {
        catalog.id = id;
    }
    if let Some(name) = args.name {
        catalog.name = name;
    }
    if let Some(lab) = args.lab {
        catalog.lab = lab;
    }
    let text = catalog.to_toml();
    // What is written must load: the same checks as `--catalog` makes.
    let name = args.output.display().to_string();
    let checked = Catalog::parse(&name, &text)?;
    let tmp = args.output.with_extension("toml.tmp");
    std::fs::write(&tmp, &text).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, &args.output).with_context(|| format!("writing {}", args.output.display()))?;
    let (papers, milestones, claims) = (checked.papers.len(), checked.milestones.len(), checked.claims.len());
    if args.json {
        crate::output::print_json(&serde_json::json!({
            "path": name, "papers": papers, "milestones": milestones, "claims": claims,
        }))?;
    } else {
        println!("Wrote {name}: {papers} papers, {milestones} milestones, {claims} claims.");
        println!("Load it into a library with `papertrail --library DIR --catalog {name} papers`.");
    }
    Ok(ExitCode::SUCCESS)
}
