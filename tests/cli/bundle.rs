//! Citation bundles on the real corpus: export in every format, verify, import, round trip,
//! determinism, and hostile archives refused with no change.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;
use zip::write::SimpleFileOptions;

use crate::{corpus, json, papertrail, stderr, stdout};

/// The quote the user annotation takes from DeepSeek-V3 page 5.
const QUOTE: &str = "total training costs amount to only $5.576M";

/// A fresh library with the V3 and R1 reports, plus a user claim (with markup in its text)
/// linked to a user annotation.
fn library() -> Option<tempfile::TempDir> {
    let corpus = corpus()?;
    let dir = tempfile::tempdir().unwrap();
    import_papers(dir.path(), &corpus);
    let lib = dir.path();
    let out = papertrail(
        lib,
        &[
            "claim",
            "add",
            "<script>alert(1)</script> DeepSeek spent only $6M & *nothing* more",
            "--id",
            "user-6m",
            "--claimant",
            "A reporter",
            "--date",
            "2025-01-28",
            "--source",
            "https://example.org/story",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = papertrail(
        lib,
        &["annotate", "deepseek-v3", "--page", "5", "--quote", QUOTE, "--note", "the <b>official</b> figure", "--json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let id = json(&out)["id"].as_str().unwrap().to_string();
    let out = papertrail(lib, &["link", "user-6m", &id, "--stance", "contradicts", "--note", "GPU hours only"]);
    assert!(out.status.success(), "{}", stderr(&out));
    Some(dir)
}

fn import_papers(lib: &Path, corpus: &Path) {
    let v3 = corpus.join("pdf/deepseek-v3.pdf");
    let r1 = corpus.join("pdf/deepseek-r1.pdf");
    let out = papertrail(lib, &["import", v3.to_str().unwrap(), r1.to_str().unwrap()]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
}

fn export(lib: &Path, zip: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["export", "-o", zip.to_str().unwrap(), "--json"];
    args.extend_from_slice(extra);
    let out = papertrail(lib, &args);
    assert!(out.status.success(), "export failed: {}{}", stdout(&out), stderr(&out));
    json(&out)
}

fn entries(zip: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut b = Vec::new();
        f.read_to_end(&mut b).unwrap();
        out.insert(f.name().unwrap().to_string(), b);
    }
    out
}

fn entry_json(files: &BTreeMap<String, Vec<u8>>, name: &str) -> Value {
    serde_json::from_slice(&files[name]).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"))
}

fn write_zip(path: &Path, files: &[(&str, &[u8])]) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in files {
        w.start_file(*name, SimpleFileOptions::default()).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn export_writes_every_format_other_tools_read_and_the_same_bytes_twice() {
    let Some(dir) = library() else { return };
    let lib = dir.path();
    let out = tempfile::tempdir().unwrap();
    let (a, b) = (out.path().join("a.zip"), out.path().join("b.zip"));
    let summary = export(lib, &a, &["--all"]);
    export(lib, &b, &["--all"]);
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap(), "two exports of the same data differ");
    assert_eq!(summary["claims"].as_array().unwrap().len(), 14);
    let files = entries(&a);
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "annotations.jsonld",
            "claims.jsonld",
            "manifest.json",
            "references.bib",
            "references.json",
            "references.ris",
            "report.html",
            "report.md",
            "ro-crate-metadata.json"
        ]
    );

    // BibTeX parses with an independent parser, keys are the paper ids.
    let bib =
        biblatex::Bibliography::parse(std::str::from_utf8(&files["references.bib"]).unwrap()).expect("BibTeX parses");
    let keys: Vec<&str> = bib.keys().collect();
    assert_eq!(keys, ["deepseek-r1", "deepseek-v3"]);
    let v3 = bib.get("deepseek-v3").unwrap();
    use biblatex::ChunksExt;
    assert_eq!(v3.title().unwrap().format_verbatim(), "DeepSeek-V3 Technical Report");
    assert_eq!(v3.doi().unwrap(), "10.48550/arXiv.2412.19437");

    // CSL-JSON parses into hayagriva's CSL-JSON items.
    let csl: Vec<hayagriva::citationberg::json::Item> = serde_json::from_slice(&files["references.json"]).unwrap();
    assert_eq!(csl.len(), 2);
    assert_eq!(csl[1].id().unwrap(), "deepseek-v3");
    let ris = String::from_utf8(files["references.ris"].clone()).unwrap();
    assert_eq!(ris.matches("TY  - ").count(), 2);
    assert_eq!(ris.matches("ER  - ").count(), 2);

    // W3C Web Annotations with the required selectors and CiTO stances.
    let anno = entry_json(&files, "annotations.jsonld");
    assert_eq!(anno["@context"][0], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(anno["type"], "AnnotationCollection");
    let items = anno["first"]["items"].as_array().unwrap();
    assert_eq!(anno["total"].as_u64().unwrap() as usize, items.len());
    assert!(items.len() >= 20, "{}", items.len());
    for it in items {
        assert_eq!(it["type"], "Annotation");
        let t = &it["target"];
        assert!(t["source"].as_str().unwrap().starts_with("urn:sha256:"));
        assert_eq!(t["selector"]["type"], "FragmentSelector");
        assert!(t["selector"]["value"].as_str().unwrap().starts_with("page="));
        let refined = t["selector"]["refinedBy"].as_array().unwrap();
        let quote = refined.iter().find(|s| s["type"] == "TextQuoteSelector").expect("TextQuoteSelector");
        assert!(!quote["exact"].as_str().unwrap().is_empty());
        assert!(quote["prefix"].is_string() && quote["suffix"].is_string());
        let pos = refined.iter().find(|s| s["type"] == "TextPositionSelector").expect("TextPositionSelector");
        assert!(pos["start"].as_u64().unwrap() < pos["end"].as_u64().unwrap());
        for body in it["body"].as_array().unwrap().iter().filter(|b| b["type"] == "cito:Citation") {
            let stance = body["cito:hasCitationCharacterization"]["id"].as_str().unwrap();
            assert!(["cito:supports", "cito:disputes", "cito:discusses"].contains(&stance), "{stance}");
            assert!(body["cito:hasCitedEntity"]["id"].as_str().unwrap().starts_with("urn:papertrail:claim:"));
        }
    }
    let mine =
        items.iter().find(|i| i["target"]["selector"]["refinedBy"][0]["exact"] == QUOTE).expect("user annotation");
    assert!(mine["body"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["type"] == "TextualBody" && b["value"] == "the <b>official</b> figure"));

    // One ClaimReview per claim, the derived verdict as the rating.
    let claims = entry_json(&files, "claims.jsonld");
    assert_eq!(claims["@context"], "https://schema.org");
    let graph = claims["@graph"].as_array().unwrap();
    assert_eq!(graph.len(), 14);
    let listed = json(&papertrail(lib, &["claims", "--json"]));
    for c in listed.as_array().unwrap() {
        let review = graph
            .iter()
            .find(|r| r["itemReviewed"]["@id"] == format!("urn:papertrail:claim:{}", c["id"].as_str().unwrap()))
            .unwrap();
        assert_eq!(review["@type"], "ClaimReview");
        assert_eq!(review["claimReviewed"], c["text"]);
        assert_eq!(
            review["reviewRating"]["alternateName"].as_str().unwrap().to_lowercase(),
            c["verdict"].as_str().unwrap()
        );
    }
    let user = graph.iter().find(|r| r["itemReviewed"]["@id"] == "urn:papertrail:claim:user-6m").unwrap();
    assert_eq!(user["itemReviewed"]["author"]["name"], "A reporter");
    assert_eq!(user["itemReviewed"]["datePublished"], "2025-01-28");
    assert_eq!(user["reviewRating"]["alternateName"], "Contradicted");
    assert_eq!(user["citation"][0]["additionalType"], "http://purl.org/spar/cito/disputes");

    // RO-Crate 1.2 describes every file and every cited paper.
    let crate_ = entry_json(&files, "ro-crate-metadata.json");
    assert_eq!(crate_["@context"], "https://w3id.org/ro/crate/1.2/context");
    let g = crate_["@graph"].as_array().unwrap();
    let node = |id: &str| g.iter().find(|n| n["@id"] == id).unwrap_or_else(|| panic!("no RO-Crate entity {id}"));
    assert_eq!(node("ro-crate-metadata.json")["conformsTo"]["@id"], "https://w3id.org/ro/crate/1.2");
    let root = node("./");
    for key in ["name", "description", "datePublished", "license"] {
        assert!(!root[key].is_null(), "root dataset lacks {key}");
    }
    for name in files.keys().filter(|n| *n != "ro-crate-metadata.json") {
        assert!(root["hasPart"].as_array().unwrap().iter().any(|p| p["@id"] == *name), "{name} not in hasPart");
        assert_eq!(node(name)["contentSize"], files[name].len().to_string());
    }
    assert_eq!(node("https://arxiv.org/abs/2412.19437")["@type"], "ScholarlyArticle");

    // Reports: verdicts, quotes with pages and CSL citations; HTML escapes everything.
    let md = String::from_utf8(files["report.md"].clone()).unwrap();
    assert!(md.contains("(DeepSeek-AI, 2024, p. 5)"), "{md}");
    assert!(md.contains("**Verdict: Contradicted**"));
    assert!(md.contains("## References") && md.contains("DeepSeek-AI. (2024). DeepSeek-V3 Technical Report"), "{md}");
    let html = String::from_utf8(files["report.html"].clone()).unwrap();
    assert!(!html.contains("<script>"), "unescaped markup in report.html");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; DeepSeek spent only $6M &amp; *nothing* more"));
    assert!(html.contains("the &lt;b&gt;official&lt;/b&gt; figure"));
    assert!(html.contains("(DeepSeek-AI, 2024, p. 5)"));

    // Other styles go through the CSL processor too.
    let ieee = out.path().join("ieee.zip");
    export(lib, &ieee, &["--claims", "user-6m", "--style", "ieee"]);
    let md = String::from_utf8(entries(&ieee)["report.md"].clone()).unwrap();
    assert!(md.contains("\\[1, p. 5\\]"), "{md}");
    let chicago = out.path().join("chicago.zip");
    export(lib, &chicago, &["--claims", "user-6m", "--style", "chicago"]);
    let md = String::from_utf8(entries(&chicago)["report.md"].clone()).unwrap();
    assert!(md.contains("(DeepSeek-AI 2024, 5)"), "{md}");
}

#[test]
fn export_refuses_an_empty_selection_and_unknown_ids() {
    let Some(corpus) = corpus() else { return };
    let _ = corpus;
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("x.zip");
    let out = papertrail(dir.path(), &["export", "-o", zip.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("nothing to export"), "{}", stderr(&out));
    let out = papertrail(dir.path(), &["export", "--claims", "no-such-claim", "-o", zip.to_str().unwrap()]);
    assert!(stderr(&out).contains("unknown claim `no-such-claim`"), "{}", stderr(&out));
    assert!(!zip.exists());
}

/// Rewrites `annotations.jsonld` in a copy of the bundle with `edit` applied to its text.
fn tamper(src: &Path, dst: &Path, edit: impl Fn(&str) -> String) {
    tamper_file(src, dst, "annotations.jsonld", edit)
}

/// Rewrites one file in a copy of the bundle with `edit` applied to its text.
fn tamper_file(src: &Path, dst: &Path, file: &str, edit: impl Fn(&str) -> String) {
    let files = entries(src);
    let text = String::from_utf8(files[file].clone()).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit changed nothing");
    let list: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| if n == file { (n.as_str(), edited.as_bytes()) } else { (n.as_str(), b.as_slice()) })
        .collect();
    write_zip(dst, &list);
}

#[test]
fn verify_passes_on_a_fresh_bundle_and_fails_on_a_quote_edited_by_one_character() {
    let Some(dir) = library() else { return };
    let lib = dir.path();
    let out = tempfile::tempdir().unwrap();
    let zip = out.path().join("b.zip");
    export(lib, &zip, &["--all"]);
    let ok = papertrail(lib, &["verify", zip.to_str().unwrap(), "--json"]);
    let report = json(&ok);
    assert!(ok.status.success(), "{report:#}");
    assert_eq!(report["ok"], true);
    assert!(report["total"].as_u64().unwrap() >= 20);
    assert_eq!(report["holds"], report["total"]);
    assert!(report["passages"].as_array().unwrap().iter().all(|p| p["pdf"] == "library"));

    let bad = out.path().join("tampered.zip");
    tamper(&zip, &bad, |t| {
        t.replace(&format!("\"exact\": \"{QUOTE}\""), &format!("\"exact\": \"{}\"", QUOTE.replace('M', "B")))
    });
    let failed = papertrail(lib, &["verify", bad.to_str().unwrap()]);
    assert_eq!(failed.status.code(), Some(1), "{}", stdout(&failed));
    let text = stdout(&failed);
    let mine: Vec<&str> = text.lines().filter(|l| l.starts_with("NOT FOUND")).collect();
    assert_eq!(mine.len(), 1, "{text}");
    assert!(mine[0].contains("deepseek-v3 p.5") && mine[0].contains("$5.576B"), "{text}");
    assert!(text.contains("is “B” in the bundle but “M” in the PDF"), "{text}");
    let report = json(&papertrail(lib, &["verify", bad.to_str().unwrap(), "--json"]));
    assert_eq!(report["ok"], false);
    assert_eq!(report["failed"], 1);

    // A verdict stated against its evidence is a problem too.
    let lying = out.path().join("lying-verdict.zip");
    tamper_file(&zip, &lying, "claims.jsonld", |t| {
        t.replacen("\"alternateName\": \"Contradicted\"", "\"alternateName\": \"Supported\"", 1)
    });
    let res = papertrail(lib, &["verify", lying.to_str().unwrap()]);
    assert_eq!(res.status.code(), Some(1));
    assert!(
        stdout(&res).contains("is rated Supported but its evidence in annotations.jsonld makes it Contradicted"),
        "{}",
        stdout(&res)
    );
}

#[test]
fn verify_reads_the_bundled_pdf_when_the_library_lacks_it_and_names_missing_ones() {
    let Some(dir) = library() else { return };
    let out = tempfile::tempdir().unwrap();
    let with = out.path().join("with-pdfs.zip");
    let without = out.path().join("without.zip");
    let summary = export(dir.path(), &with, &["--claims", "r1-zero-pure-rl", "--include-pdfs"]);
    assert_eq!(summary["pdfs"], 1);
    export(dir.path(), &without, &["--claims", "r1-zero-pure-rl"]);
    assert!(entries(&with).keys().any(|k| k.starts_with("pdfs/") && k.ends_with(".pdf")));

    let empty = tempfile::tempdir().unwrap();
    let ok = papertrail(empty.path(), &["verify", with.to_str().unwrap(), "--json"]);
    let report = json(&ok);
    assert!(ok.status.success(), "{report:#}");
    assert!(report["passages"].as_array().unwrap().iter().all(|p| p["pdf"] == "bundle" && p["status"] == "holds"));

    let missing = papertrail(empty.path(), &["verify", without.to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(1));
    let text = stdout(&missing);
    assert!(
        text.lines().filter(|l| l.starts_with("MISSING PDF")).all(|l| l.contains("cat-r1-zero-pure-rl-")),
        "{text}"
    );
    assert!(text.contains("no PDF with sha256"), "{text}");
}

#[test]
fn verify_reanchors_passages_recorded_with_another_extractor_version() {
    let Some(dir) = library() else { return };
    let out = tempfile::tempdir().unwrap();
    let zip = out.path().join("b.zip");
    export(dir.path(), &zip, &["--claims", "user-6m"]);
    let old = out.path().join("old-extractor.zip");
    tamper(&zip, &old, |t| t.replace("\"pt:extractorVersion\": \"0.12.1+n1\"", "\"pt:extractorVersion\": \"0.11.0\""));
    let res = papertrail(dir.path(), &["verify", old.to_str().unwrap()]);
    assert!(res.status.success(), "{}", stdout(&res));
    assert!(stdout(&res).contains("HOLDS, RE-ANCHORED (score 1.000)"), "{}", stdout(&res));
}

fn snapshot(lib: &Path) -> (Value, Value) {
    (json(&papertrail(lib, &["claims", "--json"])), json(&papertrail(lib, &["annotations", "--json"])))
}

/// The parts of a bundle that a round trip must keep: claims with verdicts and evidence,
/// and every passage with its anchor and links.
/// `(review id, verdict, [(annotation, stance)])` per claim.
type ClaimEssence = (String, String, Vec<(String, String)>);
/// `(annotation id, version, selector, citations)` per passage.
type PassageEssence = (String, String, Value, Value);

fn essence(zip: &Path) -> (Vec<ClaimEssence>, Vec<PassageEssence>) {
    let files = entries(zip);
    let claims = entry_json(&files, "claims.jsonld");
    let mut cs: Vec<_> = claims["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let mut ev: Vec<(String, String)> = r["citation"]
                .as_array()
                .unwrap()
                .iter()
                .map(|q| (q["@id"].as_str().unwrap().to_string(), q["additionalType"].as_str().unwrap().to_string()))
                .collect();
            ev.sort();
            (
                r["@id"].as_str().unwrap().to_string(),
                r["reviewRating"]["alternateName"].as_str().unwrap().to_string(),
                ev,
            )
        })
        .collect();
    cs.sort();
    let anno = entry_json(&files, "annotations.jsonld");
    let mut ps: Vec<_> = anno["first"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let cites: Vec<Value> =
                a["body"].as_array().unwrap().iter().filter(|b| b["type"] == "cito:Citation").cloned().collect();
            (
                a["id"].as_str().unwrap().to_string(),
                a["target"]["source"].as_str().unwrap().to_string(),
                a["target"]["selector"].clone(),
                Value::Array(cites),
            )
        })
        .collect();
    ps.sort_by(|a, b| a.0.cmp(&b.0));
    (cs, ps)
}

#[test]
fn round_trip_export_import_export_keeps_claims_evidence_and_verdicts() {
    let Some(corpus) = corpus() else { return };
    let Some(a) = library() else { return };
    let out = tempfile::tempdir().unwrap();
    let first = out.path().join("first.zip");
    export(a.path(), &first, &["--all"]);

    let b = tempfile::tempdir().unwrap();
    import_papers(b.path(), &corpus);
    let res = papertrail(b.path(), &["import-bundle", first.to_str().unwrap(), "--json"]);
    assert!(res.status.success(), "{}", stderr(&res));
    let r = json(&res);
    assert_eq!(r["claims_added"], serde_json::json!(["user-6m"]));
    assert_eq!(r["claims_merged"].as_array().unwrap().len(), 13);
    assert_eq!(r["annotations_added"].as_array().unwrap().len(), 1);
    assert_eq!(r["evidence_added"], 1);
    assert!(r["conflicts"].as_array().unwrap().is_empty(), "{r:#}");
    assert!(r["skipped"].as_array().unwrap().is_empty(), "{r:#}");
    assert!(r["reanchored"].as_array().unwrap().is_empty() && r["orphaned"].as_array().unwrap().is_empty(), "{r:#}");

    let second = out.path().join("second.zip");
    export(b.path(), &second, &["--all"]);
    assert_eq!(essence(&first), essence(&second));
    let verdicts = |lib: &Path| -> Vec<(Value, Value)> {
        json(&papertrail(lib, &["claims", "--json"]))
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["id"].clone(), c["verdict"].clone()))
            .collect()
    };
    assert_eq!(verdicts(a.path()), verdicts(b.path()));

    // Importing again adds nothing; an edited claim is kept and the difference reported.
    let out2 = papertrail(b.path(), &["claim", "edit", "user-6m", "--claimant", "Someone else"]);
    assert!(out2.status.success(), "{}", stderr(&out2));
    let before = snapshot(b.path());
    let again = json(&papertrail(b.path(), &["import-bundle", first.to_str().unwrap(), "--json"]));
    assert!(
        again["claims_added"].as_array().unwrap().is_empty()
            && again["annotations_added"].as_array().unwrap().is_empty()
    );
    assert_eq!(again["evidence_added"], 0);
    let conflicts = again["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{again:#}");
    assert_eq!(conflicts[0]["field"], "claimant");
    assert_eq!(conflicts[0]["ours"], "Someone else");
    assert_eq!(conflicts[0]["theirs"], "A reporter");
    assert_eq!(snapshot(b.path()), before);
}

