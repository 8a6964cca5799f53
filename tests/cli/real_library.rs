//! Real libraries: the wild collection of 52 papers of all ages (every readable paper imported
//! as its own paper, the scan kept and read by OCR, titles from the layout, text recall against
//! `pdftotext`), versions merged only on strong evidence, metadata a user can fix, and the
//! stored text printed by `papertrail text`.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use lopdf::{dictionary, Document, Object, Stream, StringFormat};

use crate::{corpus, in_ci, json, papertrail, papertrail_env, shared_library, stderr, stdout};

/// Whether `tool --version`-like probing finds a program; under CI a missing tool fails.
fn have(tool: &str, arg: &str) -> bool {
    let ok = Command::new(tool).arg(arg).output().is_ok();
    assert!(ok || !in_ci(), "{tool} is not installed (CI=true: failing instead of skipping)");
    if !ok {
        eprintln!("\n*** SKIPPED in part: {tool} is not installed ***\n");
    }
    ok
}

/// Words of a title as the collection's list is compared (lowercase, no small words).
fn title_words(s: &str) -> BTreeSet<String> {
    const STOP: &[&str] = &["a", "an", "the", "of", "and", "in", "for", "on", "to", "with"];
    let lower = s.to_lowercase();
    let lower = lower.split(" by ").next().unwrap_or("");
    lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && !STOP.contains(w))
        .filter(|w| !(w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()) && s.contains(&format!("({w})"))))
        .map(String::from)
        .collect()
}

/// The collection's rule for a right title: most words of the listed title, and mostly its words.
fn same_title(want: &str, got: &str) -> bool {
    let (a, b) = (title_words(want), title_words(got));
    let common = a.intersection(&b).count() as f64;
    !a.is_empty() && !b.is_empty() && common / a.len() as f64 >= 0.7 && common / b.len() as f64 >= 0.5
}

/// Lowercase words of three letters or more, as recall is counted.
fn words(text: &str) -> BTreeSet<String> {
    text.to_lowercase().split(|c: char| !c.is_ascii_lowercase()).filter(|w| w.len() >= 3).map(String::from).collect()
}

/// The share of the words `pdftotext` finds in a file that the library's text holds; `None`
/// when `pdftotext`'s own text is not text (its glyphs unmapped too: nothing to measure against).
fn recall(pdf: &Path, ours: &str) -> Option<f64> {
    let out = Command::new("pdftotext").arg(pdf).arg("-").output().expect("run pdftotext");
    let text = String::from_utf8_lossy(&out.stdout);
    if !papertrail_core::ingest::quality::readable(&text) {
        return None;
    }
    let reference = words(&text);
    if reference.is_empty() {
        return Some(1.0);
    }
    let ours = words(&ours.nfkc_lower());
    Some(reference.iter().filter(|w| ours.contains(*w)).count() as f64 / reference.len() as f64)
}

trait NfkcLower {
    fn nfkc_lower(&self) -> String;
}

impl NfkcLower for str {
    fn nfkc_lower(&self) -> String {
        // The stored text is NFKC already; ligatures in pdftotext's output are the reference's.
        self.to_lowercase()
    }
}

/// TRUTH.tsv rows: (file, kind, title, sha256).
fn truth(wild: &Path) -> Vec<(String, String, String, String)> {
    std::fs::read_to_string(wild.join("TRUTH.tsv"))
        .unwrap()
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0].into(), f[1].into(), f[2].into(), f[3].into())
        })
        .collect()
}

