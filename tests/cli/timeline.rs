//! A timeline for any library: another lab's papers (the wild set) on a timeline of their own,
//! with a window that fits them and not a word of the bundled catalog's story; catalogs
//! exported and loaded again; the DeepSeek timeline as it was.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::{corpus, json, papertrail, shared_library, stderr, stdout};

/// Words of the bundled catalog's story that no other library may show.
const FOREIGN: &[&str] = &["R1", "DeepSeek", "deepseek", "January 2025", "H800"];

fn assert_no_foreign_words(what: &str, text: &str) {
    for w in FOREIGN {
        assert!(!text.contains(w), "{what} mentions `{w}`:\n{text}");
    }
}

/// A folder with an empty catalog written by hand, a library opened with it, and that library
/// exported as a catalog: (folder, exported empty catalog).
fn exported_empty_catalog() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let lab = dir.path().join("lab.toml");
    std::fs::write(&lab, "[catalog]\nid = \"reading-group\"\nname = \"Systems reading group\"\n").unwrap();
    let out = dir.path().join("empty.toml");
    let o = papertrail(
        &dir.path().join("first"),
        &["--catalog", lab.to_str().unwrap(), "catalog", "export", "-o", out.to_str().unwrap(), "--json"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let summary = json(&o);
    assert_eq!(
        (summary["papers"].as_u64(), summary["milestones"].as_u64(), summary["claims"].as_u64()),
        (Some(0), Some(0), Some(0))
    );
    (dir, out)
}

/// The wild set imported into a library whose catalog is an exported empty one, shared by
/// the tests here: (folder holding the library and its catalog, library).
fn wild_library() -> Option<&'static (tempfile::TempDir, PathBuf)> {
    static LIB: OnceLock<Option<(tempfile::TempDir, PathBuf)>> = OnceLock::new();
    LIB.get_or_init(|| {
        let wild = corpus()?.join("wild");
        let (dir, catalog) = exported_empty_catalog();
        let lib = dir.path().join("wild-lib");
        let o =
            papertrail(&lib, &["--catalog", catalog.to_str().unwrap(), "import", "--no-ocr", wild.to_str().unwrap()]);
        assert!(o.status.success(), "import failed: {}\n{}", stdout(&o), stderr(&o));
        Some((dir, lib))
    })
    .as_ref()
}

/// A timeline's entries as comparable text, by title (ids may be respelled as catalog ids):
/// date, title, the titles it leads to, whether on the path; sorted.
fn shape(v: &serde_json::Value, dated_only: bool) -> Vec<String> {
    let entries = v.as_array().unwrap();
    let title = |id: &serde_json::Value| {
        entries.iter().find(|e| &e["id"] == id).map_or("?".to_string(), |e| e["title"].to_string())
    };
    let mut out: Vec<String> = entries
        .iter()
        .filter(|e| !dated_only || !e["date"].is_null())
        .map(|e| {
            let mut leads: Vec<String> = e["leads_to"].as_array().unwrap().iter().map(title).collect();
            leads.sort();
            format!("{} {} -> [{}] {}", e["date"], e["title"], leads.join(", "), e["on_path"])
        })
        .collect();
    out.sort();
    out
}

/// Months since year 0 of an ISO date's first month.
fn month(iso: &str) -> i64 {
    let y: i64 = iso[..4].parse().unwrap();
    let m: i64 = iso.get(5..7).map_or(1, |m| m.parse().unwrap());
    y * 12 + m - 1
}

/// Months since year 0 of an ISO date's last month (a year means its December).
fn last_month(iso: &str) -> i64 {
    if iso.len() == 4 {
        month(iso) + 11
    } else {
        month(iso)
    }
}

fn window(human: &str) -> (String, String) {
    let line = human.lines().find(|l| l.starts_with("Window: ")).unwrap_or_else(|| panic!("no window:\n{human}"));
    let (a, b) = line["Window: ".len()..].split_once(" to ").unwrap();
    (a.to_string(), b.to_string())
}