#[test]
fn import_brings_the_bundled_pdfs_and_reanchors_into_another_version() {
    let Some(corpus) = corpus() else { return };
    let Some(a) = library() else { return };
    let out = tempfile::tempdir().unwrap();
    let zip = out.path().join("r1.zip");
    export(a.path(), &zip, &["--claims", "r1-zero-pure-rl", "--include-pdfs"]);
    // A colleague with the first public R1 version only: passages re-anchor into it.
    let b = tempfile::tempdir().unwrap();
    let old = corpus.join("versions/deepseek-r1-2025-01-20.pdf");
    assert!(papertrail(b.path(), &["import", old.to_str().unwrap()]).status.success());
    let r = json(&papertrail(b.path(), &["import-bundle", zip.to_str().unwrap(), "--no-pdfs", "--json"]));
    let placed = r["annotations_added"].as_array().unwrap().len() + r["annotations_merged"].as_array().unwrap().len();
    assert!(placed >= 1, "{r:#}");
    // With the bundled PDF: imported as a new version, the passages are found in it.
    let c = tempfile::tempdir().unwrap();
    let r = json(&papertrail(c.path(), &["import-bundle", zip.to_str().unwrap(), "--json"]));
    assert_eq!(r["pdfs_imported"].as_array().unwrap().len(), 1, "{r:#}");
    assert!(r["skipped"].as_array().unwrap().is_empty(), "{r:#}");
    let shown = json(&papertrail(c.path(), &["claim", "show", "r1-zero-pure-rl", "--json"]));
    assert_eq!(shown["verdict"], "supported");
}

