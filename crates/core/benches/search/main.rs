//! Search benchmark: Papertrail's core against SQLite FTS5 on the same passages and queries,
//! at 1x (the real corpus), 100x and 10,000 papers; plus a soak of searches and reindexes.
//!
//! Run through `bench/run.sh`, or by hand:
//!
//! ```text
//! cargo bench -p papertrail-core --bench search -- fts    --lib LIB
//! cargo bench -p papertrail-core --bench search -- build  --base LIB --out DIR --papers 600
//! cargo bench -p papertrail-core --bench search -- search --base LIB --lib DIR [--per-kind 80] [--reps 5]
//! cargo bench -p papertrail-core --bench search -- soak   --lib DIR [--searches 10000] [--reindexes 3]
//! cargo bench -p papertrail-core --bench search -- keystrokes --lib LIB [--reps 5] [--limit 100]
//! cargo bench -p papertrail-core --profile dev --bench search -- keystrokes --lib LIB   # the app's debug core
//! ```
//!
//! `LIB` is a library with the real corpus imported (`papertrail --library LIB import ...`).
//! Each command prints one JSON object on stdout and a readable summary on stderr.

mod fts;
mod queries;
mod synth;
mod util;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use papertrail_core::{Cancel, Library, NoEvents, SearchOptions};
use serde_json::json;

use queries::{BenchQuery, Kind};
use util::{percentile, status_mb};

struct Args {
    command: String,
    flags: BTreeMap<String, String>,
}

impl Args {
    fn parse() -> Args {
        let raw: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
        let command = raw.first().cloned().unwrap_or_default();
        let mut flags = BTreeMap::new();
        let mut it = raw.into_iter().skip(1);
        while let Some(k) = it.next() {
            let key = k.trim_start_matches("--").to_string();
            flags.insert(key, it.next().unwrap_or_default());
        }
        Args { command, flags }
    }

    fn path(&self, k: &str) -> PathBuf {
        PathBuf::from(self.flags.get(k).unwrap_or_else(|| panic!("--{k} is required")))
    }

    fn num(&self, k: &str, default: usize) -> usize {
        self.flags.get(k).map(|v| v.parse().expect("a number")).unwrap_or(default)
    }
}

fn main() {
    let args = Args::parse();
    let out = match args.command.as_str() {
        "fts" => cmd_fts(&args),
        "build" => cmd_build(&args),
        "search" => cmd_search(&args),
        "soak" => cmd_soak(&args),
        "probe" => cmd_probe(&args),
        "keystrokes" => cmd_keystrokes(&args),
        other => {
            eprintln!("unknown command {other:?}: use fts, build, search or soak (see the file's docs)");
            std::process::exit(2);
        }
    };
    println!("{}", serde_json::to_string(&out).unwrap());
}

fn cmd_fts(args: &Args) -> serde_json::Value {
    let lib = args.path("lib");
    let (secs, rows) = fts::build(&lib);
    let size = util::dir_size(&fts::path(&lib));
    eprintln!("FTS5 twin of {}: {rows} rows in {secs:.2} s, {:.1} MB", lib.display(), util::mb(size));
    json!({"fts5_build_s": secs, "fts5_rows": rows, "fts5_mb": util::mb(size)})
}

fn cmd_build(args: &Args) -> serde_json::Value {
    let base = Library::open(&args.path("base")).expect("open the base library");
    let src = synth::load_source(&base);
    drop(base);
    let out = args.path("out");
    let papers = args.num("papers", 600);
    let (store_s, index_s, passages) = synth::build(&src, &out, papers, args.num("seed", 7) as u64);
    let peak = status_mb("VmHWM");
    let (fts_s, fts_rows) = fts::build(&out);
    json!({
        "papers": papers, "passages": passages, "store_s": store_s, "index_s": index_s,
        "build_s": store_s + index_s, "disk_mb": util::mb(util::library_size(&out)),
        "db_mb": util::mb(util::dir_size(&out.join("papertrail.db")) + util::dir_size(&out.join("papertrail.db-wal"))),
        "index_mb": util::mb(util::dir_size(&out.join("index"))),
        "build_peak_rss_mb": peak,
        "fts5_build_s": fts_s, "fts5_rows": fts_rows, "fts5_mb": util::mb(util::dir_size(&fts::path(&out))),
    })
}

