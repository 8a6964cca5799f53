//! Crash safety: `kill -9` the importer at random moments during an import of the corpus, then
//! check the library: SQLite integrity, no half-imported paper, an index that matches the
//! database after catch-up, and a re-import that completes.
//!
//! The test runs a few kills (`PAPERTRAIL_CRASH_KILLS`, default 3) on one library, each import
//! carrying on from where the killed one stopped. `bench/run.sh` runs 20 with
//! `PAPERTRAIL_CRASH_FRESH=1`: a fresh library and a full re-import after every kill.
//! `PAPERTRAIL_CRASH_SEED` replays a run (the seed is printed).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use papertrail_core::Library;

use crate::{corpus, papertrail, shared_library, stderr, stdout};

/// Per version: (paper id, pages, passages), from a library's database.
type Versions = BTreeMap<String, (String, u32, u64)>;

fn versions(lib: &Path) -> Versions {
    let conn = papertrail_core::store::open(&lib.join("papertrail.db")).expect("open the database");
    let mut stmt = conn
        .prepare(
            "SELECT v.sha256, v.paper_id, v.pages, (SELECT count(*) FROM passages ps WHERE ps.version_sha256 = v.sha256)
             FROM versions v",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?, r.get::<_, i64>(3)? as u64))))
        .unwrap();
    rows.map(|r| r.unwrap()).collect()
}

/// The checks every library must pass after a kill. `reference` is a complete import.
fn check_library(lib: &Path, reference: &Versions, round: usize) -> (usize, u64) {
    {
        let conn = papertrail_core::store::open(&lib.join("papertrail.db")).expect("open the database");
        let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(integrity, "ok", "round {round}: integrity_check");
        let fk: i64 = count("SELECT count(*) FROM pragma_foreign_key_check");
        assert_eq!(fk, 0, "round {round}: foreign key violations");
        // Every version has all its pages, and every page with text has passages.
        let short = count(
            "SELECT count(*) FROM versions v WHERE v.pages != (SELECT count(*) FROM pages p WHERE p.version_sha256 = v.sha256)",
        );
        assert_eq!(short, 0, "round {round}: a version is missing pages");
        let bare = count(
            "SELECT count(*) FROM pages pg WHERE length(trim(pg.text)) > 0 AND NOT EXISTS
               (SELECT 1 FROM passages ps WHERE ps.version_sha256 = pg.version_sha256 AND ps.page = pg.page)",
        );
        assert_eq!(bare, 0, "round {round}: a page with text has no passages");
        let orphans =
            count("SELECT count(*) FROM papers p WHERE in_catalog = 0 AND NOT EXISTS (SELECT 1 FROM versions v WHERE v.paper_id = p.id)");
        assert_eq!(orphans, 0, "round {round}: a paper row without its version");
    }
    // Each stored version is exactly what a complete import stores, with its PDF in place.
    let got = versions(lib);
    for (sha, v) in &got {
        assert_eq!(reference.get(sha), Some(v), "round {round}: version {sha} differs from a complete import");
        let pdf = lib.join("pdfs").join(format!("{sha}.pdf"));
        assert!(pdf.exists(), "round {round}: {} is missing", pdf.display());
    }
    let leftovers: Vec<String> = std::fs::read_dir(lib.join("pdfs"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".pdf"))
        .collect();
    if !leftovers.is_empty() {
        eprintln!("round {round}: temporary files left in pdfs/: {leftovers:?}");
    }
    // Opening catches the index up; then it holds exactly the database's passages.
    let l = Library::open(lib).expect("open the library after the kill");
    let (_, passages) = l.counts().unwrap();
    assert_eq!(l.indexed_passages(), passages, "round {round}: index and database disagree after catch-up");
    (got.len(), passages)
}

/// A seeded xorshift, so a failing run can be replayed with `PAPERTRAIL_CRASH_SEED`.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo).max(1)
    }
}

