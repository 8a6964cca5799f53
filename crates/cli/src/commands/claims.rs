//! `papertrail claims` and `papertrail claim show|add|edit|delete|suggest|accept|dismiss`

use std::process::ExitCode;

use clap::Subcommand;
use papertrail_core::evidence::claims::Evidence;
use papertrail_core::{ClaimEdit, Library, NewClaim, Stance};
use serde::Serialize;

/// Arguments of `claims`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Print `[{id, text, claimant, date, verdict, evidence: {supports, contradicts, context}}]`.
    #[arg(long)]
    json: bool,
}

/// Runs `claims`.
pub fn list(lib: &Library, args: ListArgs) -> anyhow::Result<ExitCode> {
    let claims = lib.claims()?;
    if args.json {
        crate::output::print_json(&claims)?;
        return Ok(ExitCode::SUCCESS);
    }
    for c in &claims {
        println!(
            "{:<13} {:<18} +{} −{} ~{}  {}\n{:33}{} · {}",
            c.verdict.as_str().to_uppercase(),
            c.id,
            c.evidence.supports,
            c.evidence.contradicts,
            c.evidence.context,
            c.text,
            "",
            if c.claimant.is_empty() { "unknown claimant" } else { &c.claimant },
            c.date.as_deref().unwrap_or("undated"),
        );
    }
    println!("{} claims", claims.len());
    Ok(ExitCode::SUCCESS)
}

/// `claim` subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show a claim with its evidence grouped by stance.
    Show {
        /// Claim id.
        id: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Add a claim.
    Add {
        /// The claim's text.
        text: String,
        /// Id (default: a slug of the text).
        #[arg(long)]
        id: Option<String>,
        /// Who made the claim.
        #[arg(long, default_value = "")]
        claimant: String,
        /// When: YYYY-MM-DD, YYYY-MM or YYYY.
        #[arg(long)]
        date: Option<String>,
        /// Where it was made (a link or a citation).
        #[arg(long, default_value = "")]
        source: String,
        /// A tag (repeat for several).
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Edit a claim.
    Edit {
        /// Claim id.
        id: String,
        /// New text.
        #[arg(long)]
        text: Option<String>,
        /// New claimant.
        #[arg(long)]
        claimant: Option<String>,
        /// New date ('' clears it).
        #[arg(long)]
        date: Option<String>,
        /// New source.
        #[arg(long)]
        source: Option<String>,
        /// New tags, replacing the old.
        #[arg(long = "tag")]
        tags: Option<Vec<String>>,
    },
    /// Delete a claim and its evidence links (annotations stay).
    Delete {
        /// Claim id.
        id: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Suggest passages for a claim: give a claim id or any claim text.
    Suggest {
        /// A claim id, or the text of a claim.
        text: String,
        /// Number of suggestions.
        #[arg(long, default_value_t = 5)]
        limit: usize,
        /// Print `[{paper_id, page, start, end, score, text, matched_terms}]`.
        #[arg(long)]
        json: bool,
    },
    /// Accept a suggested passage as evidence with a stance.
    Accept {
        /// Claim id.
        id: String,
        /// Passage id (from `claim suggest --json`).
        passage: u64,
        /// supports, contradicts or context.
        #[arg(long)]
        stance: String,
    },
    /// Dismiss a suggested passage so it is not offered again.
    Dismiss {
        /// Claim id.
        id: String,
        /// Passage id.
        passage: u64,
    },
}

#[derive(Serialize)]
struct ShownEvidence<'a> {
    annotation_id: &'a str,
    paper_id: &'a str,
    paper_title: &'a str,
    version_sha256: &'a str,
    page: u32,
    start: usize,
    end: usize,
    passage: &'a str,
    note: &'a str,
    origin: &'a str,
    orphaned: bool,
}

fn shown(e: &Evidence) -> ShownEvidence<'_> {
    ShownEvidence {
        annotation_id: &e.annotation.id,
        paper_id: &e.annotation.paper_id,
        paper_title: &e.paper_title,
        version_sha256: &e.annotation.version_sha256,
        page: e.annotation.page,
        start: e.annotation.start,
        end: e.annotation.end,
        passage: &e.annotation.exact,
        note: &e.note,
        origin: &e.origin,
        orphaned: e.annotation.orphaned,
    }
}

pub(crate) fn parse_stance(s: &str) -> anyhow::Result<Stance> {
    s.parse::<Stance>().map_err(|e| anyhow::anyhow!("invalid --stance: {e}"))
}