/// One side's timings of one query over the reps: wall-clock and this thread's CPU time (ms).
#[derive(Default, Clone)]
struct Timings {
    wall: Vec<f64>,
    cpu: Vec<f64>,
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    percentile(&v, 50.0)
}

/// p50, p99 and max over every sample, and p99 over the per-query medians, of one measure
/// (`cpu` or wall) of the queries of one kind (or all).
fn stats(per_query: &[(Kind, &Timings)], kind: Option<Kind>, cpu: bool) -> serde_json::Value {
    let pick = |t: &Timings| if cpu { t.cpu.clone() } else { t.wall.clone() };
    let chosen: Vec<&Timings> =
        per_query.iter().filter(|(k, _)| kind.is_none_or(|x| x == *k)).map(|(_, t)| *t).collect();
    let mut all: Vec<f64> = chosen.iter().flat_map(|t| pick(t)).collect();
    all.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let mut medians: Vec<f64> = chosen.iter().map(|t| median(&pick(t))).collect();
    medians.sort_by(|a, b| a.partial_cmp(b).unwrap());
    json!({
        "p50_ms": percentile(&all, 50.0), "p99_ms": percentile(&all, 99.0),
        "max_ms": all.last().copied().unwrap_or(f64::NAN), "p99_of_query_medians_ms": percentile(&medians, 99.0),
        "samples": all.len(),
    })
}

fn cpu_now_ms() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes the timespec we own; the clock id is a constant.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 * 1000.0 + ts.tv_nsec as f64 / 1e6
}

/// Runs `f`, returning its result with its wall-clock and thread CPU time in ms.
fn timed<T>(f: impl FnOnce() -> T) -> (T, f64, f64) {
    let (w, c) = (Instant::now(), cpu_now_ms());
    let out = f();
    let cpu = cpu_now_ms() - c;
    (out, w.elapsed().as_secs_f64() * 1000.0, cpu)
}

