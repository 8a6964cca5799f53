//! End-to-end tests of the `papertrail` binary on the real corpus in `../shared/corpus`.
//!
//! One binary, small fixture helpers. The six real papers are imported once into a shared
//! library (read-only tests use it); tests that change a library make their own.

mod bundle;
mod citations;
mod claims;
mod crash;
mod download;
mod generated;
mod import;
mod meaning;
mod real_library;
mod search;
mod timeline;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The corpus folder, or `None` (with a loud message) when it is absent.
pub fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("PAPERTRAIL_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
    if dir.join("MANIFEST.tsv").exists() {
        Some(dir)
    } else {
        // Under CI nothing may skip silently: a missing corpus fails the run.
        assert!(!in_ci(), "the test corpus is missing at {} (CI=true: failing instead of skipping)", dir.display());
        eprintln!("\n*** SKIPPED: the test corpus is missing at {} ***\n", dir.display());
        None
    }
}

/// True under CI (`CI=true`), where a missing corpus or tool fails instead of skipping.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Runs `papertrail --library LIB ARGS...`.
pub fn papertrail(lib: &Path, args: &[&str]) -> Output {
    papertrail_env(lib, args, &[])
}

/// Runs `papertrail` with extra environment variables.
pub fn papertrail_env(lib: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_papertrail"));
    cmd.arg("--library").arg(lib).args(args).env_remove("PAPERTRAIL_LIBRARY");
    // Imports in tests embed nothing unless a test asks (embedding the corpus takes a minute);
    // the shared library is embedded once, by `embed`.
    if args.first() == Some(&"import") && !env.iter().any(|(k, _)| *k == "PAPERTRAIL_MODEL_DIR") {
        cmd.arg("--no-embed");
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run papertrail")
}

/// Stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Parses stdout as JSON.
pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}\n{}", stdout(o), stderr(o)))
}

/// A library with the six real papers imported and embedded, shared by read-only tests.
pub fn shared_library() -> Option<&'static Path> {
    static LIB: OnceLock<Option<tempfile::TempDir>> = OnceLock::new();
    LIB.get_or_init(|| {
        let corpus = corpus()?;
        let dir = tempfile::tempdir().expect("temp dir");
        let out = papertrail(dir.path(), &["import", corpus.join("pdf").to_str().unwrap()]);
        assert!(out.status.success(), "import failed: {}\n{}", stdout(&out), stderr(&out));
        // Passage vectors for search by meaning; under CI the model must be installed.
        let out = papertrail(dir.path(), &["embed"]);
        if !out.status.success() {
            assert!(!in_ci(), "embedding failed (CI=true): {}\n{}", stdout(&out), stderr(&out));
            eprintln!("\n*** the shared library has no passage vectors: {} ***\n", stderr(&out).trim());
        }
        Some(dir)
    })
    .as_ref()
    .map(|d| d.path())
}

/// The manifest rows: (file, paper id, pages, sha256).
pub fn manifest(corpus: &Path) -> Vec<(String, String, u32, String)> {
    let text = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0].to_string(), f[1].to_string(), f[5].parse().unwrap(), f[6].to_string())
        })
        .collect()
}