#[test]
fn the_wild_collection_is_imported_whole_with_titles_a_user_can_trust() {
    let Some(corpus) = corpus() else { return };
    let wild = corpus.join("wild");
    let ocr = have("tesseract", "--version");
    let pdftotext = have("pdftotext", "-v");
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    let started = std::time::Instant::now();
    let mut args = vec!["import", "--json", wild.to_str().unwrap()];
    if !ocr {
        args.push("--no-ocr");
    }
    let out = papertrail(&lib, &args);
    eprintln!("wild import (with OCR: {ocr}) took {:.0} s", started.elapsed().as_secs_f64());
    let outcomes = json(&out);
    for o in outcomes.as_array().unwrap() {
        assert_eq!(o["status"], "imported", "every file is imported: {o}");
        let notes = o["notes"].to_string();
        assert!(!notes.contains("panicked") && !notes.contains(".rs:") && !notes.contains("/root/"), "{notes}");
    }
    let papers = json(&papertrail(&lib, &["papers", "--json"]));
    let papers = papers.as_array().unwrap();
    let owner: HashMap<String, &serde_json::Value> = papers
        .iter()
        .flat_map(|p| {
            p["versions"].as_array().unwrap().iter().map(move |v| (v["sha256"].as_str().unwrap().to_string(), p))
        })
        .collect();
    let rows = truth(&wild);
    // Every file its own paper: no false version merges.
    for p in papers {
        assert!(p["versions"].as_array().unwrap().len() <= 1, "several files merged into {}", p["id"]);
    }
    let mut titled = 0;
    let mut right = 0;
    let mut recalls = Vec::new();
    for (file, kind, title, sha) in &rows {
        let p = owner.get(sha).unwrap_or_else(|| panic!("{file} is not in the library"));
        if let Some(date) = p["date"].as_str() {
            let year: i32 = date[..4].parse().unwrap();
            assert!((1900..=2026).contains(&year), "{file}: date {date}");
        }
        if !title.is_empty() {
            titled += 1;
            if same_title(title, p["title"].as_str().unwrap()) {
                right += 1;
            } else {
                eprintln!("title: want {title:?}, got {:?}", p["title"]);
            }
        }
        let version = p["versions"].as_array().unwrap().iter().find(|v| v["sha256"] == *sha).unwrap();
        if ocr && version["text_layer"] != "text" {
            assert_eq!(version["ocr"], "done", "{file}: OCR did not read it: {version}");
            // Pages OCR read are reported as such, no longer as text left unindexed.
            let problems = version["problems"].as_array().unwrap();
            assert!(
                problems.iter().any(|p| p["problem"].as_str().unwrap().starts_with("Read by OCR")),
                "{file}: {version}"
            );
            assert!(
                !problems.iter().any(|p| p["problem"].as_str().unwrap().contains("not indexed")),
                "{file}: {version}"
            );
        }
        if kind == "scanned" {
            assert_eq!(version["text_layer"], "none", "{file} is a scan: {version}");
            if ocr {
                assert_eq!(version["ocr"], "done", "{file}: {version}");
            } else {
                assert_eq!(version["ocr"], "unavailable", "{file}: {version}");
            }
        }
        let text = stdout(&papertrail(&lib, &["text", p["id"].as_str().unwrap(), "--version", sha]));
        if kind == "scanned" && ocr {
            // The scan was read by OCR and is searchable: a long word from its text finds it,
            // marked as OCR'd.
            let word = text
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| w.len() >= 9)
                .max_by_key(|w| w.len())
                .unwrap_or_else(|| panic!("OCR read no words in {file}: {text:?}"))
                .to_lowercase();
            let hits = json(&papertrail(&lib, &["search", "--json", "--paper", p["id"].as_str().unwrap(), &word]));
            let hit = hits.as_array().unwrap().first();
            assert!(hit.is_some_and(|h| h["ocr"] == true && h["paper_id"] == p["id"]), "{word}: {hits}");
        }
        if kind == "text" && pdftotext {
            match recall(&wild.join(file), &text) {
                Some(r) => recalls.push((r, file.clone())),
                None => eprintln!("not measured: pdftotext's own text of {file} is unreadable"),
            }
        }
    }
    eprintln!("titles right: {right}/{titled}");
    assert!(right * 100 >= titled * 95, "titles right: {right}/{titled}");
    if pdftotext {
        recalls.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (r, f) in recalls.iter().take(10) {
            eprintln!("recall vs pdftotext {r:.2}: {f}");
        }
        let good = recalls.iter().filter(|(r, _)| *r >= 0.95).count();
        eprintln!("files with word recall >= 0.95: {good}/{}", recalls.len());
        // Nothing near garbage is indexed as words: a file whose text cannot be read is read
        // by OCR (or, without Tesseract, left out and flagged).
        let floor = if ocr { 0.5 } else { 0.0 };
        assert!(recalls.iter().all(|(r, _)| *r >= floor), "{recalls:?}");
        assert!(good * 100 >= recalls.len() * 85, "only {good}/{} files at recall >= 0.95", recalls.len());
    }
}

