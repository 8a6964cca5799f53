//! Search by meaning on the real corpus: passage vectors, hybrid suggestions, `embed`.

use std::path::Path;

use serde_json::Value;

use crate::{in_ci, json, papertrail, papertrail_env, shared_library};

/// The claims of `fixtures/paraphrased_claims.tsv` with the (paper, page) pairs that state them.
fn paraphrased_claims() -> Vec<(String, Vec<(String, u64)>)> {
    let text = include_str!("fixtures/paraphrased_claims.tsv");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("claim\t") && !l.trim().is_empty())
        .map(|l| {
            let (claim, pages) = l.split_once('\t').expect("claim<TAB>pages");
            let pages = pages
                .split(';')
                .flat_map(|group| {
                    let (paper, list) = group.split_once(':').expect("paper:pages");
                    list.split(',').map(move |p| (paper.to_string(), p.trim().parse::<u64>().expect("page number")))
                })
                .collect();
            (claim.to_string(), pages)
        })
        .collect()
}

/// Top-5 page hits of `claim suggest` on the paraphrased claims, with the given environment.
fn paraphrase_hits(lib: &Path, env: &[(&str, &str)]) -> (usize, Vec<String>, Vec<Value>) {
    let mut hits = 0;
    let mut missed = Vec::new();
    let mut all = Vec::new();
    for (text, pages) in paraphrased_claims() {
        let out = papertrail_env(lib, &["claim", "suggest", "--limit", "5", "--json", &text], env);
        let s = json(&out);
        let got: Vec<(String, u64)> = s
            .as_array()
            .unwrap()
            .iter()
            .map(|x| (x["paper_id"].as_str().unwrap().to_string(), x["page"].as_u64().unwrap()))
            .collect();
        if got.iter().any(|g| pages.contains(g)) {
            hits += 1;
        } else {
            missed.push(format!("{text}: got {got:?}"));
        }
        all.extend(s.as_array().unwrap().iter().cloned());
    }
    (hits, missed, all)
}

#[test]
fn paraphrased_claims_find_their_pages_by_meaning() {
    let Some(lib) = shared_library() else { return };
    let embedded = json(&papertrail(lib, &["papers", "--json"]))
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["versions"].as_array().unwrap().clone())
        .all(|v| v["embedded"] == true);
    if !embedded {
        assert!(
            !in_ci(),
            "the shared library has no passage vectors (CI=true): install the model with scripts/setup.sh"
        );
        eprintln!(
            "\n*** SKIPPED: no passage vectors (the embedding model is not installed; run scripts/setup.sh) ***\n"
        );
        return;
    }
    let claims = paraphrased_claims().len();
    let (lexical, lexical_missed, lexical_all) = paraphrase_hits(lib, &[("PAPERTRAIL_MODEL_DIR", "/nonexistent")]);
    let (hybrid, hybrid_missed, hybrid_all) = paraphrase_hits(lib, &[]);
    eprintln!(
        "paraphrased claims, top-5 page hits: words only {lexical}/{claims}, words and meaning {hybrid}/{claims}"
    );
    assert!(
        lexical_all.iter().all(|s| s["matched_by"] == serde_json::json!(["words"])),
        "without the model every suggestion is matched by words"
    );
    assert!(hybrid_all.iter().any(|s| s["matched_by"].as_array().unwrap().iter().any(|m| m == "meaning")));
    assert!(hybrid >= lexical, "meaning lost claims: {hybrid_missed:#?}\nwords alone missed: {lexical_missed:#?}");
    assert!(hybrid * 100 >= claims * 85, "{hybrid}/{claims} found with vectors: {hybrid_missed:#?}");
}

#[test]
fn semantic_search_says_what_matched_and_plain_search_is_unchanged() {
    let Some(lib) = shared_library() else { return };
    let query = "the model pauses to reconsider its own earlier reasoning";
    let plain = json(&papertrail(lib, &["search", "--json", "--limit", "5", query]));
    assert!(plain.as_array().unwrap().iter().all(|h| h["matched_by"] == serde_json::json!([])));
    let out = papertrail(lib, &["search", "--semantic", "--json", "--limit", "5", query]);
    let hits = json(&out);
    let hits = hits.as_array().unwrap();
    let embedded = crate::stderr(&out).is_empty();
    if !embedded {
        assert!(!in_ci(), "search --semantic fell back to words under CI: {}", crate::stderr(&out));
        assert!(crate::stderr(&out).contains("matched by their words only"), "{}", crate::stderr(&out));
        return;
    }
    assert!(!hits.is_empty() && hits.len() <= 5);
    assert!(hits.iter().all(|h| !h["matched_by"].as_array().unwrap().is_empty()));
    assert!(hits.iter().any(|h| h["matched_by"].as_array().unwrap().iter().any(|m| m == "meaning")));
    // A paper filter holds for passages found by meaning too.
    let only = json(&papertrail(lib, &["search", "--semantic", "--json", "--paper", "deepseek-v3", query]));
    assert!(only.as_array().unwrap().iter().all(|h| h["paper_id"] == "deepseek-v3"), "{only:#}");
}

