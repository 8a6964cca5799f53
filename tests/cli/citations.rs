//! References and citations on the real corpus: the DeepSeek papers cite one another, reference
//! passages carry their section and rank after body passages, and a collection of classic
//! papers gets a believable graph.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::{corpus, json, papertrail, shared_library, stderr, stdout};

/// `papers --json` as id -> paper.
fn papers(lib: &std::path::Path) -> BTreeMap<String, Value> {
    let out = papertrail(lib, &["papers", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    json(&out).as_array().unwrap().iter().map(|p| (p["id"].as_str().unwrap().to_string(), p.clone())).collect()
}

fn ids(v: &Value) -> Vec<&str> {
    v.as_array().unwrap_or_else(|| panic!("not a list: {v}")).iter().map(|x| x.as_str().unwrap()).collect()
}

/// Every edge: no paper cites itself, none cites a paper dated after it (at the precision both
/// dates have), and `cited_by` is `cites` turned around.
fn check_graph(papers: &BTreeMap<String, Value>) -> usize {
    let mut edges = 0;
    for (id, p) in papers {
        for cited in ids(&p["cites"]) {
            edges += 1;
            assert_ne!(cited, id, "{id} cites itself");
            let q = &papers[cited];
            assert!(ids(&q["cited_by"]).contains(&id.as_str()), "{cited}.cited_by lacks {id}");
            if let (Some(a), Some(b)) = (p["date"].as_str(), q["date"].as_str()) {
                let n = a.len().min(b.len());
                assert!(b[..n] <= a[..n], "{id} ({a}) cites {cited}, dated later ({b})");
            }
        }
        for citing in ids(&p["cited_by"]) {
            assert!(ids(&papers[citing]["cites"]).contains(&id.as_str()), "{citing}.cites lacks {id}");
        }
    }
    edges
}

#[test]
fn the_deepseek_papers_cite_one_another() {
    let Some(lib) = shared_library() else { return };
    let papers = papers(lib);
    for p in papers.values() {
        for key in ["doi", "cites", "cited_by"] {
            assert!(p.get(key).is_some(), "{} lacks `{key}`: {p}", p["id"]);
        }
    }
    for (citing, cited) in [
        ("deepseek-v3", "deepseek-v2"),
        ("deepseek-v3", "deepseekmoe"),
        ("deepseek-v3", "deepseek-coder-v2"),
        ("deepseek-v2", "deepseekmoe"),
        ("deepseek-coder-v2", "deepseek-v2"),
        ("deepseek-prover-v1.5", "deepseek-coder-v2"),
        ("deepseek-r1", "deepseek-prover-v1.5"),
    ] {
        let cites = ids(&papers[citing]["cites"]);
        assert!(cites.contains(&cited), "{citing} should cite {cited}; it cites {cites:?}");
        assert!(ids(&papers[cited]["cited_by"]).contains(&citing));
    }
    // The earliest paper of the six cites none of the later five.
    for later in ["deepseek-v2", "deepseek-coder-v2", "deepseek-prover-v1.5", "deepseek-v3", "deepseek-r1"] {
        assert!(!ids(&papers["deepseekmoe"]["cites"]).contains(&later));
    }
    let edges = check_graph(&papers);
    eprintln!("deepseek corpus: {edges} citation edges");
    for (id, p) in &papers {
        eprintln!("  {id}: cites {:?}", ids(&p["cites"]));
    }
}

fn search(lib: &std::path::Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["search", "--json"];
    all.extend_from_slice(args);
    let out = papertrail(lib, &all);
    assert!(out.status.success(), "{}", stderr(&out));
    json(&out).as_array().unwrap().clone()
}

#[test]
fn reference_passages_carry_their_section_and_rank_after_body_passages() {
    let Some(lib) = shared_library() else { return };
    // Words that both running text and reference entries hold.
    for q in ["mixture of experts", "reinforcement learning", "Hendrycks", "DeepSeekMoE"] {
        let hits = search(lib, &[q, "--limit", "300"]);
        let sections: Vec<&str> = hits.iter().map(|h| h["section"].as_str().unwrap()).collect();
        assert!(sections.iter().all(|s| *s == "body" || *s == "references"), "{sections:?}");
        assert!(sections.contains(&"body") && sections.contains(&"references"), "{q}: {sections:?}");
        let first_ref = sections.iter().position(|s| *s == "references").unwrap();
        assert!(
            sections[first_ref..].iter().all(|s| *s == "references"),
            "{q}: a body passage after a reference: {sections:?}"
        );
        // With a small limit the body passages still come first.
        let top = search(lib, &[q, "--limit", "3"]);
        assert!(top.iter().all(|h| h["section"] == "body"), "{q}: {top:?}");
    }
    // A reference passage is one of the paper's reference list: it names authors and years, and
    // stands on or after the page of its list's heading.
    let hits = search(lib, &["arXiv", "preprint", "--paper", "deepseek-v3", "--limit", "200"]);
    assert!(hits.len() > 20);
    assert!(hits.iter().all(|h| h["section"] == "references"), "only reference entries say `arXiv preprint`");
    let pages: Vec<u64> = hits.iter().map(|h| h["page"].as_u64().unwrap()).collect();
    let (lo, hi) = (pages.iter().min().unwrap(), pages.iter().max().unwrap());
    eprintln!("deepseek-v3 reference passages on pages {lo} to {hi}");
    assert!(*lo >= 30 && *hi <= 53, "pages {lo}..{hi}");
    // A query only a reference entry answers still finds it (a cited title).
    let only = search(lib, &["\"leveraging warp specialization\""]);
    assert!(!only.is_empty(), "the reference entry was not found");
    assert!(only.iter().all(|h| h["section"] == "references"), "{only:?}");
    assert_eq!(only[0]["paper_id"], "deepseek-v3");
    // A body passage about the methods is body.
    let body = search(lib, &["\"Multi-head Latent Attention\"", "--paper", "deepseek-v2", "--limit", "5"]);
    assert!(!body.is_empty() && body.iter().all(|h| h["section"] == "body"), "{body:?}");
}

#[test]
fn a_paper_imported_later_is_cited_by_one_already_there() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    // A catalog that knows none of the DeepSeek papers: every edge must come from the imports.
    let catalog = dir.path().join("lab.toml");
    std::fs::write(
        &catalog,
        "[catalog]\nid = \"lab\"\nname = \"A lab\"\n\n[[papers]]\nid = \"p1\"\ntitle = \"A Paper About Things\"\ndate = \"2024-03\"\n",
    )
    .unwrap();
    let lib = dir.path().join("lib");
    let c = catalog.to_str().unwrap();
    for file in ["deepseek-r1.pdf", "deepseek-prover-v1.5.pdf"] {
        let out = papertrail(&lib, &["--catalog", c, "import", corpus.join("pdf").join(file).to_str().unwrap()]);
        assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    }
    let papers = papers(&lib);
    // Ids and metadata come from the files themselves here (no catalog entry to match).
    let titled = |t: &str| {
        papers.values().find(|p| p["title"].as_str().unwrap().starts_with(t)).unwrap_or_else(|| panic!("no paper {t}"))
    };
    let (r1, prover) = (titled("DeepSeek-R1:"), titled("DeepSeek-Prover-V1.5:"));
    assert_eq!(ids(&r1["cites"]), [prover["id"].as_str().unwrap()], "{r1}");
    assert_eq!(ids(&prover["cited_by"]), [r1["id"].as_str().unwrap()]);
    check_graph(&papers);
}

#[test]
fn a_collection_of_classic_papers_gets_a_believable_graph() {
    let Some(corpus) = corpus() else { return };
    let wild = corpus.join("wild");
    if !wild.is_dir() {
        eprintln!("\n*** SKIPPED: no wild corpus at {} ***\n", wild.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = papertrail(dir.path(), &["import", "--no-ocr", wild.to_str().unwrap()]);
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    let papers = papers(dir.path());
    let imported: Vec<&Value> = papers.values().filter(|p| !p["versions"].as_array().unwrap().is_empty()).collect();
    let edges = check_graph(&papers);
    eprintln!("wild corpus: {} papers imported, {edges} citation edges", imported.len());
    let mut most_cited = 0;
    for p in &imported {
        let (cites, cited_by) = (ids(&p["cites"]), ids(&p["cited_by"]));
        if !cites.is_empty() || !cited_by.is_empty() {
            eprintln!("  {} ({}): cites {cites:?}, cited by {cited_by:?}", p["id"], p["date"]);
        }
        // Classic papers of many fields: a paper cites a handful of the others at most.
        assert!(cites.len() <= 8, "{} cites {} library papers: {cites:?}", p["id"], cites.len());
        most_cited = most_cited.max(cited_by.len());
    }
    assert!(most_cited <= 12, "a paper cited by {most_cited} of the others");
    assert!(edges <= imported.len(), "{edges} edges for {} papers", imported.len());
}
