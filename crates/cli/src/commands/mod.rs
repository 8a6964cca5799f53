//! One file per subcommand: an `Args` struct and a `run`.

mod annotate;
mod annotations;
mod catalog;
mod claims;
mod download;
mod embed;
mod export;
mod import;
mod import_bundle;
mod link;
mod ocr;
mod paper;
mod papers;
mod reindex;
mod search;
mod text;
mod timeline;
mod verify;

use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use papertrail_core::Library;

use crate::Cli;

/// The subcommands. Each doc comment is that command's `--help`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import PDF files and folders (recursively) into the library.
    Import(import::Args),
    /// Search every passage of every imported paper.
    Search(search::Args),
    /// List the papers: catalog entries and imports, with versions and page counts.
    Papers(papers::Args),
    /// Edit a paper's metadata, split a version off, or merge two papers.
    #[command(subcommand)]
    Paper(paper::Command),
    /// Print a paper's stored text (pages separated by form feeds), as search sees it.
    #[command(disable_version_flag = true)]
    Text(text::Args),
    /// Read the pages that wait for OCR (scans, pages whose fonts cannot be read) with Tesseract.
    Ocr(ocr::Args),
    /// Rebuild the search index from the database (and the passage vectors, when the model is installed).
    Reindex(reindex::Args),
    /// Give every passage without one a vector for search by meaning (Ctrl-C stops and keeps what is done).
    Embed(embed::Args),
    /// Download the catalog's papers from their pinned sources (or a mirror) and import them.
    Download(download::Args),
    /// Annotate a quote on a page of a paper.
    Annotate(annotate::Args),
    /// List annotations.
    Annotations(annotations::ListArgs),
    /// Edit or delete an annotation.
    #[command(subcommand)]
    Annotation(annotations::Command),
    /// List claims with their verdicts and evidence counts.
    Claims(claims::ListArgs),
    /// Show, add, edit, delete a claim; suggest, accept or dismiss evidence for it.
    #[command(subcommand)]
    Claim(claims::Command),
    /// Link an annotation to a claim as evidence with a stance.
    Link(link::LinkArgs),
    /// Remove an evidence link.
    Unlink(link::UnlinkArgs),
    /// The timeline: the catalog's milestones and the library's own papers in date order, with
    /// the lineage path to the focus marked.
    Timeline(timeline::Args),
    /// The library as a catalog: `catalog export -o FILE.toml`.
    #[command(subcommand)]
    Catalog(catalog::Command),
    /// Export claims, their evidence and the cited papers as a citation bundle (zip): CSL-JSON,
    /// BibTeX, RIS, W3C Web Annotations, schema.org ClaimReviews, RO-Crate metadata and a report.
    Export(export::Args),
    /// Check every passage of a bundle against the PDFs (in the library or the bundle); exit 0
    /// only when all hold.
    Verify(verify::Args),
    /// Merge a bundle's claims, passages and evidence into the library; nothing is overwritten.
    ImportBundle(import_bundle::Args),
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let dir = cli.library.clone().unwrap_or_else(Library::default_dir);
    let lib = match &cli.catalog {
        // `--catalog bundled` goes back to the bundled DeepSeek catalog.
        Some(path) if path.as_os_str() == "bundled" => Library::open_with_catalog_setting(&dir, None),
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading catalog {}", path.display()))?;
            let name = path.display().to_string();
            Library::open_with_catalog_setting(&dir, Some((&name, &text)))
        }
        None => Library::open(&dir),
    }
    .with_context(|| format!("opening library {}", dir.display()))?;
    match cli.command {
        Command::Import(args) => import::run(&lib, args),
        Command::Search(args) => search::run(&lib, args),
        Command::Papers(args) => papers::run(&lib, args),
        Command::Reindex(args) => reindex::run(&lib, args),
        Command::Text(args) => text::run(&lib, args),
        Command::Paper(cmd) => paper::run(&lib, cmd),
        Command::Ocr(args) => ocr::run(&lib, args),
        Command::Embed(args) => embed::run(&lib, args),
        Command::Download(args) => download::run(&lib, args),
        Command::Annotate(args) => annotate::run(&lib, args),
        Command::Annotations(args) => annotations::list(&lib, args),
        Command::Annotation(cmd) => annotations::run(&lib, cmd),
        Command::Claims(args) => claims::list(&lib, args),
        Command::Claim(cmd) => claims::run(&lib, cmd),
        Command::Link(args) => link::link(&lib, args),
        Command::Unlink(args) => link::unlink(&lib, args),
        Command::Timeline(args) => timeline::run(&lib, args),
        Command::Catalog(cmd) => catalog::run(&lib, cmd),
        Command::Export(args) => export::run(&lib, args),
        Command::Verify(args) => verify::run(&lib, args),
        Command::ImportBundle(args) => import_bundle::run(&lib, args),
    }
}