fn cmd_search(args: &Args) -> serde_json::Value {
    let base = Library::open(&args.path("base")).expect("open the base library");
    let texts = synth::load_source(&base).texts;
    drop(base);
    let queries: Vec<BenchQuery> = queries::generate(&texts, args.num("per-kind", 80), args.num("seed", 11) as u64);
    drop(texts);
    let lib_dir = args.path("lib");
    let (lib, open_ms, _) = timed(|| Library::open(&lib_dir).expect("open the library"));
    if !fts::path(&lib_dir).exists() {
        fts::build(&lib_dir);
    }
    let conn = fts::open(&lib_dir);
    let opts = SearchOptions { limit: 10, ..Default::default() };
    let reps = args.num("reps", 5);
    let mut pt = vec![Timings::default(); queries.len()];
    let mut ft = vec![Timings::default(); queries.len()];
    let mut matches = vec![(0usize, 0usize); queries.len()];
    // One unmeasured pass warms both sides' caches; then `reps` measured passes, interleaved
    // query by query, alternating which side goes first.
    for rep in 0..=reps {
        for (i, q) in queries.iter().enumerate() {
            let run_pt =
                || timed(|| lib.search(&q.papertrail, &opts).unwrap_or_else(|e| panic!("{:?}: {e}", q.papertrail)));
            let run_ft = || timed(|| fts::search(&conn, &q.fts5));
            let (a, b) = if (i + rep) % 2 == 0 {
                let a = run_pt();
                (a, run_ft())
            } else {
                let b = run_ft();
                (run_pt(), b)
            };
            if rep == 0 {
                matches[i] = (a.0.total, b.0.len());
                continue;
            }
            pt[i].wall.push(a.1);
            pt[i].cpu.push(a.2);
            ft[i].wall.push(b.1);
            ft[i].cpu.push(b.2);
        }
    }
    let pt_q: Vec<(Kind, &Timings)> = queries.iter().map(|q| q.kind).zip(pt.iter()).collect();
    let ft_q: Vec<(Kind, &Timings)> = queries.iter().map(|q| q.kind).zip(ft.iter()).collect();
    eprintln!(
        "{}: {} queries x {reps} reps, {} passages indexed, load average {}",
        lib_dir.display(),
        queries.len(),
        lib.indexed_passages(),
        std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim()
    );
    eprintln!(
        "{:<7} {:>9} {:>9} {:>9} {:>9} | {:>9} {:>9} {:>9} {:>9} | {:>7} {:>7}",
        "ms",
        "PT p50",
        "PT p99",
        "PT cpu50",
        "PT cpu99",
        "FTS p50",
        "FTS p99",
        "FTScpu50",
        "FTScpu99",
        "x cpu50",
        "x cpu99"
    );
    let mut kinds = serde_json::Map::new();
    for kind in Kind::ALL.iter().map(|k| Some(*k)).chain([None]) {
        let name = kind.map(|k| k.name()).unwrap_or("all");
        let (pw, pc, fw, fc) =
            (stats(&pt_q, kind, false), stats(&pt_q, kind, true), stats(&ft_q, kind, false), stats(&ft_q, kind, true));
        let g = |v: &serde_json::Value, k: &str| v[k].as_f64().unwrap_or(f64::NAN);
        eprintln!(
            "{name:<7} {:>9.3} {:>9.3} {:>9.3} {:>9.3} | {:>9.3} {:>9.3} {:>9.3} {:>9.3} | {:>7.2} {:>7.2}",
            g(&pw, "p50_ms"),
            g(&pw, "p99_ms"),
            g(&pc, "p50_ms"),
            g(&pc, "p99_ms"),
            g(&fw, "p50_ms"),
            g(&fw, "p99_ms"),
            g(&fc, "p50_ms"),
            g(&fc, "p99_ms"),
            g(&fc, "p50_ms") / g(&pc, "p50_ms"),
            g(&fc, "p99_ms") / g(&pc, "p99_ms"),
        );
        let in_kind = |q: &&BenchQuery| kind.is_none_or(|k| q.kind == k);
        let zero_pt = queries.iter().zip(&matches).filter(|(q, m)| in_kind(q) && m.0 == 0).count();
        let zero_ft = queries.iter().zip(&matches).filter(|(q, m)| in_kind(q) && m.1 == 0).count();
        kinds.insert(
            name.to_string(),
            json!({
                "queries": queries.iter().filter(in_kind).count(),
                "papertrail": {"wall": pw, "cpu": pc, "zero_hit_queries": zero_pt},
                "fts5": {"wall": fw, "cpu": fc, "zero_hit_queries": zero_ft},
                "fts5_over_papertrail": {
                    "wall_p50": g(&fw, "p50_ms") / g(&pw, "p50_ms"), "wall_p99": g(&fw, "p99_ms") / g(&pw, "p99_ms"),
                    "cpu_p50": g(&fc, "p50_ms") / g(&pc, "p50_ms"), "cpu_p99": g(&fc, "p99_ms") / g(&pc, "p99_ms"),
                },
            }),
        );
    }
    let examples: Vec<String> = Kind::ALL
        .iter()
        .flat_map(|k| queries.iter().filter(|q| q.kind == *k).take(3).map(|q| q.papertrail.clone()))
        .collect();
    eprintln!("example queries: {examples:?}");
    // The slowest queries for Papertrail, by the median of their CPU time over the reps.
    let mut order: Vec<usize> = (0..queries.len()).collect();
    order.sort_by(|&a, &b| median(&pt[b].cpu).partial_cmp(&median(&pt[a].cpu)).unwrap());
    let slowest: Vec<serde_json::Value> = order
        .iter()
        .take(10)
        .map(|&i| {
            let q = &queries[i];
            let (p_cpu, p_wall, f_cpu) = (median(&pt[i].cpu), median(&pt[i].wall), median(&ft[i].cpu));
            eprintln!(
                "slow: {:<36} {:>6} PT cpu {p_cpu:.3} ms (wall {p_wall:.3})  FTS5 cpu {f_cpu:.3} ms  ({} matches)",
                q.papertrail,
                q.kind.name(),
                matches[i].0
            );
            json!({"query": q.papertrail, "kind": q.kind.name(), "papertrail_cpu_ms": p_cpu, "papertrail_wall_ms": p_wall,
                   "fts5_cpu_ms": f_cpu, "matches": matches[i].0})
        })
        .collect();
    eprintln!("peak RSS {:.0} MB (anon now {:.0} MB)", status_mb("VmHWM"), status_mb("RssAnon"));
    json!({
        "lib": lib_dir.display().to_string(), "queries": queries.len(), "reps": reps,
        "indexed_passages": lib.indexed_passages(), "open_ms": open_ms, "kinds": kinds,
        "example_queries": examples, "slowest": slowest,
        "loadavg": std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim(),
        "peak_rss_mb": status_mb("VmHWM"), "rss_anon_mb": status_mb("RssAnon"), "rss_file_mb": status_mb("RssFile"),
        "disk_mb": util::mb(util::library_size(&lib_dir)),
    })
}

