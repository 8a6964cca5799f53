//! Search: quality on facts-sheet queries, JSON shape, filters, fuzzy fallback, bad queries.

use crate::{json, papertrail, shared_library, stderr, stdout};

/// (query, paper, pages any of which must be in the top 3).
const QUERIES: &[(&str, &str, &[u32])] = &[
    ("\"aha moment\"", "deepseek-r1", &[8, 9]),
    ("$5.576M", "deepseek-v3", &[5]),
    ("2.788M H800 GPU hours", "deepseek-v3", &[1, 5]),
    ("2048 H800 cluster", "deepseek-v3", &[11]),
    ("93.3% KV cache", "deepseek-v2", &[1]),
    ("42.5% training costs", "deepseek-v2", &[1]),
    ("\"Group Relative Policy Optimization\" paper:deepseek-r1", "deepseek-r1", &[5]),
    ("OpenAI-o1-1217 reasoning", "deepseek-r1", &[1, 4]),
    ("fine-grained expert segmentation shared expert isolation", "deepseekmoe", &[2, 3, 5]),
    ("\"knowledge distillation from DeepSeek-R1\"", "deepseek-v3", &[5]),
    ("prior research ablation experiments", "deepseek-v3", &[5]),
    ("3.7 days", "deepseek-v3", &[5]),
    ("79.8% AIME 2024", "deepseek-r1", &[4]),
    ("FP8 mixed precision training", "deepseek-v3", &[4, 5]),
];

#[test]
fn facts_queries_find_their_page_in_the_top_three() {
    let Some(lib) = shared_library() else { return };
    let mut misses = Vec::new();
    for (q, paper, pages) in QUERIES {
        let hits = json(&papertrail(lib, &["search", "--json", "--limit", "3", q]));
        let found: Vec<(String, u64)> = hits
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h["paper_id"].as_str().unwrap().to_string(), h["page"].as_u64().unwrap()))
            .collect();
        if !found.iter().any(|(p, pg)| p == paper && pages.contains(&(*pg as u32))) {
            misses.push(format!("{q}: wanted {paper} p.{pages:?}, got {found:?}"));
        }
    }
    assert!(misses.is_empty(), "{misses:#?}");
}

#[test]
fn json_hits_have_the_documented_shape_and_offsets_slice_the_page() {
    let Some(lib) = shared_library() else { return };
    let hits = json(&papertrail(lib, &["search", "--json", "--limit", "5", "H800"]));
    let l = papertrail_core::Library::open(lib).unwrap();
    for h in hits.as_array().unwrap() {
        for key in ["paper_id", "title", "version_sha256", "page", "start", "end", "score", "snippet", "text"] {
            assert!(h.get(key).is_some(), "missing {key} in {h}");
        }
        let page = l.page_text(h["version_sha256"].as_str().unwrap(), h["page"].as_u64().unwrap() as u32).unwrap();
        let (s, e) = (h["start"].as_u64().unwrap() as usize, h["end"].as_u64().unwrap() as usize);
        assert_eq!(papertrail_core::ingest::passage::char_slice(&page, s, e), h["text"].as_str().unwrap());
        let snippet = h["snippet"].as_str().unwrap();
        for r in h["highlights"].as_array().unwrap() {
            let (a, b) = (r[0].as_u64().unwrap() as usize, r[1].as_u64().unwrap() as usize);
            let marked: String = snippet.chars().skip(a).take(b - a).collect();
            assert_eq!(marked.to_lowercase(), "h800");
        }
    }
}

#[test]
fn numbers_and_units_are_searchable_as_written() {
    let Some(lib) = shared_library() else { return };
    for q in ["2.788M", "$5.576M", "93.3%", "2048", "H800", "R1-Zero", "DeepSeek-R1", "14.8T"] {
        let hits = json(&papertrail(lib, &["search", "--json", q]));
        let hits = hits.as_array().unwrap();
        assert!(!hits.is_empty(), "{q} found nothing");
        let needle = q.to_lowercase();
        assert!(hits[0]["text"].as_str().unwrap().to_lowercase().contains(&needle), "{q}: {}", hits[0]["text"]);
    }
}

