//! Search-by-meaning benchmark: hybrid `suggest` latency and vector storage.
//!
//! ```text
//! cargo bench -p papertrail-core --bench meaning -- fill    --base LIB --lib DIR
//! cargo bench -p papertrail-core --bench meaning -- suggest --lib DIR [--reps 5]
//! ```
//!
//! `fill` gives every body passage of DIR (a synthetic library built by the search benchmark
//! from LIB) a vector copied from a random embedded passage of LIB: the cost of a query
//! depends on how many windows there are, not on what they say. `suggest` times
//! `Library::suggest` (words and meaning fused; run it with `PAPERTRAIL_MODEL_DIR=/nonexistent`
//! for words only) on the catalog's claims and the paraphrased claims of the CLI tests, with the
//! model and the vectors already loaded, then `Library::suggest_for_claim` on the library's
//! stored claims (whose vectors are kept after their first suggestions), and prints p50/p99
//! of both, the process's CPU time per query,
//! the two parts meaning adds timed alone (the claim's vector, the scan of every window), the
//! load average and the vector storage.

use std::path::PathBuf;
use std::time::Instant;

use papertrail_core::{Library, NoEvents};

fn flag(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

/// CPU time of the whole process (every thread), in seconds.
fn cpu_seconds() -> f64 {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: a valid out-pointer for clock_gettime.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 + t.tv_nsec as f64 / 1e9
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

fn main() {
    let command = std::env::args().skip(1).find(|a| !a.starts_with("--")).unwrap_or_default();
    let lib_dir = PathBuf::from(flag("--lib").expect("--lib DIR"));
    let lib = Library::open(&lib_dir).expect("open library");
    let _ = NoEvents;
    match command.as_str() {
        "fill" => {
            let base = Library::open(&PathBuf::from(flag("--base").expect("--base LIB"))).expect("open base");
            let blobs: Vec<Vec<u8>> = {
                let conn = base.conn();
                let mut stmt = conn.prepare("SELECT data FROM passage_vectors").unwrap();
                stmt.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect()
            };
            assert!(!blobs.is_empty(), "the base library has no vectors: run `papertrail embed` on it");
            let conn = lib.conn();
            let ids: Vec<i64> = conn
                .prepare("SELECT id FROM passages p WHERE section = 'body' AND NOT EXISTS (SELECT 1 FROM passage_vectors v WHERE v.passage_id = p.id)")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            let mut seed = 0x9E37_79B9_7F4A_7C15u64;
            for chunk in ids.chunks(5000) {
                let tx = conn.unchecked_transaction().unwrap();
                for id in chunk {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    let blob = &blobs[(seed % blobs.len() as u64) as usize];
                    tx.execute("INSERT INTO passage_vectors (passage_id, data) VALUES (?1, ?2)", (id, blob)).unwrap();
                }
                tx.execute("INSERT INTO meta (key, value) VALUES ('vectors_revision', '1') ON CONFLICT (key) DO UPDATE SET value = value + 1", []).unwrap();
                tx.commit().unwrap();
            }
            let model: Option<String> =
                base.conn().query_row("SELECT value FROM meta WHERE key = 'vectors_model'", [], |r| r.get(0)).ok();
            if let Some(m) = model {
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('vectors_model', ?1)", [m]).unwrap();
            }
            eprintln!("filled {} passages", ids.len());
        }
        "suggest" => {
            let reps: usize = flag("--reps").map(|r| r.parse().unwrap()).unwrap_or(5);
            let mut claims: Vec<String> = lib.claims().unwrap().into_iter().map(|c| c.text).collect();
            let fixture = include_str!("../../../tests/cli/fixtures/paraphrased_claims.tsv");
            claims.extend(
                fixture
                    .lines()
                    .filter(|l| !l.starts_with('#') && !l.starts_with("claim\t") && !l.trim().is_empty())
                    .map(|l| l.split('\t').next().unwrap().to_string()),
            );
            let started = Instant::now();
            let warm = lib.suggest(&claims[0], 5).unwrap();
            let first_ms = started.elapsed().as_secs_f64() * 1000.0;
            let by_meaning = warm.iter().any(|s| s.matched_by.iter().any(|m| m == "meaning"));
            let mut times = Vec::new();
            let cpu_started = cpu_seconds();
            for _ in 0..reps {
                for c in &claims {
                    let t = Instant::now();
                    let s = lib.suggest(c, 5).unwrap();
                    times.push(t.elapsed().as_secs_f64() * 1000.0);
                    assert!(!s.is_empty());
                }
            }
            let cpu_ms = (cpu_seconds() - cpu_started) * 1000.0 / times.len() as f64;
            times.sort_by(f64::total_cmp);
            // Stored claims, as the app and `claim suggest ID` ask: a claim's vector is made on
            // its first suggestions (the warm-up pass) and kept, so later ones skip the model.
            let ids: Vec<String> = lib.claims().unwrap().into_iter().map(|c| c.id).collect();
            for id in &ids {
                lib.suggest_for_claim(id, 5).unwrap();
            }
            let mut stored = Vec::new();
            let stored_started = cpu_seconds();
            for _ in 0..reps {
                for id in &ids {
                    let t = Instant::now();
                    std::hint::black_box(lib.suggest_for_claim(id, 5).unwrap());
                    stored.push(t.elapsed().as_secs_f64() * 1000.0);
                }
            }
            let stored_cpu_ms = (cpu_seconds() - stored_started) * 1000.0 / stored.len().max(1) as f64;
            stored.sort_by(f64::total_cmp);
            // The two parts search by meaning adds, timed on their own: the claim's vector and
            // the scan of every window.
            let (mut embed, mut scan) = (Vec::new(), Vec::new());
            let (mut embed_cpu, mut scan_cpu) = (0.0, 0.0);
            if let Some(embedder) = papertrail_core::search::vectors::shared_embedder().unwrap() {
                let set = lib.vector_set().unwrap();
                for _ in 0..reps {
                    for c in &claims {
                        let (t, c0) = (Instant::now(), cpu_seconds());
                        let q = embedder.embed_query(c).unwrap();
                        embed.push(t.elapsed().as_secs_f64() * 1000.0);
                        let (t, c1) = (Instant::now(), cpu_seconds());
                        std::hint::black_box(set.nearest(&q, 40));
                        scan.push(t.elapsed().as_secs_f64() * 1000.0);
                        embed_cpu += c1 - c0;
                        scan_cpu += cpu_seconds() - c1;
                    }
                }
                embed.sort_by(f64::total_cmp);
                scan.sort_by(f64::total_cmp);
            }
            let per = |total: f64| if embed.is_empty() { 0.0 } else { total * 1000.0 / embed.len() as f64 };
            let (embed_p50, embed_p99, scan_p50, scan_p99) = if embed.is_empty() {
                (0.0, 0.0, 0.0, 0.0)
            } else {
                (percentile(&embed, 50.0), percentile(&embed, 99.0), percentile(&scan, 50.0), percentile(&scan, 99.0))
            };
            let (passages, vectors, windows_bytes): (i64, i64, i64) = lib
                .conn()
                .query_row(
                    "SELECT (SELECT count(*) FROM passages), (SELECT count(*) FROM passage_vectors), (SELECT COALESCE(sum(length(data)), 0) FROM passage_vectors)",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .unwrap();
            let out = serde_json::json!({
                "by_meaning": by_meaning,
                "claims": claims.len(),
                "queries": times.len(),
                "first_query_ms": first_ms,
                "p50_ms": percentile(&times, 50.0),
                "p99_ms": percentile(&times, 99.0),
                "cpu_ms_per_query": cpu_ms,
                "stored_claims": ids.len(),
                "stored_claim_p50_ms": if stored.is_empty() { 0.0 } else { percentile(&stored, 50.0) },
                "stored_claim_p99_ms": if stored.is_empty() { 0.0 } else { percentile(&stored, 99.0) },
                "stored_claim_cpu_ms_per_query": stored_cpu_ms,
                "claim_vector_p50_ms": embed_p50,
                "claim_vector_p99_ms": embed_p99,
                "claim_vector_cpu_ms": per(embed_cpu),
                "scan_p50_ms": scan_p50,
                "scan_p99_ms": scan_p99,
                "scan_cpu_ms": per(scan_cpu),
                "load_average": std::fs::read_to_string("/proc/loadavg").unwrap_or_default().split(' ').take(3).collect::<Vec<_>>().join(" "),
                "passages": passages,
                "passages_with_vectors": vectors,
                "windows": windows_bytes / papertrail_core::search::vectors::WINDOW_BYTES as i64,
                "vector_bytes": windows_bytes,
                "vector_bytes_per_1000_passages": if vectors > 0 { windows_bytes * 1000 / vectors } else { 0 },
            });
            println!("{out}");
        }
        other => panic!("unknown command {other:?}: fill or suggest"),
    }
}