/// A one-page PDF: an optional small banner line at the top, a title in large type, an author
/// line, body lines; and an info dictionary title.
fn titled_pdf(path: &Path, banner: Option<&str>, title: &str, author: &str, body: &[String], info_title: &str) {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let esc = |s: &str| s.replace('\\', "\\\\").replace('(', "\\(").replace(')', "\\)");
    let mut content = String::new();
    if let Some(b) = banner {
        content.push_str(&format!("BT /F1 8 Tf 72 760 Td ({}) Tj ET\n", esc(b)));
    }
    content.push_str(&format!("BT /F1 20 Tf 72 700 Td ({}) Tj ET\n", esc(title)));
    content.push_str(&format!("BT /F1 12 Tf 72 670 Td ({}) Tj ET\n", esc(author)));
    for (i, line) in body.iter().enumerate() {
        content.push_str(&format!("BT /F1 10 Tf 72 {} Td ({}) Tj ET\n", 630 - 13 * i as i32, esc(line)));
    }
    let stream = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => stream,
        "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()], "Resources" => resources,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let info = doc.add_object(dictionary! {
        "Title" => Object::String(info_title.as_bytes().to_vec(), StringFormat::Literal),
        "CreationDate" => Object::String(b"D:20221103120000Z".to_vec(), StringFormat::Literal),
    });
    doc.trailer.set("Info", info);
    doc.save(path).unwrap();
}

/// `n` lines of text about `topic`: sentences built from the topic's own words, so two topics
/// share no run of five words.
fn body(topic: &str, n: usize) -> Vec<String> {
    let words: Vec<&str> = topic.split_whitespace().collect();
    (0..n)
        .map(|i| {
            let w = |k: usize| words[(i + k) % words.len()];
            format!("{} {} {} {i} {} {} {} {}.", w(0), w(1), w(2), w(3), w(4), w(5), w(6))
        })
        .collect()
}

const GC: &str = "collector heap marking sweeping pointers compaction roots generations barrier pauses";
const ROUTING: &str = "packets routers links congestion paths tables latency overlay backbone traffic";
const TILING: &str = "arrays tiles partitions locality operators frontend backend cluster workers shapes";
const CACHE: &str = "eviction cache entries misses recency frequency admission segments ghosts hits";

/// One paper of `papers --json` (null when the library has none by that id).
fn paper_in(lib: &Path, id: &str) -> serde_json::Value {
    json(&papertrail(lib, &["papers", "--json"]))
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .cloned()
        .unwrap_or_default()
}

fn import_json(lib: &Path, files: &[&PathBuf]) -> Vec<serde_json::Value> {
    let mut args = vec!["import", "--json", "--no-ocr"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    json(&papertrail(lib, &args)).as_array().unwrap().clone()
}

#[test]
fn a_title_comes_from_the_layout_not_from_a_banner_or_a_junk_info_title() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("paper.pdf");
    titled_pdf(
        &file,
        Some("This paper is included in the Proceedings of the 2015 USENIX Annual Technical Conference."),
        "Consistent Hashing for Rack Awareness",
        "Ada Lovelace, Charles Babbage",
        &body("racks placement replicas hashing servers failures domains", 20),
        "rackawareness.eps",
    );
    let lib = dir.path().join("lib");
    let o = &import_json(&lib, &[&file])[0];
    assert_eq!(o["status"], "imported", "{o}");
    let papers = json(&papertrail(&lib, &["papers", "--json"]));
    let p = &papers[0];
    assert_eq!(p["title"], "Consistent Hashing for Rack Awareness", "{p}");
    assert_eq!(p["authors"], serde_json::json!(["Ada Lovelace", "Charles Babbage"]), "{p}");
    // The venue's year printed on the paper, at the precision printed; not the PDF's 2022.
    assert_eq!(p["date"], "2015", "{p}");
    assert_eq!(p["date_precision"], "year", "{p}");
}

