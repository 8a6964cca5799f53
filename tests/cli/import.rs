//! Import: page counts, facts on their pages, versions, malformed files, worker faults, busy.

use std::path::Path;

use papertrail_core::Library;

use crate::{corpus, json, manifest, papertrail, papertrail_env, shared_library, stderr, stdout};

#[test]
fn six_real_papers_match_the_manifest_and_every_page_has_text() {
    let (Some(lib), Some(corpus)) = (shared_library(), corpus()) else { return };
    let papers = json(&papertrail(lib, &["papers", "--json"]));
    let papers = papers.as_array().unwrap();
    for (file, id, pages, sha) in manifest(&corpus).into_iter().filter(|m| m.0.starts_with("pdf/")) {
        let p = papers.iter().find(|p| p["id"] == id.as_str()).unwrap_or_else(|| panic!("{id} ({file}) missing"));
        let v = &p["versions"][0];
        assert_eq!(v["sha256"], sha.as_str(), "{id}");
        assert_eq!(v["pages"], pages, "{id} page count");
        assert!(v["imported_at"].as_str().unwrap().ends_with('Z'));
        let l = Library::open(lib).unwrap();
        for page in 1..=pages {
            let text = l.page_text(&sha, page).unwrap();
            assert!(text.trim().chars().count() > 20, "{id} page {page} has no text: {text:?}");
        }
    }
    // Catalog papers without PDFs are listed with no versions.
    let llm = papers.iter().find(|p| p["id"] == "deepseek-llm").unwrap();
    assert_eq!(llm["versions"].as_array().unwrap().len(), 0);
    assert_eq!(llm["arxiv_id"], "2401.02954");
    assert_eq!(papers.len(), 15);
}

fn page_has(lib: &Library, paper: &str, page: u32, term: &str) -> bool {
    let sha: String = lib
        .papers()
        .unwrap()
        .into_iter()
        .find(|p| p.id == paper)
        .and_then(|p| p.versions.last().map(|v| v.sha256.clone()))
        .unwrap();
    let text = lib.page_text(&sha, page).unwrap();
    let norm = |s: &str| s.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ");
    norm(&text).contains(&norm(term))
}