#[test]
fn filters_prefixes_and_human_output() {
    let Some(lib) = shared_library() else { return };
    let hits = json(&papertrail(lib, &["search", "--json", "--paper", "deepseek-v2", "attention"]));
    assert!(hits.as_array().unwrap().iter().all(|h| h["paper_id"] == "deepseek-v2"));
    let hits = json(&papertrail(lib, &["search", "--json", "--limit", "50", "year:2025", "reasoning"]));
    assert!(!hits.as_array().unwrap().is_empty());
    assert!(hits.as_array().unwrap().iter().all(|h| h["paper_id"] == "deepseek-r1"));
    let hits = json(&papertrail(lib, &["search", "--json", "--limit", "50", "distil*"]));
    let texts: String = hits.as_array().unwrap().iter().map(|h| h["text"].as_str().unwrap().to_lowercase()).collect();
    assert!(texts.contains("distillation") && texts.contains("distilled"));
    let out = papertrail(lib, &["search", "aha moment"]);
    let text = stdout(&out);
    assert!(text.contains("deepseek-r1 · DeepSeek-R1"), "{text}");
    assert!(text.contains("p.8") && text.contains("«aha» «moment»"), "{text}");
    assert!(text.contains("passages in 1 papers"), "{text}");
}

#[test]
fn common_words_and_stop_word_phrases_find_what_they_should_and_count_exactly() {
    let Some(lib) = shared_library() else { return };
    // A phrase of two of the commonest words: every hit holds it, and the count stops at the cap.
    let hits = json(&papertrail(lib, &["search", "--json", "--limit", "20", "\"of the\""]));
    let hits = hits.as_array().unwrap();
    assert_eq!(hits.len(), 20);
    for h in hits {
        // Words joined by hyphens are words too (`state-of-the-art`).
        let text = h["text"].as_str().unwrap().to_lowercase().replace('-', " ");
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains("of the"), "{text}");
    }
    // Below the cap the count is exact: every passage holding both words, and only those.
    let all = json(&papertrail(lib, &["search", "--json", "--limit", "1000", "expert routing"]));
    let all = all.as_array().unwrap();
    assert!(all.len() > 10, "{}", all.len());
    let text = stdout(&papertrail(lib, &["search", "expert routing"]));
    assert!(text.contains(&format!("{} passages in", all.len())), "{text}");
    // Words that stand together rank above the same words apart.
    let near = json(&papertrail(lib, &["search", "--json", "--limit", "3", "auxiliary loss"]));
    for h in near.as_array().unwrap() {
        let text = h["text"].as_str().unwrap().to_lowercase();
        assert!(text.contains("auxiliary loss") || text.contains("auxiliary-loss"), "{text}");
    }
}

#[test]
fn misspellings_fall_back_to_close_spellings_and_say_so() {
    let Some(lib) = shared_library() else { return };
    let out = papertrail(lib, &["search", "reinforcemnet learnign"]);
    let text = stdout(&out);
    assert!(text.starts_with("no exact match; showing close spellings"), "{text}");
    assert!(text.to_lowercase().contains("«reinforcement» «learning»"), "{text}");
    // Words the library holds that never stand together are not a spelling problem.
    let text = stdout(&papertrail(lib, &["search", "arxiv aha"]));
    assert!(!text.contains("close spellings"), "{text}");
}

#[test]
fn bad_queries_get_clear_messages() {
    let Some(lib) = shared_library() else { return };
    for (q, msg) in [
        ("%%% ***", "only symbols"),
        ("\"aha moment", "unbalanced quote"),
        ("author:wang", "unknown field `author:`"),
        ("paper:nope gpu", "unknown paper `nope`"),
    ] {
        let out = papertrail(lib, &["search", q]);
        assert_eq!(out.status.code(), Some(1), "{q}");
        assert!(stderr(&out).contains(msg), "{q}: {}", stderr(&out));
    }
}
