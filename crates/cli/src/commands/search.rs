//! `papertrail search QUERY`

use std::process::ExitCode;

use papertrail_core::{Library, SearchOptions};

/// Arguments of `search`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The query: words (all must match), "quoted phrases", prefix*, -excluded, paper:ID, year:YYYY.
    #[arg(required = true, value_name = "QUERY")]
    query: Vec<String>,
    /// Only this paper (its id, as `papertrail papers` shows).
    #[arg(long, value_name = "ID")]
    paper: Option<String>,
    /// Only papers of this year.
    #[arg(long, value_name = "YYYY")]
    year: Option<i32>,
    /// Maximum number of hits.
    #[arg(long, default_value_t = 20, value_name = "N")]
    limit: usize,
    /// Search every stored version of each paper, not only the newest.
    #[arg(long)]
    all_versions: bool,
    /// Print the hits as a JSON array; each hit's `section` is `references` for a passage of a
    /// reference list, `body` otherwise.
    #[arg(long)]
    json: bool,
    /// Rank by meaning too: passages that say what the words mean, in other words, are fused
    /// with the word hits (each hit's `matched_by` lists `words` and/or `meaning`).
    #[arg(long)]
    semantic: bool,
}

/// Runs `search`.
pub fn run(lib: &Library, args: Args) -> anyhow::Result<ExitCode> {
    let query = args.query.join(" ");
    let opts =
        SearchOptions { paper: args.paper, year: args.year, limit: args.limit.max(1), all_versions: args.all_versions };
    let results = if args.semantic {
        let (results, by_meaning) = lib.search_semantic(&query, &opts)?;
        if !by_meaning {
            let why = papertrail_core::search::vectors::meaning_unavailable(lib)?;
            eprintln!("note: {}", why.unwrap_or("the query has no words to match by meaning; matched by words only"));
        }
        results
    } else {
        lib.search(&query, &opts)?
    };
    if args.json {
        crate::output::print_json(&results.hits)?;
        return Ok(ExitCode::SUCCESS);
    }
    if results.fuzzy {
        println!("no exact match; showing close spellings");
    }
    // Group by paper (in order of each paper's best hit), then by page.
    let mut groups: Vec<(String, String, Vec<&papertrail_core::model::SearchHit>)> = Vec::new();
    for hit in &results.hits {
        match groups.iter_mut().find(|g| g.0 == hit.paper_id) {
            Some(g) => g.2.push(hit),
            None => groups.push((hit.paper_id.clone(), hit.title.clone(), vec![hit])),
        }
    }
    for (paper_id, title, mut hits) in groups {
        println!("{paper_id} · {title}");
        hits.sort_by_key(|h| (h.page, h.start));
        for h in hits {
            let refs = if h.section == papertrail_core::model::Section::References { "[references] " } else { "" };
            println!(
                "  p.{:<3} {refs}{}",
                h.page,
                crate::output::highlight(&h.snippet, &h.highlights).replace('\n', " ")
            );
        }
        println!();
    }
    let papers: std::collections::BTreeSet<&str> = results.hits.iter().map(|h| h.paper_id.as_str()).collect();
    println!(
        "{}{} passages in {} papers{} · {:.1} ms",
        results.total,
        if results.total_exact { "" } else { "+" },
        papers.len(),
        if results.total > results.hits.len() { format!(" (showing {})", results.hits.len()) } else { String::new() },
        results.elapsed_us as f64 / 1000.0
    );
    Ok(ExitCode::SUCCESS)
}