/// A valid bundle's files, to build hostile variants from.
fn valid_files() -> Option<(tempfile::TempDir, BTreeMap<String, Vec<u8>>)> {
    let dir = library()?;
    let zip = dir.path().join("valid.zip");
    export(dir.path(), &zip, &["--claims", "user-6m"]);
    let files = entries(&zip);
    Some((dir, files))
}

fn refused(lib: &Path, zip: &Path, reason: &str) {
    let before = snapshot(lib);
    let out = papertrail(lib, &["import-bundle", zip.to_str().unwrap()]);
    assert!(!out.status.success(), "{} was imported: {}", zip.display(), stdout(&out));
    let err = stderr(&out);
    assert!(err.contains(reason), "{}: expected “{reason}” in: {err}", zip.display());
    assert_eq!(snapshot(lib), before, "{} changed the library", zip.display());
    let out = papertrail(lib, &["verify", zip.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains(reason), "verify of {}: {}", zip.display(), stderr(&out));
}

#[test]
fn every_hostile_or_malformed_bundle_is_refused_with_its_reason_and_changes_nothing() {
    let Some((_src, files)) = valid_files() else { return };
    let lib = tempfile::tempdir().unwrap();
    let lib = lib.path();
    let dir = tempfile::tempdir().unwrap();
    let path = |n: &str| -> PathBuf { dir.path().join(n) };
    let with = |extra: &[(&str, &[u8])]| -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<(String, Vec<u8>)> = files.iter().map(|(n, b)| (n.clone(), b.clone())).collect();
        for (n, b) in extra {
            v.retain(|(x, _)| x != n);
            v.push((n.to_string(), b.to_vec()));
        }
        v
    };
    let zip_of = |name: &str, list: Vec<(String, Vec<u8>)>| -> PathBuf {
        let p = path(name);
        let refs: Vec<(&str, &[u8])> = list.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
        write_zip(&p, &refs);
        p
    };

    refused(lib, &zip_of("absolute.zip", with(&[("/etc/cron.d/evil", b"x")])), "has an absolute path");
    refused(lib, &zip_of("dotdot.zip", with(&[("pdfs/../../evil.sh", b"x")])), "climbs out of the bundle");
    refused(lib, &zip_of("deep.zip", with(&[("a/b/c/d/e/f/g.json", b"{}")])), "nested 6 folders deep");
    refused(lib, &zip_of("nested.zip", with(&[("pdfs/inner.zip", b"PK\x03\x04")])), "is a nested archive");
    refused(lib, &zip_of("nested-content.zip", with(&[("report.md", b"PK\x03\x04 more")])), "is itself a zip archive");
    refused(lib, &zip_of("unknown-file.zip", with(&[("run-me.sh", b"rm -rf /")])), "is not a file a bundle holds");
    refused(
        lib,
        &zip_of("malformed.zip", with(&[("annotations.jsonld", b"{\"type\": \"AnnotationCollection\", ")])),
        "bundle file annotations.jsonld",
    );
    refused(
        lib,
        &zip_of("missing-field.zip", with(&[("claims.jsonld", b"{\"@context\": \"https://schema.org\"}")])),
        "missing field `@graph`",
    );
    let future = br#"{"format": "papertrail-bundle", "version": 7}"#;
    refused(lib, &zip_of("future.zip", with(&[("manifest.json", future)])), "bundle version 7 is not supported");
    let not_ours = br#"{"format": "something-else", "version": 1}"#;
    refused(lib, &zip_of("foreign.zip", with(&[("manifest.json", not_ours)])), "is not a Papertrail bundle");
    let mut no_manifest = with(&[]);
    no_manifest.retain(|(n, _)| n != "manifest.json");
    refused(lib, &zip_of("no-manifest.zip", no_manifest), "manifest.json: is missing from the bundle");
    // A PDF whose bytes do not match its name is refused by import (verify reports it per passage).
    let fake = format!("pdfs/{}.pdf", "a".repeat(64));
    let p = zip_of("fake-pdf.zip", with(&[(fake.as_str(), b"%PDF-1.4 not the paper")]));
    let before = snapshot(lib);
    let out = papertrail(lib, &["import-bundle", p.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("does not hash to the sha256 in its name"), "{}", stderr(&out));
    assert_eq!(snapshot(lib), before);
    std::fs::write(path("not-a-zip.zip"), b"this is not a zip").unwrap();
    refused(lib, &path("not-a-zip.zip"), "not a readable zip archive");

    // Too many entries.
    let p = path("many.zip");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&p).unwrap());
    for i in 0..1001 {
        w.start_file(format!("e{i}"), SimpleFileOptions::default()).unwrap();
    }
    w.finish().unwrap();
    refused(lib, &p, "1001 entries, more than the 1000");

    // A symbolic link.
    let p = path("symlink.zip");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&p).unwrap());
    for (n, b) in &files {
        w.start_file(n.as_str(), SimpleFileOptions::default()).unwrap();
        w.write_all(b).unwrap();
    }
    w.add_symlink("pdfs/link.pdf", "/etc/passwd", SimpleFileOptions::default()).unwrap();
    w.finish().unwrap();
    refused(lib, &p, "is a symbolic link");

    // Zip bombs: an entry over its size limit, and one that expands more than 200:1.
    let zeros = vec![b' '; 65 << 20];
    let p = zip_of("oversized.zip", with(&[("report.md", &zeros)]));
    assert!(std::fs::metadata(&p).unwrap().len() < 1 << 20);
    refused(lib, &p, "over its limit");
    refused(lib, &zip_of("bomb.zip", with(&[("report.md", &zeros[..8 << 20])])), "looks like a zip bomb");

    // An entry that holds more bytes than it declares.
    let p = path("liar.zip");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&p).unwrap());
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file("report.md", opts).unwrap();
    w.write_all(&[b'a'; 1000]).unwrap();
    w.finish().unwrap();
    let mut bytes = std::fs::read(&p).unwrap();
    // Declare 10 bytes in both the local header (offset 22) and the central directory (offset 24).
    let local = bytes.windows(4).position(|w| w == b"PK\x03\x04").unwrap();
    bytes[local + 22..local + 26].copy_from_slice(&10u32.to_le_bytes());
    let central = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    bytes[central + 24..central + 28].copy_from_slice(&10u32.to_le_bytes());
    std::fs::write(&p, bytes).unwrap();
    refused(lib, &p, "report.md");
}