fn cmd_soak(args: &Args) -> serde_json::Value {
    let lib_dir = args.path("lib");
    let base = args.flags.get("base").map(PathBuf::from).unwrap_or_else(|| lib_dir.clone());
    let texts = {
        let b = Library::open(&base).expect("open the base library");
        synth::load_source(&b).texts
    };
    let queries = queries::generate(&texts, 100, 23);
    drop(texts);
    let lib = Library::open(&lib_dir).expect("open the library");
    let searches = args.num("searches", 10_000);
    let reindexes = args.num("reindexes", 3).max(1);
    let opts = SearchOptions { limit: 10, ..Default::default() };
    let every = searches / reindexes;
    let mut curve = Vec::new();
    let started = Instant::now();
    let sample = |label: &str, done: usize, curve: &mut Vec<serde_json::Value>| {
        let point = json!({"t_s": started.elapsed().as_secs_f64(), "searches": done, "event": label,
                           "rss_mb": status_mb("VmRSS"), "anon_mb": status_mb("RssAnon"), "hwm_mb": status_mb("VmHWM")});
        eprintln!("{point}");
        curve.push(point);
    };
    sample("start", 0, &mut curve);
    let mut latencies = Vec::with_capacity(searches);
    let mut reindex_s = Vec::new();
    for i in 0..searches {
        let q = &queries[i % queries.len()];
        let (r, _, cpu) = timed(|| lib.search(&q.papertrail, &opts).expect("search"));
        latencies.push(cpu);
        std::hint::black_box(r);
        if (i + 1) % 500 == 0 {
            sample("searching", i + 1, &mut curve);
        }
        if (i + 1) % every == 0 && reindex_s.len() < reindexes {
            let t = Instant::now();
            lib.reindex(&NoEvents, &Cancel::new()).expect("reindex");
            reindex_s.push(t.elapsed().as_secs_f64());
            sample("after reindex", i + 1, &mut curve);
        }
    }
    latencies.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let first = curve.iter().find(|p| p["event"] == "after reindex").map(|p| p["anon_mb"].as_f64().unwrap());
    let last = curve.last().map(|p| p["anon_mb"].as_f64().unwrap());
    eprintln!(
        "soak: {searches} searches, CPU time p50 {:.3} ms p99 {:.3} ms; reindexes {:?} s; anon RSS after first reindex {:?} MB, at end {:?} MB",
        percentile(&latencies, 50.0),
        percentile(&latencies, 99.0),
        reindex_s,
        first,
        last
    );
    json!({
        "searches": searches, "reindex_s": reindex_s, "cpu_p50_ms": percentile(&latencies, 50.0),
        "cpu_p99_ms": percentile(&latencies, 99.0), "curve": curve, "peak_rss_mb": status_mb("VmHWM"),
    })
}

