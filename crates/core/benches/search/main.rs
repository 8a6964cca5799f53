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

struct Samples {
    by_kind: BTreeMap<Kind, Vec<f64>>,
}

impl Samples {
    fn new() -> Self {
        Samples { by_kind: BTreeMap::new() }
    }
    fn add(&mut self, kind: Kind, ms: f64) {
        self.by_kind.entry(kind).or_default().push(ms);
    }
    fn stats(&self, kind: Option<Kind>) -> (f64, f64, f64, usize) {
        let mut all: Vec<f64> = match kind {
            Some(k) => self.by_kind.get(&k).cloned().unwrap_or_default(),
            None => self.by_kind.values().flatten().copied().collect(),
        };
        all.sort_by(|a, b| a.partial_cmp(b).unwrap());
        (percentile(&all, 50.0), percentile(&all, 99.0), all.last().copied().unwrap_or(f64::NAN), all.len())
    }
}

fn cmd_search(args: &Args) -> serde_json::Value {
    let base = Library::open(&args.path("base")).expect("open the base library");
    let texts = synth::load_source(&base).texts;
    drop(base);
    let queries: Vec<BenchQuery> = queries::generate(&texts, args.num("per-kind", 80), args.num("seed", 11) as u64);
    drop(texts);
    let lib_dir = args.path("lib");
    let opened = Instant::now();
    let lib = Library::open(&lib_dir).expect("open the library");
    let open_ms = opened.elapsed().as_secs_f64() * 1000.0;
    if !fts::path(&lib_dir).exists() {
        fts::build(&lib_dir);
    }
    let conn = fts::open(&lib_dir);
    let opts = SearchOptions { limit: 10, ..Default::default() };
    let reps = args.num("reps", 5);
    let mut pt = Samples::new();
    let mut ft = Samples::new();
    let mut per_query: Vec<(Vec<f64>, Vec<f64>, usize)> = vec![(Vec::new(), Vec::new(), 0); queries.len()];
    let mut pt_empty: BTreeMap<Kind, usize> = BTreeMap::new();
    let mut ft_empty: BTreeMap<Kind, usize> = BTreeMap::new();
    // One unmeasured pass warms both sides' caches; then `reps` measured passes, interleaved
    // query by query, alternating which side goes first.
    for rep in 0..=reps {
        for (i, q) in queries.iter().enumerate() {
            let run_pt = || {
                let t = Instant::now();
                let r = lib.search(&q.papertrail, &opts).unwrap_or_else(|e| panic!("{:?}: {e}", q.papertrail));
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                std::hint::black_box(&r);
                (ms, r.total as usize)
            };
            let run_ft = || {
                let t = Instant::now();
                let r = fts::search(&conn, &q.fts5);
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                std::hint::black_box(&r);
                (ms, r.is_empty())
            };
            let ((a, a_empty), (b, b_empty)) = if (i + rep) % 2 == 0 {
                let a = run_pt();
                (a, run_ft())
            } else {
                let b = run_ft();
                (run_pt(), b)
            };
            per_query[i].2 = a_empty;
            let a_empty = a_empty == 0;
            if rep == 0 {
                *pt_empty.entry(q.kind).or_default() += usize::from(a_empty);
                *ft_empty.entry(q.kind).or_default() += usize::from(b_empty);
                continue;
            }
            pt.add(q.kind, a);
            ft.add(q.kind, b);
            per_query[i].0.push(a);
            per_query[i].1.push(b);
        }
    }
    let med = |v: &[f64]| {
        let mut v = v.to_vec();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        percentile(&v, 50.0)
    };
    // Per-query medians over the reps: their p99 is robust to the scheduler's preemptions on a
    // shared machine, which hit both sides alike (a few ms each).
    let median_p99 = |side: usize, kind: Option<Kind>| {
        let mut v: Vec<f64> = queries
            .iter()
            .zip(&per_query)
            .filter(|(q, _)| kind.is_none_or(|k| q.kind == k))
            .map(|(_, s)| med(if side == 0 { &s.0 } else { &s.1 }))
            .collect();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        percentile(&v, 99.0)
    };
    let mut kinds = serde_json::Map::new();
    eprintln!(
        "{}: {} queries x {reps} reps, {} passages indexed",
        lib_dir.display(),
        queries.len(),
        lib.indexed_passages()
    );
    eprintln!(
        "{:<8} {:>5} {:>10} {:>10} {:>10} {:>10} {:>8} {:>8}",
        "kind", "n", "pt p50", "pt p99", "fts p50", "fts p99", "p50 x", "p99 x"
    );
    for kind in Kind::ALL.iter().map(|k| Some(*k)).chain([None]) {
        let (p50, p99, max, n) = pt.stats(kind);
        let (f50, f99, fmax, _) = ft.stats(kind);
        let name = kind.map(|k| k.name()).unwrap_or("all");
        let (p99m, f99m) = (median_p99(0, kind), median_p99(1, kind));
        eprintln!(
            "{name:<8} {n:>5} {p50:>8.3}ms {p99:>8.3}ms {p99m:>8.3}ms {f50:>8.3}ms {f99:>8.3}ms {f99m:>8.3}ms {:>7.2} {:>7.2} {:>7.2}",
            f50 / p50,
            f99 / p99,
            f99m / p99m
        );
        kinds.insert(
            name.to_string(),
            json!({
                "samples": n,
                "papertrail": {"p50_ms": p50, "p99_ms": p99, "p99_of_query_medians_ms": p99m, "max_ms": max,
                                "zero_hit_queries": kind.map(|k| pt_empty.get(&k).copied().unwrap_or(0))},
                "fts5": {"p50_ms": f50, "p99_ms": f99, "p99_of_query_medians_ms": f99m, "max_ms": fmax,
                          "zero_hit_queries": kind.map(|k| ft_empty.get(&k).copied().unwrap_or(0))},
                "fts5_over_papertrail_p50": f50 / p50, "fts5_over_papertrail_p99": f99 / p99,
                "fts5_over_papertrail_p99_of_query_medians": f99m / p99m,
            }),
        );
    }
    let examples: Vec<String> = Kind::ALL
        .iter()
        .flat_map(|k| queries.iter().filter(|q| q.kind == *k).take(3).map(|q| q.papertrail.clone()))
        .collect();
    eprintln!("example queries: {examples:?}");
    // The slowest queries for Papertrail, by their median over the reps.
    let mut order: Vec<usize> = (0..queries.len()).collect();
    order.sort_by(|&a, &b| med(&per_query[b].0).partial_cmp(&med(&per_query[a].0)).unwrap());
    let slowest: Vec<serde_json::Value> = order
        .iter()
        .take(8)
        .map(|&i| {
            let (p, f, total) = &per_query[i];
            eprintln!(
                "slow: {:<40} {:>7} papertrail {:.3} ms  fts5 {:.3} ms  ({total} matches)",
                queries[i].papertrail,
                queries[i].kind.name(),
                med(p),
                med(f)
            );
            json!({"query": queries[i].papertrail, "kind": queries[i].kind.name(), "papertrail_ms": med(p), "fts5_ms": med(f), "matches": total})
        })
        .collect();
    eprintln!("peak RSS {:.0} MB (anon now {:.0} MB)", status_mb("VmHWM"), status_mb("RssAnon"));
    json!({
        "lib": lib_dir.display().to_string(), "queries": queries.len(), "reps": reps,
        "indexed_passages": lib.indexed_passages(), "open_ms": open_ms, "kinds": kinds,
        "example_queries": examples, "slowest": slowest,
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
        let t = Instant::now();
        let r = lib.search(&q.papertrail, &opts).expect("search");
        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
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
        "soak: {searches} searches p50 {:.3} ms p99 {:.3} ms; reindexes {:?} s; anon RSS after first reindex {:?} MB, at end {:?} MB",
        percentile(&latencies, 50.0),
        percentile(&latencies, 99.0),
        reindex_s,
        first,
        last
    );
    json!({
        "searches": searches, "reindex_s": reindex_s, "p50_ms": percentile(&latencies, 50.0),
        "p99_ms": percentile(&latencies, 99.0), "curve": curve, "peak_rss_mb": status_mb("VmHWM"),
    })
}
