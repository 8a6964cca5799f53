#!/usr/bin/env python3
"""Turns bench/results/*.json and logs into the markdown tables of BENCHMARKS.md.

usage: summarize.py RESULTS_DIR
"""

import json
import os
import re
import sys

R = sys.argv[1]


def load(name):
    p = os.path.join(R, name)
    if not os.path.exists(p):
        return None
    with open(p) as f:
        text = f.read().strip()
    try:
        return json.loads(text.splitlines()[-1]) if not text.startswith("{\n") else json.loads(text)
    except (json.JSONDecodeError, IndexError):
        return None


def max_rss_mb(name):
    p = os.path.join(R, name)
    if not os.path.exists(p):
        return None
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(p).read())
    return int(m.group(1)) / 1024 if m else None


def f(x, digits=2):
    return "—" if x is None else f"{x:.{digits}f}"


out = []
machine = os.path.join(R, "machine.txt")
if os.path.exists(machine):
    out += ["```", open(machine).read().strip(), "```", ""]

imp = load("import.json")
if imp:
    m = imp["median_s"]
    out += [
        "### Import (6 PDFs, 207 pages), medians of %d interleaved reps" % imp["reps"],
        "",
        "| papertrail import --jobs 2 | pdftotext, xargs -P2 | ratio (target ≤ 1.5) | extraction alone (-P2) | rest | importer peak RSS | worker peak RSS |",
        "|---|---|---|---|---|---|---|",
        f"| {f(m['import'])} s | {f(m['pdftotext'])} s | **{f(imp['import_over_pdftotext_median'])}** "
        f"(per rep {', '.join(f(r) for r in imp['import_over_pdftotext_per_rep'])}) | {f(m['extract_only'])} s "
        f"({100 * imp['extraction_share']:.0f}%) | {100 * imp['rest_share']:.0f}% | {f(imp['parent_peak_rss_mb'], 0)} MB "
        f"| {f(imp['worker_peak_rss_mb'], 0)} MB |",
        "",
    ]

scales = []
for tag, build in (("1x", None), ("100x", "build-100x.json"), ("10k", "build-10k.json")):
    s = load(f"search-{tag}.json")
    b = load(build) if build else None
    if s:
        scales.append((tag, s, b))

