//! `papertrail annotate PAPER --page N --quote TEXT`

use std::process::ExitCode;

use papertrail_core::model::Colour;
use papertrail_core::{Error, Library, NewAnnotation};

/// Arguments of `annotate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Paper id (see `papertrail papers`).
    paper: String,
    /// 1-based page number.
    #[arg(long)]
    page: u32,
    /// The exact text to annotate, as it appears on the page (whitespace may differ).
    #[arg(long)]
    quote: String,
    /// Which occurrence, when the quote appears more than once on the page.
    #[arg(long)]
    occurrence: Option<usize>,
    /// The sha256 of the version to annotate (default: the paper's newest version).
    #[arg(long = "sha256", value_name = "SHA256")]
    version_sha256: Option<String>,
    /// A note.
    #[arg(long, default_value = "")]
    note: String,
    /// A tag (repeat for several).
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// Colour: yellow, green, blue, pink, orange or purple.
    #[arg(long)]
    color: Option<String>,
    /// Print the annotation as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `annotate`.
pub fn run(lib: &Library, args: Args) -> anyhow::Result<ExitCode> {
    let color = args.color.as_deref().map(str::parse::<Colour>).transpose().map_err(|e| Error::invalid("color", e))?;
    let a = lib.annotate(&NewAnnotation {
        paper: args.paper,
        version: args.version_sha256,
        page: args.page,
        quote: Some(args.quote),
        occurrence: args.occurrence,
        note: args.note,
        tags: args.tags,
        color,
        ..Default::default()
    })?;
    if args.json {
        crate::output::print_json(&a)?;
    } else {
        println!("{}  {} p.{} [{}..{}]  “{}”", a.id, a.paper_id, a.page, a.start, a.end, a.exact);
    }
    Ok(ExitCode::SUCCESS)
}