#[test]
fn generic_titles_never_merge_and_a_shared_title_needs_shared_text() {
    let dir = tempfile::tempdir().unwrap();
    let make = |name: &str, title: &str, topic: &str| {
        let f = dir.path().join(name);
        titled_pdf(&f, None, title, "Grace Hopper", &body(topic, 25), "");
        f
    };
    // Two different reports whose largest line is the same generic heading.
    let r1 = make("r1.pdf", "Technical Report", GC);
    let r2 = make("r2.pdf", "Technical Report", ROUTING);
    // The same specific title with the same text: two versions of one paper.
    let v1 = make("v1.pdf", "Adaptive Tiling of Distributed Arrays", TILING);
    let v2 = dir.path().join("v2.pdf");
    let mut text = body(TILING, 25);
    text.push("A sentence added in the second version of the paper.".into());
    titled_pdf(&v2, None, "Adaptive Tiling of Distributed Arrays", "Grace Hopper", &text, "");
    // The same specific title with other text: another paper.
    let other = make("other.pdf", "Adaptive Tiling of Distributed Arrays", CACHE);
    let lib = dir.path().join("lib");
    let outcomes = import_json(&lib, &[&r1, &r2, &v1]);
    assert!(outcomes.iter().all(|o| o["status"] == "imported"), "{outcomes:?}");
    let second = import_json(&lib, &[&v2, &other]);
    let v2_outcome = second.iter().find(|o| o["path"].as_str().unwrap().ends_with("v2.pdf")).unwrap();
    assert_eq!(v2_outcome["status"], "new_version", "{v2_outcome}");
    let other_outcome = second.iter().find(|o| o["path"].as_str().unwrap().ends_with("other.pdf")).unwrap();
    assert_eq!(other_outcome["status"], "imported", "{other_outcome}");
    let papers = json(&papertrail(&lib, &["papers", "--json"]));
    let versions: Vec<usize> =
        papers.as_array().unwrap().iter().map(|p| p["versions"].as_array().unwrap().len()).filter(|n| *n > 0).collect();
    assert_eq!(versions.iter().sum::<usize>(), 5);
    assert_eq!(versions.iter().filter(|n| **n == 2).count(), 1, "{papers}");
    assert_eq!(versions.len(), 4, "{papers}");
}

#[test]
fn a_pdf_with_a_broken_trailer_is_repaired_and_imported() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.pdf");
    titled_pdf(&file, None, "Repairing Broken Cross Reference Tables", "Grace Hopper", &body(CACHE, 10), "");
    let mut bytes = std::fs::read(&file).unwrap();
    let at = bytes.windows(9).rposition(|w| w == b"startxref").unwrap();
    bytes.truncate(at);
    bytes.extend_from_slice(b"startxref\n123456789\n%%EOF\n");
    std::fs::write(&file, &bytes).unwrap();
    let lib = dir.path().join("lib");
    let o = &import_json(&lib, &[&file])[0];
    assert_eq!(o["status"], "imported", "{o}");
    assert!(o["notes"].to_string().contains("Repaired"), "{o}");
    let text = stdout(&papertrail(&lib, &["text", o["paper_id"].as_str().unwrap()]));
    assert!(text.contains(&body(CACHE, 10)[9]), "{text}");
}