for tag, s, _ in scales:
    out += [
        f"### Search at {tag} ({s['indexed_passages']} passages; {s['queries']} queries × {s['reps']} reps, top 10 with snippets; load average {s.get('loadavg', '?').split(' ')[0]})",
        "",
        "CPU = the searching thread's CPU time (immune to preemption by the other jobs on this shared machine); wall = elapsed time.",
        "",
        "| kind | PT CPU p50 | PT CPU p99 | PT wall p50 | PT wall p99 | FTS5 CPU p50 | FTS5 CPU p99 | FTS5 wall p50 | FTS5 wall p99 | FTS5/PT CPU p50 | FTS5/PT CPU p99 | zero-hit queries PT / FTS5 |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for kind in ("rare", "common", "phrase", "number", "all"):
        k = s["kinds"].get(kind)
        if not k:
            continue
        pt, ft, x = k["papertrail"], k["fts5"], k["fts5_over_papertrail"]
        out.append(
            f"| {kind} ({k['queries']}) | {f(pt['cpu']['p50_ms'], 3)} | **{f(pt['cpu']['p99_ms'], 3)}** | {f(pt['wall']['p50_ms'], 3)} | {f(pt['wall']['p99_ms'], 3)} "
            f"| {f(ft['cpu']['p50_ms'], 3)} | {f(ft['cpu']['p99_ms'], 3)} | {f(ft['wall']['p50_ms'], 3)} | {f(ft['wall']['p99_ms'], 3)} "
            f"| {f(x['cpu_p50'])}× | **{f(x['cpu_p99'])}×** | {pt['zero_hit_queries']} / {ft['zero_hit_queries']} |"
        )
    out += ["", "Slowest Papertrail queries (median CPU ms over the reps): " + "; ".join(
        f"`{q['query']}` {f(q['papertrail_cpu_ms'], 2)} (FTS5 {f(q['fts5_cpu_ms'], 2)}, {q['matches']} matches)" for q in s.get("slowest", [])[:6]), ""]

if scales:
    out += [
        "### Growth",
        "",
        "| library | papers | passages | build | disk (db + index) | FTS5 disk | PT CPU p50 | PT CPU p99 | PT wall p99 | FTS5 CPU p99 | open | search process peak RSS |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for tag, s, b in scales:
        pt, ft = s["kinds"]["all"]["papertrail"], s["kinds"]["all"]["fts5"]
        papers = b["papers"] if b else 6
        build = f"{f(b['build_s'], 0)} s ({f(b['store_s'], 0)} store + {f(b['index_s'], 0)} index), peak {f(b['build_peak_rss_mb'], 0)} MB" if b else "import (above)"
        fts_mb = b["fts5_mb"] if b else (load("fts-1x.json") or {}).get("fts5_mb")
        out.append(
            f"| {tag} | {papers} | {s['indexed_passages']} | {build} | {f(s['disk_mb'], 0)} MB | {f(fts_mb, 0)} MB "
            f"| {f(pt['cpu']['p50_ms'], 3)} ms | {f(pt['cpu']['p99_ms'], 3)} ms | {f(pt['wall']['p99_ms'], 3)} ms | {f(ft['cpu']['p99_ms'], 3)} ms "
            f"| {f(s['open_ms'], 0)} ms | {f(max_rss_mb(f'search-{tag}.time') or s['peak_rss_mb'], 0)} MB |"
        )
    out.append("")

soak = load("soak.json")
if soak:
    out += [
        f"### Soak: {soak['searches']} searches + {len(soak['reindex_s'])} reindexes of the 100x library, one process",
        "",
        f"Search CPU p50 {f(soak['cpu_p50_ms'], 3)} ms, p99 {f(soak['cpu_p99_ms'], 3)} ms; reindexes took "
        f"{', '.join(f(x, 1) + ' s' for x in soak['reindex_s'])}; peak RSS {f(soak['peak_rss_mb'], 0)} MB.",
        "",
        "| t (s) | searches | event | RSS MB | anon MB |",
        "|---|---|---|---|---|",
    ]
    curve = soak["curve"]
    keep = [p for i, p in enumerate(curve) if p["event"] != "searching" or i % 4 == 0 or i == len(curve) - 1]
    for p in keep:
        out.append(f"| {f(p['t_s'], 1)} | {p['searches']} | {p['event']} | {f(p['rss_mb'], 0)} | {f(p['anon_mb'], 0)} |")
    out.append("")

for name, title in (("crash.log", "Crash safety"), ("concurrency.log", "Concurrency")):
    p = os.path.join(R, name)
    if os.path.exists(p):
        lines = [l for l in open(p) if l.startswith(("round", "crash test", "during one import", "test result"))]
        out += [f"### {title}", "", "```"] + [l.rstrip() for l in lines] + ["```", ""]

fuzz = []
for target in ("normalize_split", "query_search", "catalog_parse", "anchor_context", "bundle_read", "font_prepare"):
    p = os.path.join(R, f"fuzz-{target}.log")
    if os.path.exists(p):
        text = open(p, errors="replace").read()
        cov = re.findall(r"#\d+\s+DONE\s+cov: (\d+)", text)
        crash = "**crash**" if re.search(r"(deadly signal|panicked|SUMMARY: |Test unit written)", text) else "no crash"
        runs = re.search(r"Done (\d+) runs in (\d+) second", text)
        rate = re.search(r"stat::average_exec_per_sec:\s+(\d+)", text)
        added = re.search(r"stat::new_units_added:\s+(\d+)", text)
        peak = re.search(r"stat::peak_rss_mb:\s+(\d+)", text)
        g = lambda m: m.group(1) if m else "—"
        fuzz.append(
            f"| {target} | {runs.group(2) + ' s' if runs else '—'} | {runs.group(1) if runs else '—'} | {g(rate)} "
            f"| {cov[-1] if cov else '—'} | {g(added)} | {g(peak)} MB | {crash} |"
        )
if fuzz:
    out += ["### Fuzzing (libFuzzer + AddressSanitizer, nightly, on the shared 2 cores; see each log for its date)", "",
            "| target | time | runs | runs/s | coverage | inputs added | peak RSS | result |", "|---|---|---|---|---|---|---|---|"] + fuzz + [""]

print("\n".join(out))