/// Times one query again and again in one process: `probe --lib DIR --query Q [--n 20]`.
fn cmd_probe(args: &Args) -> serde_json::Value {
    let lib = Library::open(&args.path("lib")).expect("open the library");
    let q = args.flags.get("query").expect("--query is required").clone();
    let opts = SearchOptions { limit: args.num("limit", 10), ..Default::default() };
    let mut times = Vec::new();
    let mut total = 0;
    for _ in 0..args.num("n", 20) {
        let (r, wall, cpu) = timed(|| lib.search(&q, &opts).expect("search"));
        times.push((wall, cpu));
        total = r.total;
    }
    let r3 = |t: f64| (t * 1000.0).round() / 1000.0;
    eprintln!(
        "{q:?}: {total} matches; (wall, cpu) ms: {:?}",
        times.iter().map(|t| (r3(t.0), r3(t.1))).collect::<Vec<_>>()
    );
    json!({"query": q, "matches": total, "wall_cpu_ms": times})
}

/// The queries the app's end-to-end test types a key at a time (`tests/e2e/corpus.test.mjs`).
const TYPED: &[&str] =
    &["aha moment", "GRPO", "2.788M", "$5.576M", "93.3%", "multi-token prediction", "H800", "distillation"];

/// Search as you type: every prefix of each typed query (what the Search view asks on each
/// keystroke, 100 hits with snippets), `reps` times each after one unmeasured pass:
/// `keystrokes --lib LIB [--reps 5] [--limit 100]`.
fn cmd_keystrokes(args: &Args) -> serde_json::Value {
    let lib = Library::open(&args.path("lib")).expect("open the library");
    let opts = SearchOptions { limit: args.num("limit", 100), ..Default::default() };
    let reps = args.num("reps", 5);
    let typed: Vec<String> = TYPED
        .iter()
        .flat_map(|q| (1..=q.chars().count()).map(move |n| q.chars().take(n).collect::<String>()))
        .filter(|q| !q.trim().is_empty())
        .collect();
    let mut rows = Vec::new();
    let mut medians = Vec::new();
    for q in &typed {
        let mut cpu = Vec::new();
        let mut wall = Vec::new();
        let mut answer = None;
        for rep in 0..=reps {
            let (r, w, c) = timed(|| lib.search(q, &opts));
            if rep > 0 {
                cpu.push(c);
                wall.push(w);
            }
            answer = Some(r);
        }
        let (total, hits, fuzzy) = match answer.expect("one rep") {
            Ok(r) => (r.total, r.hits.len(), r.fuzzy),
            Err(_) => (0, 0, false),
        };
        let m = median(&cpu);
        medians.push(m);
        rows.push(
            json!({"query": q, "cpu_ms": m, "wall_ms": median(&wall), "total": total, "hits": hits, "fuzzy": fuzzy}),
        );
    }
    medians.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let mut order: Vec<&serde_json::Value> = rows.iter().collect();
    order.sort_by(|a, b| b["cpu_ms"].as_f64().partial_cmp(&a["cpu_ms"].as_f64()).unwrap());
    for r in order.iter().take(12) {
        eprintln!(
            "slow: {:<26} cpu {:>8.3} ms  {:>4} hits of {:>4}{}",
            r["query"].as_str().unwrap_or_default(),
            r["cpu_ms"].as_f64().unwrap_or(f64::NAN),
            r["hits"],
            r["total"],
            if r["fuzzy"].as_bool() == Some(true) { "  (close spellings)" } else { "" }
        );
    }
    let (p50, p95, max) =
        (percentile(&medians, 50.0), percentile(&medians, 95.0), medians.last().copied().unwrap_or(f64::NAN));
    eprintln!(
        "{} keystrokes x {reps} reps, limit {}: per-keystroke median CPU p50 {p50:.3} ms, p95 {p95:.3} ms, max {max:.3} ms; load average {}",
        typed.len(),
        opts.limit,
        std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim()
    );
    json!({"keystrokes": typed.len(), "reps": reps, "limit": opts.limit, "cpu_p50_ms": p50, "cpu_p95_ms": p95,
           "cpu_max_ms": max, "queries": rows, "debug_assertions": cfg!(debug_assertions),
           "loadavg": std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim()})
}