#[test]
fn a_wild_library_gets_a_timeline_of_its_own_papers() {
    let Some((_, lib)) = wild_library() else { return };
    let papers = json(&papertrail(lib, &["papers", "--json"]));
    let papers = papers.as_array().unwrap();
    assert!(papers.len() >= 40, "the wild set imports: {} papers", papers.len());
    let out = papertrail(lib, &["timeline", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_no_foreign_words("timeline --json", &stdout(&out));
    let t = json(&out);
    let t = t.as_array().unwrap();
    // Every paper once, as a paper of the library; the dated ones at their dates, in order,
    // the undated ones after them without a date.
    assert_eq!(t.len(), papers.len());
    for p in papers {
        let e = t
            .iter()
            .find(|e| e["papers"][0] == p["id"])
            .unwrap_or_else(|| panic!("{} is not on the timeline", p["id"]));
        assert_eq!(e["kind"], "paper");
        assert_eq!(e["origin"], "library");
        assert_eq!(e["title"], p["title"]);
        assert_eq!(e["date"], p["date"], "{}", p["id"]);
        assert_eq!(e["imported"][0], p["id"]);
        for key in ["id", "date", "precision", "title", "kind", "papers", "claims", "leads_to", "on_path", "imported"] {
            assert!(e.get(key).is_some(), "{key}");
        }
    }
    let dated: Vec<&str> = t.iter().filter_map(|e| e["date"].as_str()).collect();
    assert!(dated.len() >= 10, "most wild papers have a date: {dated:?}");
    let first_undated = t.iter().position(|e| e["date"].is_null()).unwrap_or(t.len());
    assert!(t[first_undated..].iter().all(|e| e["date"].is_null() && e["precision"].is_null()), "undated last");
    let mut sorted = dated.clone();
    sorted.sort_by_key(|d| month(d));
    assert_eq!(dated.iter().map(|d| month(d)).collect::<Vec<_>>(), sorted.iter().map(|d| month(d)).collect::<Vec<_>>());
    // The window fits the papers: it holds them all, with a margin of a month or a
    // twenty-fifth of the span.
    let human = stdout(&papertrail(lib, &["timeline"]));
    assert_no_foreign_words("timeline", &human);
    assert!(human.starts_with("Timeline of Systems reading group"), "{human}");
    let (start, end) = window(&human);
    let lo = dated.iter().map(|d| month(d)).min().unwrap();
    let hi = dated.iter().map(|d| last_month(d)).max().unwrap();
    let margin = ((hi - lo) / 25).max(1);
    assert_eq!(month(&start), lo - margin, "window start {start} for first paper at month {lo}");
    assert_eq!(month(&end), hi + margin + 1, "window end {end}");
    assert!(start.ends_with("-01") && end.ends_with("-01"));
    if first_undated < t.len() {
        assert!(human.contains("Undated (no date known"), "{human}");
        let undated_title = t[first_undated]["title"].as_str().unwrap();
        assert!(human.contains(undated_title));
    }
    // A focus by default (the catalog names none), on the path to itself.
    let on: Vec<&serde_json::Value> = t.iter().filter(|e| e["on_path"] == true).collect();
    assert!(!on.is_empty(), "a default focus is marked");
    assert!(on.iter().all(|e| !e["date"].is_null()), "the default focus and its lineage are dated");
    // The focus can be chosen: the oldest paper now, with nothing before it.
    let oldest = t[0]["id"].as_str().unwrap();
    let t2 = json(&papertrail(lib, &["timeline", "--focus", oldest, "--json"]));
    let on: Vec<&str> =
        t2.as_array().unwrap().iter().filter(|e| e["on_path"] == true).map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(on, [oldest]);
    let human = stdout(&papertrail(lib, &["timeline", "--focus", oldest]));
    assert!(human.contains(&format!("({oldest})")), "{human}");
    let bad = papertrail(lib, &["timeline", "--focus", "r1-release"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("unknown milestone `r1-release`"), "{}", stderr(&bad));
}

#[test]
fn an_exported_wild_catalog_loads_elsewhere_as_the_same_timeline() {
    let Some((dir, lib)) = wild_library() else { return };
    let work = tempfile::tempdir_in(dir.path()).unwrap();
    // A claim of the user's own travels with the catalog.
    let add = papertrail(
        lib,
        &[
            "claim",
            "add",
            "Understandability was a design goal of the consensus algorithm.",
            "--id",
            "understandable-consensus",
        ],
    );
    let _ = add; // a second run of the test finds it already there
    let exported = work.path().join("wild.toml");
    let o = papertrail(lib, &["catalog", "export", "-o", exported.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Wrote "), "{}", stdout(&o));
    let text = std::fs::read_to_string(&exported).unwrap();
    assert_no_foreign_words("the exported catalog", &text);
    assert!(
        text.contains("[[milestones]]")
            && text.contains("kind = \"paper\"")
            && text.contains("understandable-consensus")
    );
    // Another lab member loads it into a library without any PDF.
    let other = work.path().join("other");
    let o = papertrail(&other, &["--catalog", exported.to_str().unwrap(), "papers", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mine = json(&papertrail(lib, &["papers", "--json"]));
    let theirs = json(&o);
    let titles = |v: &serde_json::Value| {
        let mut t: Vec<String> =
            v.as_array().unwrap().iter().map(|p| format!("{} {}", p["title"], p["date"])).collect();
        t.sort();
        t
    };
    assert_eq!(titles(&theirs), titles(&mine), "the same papers");
    // The same timeline: the dated papers, now as the catalog's milestones.
    let a = json(&papertrail(lib, &["timeline", "--json"]));
    let b = json(&papertrail(&other, &["timeline", "--json"]));
    assert_eq!(shape(&b, false), shape(&a, true));
    assert!(b.as_array().unwrap().iter().all(|e| e["origin"] == "catalog"));
    let claims = json(&papertrail(&other, &["claims", "--json"]));
    assert!(claims.as_array().unwrap().iter().any(|c| c["id"] == "understandable-consensus"));
    // Round trip: exporting what was loaded gives the same catalog, to the byte.
    let again = work.path().join("again.toml");
    let o = papertrail(&other, &["catalog", "export", "-o", again.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&again).unwrap(), text);
}

#[test]
fn the_deepseek_timeline_fits_its_story_and_its_catalog_round_trips() {
    let Some(lib) = shared_library() else { return };
    let human = stdout(&papertrail(lib, &["timeline"]));
    assert_eq!(window(&human), ("2023-06-01".to_string(), "2025-03-01".to_string()), "the window it always had");
    assert!(human.contains("Focus: R1 (r1-release)"), "{human}");
    assert!(human.contains("● on the path to R1"), "{human}");
    let dir = tempfile::tempdir().unwrap();
    let exported = dir.path().join("deepseek.toml");
    let o = papertrail(lib, &["catalog", "export", "-o", exported.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let summary = json(&o);
    assert_eq!((summary["papers"].as_u64(), summary["milestones"].as_u64()), (Some(15), Some(16)));
    assert!(summary["claims"].as_u64().unwrap() >= 13);
    let text = std::fs::read_to_string(&exported).unwrap();
    assert!(text.contains("focus = \"r1-release\"") && text.contains("claims_from = \"the January 2025 debate\""));
    assert!(
        text.contains("sha256 = \"f03fc7290a99b48cb02f374b16f18a9b984a28170933111f0dde58822fdd5269\""),
        "pinned sources travel"
    );
    let other = dir.path().join("other");
    let loaded = papertrail(&other, &["--catalog", exported.to_str().unwrap(), "timeline", "--json"]);
    assert!(loaded.status.success(), "{}", stderr(&loaded));
    let strip = |v: serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| format!("{} {} {} {} {}", e["id"], e["date"], e["title"], e["leads_to"], e["on_path"]))
            .collect()
    };
    assert_eq!(strip(json(&loaded)), strip(json(&papertrail(lib, &["timeline", "--json"]))));
    let again = dir.path().join("again.toml");
    let o = papertrail(&other, &["catalog", "export", "-o", again.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&again).unwrap(), text);
}

#[test]
fn a_catalog_with_bad_words_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    for (text, msg) in [
        ("[catalog]\nid = \"x\"\nname = \"X\"\ndescription = \"  \"\n", "line 4: `description` is empty"),
        ("[catalog]\nid = \"X Y\"\nname = \"X\"\n", "line 2: bad catalog id `X Y`"),
        (
            "[catalog]\nid = \"x\"\nname = \"X\"\n[[milestones]]\nid = \"m\"\ndate = \"2024\"\nkind = \"event\"\ntitle = \"M\"\nshort = \"\"\"two\nlines\"\"\"\n",
            "line 9: `short` must fit on one line",
        ),
    ] {
        std::fs::write(&bad, text).unwrap();
        let out = papertrail(&dir.path().join("lib"), &["--catalog", bad.to_str().unwrap(), "timeline"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains("bad.toml") && stderr(&out).contains(msg), "{}", stderr(&out));
    }
    // Nothing was written where an export could not go.
    let out = papertrail(
        &dir.path().join("lib"),
        &["catalog", "export", "-o", dir.path().join("no/such/dir/x.toml").to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("x.toml"), "{}", stderr(&out));
}
