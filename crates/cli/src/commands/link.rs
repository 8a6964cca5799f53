//! `papertrail link CLAIM ANNOTATION --stance S` and `papertrail unlink CLAIM ANNOTATION`

use std::process::ExitCode;

use papertrail_core::Library;

/// Arguments of `link`.
#[derive(Debug, clap::Args)]
pub struct LinkArgs {
    /// Claim id.
    claim: String,
    /// Annotation id.
    annotation: String,
    /// supports, contradicts or context.
    #[arg(long)]
    stance: String,
    /// A note on the link.
    #[arg(long, default_value = "")]
    note: String,
}

/// Arguments of `unlink`.
#[derive(Debug, clap::Args)]
pub struct UnlinkArgs {
    /// Claim id.
    claim: String,
    /// Annotation id.
    annotation: String,
}

/// Runs `link`.
pub fn link(lib: &Library, args: LinkArgs) -> anyhow::Result<ExitCode> {
    let stance = super::claims::parse_stance(&args.stance)?;
    let c = lib.link(&args.claim, &args.annotation, stance, &args.note)?;
    println!("linked {} to {} as {}; verdict now {}", args.annotation, c.id, stance.as_str(), c.verdict.as_str());
    Ok(ExitCode::SUCCESS)
}

/// Runs `unlink`.
pub fn unlink(lib: &Library, args: UnlinkArgs) -> anyhow::Result<ExitCode> {
    let c = lib.unlink(&args.claim, &args.annotation)?;
    println!("unlinked {} from {}; verdict now {}", args.annotation, c.id, c.verdict.as_str());
    Ok(ExitCode::SUCCESS)
}
