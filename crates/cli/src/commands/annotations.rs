//! `papertrail annotations` and `papertrail annotation edit|delete`

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use clap::Subcommand;
use papertrail_core::model::Colour;
use papertrail_core::{AnnotationEdit, AnnotationFilter, Error, Library};

/// Arguments of `annotations`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only this paper.
    #[arg(long)]
    paper: Option<String>,
    /// Only annotations with this tag.
    #[arg(long)]
    tag: Option<String>,
    /// Only this page.
    #[arg(long)]
    page: Option<u32>,
    /// Print a JSON array.
    #[arg(long)]
    json: bool,
}

/// Runs `annotations`.
pub fn list(lib: &Library, args: ListArgs) -> anyhow::Result<ExitCode> {
    let list =
        lib.annotations(&AnnotationFilter { paper: args.paper, tag: args.tag, page: args.page, version: None })?;
    if args.json {
        crate::output::print_json(&list)?;
        return Ok(ExitCode::SUCCESS);
    }
    for a in &list {
        let flags = if a.orphaned { " ORPHANED" } else { "" };
        let claims = if a.claims.is_empty() { String::new() } else { format!(" → {}", a.claims.join(", ")) };
        let tags = if a.tags.is_empty() { String::new() } else { format!(" #{}", a.tags.join(" #")) };
        let quote: String = a.exact.chars().take(100).collect();
        println!(
            "{}  {} p.{}{flags}{tags}{claims}\n    “{quote}{}”",
            a.id,
            a.paper_id,
            a.page,
            if a.exact.chars().count() > 100 { "…" } else { "" }
        );
        if !a.note.is_empty() {
            println!("    note: {}", a.note);
        }
    }
    println!("{} annotations", list.len());
    Ok(ExitCode::SUCCESS)
}

/// `annotation` subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Change an annotation's note, tags or colour.
    Edit {
        /// Annotation id.
        id: String,
        /// New note.
        #[arg(long)]
        note: Option<String>,
        /// New tags, replacing the old (repeat for several; `--tag ''` clears none).
        #[arg(long = "tag")]
        tags: Option<Vec<String>>,
        /// New colour.
        #[arg(long)]
        color: Option<String>,
    },
    /// Delete an annotation (and its evidence links).
    Delete {
        /// Annotation id.
        id: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
}

/// Runs an `annotation` subcommand.
pub fn run(lib: &Library, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Edit { id, note, tags, color } => {
            let color =
                color.as_deref().map(str::parse::<Colour>).transpose().map_err(|e| Error::invalid("color", e))?;
            let a = lib.edit_annotation(&id, &AnnotationEdit { note, tags, color })?;
            println!("{}  updated: note {:?}, tags [{}], colour {}", a.id, a.note, a.tags.join(", "), a.color);
        }
        Command::Delete { id, yes } => {
            let a = lib.annotation(&id)?;
            if !yes {
                let used = if a.claims.is_empty() {
                    String::new()
                } else {
                    format!(" It is evidence for {}; those links go too.", a.claims.join(", "))
                };
                if !std::io::stdin().is_terminal() {
                    anyhow::bail!("deleting annotation {id} needs confirmation.{used} Pass --yes to delete it");
                }
                print!("Delete annotation {id} on {} p.{}?{used} [y/N] ", a.paper_id, a.page);
                std::io::stdout().flush()?;
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line)?;
                if !matches!(line.trim(), "y" | "Y" | "yes") {
                    println!("kept");
                    return Ok(ExitCode::from(1));
                }
            }
            let claims = lib.delete_annotation(&id)?.claims();
            if claims.is_empty() {
                println!("deleted {id}");
            } else {
                println!("deleted {id}; it was evidence for {} (verdicts recomputed)", claims.join(", "));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