#[test]
fn without_the_model_suggestions_are_by_words_and_say_so_once() {
    let Some(lib) = shared_library() else { return };
    let out = papertrail_env(
        lib,
        &["claim", "suggest", "--json", "R1 scores 97.3% on MATH-500"],
        &[("PAPERTRAIL_MODEL_DIR", "/nonexistent")],
    );
    assert!(out.status.success());
    let err = crate::stderr(&out);
    assert_eq!(err.matches("note:").count(), 1, "{err}");
    assert!(err.contains("not installed"), "{err}");
    assert!(json(&out).as_array().unwrap().iter().all(|s| s["matched_by"] == serde_json::json!(["words"])));
    let embed = papertrail_env(lib, &["embed"], &[("PAPERTRAIL_MODEL_DIR", "/nonexistent")]);
    assert!(!embed.status.success());
    assert!(crate::stderr(&embed).contains("not installed"));
}

/// The passage ids and what matched each, of `claim suggest --json`.
fn suggested(lib: &Path, claim: &str) -> Vec<(u64, Value)> {
    let out = papertrail(lib, &["claim", "suggest", "--json", "--limit", "8", claim]);
    json(&out)
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["passage_id"].as_u64().unwrap(), s["matched_by"].clone()))
        .collect()
}

/// The kept vector of a claim: (text it was made from, the vector), or `None`.
fn kept_vector(db: &Path, claim: &str) -> Option<(String, Vec<f32>)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let row = conn.query_row("SELECT text, vector FROM claim_vectors WHERE claim_id = ?1", [claim], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
    });
    match row {
        Ok((text, blob)) => {
            Some((text, blob.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()))
        }
        Err(rusqlite::Error::QueryReturnedNoRows) => None,
        Err(e) => panic!("reading claim_vectors: {e}"),
    }
}

#[test]
fn a_stored_claims_vector_is_kept_until_its_text_changes() {
    let Some(corpus) = crate::corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path();
    let db = lib.join("papertrail.db");
    let out = papertrail(lib, &["import", corpus.join("pdf/deepseek-coder-v2.pdf").to_str().unwrap()]);
    assert!(out.status.success(), "{}", crate::stderr(&out));
    let out = papertrail(lib, &["embed"]);
    if !out.status.success() {
        assert!(!in_ci(), "embedding failed (CI=true): {}", crate::stderr(&out));
        eprintln!("\n*** SKIPPED: no embedding model ({}) ***\n", crate::stderr(&out).trim());
        return;
    }
    let first = "Coder-V2 can take in a whole code repository at once";
    let out = papertrail(lib, &["claim", "add", "--id", "whole-repo", first]);
    assert!(out.status.success(), "{}", crate::stderr(&out));
    assert!(kept_vector(&db, "whole-repo").is_none(), "a claim is embedded when it is first asked about");

    // Asked by id, the claim's vector is made and kept; the suggestions are the text's own.
    let by_id = suggested(lib, "whole-repo");
    let (text, vector) = kept_vector(&db, "whole-repo").expect("the claim's vector is kept");
    assert_eq!(text, first);
    assert_eq!(vector.len(), 384);
    assert!((vector.iter().map(|x| x * x).sum::<f32>() - 1.0).abs() < 1e-3, "a unit vector");
    assert!(by_id.iter().any(|(_, m)| m.as_array().unwrap().iter().any(|x| x == "meaning")), "{by_id:?}");
    assert_eq!(by_id, suggested(lib, first), "by id and by text alike");

    // The kept vector is what later suggestions use: turned around, it finds other passages.
    let flipped: Vec<u8> = vector.iter().flat_map(|x| (-x).to_le_bytes()).collect();
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute("UPDATE claim_vectors SET vector = ?1 WHERE claim_id = 'whole-repo'", [flipped])
        .unwrap();
    assert_ne!(suggested(lib, "whole-repo"), by_id, "the kept vector is used");

    // An edit of the text makes the vector again, from the new text.
    let second = "Coder-V2 reads a context of 128K tokens";
    let out = papertrail(lib, &["claim", "edit", "whole-repo", "--text", second]);
    assert!(out.status.success(), "{}", crate::stderr(&out));
    let after_edit = suggested(lib, "whole-repo");
    let (text, remade) = kept_vector(&db, "whole-repo").unwrap();
    assert_eq!(text, second);
    let differs = |a: &[f32], sign: f32| a.iter().zip(&vector).any(|(x, y)| (x - sign * y).abs() > 1e-3);
    assert!(differs(&remade, 1.0) && differs(&remade, -1.0), "made again from the new text");
    assert_eq!(after_edit, suggested(lib, second));

    // The vector goes with its claim.
    let out = papertrail(lib, &["claim", "delete", "whole-repo", "--yes"]);
    assert!(out.status.success(), "{}", crate::stderr(&out));
    assert!(kept_vector(&db, "whole-repo").is_none());
}
