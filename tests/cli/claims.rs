//! Claims, evidence, annotations, anchoring, suggestions and the timeline, on the real corpus.

use std::path::Path;

use serde_json::Value;

use crate::{corpus, json, papertrail, shared_library, stderr, stdout};

fn claims(lib: &Path) -> Vec<Value> {
    json(&papertrail(lib, &["claims", "--json"])).as_array().unwrap().clone()
}

fn claim<'a>(all: &'a [Value], id: &str) -> &'a Value {
    all.iter().find(|c| c["id"] == id).unwrap_or_else(|| panic!("no claim {id}"))
}

/// (claim, verdict, [(stance, paper, page)]).
type Expected = (&'static str, &'static str, &'static [(&'static str, &'static str, u64)]);

#[test]
fn every_catalog_claim_gets_the_verdict_and_evidence_pages_the_facts_imply() {
    let Some(lib) = shared_library() else { return };
    let all = claims(lib);
    assert_eq!(all.len(), 13);
    // (claim, verdict, [(stance, paper, page)])
    let expected: &[Expected] = &[
        ("gpu-50k-h100", "unresolved", &[("context", "deepseek-v3", 11)]),
        ("v3-cluster-2048", "supported", &[("supports", "deepseek-v3", 11), ("supports", "deepseek-v3", 5)]),
        ("v3-gpu-hours", "supported", &[("supports", "deepseek-v3", 1), ("supports", "deepseek-v3", 5)]),
        ("v3-cost-5.6m", "supported", &[("supports", "deepseek-v3", 5)]),
        ("cost-6m-total", "contradicted", &[("contradicts", "deepseek-v3", 5)]),
        (
            "distilled-openai",
            "unresolved",
            &[("context", "deepseek-r1", 1), ("context", "deepseek-r1", 4), ("context", "deepseek-v3", 5)],
        ),
        ("r1-zero-pure-rl", "supported", &[("supports", "deepseek-r1", 1), ("supports", "deepseek-r1", 8)]),
        ("grpo-from-math", "supported", &[("supports", "deepseek-r1", 5)]),
        ("v3-distills-r1", "supported", &[("supports", "deepseek-v3", 5), ("supports", "deepseek-v3", 4)]),
        (
            "lineage",
            "supported",
            &[
                ("supports", "deepseekmoe", 2),
                ("supports", "deepseek-v2", 1),
                ("supports", "deepseek-v3", 1),
                ("supports", "deepseek-v3", 4),
            ],
        ),
        ("v2-savings", "supported", &[("supports", "deepseek-v2", 1)]),
        ("r1-local", "supported", &[("supports", "deepseek-r1", 1), ("supports", "deepseek-r1", 4)]),
        ("r1-matches-o1", "supported", &[("supports", "deepseek-r1", 1), ("supports", "deepseek-r1", 4)]),
    ];
    for (id, verdict, evidence) in expected {
        assert_eq!(claim(&all, id)["verdict"], *verdict, "{id}");
        let shown = json(&papertrail(lib, &["claim", "show", id, "--json"]));
        assert_eq!(shown["verdict"], *verdict);
        assert!(shown["unresolved_locators"].as_array().unwrap().is_empty(), "{id}: {}", shown["unresolved_locators"]);
        for (stance, paper, page) in evidence.iter() {
            let group = shown[*stance].as_array().unwrap();
            // The passage is on the named page, or (for "p.8-9"-style facts) the next one.
            let ok = group.iter().any(|e| e["paper_id"] == *paper && (e["page"] == *page || e["page"] == *page + 1));
            assert!(ok, "{id}: no {stance} evidence on {paper} p.{page}: {group:#?}");
            for e in group {
                assert!(!e["passage"].as_str().unwrap().is_empty());
            }
        }
    }
    // The evidence for the $6M claim really holds the caveat.
    let shown = json(&papertrail(lib, &["claim", "show", "cost-6m-total", "--json"]));
    let p = shown["contradicts"][0]["passage"].as_str().unwrap();
    assert!(p.contains("prior research") && p.contains("ablation"), "{p}");
}

/// A fresh library with only the R1 report.
fn r1_library() -> Option<tempfile::TempDir> {
    let corpus = corpus()?;
    let dir = tempfile::tempdir().unwrap();
    let out = papertrail(dir.path(), &["import", corpus.join("pdf/deepseek-r1.pdf").to_str().unwrap()]);
    assert!(out.status.success());
    Some(dir)
}

#[test]
fn annotating_and_linking_changes_the_verdict_at_once() {
    let Some(dir) = r1_library() else { return };
    let lib = dir.path();
    let out = papertrail(
        lib,
        &[
            "annotate",
            "deepseek-r1",
            "--page",
            "1",
            "--quote",
            "without supervised fine-tuning (SFT)",
            "--note",
            "key",
            "--tag",
            "rl",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let a = json(&out);
    let id = a["id"].as_str().unwrap().to_string();
    assert_eq!(a["page"], 1);
    assert_eq!(a["exact"], "without supervised fine-tuning (SFT)");
    assert!(a["prefix"].as_str().unwrap().ends_with("reinforcement learning (RL) "), "{}", a["prefix"]);
    assert_eq!(a["extractor"], "pdf-extract");
    let page: String =
        papertrail_core::Library::open(lib).unwrap().page_text(a["version_sha256"].as_str().unwrap(), 1).unwrap();
    let (s, e) = (a["start"].as_u64().unwrap() as usize, a["end"].as_u64().unwrap() as usize);
    assert_eq!(papertrail_core::ingest::passage::char_slice(&page, s, e), "without supervised fine-tuning (SFT)");

    assert_eq!(claim(&claims(lib), "gpu-50k-h100")["verdict"], "unresolved");
    let out = papertrail(lib, &["link", "gpu-50k-h100", &id, "--stance", "contradicts", "--note", "test"]);
    assert!(stdout(&out).contains("verdict now contradicted"), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(claim(&claims(lib), "gpu-50k-h100")["verdict"], "contradicted");
    let out =
        papertrail(lib, &["annotate", "deepseek-r1", "--page", "1", "--quote", "OpenAI-o1-1217 on reasoning tasks"]);
    let second = stdout(&out).split_whitespace().next().unwrap().to_string();
    papertrail(lib, &["link", "gpu-50k-h100", &second, "--stance", "supports"]);
    assert_eq!(claim(&claims(lib), "gpu-50k-h100")["verdict"], "contested");
    assert_eq!(claim(&claims(lib), "gpu-50k-h100")["evidence"]["supports"], 1);
    papertrail(lib, &["unlink", "gpu-50k-h100", &id]);
    assert_eq!(claim(&claims(lib), "gpu-50k-h100")["verdict"], "supported");

    // Listing, editing, and deleting with confirmation.
    let listed = json(&papertrail(lib, &["annotations", "--tag", "rl", "--json"]));
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let out = papertrail(lib, &["annotation", "edit", &second, "--note", "changed", "--color", "green"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = papertrail(lib, &["annotation", "delete", &second]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("evidence for gpu-50k-h100") && stderr(&out).contains("--yes"), "{}", stderr(&out));
    let out = papertrail(lib, &["annotation", "delete", &second, "--yes"]);
    assert!(stdout(&out).contains("it was evidence for gpu-50k-h100"), "{}", stdout(&out));
    assert_eq!(claim(&claims(lib), "gpu-50k-h100")["verdict"], "unresolved");
}

#[test]
fn a_links_stance_and_note_change_in_place_with_link() {
    let Some(dir) = r1_library() else { return };
    let lib = dir.path();
    let out =
        papertrail(lib, &["annotate", "deepseek-r1", "--page", "1", "--quote", "without supervised fine-tuning (SFT)"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let id = stdout(&out).split_whitespace().next().unwrap().to_string();
    let evidence = |stance: &str| -> Vec<serde_json::Value> {
        json(&papertrail(lib, &["claim", "show", "gpu-50k-h100", "--json"]))[stance].as_array().unwrap().clone()
    };
    // a new link needs a stance
    let out = papertrail(lib, &["link", "gpu-50k-h100", &id, "--note", "x"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("a new link needs one"), "{}", stderr(&out));
    assert!(evidence("supports").is_empty() && evidence("contradicts").is_empty());

    let out = papertrail(lib, &["link", "gpu-50k-h100", &id, "--stance", "supports", "--note", "RL alone"]);
    assert!(stdout(&out).contains("verdict now supported"), "{}{}", stdout(&out), stderr(&out));
    // the stance changes and the note stays
    let out = papertrail(lib, &["link", "gpu-50k-h100", &id, "--stance", "contradicts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("contradicts (was supports); verdict now contradicted"), "{}", stdout(&out));
    let e = evidence("contradicts");
    assert_eq!((e.len(), e[0]["note"].as_str()), (1, Some("RL alone")));
    assert!(evidence("supports").is_empty());
    // the note changes and the stance stays; '' clears it
    let out = papertrail(lib, &["link", "gpu-50k-h100", &id, "--note", "pure RL, no SFT"]);
    assert!(stdout(&out).contains("contradicts; verdict now contradicted"), "{}", stdout(&out));
    assert_eq!(evidence("contradicts")[0]["note"], "pure RL, no SFT");
    papertrail(lib, &["link", "gpu-50k-h100", &id, "--note", ""]);
    assert_eq!(evidence("contradicts")[0]["note"], "");
    // nothing to change is said, and changes nothing
    let out = papertrail(lib, &["link", "gpu-50k-h100", &id]);
    assert_ne!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("already evidence for gpu-50k-h100; give --stance or --note"), "{}", stderr(&out));
    assert_eq!(evidence("contradicts").len(), 1);
    let out = papertrail(lib, &["unlink", "gpu-50k-h100", &id]);
    assert!(stdout(&out).contains("verdict now unresolved"), "{}", stdout(&out));
}

#[test]
fn claims_can_be_added_edited_and_get_suggestions_accepted_or_dismissed() {
    let Some(dir) = r1_library() else { return };
    let lib = dir.path();
    let out = papertrail(
        lib,
        &[
            "claim",
            "add",
            "R1 reaches 79.8% on AIME 2024",
            "--id",
            "aime",
            "--claimant",
            "a reader",
            "--date",
            "2025-02",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json(&out)["verdict"], "unresolved");
    let out = papertrail(lib, &["claim", "edit", "aime", "--source", "a blog"]);
    assert!(out.status.success());
    let sugg = json(&papertrail(lib, &["claim", "suggest", "aime", "--json"]));
    let first = &sugg[0];
    assert_eq!(first["paper_id"], "deepseek-r1");
    assert_eq!(first["page"], 4);
    assert!(first["matched_terms"].as_array().unwrap().iter().any(|t| t == "79.8%"));
    for key in ["paper_id", "page", "start", "end", "score", "text", "matched_terms"] {
        assert!(first.get(key).is_some(), "{key}");
    }
    let pid = first["passage_id"].as_u64().unwrap().to_string();
    let out = papertrail(lib, &["claim", "accept", "aime", &pid, "--stance", "supports"]);
    assert!(stdout(&out).contains("verdict now supported"), "{}{}", stdout(&out), stderr(&out));
    let again = json(&papertrail(lib, &["claim", "suggest", "aime", "--json"]));
    assert!(
        again.as_array().unwrap().iter().all(|s| s["passage_id"] != first["passage_id"]),
        "accepted passage offered again"
    );
    let other = again[0]["passage_id"].as_u64().unwrap().to_string();
    papertrail(lib, &["claim", "dismiss", "aime", &other]);
    let after = json(&papertrail(lib, &["claim", "suggest", "aime", "--json"]));
    assert!(
        after
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["passage_id"].as_u64().map(|v| v.to_string()) != Some(other.clone())),
        "dismissed passage offered again"
    );
    let shown = json(&papertrail(lib, &["claim", "show", "aime", "--json"]));
    assert_eq!(shown["supports"][0]["origin"], "suggestion");
    assert_eq!(shown["date"], "2025-02");
    assert_eq!(shown["date_precision"], "month");
}

#[test]
fn suggestions_find_the_right_page_in_the_top_five() {
    let Some(lib) = shared_library() else { return };
    // Claims of our own, each stated by the papers on the listed pages.
    let cases: &[(&str, &str, &[u64])] = &[
        ("DeepSeek-V3 has 671B total parameters with 37B activated for each token", "deepseek-v3", &[1, 4]),
        ("DeepSeek-V3 was pre-trained on 14.8 trillion tokens", "deepseek-v3", &[1, 4, 5, 22]),
        ("Each trillion tokens of V3 pre-training takes 180K H800 GPU hours", "deepseek-v3", &[5]),
        ("DeepSeek-V2 has 236B parameters of which 21B are activated", "deepseek-v2", &[1, 4]),
        ("DeepSeek-R1 achieves 79.8% Pass@1 on AIME 2024", "deepseek-r1", &[4]),
        ("R1 scores 97.3% on MATH-500", "deepseek-r1", &[4]),
        ("The V2 paper reports a 93.3% smaller KV cache", "deepseek-v2", &[1, 4, 21]),
        ("DeepSeek-Coder-V2 supports 338 programming languages", "deepseek-coder-v2", &[1, 2, 3]),
        ("DeepSeek-Prover-V1.5 reaches 63.5% on the miniF2F test set", "deepseek-prover-v1.5", &[1]),
        ("V3 training cost $5.576M assuming $2 per GPU hour", "deepseek-v3", &[5]),
    ];
    let mut hits = 0;
    let mut report = Vec::new();
    for (text, paper, pages) in cases {
        let s = json(&papertrail(lib, &["claim", "suggest", "--limit", "5", "--json", text]));
        let got: Vec<(String, u64)> = s
            .as_array()
            .unwrap()
            .iter()
            .map(|x| (x["paper_id"].as_str().unwrap().to_string(), x["page"].as_u64().unwrap()))
            .collect();
        if got.iter().any(|(p, pg)| p == paper && pages.contains(pg)) {
            hits += 1;
        } else {
            report.push(format!("{text}: got {got:?}"));
        }
    }
    assert!(hits * 10 >= cases.len() * 9, "{hits}/{}: {report:#?}", cases.len());
}

#[test]
fn annotations_follow_a_new_version_or_are_flagged_orphaned() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path();
    let old = corpus.join("versions/deepseek-r1-2025-01-20.pdf");
    assert!(papertrail(lib, &["import", old.to_str().unwrap()]).status.success());
    // On page 12 of the first version; the later version moved it to page 13.
    let moved = "For education-oriented knowledge benchmarks such as MMLU, MMLU-Pro, and GPQA Diamond";
    // Rewritten in the later version ("Evaluation Setup We set the maximum generation length…").
    let gone = "Generation Setup For all our models, the maximum generation length is set to 32,768 tokens.";
    let a = json(&papertrail(lib, &["annotate", "deepseek-r1", "--page", "12", "--quote", moved, "--json"]));
    let b = json(&papertrail(lib, &["annotate", "deepseek-r1", "--page", "12", "--quote", gone, "--json"]));
    assert_eq!(a["page"], 12);
    papertrail(lib, &["link", "r1-matches-o1", a["id"].as_str().unwrap(), "--stance", "context"]);

    let new = corpus.join("pdf/deepseek-r1.pdf");
    let out = papertrail(lib, &["import", new.to_str().unwrap()]);
    assert!(stdout(&out).contains("new version of deepseek-r1"), "{}", stdout(&out));
    let list = json(&papertrail(lib, &["annotations", "--paper", "deepseek-r1", "--json"]));
    let find = |id: &Value| list.as_array().unwrap().iter().find(|x| x["id"] == *id).unwrap().clone();
    let a2 = find(&a["id"]);
    assert_eq!(a2["version_sha256"], "f03fc7290a99b48cb02f374b16f18a9b984a28170933111f0dde58822fdd5269");
    assert_eq!(a2["page"], 13);
    assert_eq!(a2["exact"], moved);
    assert_eq!(a2["orphaned"], false);
    let b2 = find(&b["id"]);
    assert_eq!(b2["orphaned"], true, "{b2}");
    assert_eq!(b2["version_sha256"], b["version_sha256"], "an orphan stays where it was");
    // Evidence still points at the moved annotation.
    let shown = json(&papertrail(lib, &["claim", "show", "r1-matches-o1", "--json"]));
    assert!(shown["context"].as_array().unwrap().iter().any(|e| e["page"] == 13));
}

#[test]
fn the_timeline_is_in_order_and_marks_the_path_to_r1() {
    let Some(lib) = shared_library() else { return };
    let t = json(&papertrail(lib, &["timeline", "--json"]));
    let t = t.as_array().unwrap();
    let keys: Vec<String> = t.iter().map(|m| m["date"].as_str().unwrap().to_string()).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "date order");
    let get = |id: &str| t.iter().find(|m| m["id"] == id).unwrap_or_else(|| panic!("{id}"));
    assert_eq!(get("founded")["date"], "2023-07");
    assert_eq!(get("founded")["precision"], "month");
    assert_eq!(get("r1-release")["date"], "2025-01-20");
    for on in ["r1-release", "v3", "grpo", "moe", "v2", "founded", "llm-67b", "r1-lite", "fire-flyer"] {
        assert_eq!(get(on)["on_path"], true, "{on}");
    }
    for off in ["coder-v2", "prover-v1.5", "janus-pro", "market-shock", "gpu-claim"] {
        assert_eq!(get(off)["on_path"], false, "{off}");
    }
    for key in ["id", "date", "precision", "title", "kind", "papers", "claims", "leads_to", "on_path"] {
        assert!(get("v3").get(key).is_some(), "{key}");
    }
    assert_eq!(get("v3")["imported"][0], "deepseek-v3");
    assert!(get("grpo")["imported"].as_array().unwrap().is_empty(), "DeepSeekMath is not in the corpus");
    let until = json(&papertrail(lib, &["timeline", "--until", "2024-06", "--json"]));
    assert!(until.as_array().unwrap().iter().all(|m| m["date"].as_str().unwrap() < "2024-07"));
    let human = stdout(&papertrail(lib, &["timeline"]));
    assert!(human.contains("● 2025-01-20") && human.contains("paper deepseekmath (not imported)"), "{human}");
}

#[test]
fn another_catalog_loads_and_a_bad_one_is_rejected_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("lab.toml");
    std::fs::write(
        &good,
        "[catalog]\nid = \"lab\"\nname = \"A lab\"\nfocus = \"launch\"\n\n[[papers]]\nid = \"p1\"\ntitle = \"A Paper About Things\"\ndate = \"2024-03\"\n\n[[milestones]]\nid = \"launch\"\ndate = \"2024-04-01\"\nkind = \"release\"\ntitle = \"Launch\"\npapers = [\"p1\"]\n",
    )
    .unwrap();
    let lib = dir.path().join("lib");
    let papers = json(&papertrail(&lib, &["--catalog", good.to_str().unwrap(), "papers", "--json"]));
    assert_eq!(papers.as_array().unwrap().len(), 1);
    assert_eq!(papers[0]["id"], "p1");
    assert_eq!(papers[0]["date"], "2024-03");
    // The choice is remembered as the library's setting, and can be undone.
    let again = json(&papertrail(&lib, &["papers", "--json"]));
    assert_eq!(again.as_array().unwrap().len(), 1, "the catalog setting was not kept");
    let t = json(&papertrail(&lib, &["timeline", "--json"]));
    assert_eq!(t[0]["id"], "launch");
    assert_eq!(t[0]["on_path"], true);
    let back = json(&papertrail(&lib, &["--catalog", "bundled", "papers", "--json"]));
    assert_eq!(back.as_array().unwrap().len(), 15, "the bundled papers again");
    let bad = dir.path().join("bad.toml");
    for (text, msg) in [
        ("[catalog]\nid = \"x\"\nname = \"X\"\n[[papers]]\nid = \"p\"\ntitle = \"T\"\ndate = \"2025-13-40\"\n", "line 7: bad date"),
        ("[catalog]\nid = \"x\"\nname = \"X\"\n[[papers]]\nid = \"p\"\ntitle = \"T\"\n[[papers]]\nid = \"p\"\ntitle = \"U\"\n", "line 8: duplicate paper id `p`"),
        (
            "[catalog]\nid = \"x\"\nname = \"X\"\n[[milestones]]\nid = \"m\"\ndate = \"2024\"\nkind = \"event\"\ntitle = \"M\"\nleads_to = [\"nowhere\"]\n",
            "line 9: milestone `m` refers to unknown milestone `nowhere`",
        ),
    ] {
        std::fs::write(&bad, text).unwrap();
        let out = papertrail(&dir.path().join("lib2"), &["--catalog", bad.to_str().unwrap(), "papers"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains("bad.toml") && stderr(&out).contains(msg), "{}", stderr(&out));
    }
}

#[test]
fn bad_input_names_the_field_and_changes_nothing() {
    let Some(dir) = r1_library() else { return };
    let lib = dir.path();
    let before =
        (stdout(&papertrail(lib, &["claims", "--json"])), stdout(&papertrail(lib, &["annotations", "--json"])));
    let cases: &[(&[&str], &str)] = &[
        (&["claim", "add", "   "], "invalid text"),
        (&["claim", "add", "x", "--date", "2025-13-40"], "invalid date: `2025-13-40` has month 13"),
        (&["claim", "show", "nope"], "unknown claim `nope`"),
        (&["claim", "edit", "gpu-50k-h100", "--text", ""], "invalid text"),
        (&["link", "nope", "a-x", "--stance", "supports"], "unknown claim `nope`"),
        (&["link", "gpu-50k-h100", "a-missing", "--stance", "supports"], "unknown annotation `a-missing`"),
        (&["link", "gpu-50k-h100", "a-missing", "--stance", "maybe"], "invalid --stance: `maybe` is not a stance"),
        (&["annotate", "deepseek-r1", "--page", "99", "--quote", "x"], "invalid page: page 99 is out of range"),
        (&["annotate", "deepseek-r1", "--page", "1", "--quote", "not on this page at all"], "is not on page 1"),
        (&["annotate", "nope", "--page", "1", "--quote", "x"], "unknown paper `nope`"),
        (&["annotate", "deepseek-llm", "--page", "1", "--quote", "x"], "has no imported PDF yet"),
        (&["annotate", "deepseek-r1", "--page", "1", "--quote", "DeepSeek-R1"], "--occurrence"),
        (&["timeline", "--until", "2025-13-40"], "invalid until"),
        (&["timeline", "--focus", "nope"], "unknown milestone `nope`"),
    ];
    for (args, msg) in cases {
        let out = papertrail(lib, args);
        assert_ne!(out.status.code(), Some(0), "{args:?}");
        assert!(stderr(&out).contains(msg), "{args:?}: {}", stderr(&out));
    }
    let after = (stdout(&papertrail(lib, &["claims", "--json"])), stdout(&papertrail(lib, &["annotations", "--json"])));
    assert_eq!(before, after);
}
