//! `papertrail paper edit|split|merge`

use std::process::ExitCode;

use papertrail_core::model::Paper;
use papertrail_core::paper_edit::PaperEdit;
use papertrail_core::{ImportOptions, Library, NoEvents};

/// Fix a paper's metadata or identity.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Edit a paper's title, authors, date, arXiv id or DOI; the values given are kept over
    /// every automatic update (catalog, re-import, reindex). An empty value clears a field.
    Edit(EditArgs),
    /// Split a version off its paper into a paper of its own (metadata read again from the file).
    Split(SplitArgs),
    /// Merge paper ID into INTO_ID: its versions become versions of INTO_ID.
    Merge(MergeArgs),
}

/// Arguments of `paper edit`.
#[derive(Debug, clap::Args)]
pub struct EditArgs {
    /// The paper id.
    id: String,
    /// The title.
    #[arg(long, value_name = "T")]
    title: Option<String>,
    /// The authors, separated by semicolons: "Ada Lovelace; Charles Babbage".
    #[arg(long, value_name = "A; B")]
    authors: Option<String>,
    /// The date: YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long, value_name = "YYYY[-MM[-DD]]")]
    date: Option<String>,
    /// The arXiv id, e.g. 2412.19437.
    #[arg(long = "arxiv", value_name = "ID")]
    arxiv: Option<String>,
    /// The DOI, e.g. 10.1145/357172.357176.
    #[arg(long, value_name = "DOI")]
    doi: Option<String>,
    /// Print the paper as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `paper split`.
#[derive(Debug, clap::Args)]
pub struct SplitArgs {
    /// The version's sha256 (`papers --json` lists them).
    sha256: String,
    /// Print the new paper as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `paper merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The paper that goes away.
    id: String,
    /// The paper that receives its versions.
    into_id: String,
    /// Print the merged paper as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `paper ...`.
pub fn run(lib: &Library, cmd: Command) -> anyhow::Result<ExitCode> {
    let (paper, json, verb) = match cmd {
        Command::Edit(a) => {
            let edit = PaperEdit {
                title: a.title,
                authors: a
                    .authors
                    .map(|s| s.split(';').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect()),
                date: a.date,
                arxiv_id: a.arxiv,
                doi: a.doi,
            };
            (lib.edit_paper(&a.id, &edit)?, a.json, "edited")
        }
        Command::Split(a) => {
            (lib.split_version(&a.sha256, &ImportOptions::default().worker, &NoEvents)?, a.json, "split off as")
        }
        Command::Merge(a) => (lib.merge_papers(&a.id, &a.into_id, &NoEvents)?, a.json, "merged into"),
    };
    if json {
        crate::output::print_json(&paper)?;
    } else {
        print(verb, &paper);
    }
    Ok(ExitCode::SUCCESS)
}

fn print(verb: &str, p: &Paper) {
    println!("{verb} {}: {}", p.id, p.title);
    println!("  authors: {}", if p.authors.is_empty() { "-".into() } else { p.authors.join("; ") });
    println!("  date: {}  arXiv: {}", p.date.as_deref().unwrap_or("-"), p.arxiv_id.as_deref().unwrap_or("-"));
    println!("  versions: {}", p.versions.iter().map(|v| &v.sha256[..12]).collect::<Vec<_>>().join(", "));
}