fn env_num(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// Starts `papertrail import FOLDER` and kills it with SIGKILL after `delay`: only the importer
/// (its extraction workers live on as orphans, as after a crash of the app) or, with
/// `whole_group`, the importer and its workers (as at a power cut). Returns false when the
/// import finished before the kill.
fn import_and_kill(lib: &Path, folder: &Path, delay: Duration, whole_group: bool) -> bool {
    use std::os::unix::process::CommandExt;
    let mut child = Command::new(env!("CARGO_BIN_EXE_papertrail"))
        .arg("--library")
        .arg(lib)
        .arg("import")
        .arg("--no-embed") // the import is under test; embedding has its own crash tests
        .arg(folder)
        .env_remove("PAPERTRAIL_LIBRARY")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("start papertrail import");
    let deadline = Instant::now() + delay;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    if whole_group {
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", child.id())]).status();
    } else {
        child.kill().expect("kill -9 the importer");
    }
    let status = child.wait().unwrap();
    !status.success()
}

fn full_import(lib: &Path, folder: &Path) -> Duration {
    let started = Instant::now();
    let out = papertrail(lib, &["import", folder.to_str().unwrap()]);
    assert!(out.status.success(), "import failed: {}\n{}", stdout(&out), stderr(&out));
    started.elapsed()
}

/// A re-import after a kill completes, and leaves exactly what a clean import leaves.
fn reimport_and_check(lib: &Path, folder: &Path, reference: &Versions, round: usize) {
    full_import(lib, folder);
    let (n, _) = check_library(lib, reference, round);
    assert_eq!(n, reference.len(), "round {round}: the re-import did not bring every paper");
    assert_eq!(&versions(lib), reference, "round {round}: the re-import differs from a clean import");
}

#[test]
fn killing_the_importer_at_random_moments_loses_nothing_and_corrupts_nothing() {
    let (Some(corpus), Some(reference_lib)) = (corpus(), shared_library()) else { return };
    let folder = corpus.join("pdf");
    let reference = versions(reference_lib);
    let kills = env_num("PAPERTRAIL_CRASH_KILLS").unwrap_or(3) as usize;
    let fresh = std::env::var_os("PAPERTRAIL_CRASH_FRESH").is_some();
    let seed = env_num("PAPERTRAIL_CRASH_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos() as u64 | 1
    });
    eprintln!("crash test: {kills} kills, fresh libraries: {fresh}, PAPERTRAIL_CRASH_SEED={seed}");
    let mut rng = Rng(seed);
    // How long a whole import takes here, to spread the kills over it.
    let calibrate = tempfile::tempdir().unwrap();
    let whole = full_import(calibrate.path(), &folder).as_millis() as u64;
    check_library(calibrate.path(), &reference, 0);
    drop(calibrate);
    let mut lib = tempfile::tempdir().unwrap();
    let mut finished_before_kill = 0;
    // Count only kills that landed during an import; give up on more after 3 rounds per kill.
    let mut round = 0;
    while round - finished_before_kill < kills && round < kills * 3 {
        round += 1;
        // A fresh library each round (bench), or when the shared one is complete (test).
        let have = versions(lib.path()).len();
        if (fresh && round > 1) || have == reference.len() {
            lib = tempfile::tempdir().unwrap();
        }
        // Aim inside what is left to import.
        let missing = (reference.len() - versions(lib.path()).len()) as u64;
        let left = whole * missing / reference.len() as u64;
        let delay = Duration::from_millis(rng.between(left / 50, left.max(60) * 9 / 10));
        let whole_group = rng.next().is_multiple_of(2);
        let killed = import_and_kill(lib.path(), &folder, delay, whole_group);
        finished_before_kill += usize::from(!killed);
        let (versions_after, passages) = check_library(lib.path(), &reference, round);
        eprintln!(
            "round {round}: killed {} after {} ms: {versions_after} of {} versions, {passages} passages, checks passed",
            if !killed {
                "nothing (it had finished)"
            } else if whole_group {
                "importer and workers"
            } else {
                "importer"
            },
            delay.as_millis(),
            reference.len()
        );
        if fresh {
            reimport_and_check(lib.path(), &folder, &reference, round);
        }
    }
    if !fresh {
        reimport_and_check(lib.path(), &folder, &reference, round);
    }
    let landed = round - finished_before_kill;
    eprintln!(
        "crash test: {landed} kills during an import in {round} rounds ({finished_before_kill} came after it had finished), all checks passed"
    );
    assert!(landed >= 1, "every kill came too late to test anything");
}