/// Runs a `claim` subcommand.
pub fn run(lib: &Library, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Show { id, json } => {
            let d = lib.claim(&id)?;
            if json {
                #[derive(Serialize)]
                struct Shown<'a> {
                    #[serde(flatten)]
                    claim: &'a papertrail_core::Claim,
                    supports: Vec<ShownEvidence<'a>>,
                    contradicts: Vec<ShownEvidence<'a>>,
                    context: Vec<ShownEvidence<'a>>,
                    unresolved_locators: &'a [papertrail_core::evidence::claims::UnresolvedLocator],
                }
                crate::output::print_json(&Shown {
                    claim: &d.claim,
                    supports: d.supports.iter().map(shown).collect(),
                    contradicts: d.contradicts.iter().map(shown).collect(),
                    context: d.context.iter().map(shown).collect(),
                    unresolved_locators: &d.unresolved_locators,
                })?;
                return Ok(ExitCode::SUCCESS);
            }
            let c = &d.claim;
            println!("{}  [{}]\n“{}”", c.id, c.verdict.as_str().to_uppercase(), c.text);
            println!(
                "— {}, {}{}",
                c.claimant,
                c.date.as_deref().unwrap_or("undated"),
                if c.source.is_empty() { String::new() } else { format!(" ({})", c.source) }
            );
            for (name, list) in [("SUPPORTS", &d.supports), ("CONTRADICTS", &d.contradicts), ("CONTEXT", &d.context)] {
                println!("\n{name} ({})", list.len());
                for e in list {
                    let q: String = e.annotation.exact.chars().take(240).collect();
                    println!(
                        "  {} p.{}  [{}]{}\n    “{q}{}”",
                        e.annotation.paper_id,
                        e.annotation.page,
                        e.annotation.id,
                        if e.annotation.orphaned { " ORPHANED" } else { "" },
                        if e.annotation.exact.chars().count() > 240 { "…" } else { "" }
                    );
                    if !e.note.is_empty() {
                        println!("    note: {}", e.note);
                    }
                }
            }
            for l in &d.unresolved_locators {
                let why = match l.status.as_str() {
                    "pending" => "paper not imported yet",
                    "not_found" => "no passage on that page holds these terms",
                    _ => "its annotation was deleted",
                };
                println!(
                    "\nlocator not resolved: {} p.{} [{}] ({}): {why}",
                    l.paper_id,
                    l.page,
                    l.terms.join(", "),
                    l.stance.as_str()
                );
            }
        }
        Command::Add { text, id, claimant, date, source, tags, json } => {
            let c = lib.add_claim(&NewClaim { id, text, claimant, date, source, tags })?;
            if json {
                crate::output::print_json(&c)?;
            } else {
                println!("added claim {} [{}]", c.id, c.verdict.as_str());
            }
        }
        Command::Edit { id, text, claimant, date, source, tags } => {
            let c = lib.edit_claim(&id, &ClaimEdit { text, claimant, date, source, tags })?;
            println!("updated claim {} [{}]", c.id, c.verdict.as_str());
        }
        Command::Delete { id, yes } => {
            if !yes {
                anyhow::bail!("deleting claim {id} removes its evidence links; pass --yes to delete it");
            }
            lib.delete_claim(&id)?;
            println!("deleted claim {id}");
        }
        Command::Suggest { text, limit, json } => {
            let is_id = lib.claims()?.iter().any(|c| c.id == text);
            let list = if is_id { lib.suggest_for_claim(&text, limit)? } else { lib.suggest(&text, limit)? };
            if let Some(why) = papertrail_core::search::vectors::meaning_unavailable(lib)? {
                eprintln!("note: {why}");
            }
            if json {
                crate::output::print_json(&list)?;
            } else {
                for (i, s) in list.iter().enumerate() {
                    let q: String = s.text.chars().take(220).collect();
                    println!(
                        "{}. {} p.{}  passage {}  by {}  matched: {}\n   “{q}…”",
                        i + 1,
                        s.paper_id,
                        s.page,
                        s.passage_id,
                        s.matched_by.join(" and "),
                        s.matched_terms.join(", ")
                    );
                }
                if list.is_empty() {
                    println!("no passages found; import the papers that bear on this claim");
                }
            }
        }
        Command::Accept { id, passage, stance } => {
            let c = lib.accept_suggestion(&id, passage, parse_stance(&stance)?)?;
            println!("linked passage {passage} to {} as {stance}; verdict now {}", c.id, c.verdict.as_str());
        }
        Command::Dismiss { id, passage } => {
            lib.dismiss_suggestion(&id, passage)?;
            println!("dismissed passage {passage} for {id}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
