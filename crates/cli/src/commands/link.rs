//! `papertrail link CLAIM ANNOTATION [--stance S] [--note TEXT]` and
//! `papertrail unlink CLAIM ANNOTATION`

use std::process::ExitCode;

use papertrail_core::evidence::claims::LinkEdit;
use papertrail_core::Library;

/// Arguments of `link`.
#[derive(Debug, clap::Args)]
pub struct LinkArgs {
    /// Claim id.
    claim: String,
    /// Annotation id.
    annotation: String,
    /// supports, contradicts or context (needed for a new link; on an existing link it
    /// changes the stance).
    #[arg(long)]
    stance: Option<String>,
    /// A note on the link (on an existing link it replaces the note; '' clears it; left out,
    /// the note stays).
    #[arg(long)]
    note: Option<String>,
}

/// Arguments of `unlink`.
#[derive(Debug, clap::Args)]
pub struct UnlinkArgs {
    /// Claim id.
    claim: String,
    /// Annotation id.
    annotation: String,
}

/// Runs `link`: a new link, or a change of an existing link's stance or note.
pub fn link(lib: &Library, args: LinkArgs) -> anyhow::Result<ExitCode> {
    let stance = args.stance.as_deref().map(super::claims::parse_stance).transpose()?;
    lib.claim(&args.claim)?;
    let existing = lib.annotation_links(&args.annotation)?.into_iter().find(|l| l.claim.id == args.claim);
    match (existing, stance) {
        (Some(_), None) if args.note.is_none() => {
            anyhow::bail!(
                "{} is already evidence for {}; give --stance or --note to change the link",
                args.annotation,
                args.claim
            )
        }
        (Some(before), _) => {
            let c = lib.edit_link(&args.claim, &args.annotation, &LinkEdit { stance, note: args.note })?;
            let stance = stance.unwrap_or(before.stance);
            println!(
                "updated the link of {} to {}: {}{}; verdict now {}",
                args.annotation,
                c.id,
                stance.as_str(),
                if stance != before.stance { format!(" (was {})", before.stance.as_str()) } else { String::new() },
                c.verdict.as_str()
            );
        }
        (None, None) => {
            anyhow::bail!("invalid --stance: a new link needs one: supports, contradicts or context")
        }
        (None, Some(stance)) => {
            let c = lib.link(&args.claim, &args.annotation, stance, args.note.as_deref().unwrap_or(""))?;
            println!(
                "linked {} to {} as {}; verdict now {}",
                args.annotation,
                c.id,
                stance.as_str(),
                c.verdict.as_str()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `unlink`.
pub fn unlink(lib: &Library, args: UnlinkArgs) -> anyhow::Result<ExitCode> {
    lib.unlink(&args.claim, &args.annotation)?;
    let c = lib.claim(&args.claim)?.claim;
    println!("unlinked {} from {}; verdict now {}", args.annotation, c.id, c.verdict.as_str());
    Ok(ExitCode::SUCCESS)
}