#[test]
fn searching_while_another_process_imports_works_and_a_second_writer_is_busy() {
    let (Some(corpus), Some(reference_lib)) = (corpus(), shared_library()) else { return };
    let reference = versions(reference_lib);
    let dir = tempfile::tempdir().unwrap();
    // Something to find before the import starts.
    full_import(dir.path(), &corpus.join("pdf/deepseek-coder-v2.pdf"));
    let mut importer = Command::new(env!("CARGO_BIN_EXE_papertrail"))
        .arg("--library")
        .arg(dir.path())
        .arg("import")
        .arg("--no-embed") // the import is under test; embedding afterwards takes no write lock
        .arg(corpus.join("pdf"))
        .env_remove("PAPERTRAIL_LIBRARY")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Start the others once the importer is inside its import (it has stored a paper): until
    // then a reader's open may take the write lock for a moment and make the importer "busy"
    // (see `readers_opening_the_library_never_make_an_importer_busy`).
    while versions(dir.path()).len() < 2 && importer.try_wait().unwrap().is_none() {
        std::thread::sleep(Duration::from_millis(5));
    }
    let (mut searches, mut busy_imports, mut busy_reindexes) = (0, 0, 0);
    while importer.try_wait().unwrap().is_none() {
        let out = papertrail(dir.path(), &["search", "--json", "code intelligence"]);
        if importer.try_wait().unwrap().is_some() {
            break;
        }
        assert!(out.status.success(), "search during an import failed: {}", stderr(&out));
        let hits = crate::json(&out);
        assert!(!hits.as_array().unwrap().is_empty(), "search during an import lost what was already there");
        searches += 1;
        // (A file already in the library, so a second importer that wins a late race changes nothing.)
        let second = papertrail(dir.path(), &["import", corpus.join("pdf/deepseek-coder-v2.pdf").to_str().unwrap()]);
        if importer.try_wait().unwrap().is_none() {
            assert_eq!(second.status.code(), Some(1), "a second importer must fail: {}", stdout(&second));
            assert!(stderr(&second).contains("library is busy"), "{}", stderr(&second));
            busy_imports += 1;
        }
        let reindex = papertrail(dir.path(), &["reindex"]);
        if importer.try_wait().unwrap().is_none() {
            assert!(stderr(&reindex).contains("library is busy"), "{}", stderr(&reindex));
            busy_reindexes += 1;
        }
    }
    let out = importer.wait_with_output().unwrap();
    assert!(out.status.success(), "the first import failed: {}", String::from_utf8_lossy(&out.stderr));
    eprintln!("during one import: {searches} searches, {busy_imports} busy importers, {busy_reindexes} busy reindexes");
    assert!(searches >= 1 && busy_imports >= 1, "the import finished before anything ran beside it");
    // The losers changed nothing; the winner's import is whole and indexed.
    check_library(dir.path(), &reference, 0);
    assert_eq!(versions(dir.path()), reference);
    let hits = crate::json(&papertrail(dir.path(), &["search", "--json", "$5.576M"]));
    assert!(!hits.as_array().unwrap().is_empty());
}

/// Known failure, kept as a regression test to turn on with the fix: opening a library takes
/// the write lock for a moment (catalog sync, index catch-up) even in a process that only
/// reads, so an importer that starts while a search is opening fails with "library is busy"
/// (4 of 15 imports while searches ran in a loop, on 2026-11-29). Run with `--ignored`.
#[test]
fn readers_opening_the_library_never_make_an_importer_busy() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    full_import(dir.path(), &corpus.join("pdf/deepseek-coder-v2.pdf"));
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers = {
        let (stop, lib) = (stop.clone(), dir.path().to_path_buf());
        std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                papertrail(&lib, &["search", "code"]);
            }
        })
    };
    let mut busy = 0;
    for _ in 0..40 {
        let out = papertrail(dir.path(), &["import", corpus.join("pdf/deepseek-r1.pdf").to_str().unwrap()]);
        busy += usize::from(stderr(&out).contains("library is busy"));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    readers.join().unwrap();
    assert_eq!(busy, 0, "{busy} of 40 imports were refused as busy while only readers ran");
}
