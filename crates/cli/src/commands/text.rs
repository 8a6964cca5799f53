//! `papertrail text ID [--version SHA256] [--page N]`

use std::process::ExitCode;

use papertrail_core::Library;

/// Arguments of `text`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The paper id.
    #[arg(value_name = "ID")]
    paper: String,
    /// A version of the paper (default: its current version).
    #[arg(long, value_name = "SHA256")]
    version: Option<String>,
    /// Only this page (1-based).
    #[arg(long, value_name = "N")]
    page: Option<u32>,
}

/// Runs `text`: prints the stored (normalized) text, pages separated by a form feed as
/// `pdftotext` does. Pages read by OCR are as OCR read them; pages without readable text are
/// empty.
pub fn run(lib: &Library, args: Args) -> anyhow::Result<ExitCode> {
    let pages = lib.paper_text(&args.paper, args.version.as_deref(), args.page)?;
    let mut out = String::new();
    for (i, page) in pages.iter().enumerate() {
        if i > 0 {
            out.push('\u{c}');
        }
        out.push_str(&page.text);
        out.push('\n');
    }
    use std::io::Write;
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