#[test]
fn facts_sheet_terms_are_on_their_pages() {
    let Some(lib) = shared_library() else { return };
    let lib = Library::open(lib).unwrap();
    let facts: &[(&str, &[u32], &str)] = &[
        ("deepseek-v3", &[5], "$5.576M"),
        ("deepseek-v3", &[5], "$2 per GPU hour"),
        ("deepseek-v3", &[1], "2.788M H800 GPU hours"),
        ("deepseek-v3", &[5], "2.788M"),
        ("deepseek-v3", &[5], "3.7 days"),
        ("deepseek-v3", &[5], "2048 H800"),
        ("deepseek-v3", &[11], "2048"),
        ("deepseek-v3", &[11], "H800"),
        ("deepseek-v3", &[5], "prior research"),
        ("deepseek-v3", &[5], "ablation"),
        ("deepseek-v3", &[5], "Knowledge Distillation from DeepSeek-R1"),
        ("deepseek-v3", &[1], "Multi-Token Prediction"),
        ("deepseek-v3", &[4, 5], "FP8"),
        ("deepseek-r1", &[1], "without supervised fine-tuning"),
        ("deepseek-r1", &[1], "OpenAI-o1-1217"),
        ("deepseek-r1", &[1], "1.5B, 7B, 8B, 14B, 32B, 70B"),
        ("deepseek-r1", &[8, 9], "aha moment"),
        ("deepseek-r1", &[5], "Group Relative Policy Optimization"),
        ("deepseek-r1", &[4], "79.8%"),
        ("deepseek-r1", &[4], "AIME 2024"),
        ("deepseek-v2", &[1], "42.5%"),
        ("deepseek-v2", &[1], "93.3%"),
        ("deepseek-v2", &[1], "Multi-head Latent Attention"),
        ("deepseekmoe", &[2, 3], "fine-grained expert segmentation"),
        ("deepseekmoe", &[2, 3], "shared expert isolation"),
    ];
    let mut missing = Vec::new();
    for (paper, pages, term) in facts {
        if !pages.iter().any(|p| page_has(&lib, paper, *p, term)) {
            missing.push(format!("{term:?} not on {paper} p.{pages:?}"));
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

#[test]
fn regression_line_end_hyphens_on_r1_page_1() {
    // pdf-extract gives "super-⏎vised" (a break to join) and "DeepSeek-⏎R1" (a real hyphen).
    let Some(lib) = shared_library() else { return };
    let lib = Library::open(lib).unwrap();
    assert!(page_has(&lib, "deepseek-r1", 1, "without supervised fine-tuning"));
    assert!(page_has(&lib, "deepseek-r1", 1, "we introduce DeepSeek-R1, which incorporates"));
    assert!(!page_has(&lib, "deepseek-r1", 1, "DeepSeekR1"));
    assert!(!page_has(&lib, "deepseek-r1", 1, "super-vised"));
}

#[test]
fn an_earlier_version_is_a_new_version_and_reimport_is_a_noop() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path();
    let r1 = corpus.join("pdf/deepseek-r1.pdf");
    let old = corpus.join("versions/deepseek-r1-2025-01-20.pdf");
    let out = papertrail(lib, &["import", r1.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("imported"), "{}", stdout(&out));
    let out = papertrail(lib, &["import", old.to_str().unwrap()]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("new version of deepseek-r1"), "{}", stdout(&out));
    let papers = json(&papertrail(lib, &["papers", "--json"]));
    let imported: Vec<&serde_json::Value> =
        papers.as_array().unwrap().iter().filter(|p| !p["versions"].as_array().unwrap().is_empty()).collect();
    assert_eq!(imported.len(), 1, "one paper");
    assert_eq!(imported[0]["id"], "deepseek-r1");
    assert_eq!(imported[0]["versions"].as_array().unwrap().len(), 2, "two versions");

    let before = snapshot(lib);
    let out = papertrail(lib, &["import", r1.to_str().unwrap(), old.to_str().unwrap()]);
    assert!(out.status.success());
    assert_eq!(stdout(&out).lines().filter(|l| l.starts_with("already present")).count(), 2, "{}", stdout(&out));
    assert_eq!(snapshot(lib), before, "re-import changed the library");

    // Search shows the newest version by default (by the PDF's own date), every version on request.
    let hits = json(&papertrail(lib, &["search", "--json", "\"aha moment\""]));
    let newest = "f03fc7290a99b48cb02f374b16f18a9b984a28170933111f0dde58822fdd5269";
    assert!(hits.as_array().unwrap().iter().all(|h| h["version_sha256"] == newest));
    let all = json(&papertrail(lib, &["search", "--json", "--all-versions", "\"aha moment\""]));
    assert!(all.as_array().unwrap().len() > hits.as_array().unwrap().len());
}

/// What a library holds: papers with versions, page and passage counts, index documents, files.
fn snapshot(lib: &Path) -> (String, u64, u64, u64, Vec<String>) {
    let l = Library::open(lib).unwrap();
    let papers = serde_json::to_string(&l.papers().unwrap()).unwrap();
    let pages: i64 = l.conn().query_row("SELECT count(*) FROM pages", [], |r| r.get(0)).unwrap();
    let (_, passages) = l.counts().unwrap();
    let mut files: Vec<String> = std::fs::read_dir(lib.join("pdfs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    files.sort();
    (papers, pages as u64, passages, l.indexed_passages(), files)
}

#[test]
fn every_malformed_file_fails_with_its_own_reason_and_changes_nothing() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path();
    let out = papertrail(lib, &["import", corpus.join("pdf/deepseek-coder-v2.pdf").to_str().unwrap()]);
    assert!(out.status.success());
    let before = snapshot(lib);
    let expected = [
        ("empty.pdf", "empty file"),
        ("not-a-pdf.pdf", "not a PDF"),
        ("png-renamed.pdf", "PNG image"),
        ("deepseek-r1-truncated.pdf", "truncated PDF"),
        ("deepseek-v3-utf8-mangled.pdf", "U+FFFD"),
    ];
    for (file, reason) in expected {
        let path = corpus.join("malformed").join(file);
        let started = std::time::Instant::now();
        let out = papertrail(lib, &["import", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{file}: exit code");
        let line = stdout(&out).lines().find(|l| l.contains(file)).unwrap_or_default().to_string();
        assert!(line.starts_with("failed") && line.contains(reason), "{file}: {line}");
        assert!(started.elapsed().as_secs() < 10, "{file} took {:?}", started.elapsed());
        assert_eq!(snapshot(lib), before, "{file} changed the library");
    }
    // All together with a good file: the good one is imported, exit 1, the reasons are distinct.
    let out = papertrail(
        lib,
        &[
            "import",
            "--json",
            corpus.join("malformed").to_str().unwrap(),
            corpus.join("pdf/deepseek-r1.pdf").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let outcomes = json(&out);
    let outcomes = outcomes.as_array().unwrap();
    assert_eq!(outcomes.len(), 6);
    let reasons: std::collections::BTreeSet<&str> =
        outcomes.iter().filter(|o| o["status"] == "failed").map(|o| o["reason"].as_str().unwrap()).collect();
    assert_eq!(reasons.len(), 5, "{reasons:#?}");
    assert!(outcomes.iter().any(|o| o["status"] == "imported" && o["paper_id"] == "deepseek-r1"));
}

#[test]
fn a_worker_that_crashes_or_hangs_fails_only_its_file() {
    let Some(corpus) = corpus() else { return };
    for fault in ["panic", "abort", "overflow", "hang"] {
        let dir = tempfile::tempdir().unwrap();
        let out = papertrail_env(
            dir.path(),
            &[
                "import",
                "--timeout",
                "3",
                corpus.join("pdf/deepseek-r1.pdf").to_str().unwrap(),
                corpus.join("pdf/deepseek-coder-v2.pdf").to_str().unwrap(),
            ],
            &[("PAPERTRAIL_WORKER_FAULT", &format!("deepseek-r1={fault}"))],
        );
        let text = stdout(&out);
        assert_eq!(out.status.code(), Some(1), "{fault}: {text}");
        let failed = text.lines().find(|l| l.contains("deepseek-r1.pdf")).unwrap();
        let expect = if fault == "hang" { "timed out" } else { "crashed the text extractor" };
        assert!(failed.starts_with("failed") && failed.contains(expect), "{fault}: {failed}");
        assert!(text.contains("imported        ") && text.contains("deepseek-coder-v2"), "{fault}: {text}");
        let l = Library::open(dir.path()).unwrap();
        assert_eq!(l.counts().unwrap().0, 1, "{fault}: only the good paper");
    }
}

#[test]
fn usage_errors_exit_2_and_missing_paths_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(papertrail(dir.path(), &["import"]).status.code(), Some(2));
    assert_eq!(papertrail(dir.path(), &["frobnicate"]).status.code(), Some(2));
    let out = papertrail(dir.path(), &["import", "/no/such/file.pdf"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("no such file or folder"));
}

#[test]
fn a_second_writer_gets_a_clear_busy_error() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let lib = Library::open(dir.path()).unwrap();
    let guard = lib.try_write().unwrap();
    let out = papertrail(dir.path(), &["import", corpus.join("pdf/deepseek-r1.pdf").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("library is busy"), "{}", stderr(&out));
    let out = papertrail(dir.path(), &["reindex"]);
    assert!(stderr(&out).contains("library is busy"), "{}", stderr(&out));
    // Reading still works while another process writes.
    let out = papertrail(dir.path(), &["papers"]);
    assert!(out.status.success());
    drop(guard);
    let out = papertrail(dir.path(), &["import", corpus.join("pdf/deepseek-r1.pdf").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_lagging_or_lost_index_is_caught_up_and_reindex_rebuilds_it() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = papertrail(dir.path(), &["import", corpus.join("pdf/deepseek-v3.pdf").to_str().unwrap()]);
    assert!(out.status.success());
    let n = Library::open(dir.path()).unwrap().indexed_passages();
    assert!(n > 100);
    std::fs::remove_dir_all(dir.path().join("index")).unwrap();
    let hits = json(&papertrail(dir.path(), &["search", "--json", "$5.576M"]));
    assert!(!hits.as_array().unwrap().is_empty(), "index was not caught up");
    assert_eq!(Library::open(dir.path()).unwrap().indexed_passages(), n);
    let out = papertrail(dir.path(), &["reindex"]);
    assert!(stdout(&out).contains(&format!("reindexed {n} passages")), "{}", stdout(&out));
}

#[test]
fn regression_half_written_copies_of_a_killed_import_are_removed_on_open() {
    let dir = tempfile::tempdir().unwrap();
    assert!(papertrail(dir.path(), &["papers"]).status.success());
    let leftover = dir.path().join("pdfs/.tmpH2W9Ep");
    std::fs::write(&leftover, b"%PDF-1.5 half").unwrap();
    let in_flight = dir.path().join("tmp/deepseek-v3.pdf.part");
    std::fs::create_dir_all(in_flight.parent().unwrap()).unwrap();
    std::fs::write(&in_flight, b"downloading").unwrap();
    assert!(papertrail(dir.path(), &["papers"]).status.success());
    assert!(!leftover.exists(), "the half-written copy is still there");
    assert!(in_flight.exists(), "a download in progress elsewhere must be left alone");
}

#[test]
fn an_index_from_another_schema_or_damaged_is_rebuilt_from_the_database() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = papertrail(dir.path(), &["import", corpus.join("pdf/deepseek-r1.pdf").to_str().unwrap()]);
    assert!(out.status.success());
    let n = Library::open(dir.path()).unwrap().indexed_passages();
    // An index written with another schema: meta.json naming a field this version lacks.
    let meta = dir.path().join("index/meta.json");
    let text = std::fs::read_to_string(&meta).unwrap().replace("\"passage_id\"", "\"passage_key\"");
    std::fs::write(&meta, text).unwrap();
    let hits = json(&papertrail(dir.path(), &["search", "--json", "\"aha moment\""]));
    assert!(!hits.as_array().unwrap().is_empty(), "the index was not rebuilt");
    assert_eq!(Library::open(dir.path()).unwrap().indexed_passages(), n);
    // A damaged meta.json.
    std::fs::write(&meta, b"{ not json").unwrap();
    let hits = json(&papertrail(dir.path(), &["search", "--json", "GRPO"]));
    assert!(!hits.as_array().unwrap().is_empty());
}