#[test]
fn text_prints_the_stored_pages_and_names_what_is_wrong() {
    let Some(lib) = shared_library() else { return };
    let all = papertrail(lib, &["text", "deepseek-r1"]);
    assert!(all.status.success(), "{}", stderr(&all));
    let all = stdout(&all);
    let pages = all.split('\u{c}').count();
    let papers = json(&papertrail(lib, &["papers", "--json"]));
    let r1 = papers.as_array().unwrap().iter().find(|p| p["id"] == "deepseek-r1").unwrap();
    let current = r1["versions"].as_array().unwrap().last().unwrap();
    assert_eq!(pages as u64, current["pages"].as_u64().unwrap());
    let one = stdout(&papertrail(lib, &["text", "deepseek-r1", "--page", "1"]));
    assert!(one.contains("DeepSeek-R1") && !one.contains('\u{c}'), "{one}");
    assert!(all.starts_with(one.trim_end()), "page 1 comes first");
    let sha = current["sha256"].as_str().unwrap();
    let same = stdout(&papertrail(lib, &["text", "deepseek-r1", "--version", sha, "--page", "1"]));
    assert_eq!(same, one);
    let bad = papertrail(lib, &["text", "deepseek-r1", "--version", "0000"]);
    assert!(!bad.status.success() && stderr(&bad).contains("is not a version of deepseek-r1"), "{}", stderr(&bad));
    let far = papertrail(lib, &["text", "deepseek-r1", "--page", "999"]);
    assert!(!far.status.success() && stderr(&far).contains("out of range"), "{}", stderr(&far));
    let none = papertrail(lib, &["text", "no-such-paper"]);
    assert!(!none.status.success() && stderr(&none).contains("no-such-paper"), "{}", stderr(&none));
}

