//! Regression test: replays the saved fuzz corpus and every crash reproducer through the
//! targets' checks, on stable (`cargo test --manifest-path fuzz/Cargo.toml`).

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for dir in [root.join("corpus").join(target), root.join("regressions").join(target)] {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let data = std::fs::read(e.path()).unwrap();
            let result = std::panic::catch_unwind(|| check(&data));
            assert!(result.is_ok(), "{target} fails on {}", e.path().display());
            n += 1;
        }
    }
    assert!(n > 0, "no corpus for {target}");
    eprintln!("{target}: {n} inputs replayed");
}

#[test]
fn normalize_split_corpus() {
    replay("normalize_split", papertrail_fuzz::normalize_split);
}

#[test]
fn query_search_corpus() {
    replay("query_search", papertrail_fuzz::query_search);
}

#[test]
fn catalog_parse_corpus() {
    replay("catalog_parse", papertrail_fuzz::catalog_parse);
}

#[test]
fn anchor_context_corpus() {
    replay("anchor_context", papertrail_fuzz::anchor_context);
}

#[test]
fn bundle_read_corpus() {
    replay("bundle_read", papertrail_fuzz::bundle_read);
}

#[test]
fn font_prepare_corpus() {
    replay("font_prepare", papertrail_fuzz::font_prepare);
}

