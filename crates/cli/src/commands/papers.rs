//! `papertrail papers`

use std::process::ExitCode;

use papertrail_core::Library;
use serde::Serialize;

/// Arguments of `papers`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print `[{id, title, date, arxiv_id, doi, versions: [{sha256, pages, imported_at}], cites, cited_by}]`
    /// (`cites`, `cited_by`: ids of the library papers a paper's reference list cites, and of
    /// those whose lists cite it).
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct JsonPaper<'a> {
    id: &'a str,
    title: &'a str,
    date: Option<&'a str>,
    date_precision: Option<papertrail_core::model::DatePrecision>,
    arxiv_id: Option<&'a str>,
    authors: &'a [String],
    in_catalog: bool,
    versions: &'a [papertrail_core::model::Version],
    doi: Option<&'a str>,
    cites: &'a [String],
    cited_by: &'a [String],
    edited: &'a [String],
}

/// Runs `papers`.
pub fn run(lib: &Library, args: Args) -> anyhow::Result<ExitCode> {
    let papers = lib.papers()?;
    if args.json {
        let out: Vec<JsonPaper> = papers
            .iter()
            .map(|p| JsonPaper {
                id: &p.id,
                title: &p.title,
                date: p.date.as_deref(),
                date_precision: p.date_precision,
                arxiv_id: p.arxiv_id.as_deref(),
                authors: &p.authors,
                in_catalog: p.in_catalog,
                versions: &p.versions,
                doi: p.doi.as_deref(),
                cites: &p.cites,
                cited_by: &p.cited_by,
                edited: &p.edited,
            })
            .collect();
        crate::output::print_json(&out)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!("{:<22} {:<10} {:<11} {:>8} {:>5}  title", "id", "date", "arXiv", "versions", "pages");
    for p in &papers {
        let pages = p.versions.last().map(|v| v.pages.to_string()).unwrap_or_else(|| "-".into());
        let state = if p.versions.is_empty() { "  (not yet imported)" } else { "" };
        println!(
            "{:<22} {:<10} {:<11} {:>8} {:>5}  {}{state}",
            p.id,
            p.date.as_deref().unwrap_or("-"),
            p.arxiv_id.as_deref().unwrap_or("-"),
            p.versions.len(),
            pages,
            p.title
        );
    }
    let imported = papers.iter().filter(|p| !p.versions.is_empty()).count();
    println!("{} papers, {imported} imported", papers.len());
    for (path, reason) in lib.import_failures()? {
        println!("failed import: {path}: {reason}");
    }
    Ok(ExitCode::SUCCESS)
}