#[test]
fn a_paper_is_edited_split_and_merged_and_edits_survive_reindex_and_reimport() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    let r1 = corpus.join("pdf/deepseek-r1.pdf");
    let early = corpus.join("versions/deepseek-r1-2025-01-20.pdf");
    let o = import_json(&lib, &[&r1, &early]);
    assert_eq!(o.iter().filter(|o| o["status"] == "new_version").count(), 1, "{o:?}");
    let paper = |id: &str| paper_in(&lib, id);
    let versions = paper("deepseek-r1")["versions"].as_array().unwrap().clone();
    assert_eq!(versions.len(), 2);
    // Split the earlier version off: a paper of its own, with its own metadata.
    let early_sha = versions[0]["sha256"].as_str().unwrap().to_string();
    let split = papertrail(&lib, &["paper", "split", &early_sha, "--json"]);
    assert!(split.status.success(), "{}", stderr(&split));
    let new_id = json(&split)["id"].as_str().unwrap().to_string();
    assert_ne!(new_id, "deepseek-r1");
    assert_eq!(paper("deepseek-r1")["versions"].as_array().unwrap().len(), 1);
    assert_eq!(paper(&new_id)["versions"][0]["sha256"], early_sha.as_str());
    // Both are searched now: each is the current version of its paper.
    let hits = json(&papertrail(&lib, &["search", "--json", "--limit", "50", "\"aha moment\""]));
    let ids: BTreeSet<&str> = hits.as_array().unwrap().iter().map(|h| h["paper_id"].as_str().unwrap()).collect();
    assert!(ids.contains("deepseek-r1") && ids.contains(new_id.as_str()), "{ids:?}");
    let again = papertrail(&lib, &["paper", "split", &early_sha]);
    assert!(!again.status.success() && stderr(&again).contains("only version"), "{}", stderr(&again));
    // Merge it back.
    let merged = papertrail(&lib, &["paper", "merge", &new_id, "deepseek-r1"]);
    assert!(merged.status.success(), "{}", stderr(&merged));
    assert_eq!(paper("deepseek-r1")["versions"].as_array().unwrap().len(), 2);
    assert!(paper(&new_id).is_null(), "the merged paper is gone");
    let catalog_away = papertrail(&lib, &["paper", "merge", "deepseek-r1", "deepseek-v3"]);
    assert!(stderr(&catalog_away).contains("catalog paper"), "{}", stderr(&catalog_away));
    // Edit; a bad value changes nothing and names the field.
    let bad = papertrail(&lib, &["paper", "edit", "deepseek-r1", "--title", "X", "--date", "2025-13"]);
    assert!(!bad.status.success() && stderr(&bad).contains("month 13"), "{}", stderr(&bad));
    assert_ne!(paper("deepseek-r1")["title"], "X");
    let edit = papertrail(
        &lib,
        &[
            "paper",
            "edit",
            "deepseek-r1",
            "--title",
            "R1: Reasoning by RL",
            "--authors",
            "DeepSeek-AI; A. N. Other",
            "--date",
            "2025-01-22",
            "--doi",
            "https://doi.org/10.48550/arXiv.2501.12948",
        ],
    );
    assert!(edit.status.success(), "{}", stderr(&edit));
    let check = || {
        let p = paper("deepseek-r1");
        assert_eq!(p["title"], "R1: Reasoning by RL", "{p}");
        assert_eq!(p["authors"], serde_json::json!(["DeepSeek-AI", "A. N. Other"]));
        assert_eq!(p["date"], "2025-01-22");
        assert_eq!(p["doi"], "10.48550/arxiv.2501.12948");
        let mut edited: Vec<&str> = p["edited"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
        edited.sort();
        assert_eq!(edited, ["authors", "date", "doi", "title"], "{p}");
    };
    check();
    let hits = json(&papertrail(&lib, &["search", "--json", "\"aha moment\""]));
    assert_eq!(hits[0]["title"], "R1: Reasoning by RL", "the index has the new title");
    assert!(papertrail(&lib, &["reindex"]).status.success());
    check();
    let re = papertrail_env(&lib, &["import", "--no-ocr", r1.to_str().unwrap()], &[]);
    assert!(re.status.success(), "{}", stderr(&re));
    // Opening with the bundled catalog again (which names R1's own title) keeps the edit.
    check();
    // The edits travel in a bundle: its references carry the edited title and DOI.
    let zip = dir.path().join("r1.zip");
    let export = papertrail(&lib, &["export", "--all", "--annotations", "all", "-o", zip.to_str().unwrap()]);
    assert!(export.status.success(), "{}", stderr(&export));
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    let mut bib = String::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        if f.name().unwrap().ends_with(".bib") {
            std::io::Read::read_to_string(&mut f, &mut bib).unwrap();
        }
    }
    assert!(bib.contains("R1: Reasoning by RL") && bib.contains("10.48550/arxiv.2501.12948"), "{bib}");
    // ...and into a colleague's library: a fresh one, which gets R1's file from the bundle,
    // takes the edited title and authors as its own edits; one that already had R1 keeps its
    // title and reports the difference as a conflict.
    let zip = dir.path().join("r1-pdfs.zip");
    let export =
        papertrail(&lib, &["export", "--all", "--annotations", "all", "--include-pdfs", "-o", zip.to_str().unwrap()]);
    assert!(export.status.success(), "{}", stderr(&export));
    let fresh = dir.path().join("fresh");
    let res = papertrail(&fresh, &["import-bundle", zip.to_str().unwrap(), "--json"]);
    assert!(res.status.success(), "{}", stderr(&res));
    let theirs = Some(paper_in(&fresh, "deepseek-r1")).filter(|p| !p.is_null()).expect("R1 in the fresh library");
    assert_eq!(theirs["title"], "R1: Reasoning by RL", "{theirs}");
    assert_eq!(theirs["authors"], serde_json::json!(["DeepSeek-AI", "A. N. Other"]), "{theirs}");
    assert!(theirs["edited"].as_array().unwrap().iter().any(|f| f == "title"), "{theirs}");
    let had = dir.path().join("had");
    import_json(&had, &[&r1]);
    let report = json(&papertrail(&had, &["import-bundle", zip.to_str().unwrap(), "--json"]));
    let conflicts = report["conflicts"].as_array().unwrap();
    assert!(
        conflicts.iter().any(|c| c["kind"] == "paper" && c["id"] == "deepseek-r1" && c["field"] == "title"),
        "{report}"
    );
    let kept = Some(paper_in(&had, "deepseek-r1")).filter(|p| !p.is_null()).expect("R1 in the library that had it");
    assert_ne!(kept["title"], "R1: Reasoning by RL", "the library's own title is kept: {kept}");
}
