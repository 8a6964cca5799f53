#!/usr/bin/env python3
"""Import benchmark: `papertrail import` of the corpus into a fresh library against
`pdftotext` on the same files with the same parallelism (xargs -P2), interleaved in one run,
plus extraction alone (the hidden worker per file, -P2) to split extraction from the rest,
and the peak RSS of the importer and of each extraction worker.

usage: import_bench.py PAPERTRAIL_BIN PDF_DIR REPS OUT.json
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BIN, PDF_DIR, REPS, OUT = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
PDFS = sorted(os.path.join(PDF_DIR, f) for f in os.listdir(PDF_DIR) if f.endswith(".pdf"))
WORKER_ARG = "__papertrail-extract-worker"


def xargs_p2(template):
    """Runs `printf files | xargs -P2 -n1 sh -c TEMPLATE`; returns wall seconds."""
    started = time.perf_counter()
    subprocess.run(
        ["xargs", "-0", "-P2", "-n1", "sh", "-c", template, "sh"],
        input=b"\0".join(p.encode() for p in PDFS),
        check=True,
    )
    return time.perf_counter() - started


def pdftotext(out_dir):
    return xargs_p2(f'pdftotext "$1" "{out_dir}/$(basename "$1").txt"')


def extract_only(out_dir):
    return xargs_p2(f'"{BIN}" {WORKER_ARG} "$1" "{out_dir}/$(basename "$1").json"')


def status_kb(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def children(pid):
    """Child processes of every thread of `pid` (the importer starts workers from its threads)."""
    out = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for t in tasks:
        try:
            with open(f"/proc/{pid}/task/{t}/children") as f:
                out += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out


def import_fresh(sample_memory=False):
    """Imports the corpus into a fresh library; returns (seconds, parent peak MB, worker peak MB).

    Memory is sampled only when asked: polling /proc every few milliseconds takes CPU from the
    two cores the import runs on, so the timed runs are not watched (the peaks are 0 then)."""
    with tempfile.TemporaryDirectory(prefix="pt-bench-lib-") as lib:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [BIN, "--library", lib, "import", "--jobs", "2", "--no-ocr", "--no-embed", PDF_DIR],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        peaks = {"parent": 0, "worker": 0}
        done = threading.Event()

        def sample():
            # VmHWM is a high-water mark: the last reading before exit is the peak so far.
            while not done.is_set():
                hwm = status_kb(proc.pid, "VmHWM")
                if hwm:
                    peaks["parent"] = max(peaks["parent"], hwm)
                for c in children(proc.pid):
                    w = status_kb(c, "VmHWM")
                    if w:
                        peaks["worker"] = max(peaks["worker"], w)
                time.sleep(0.003)

        t = threading.Thread(target=sample) if sample_memory else None
        if t:
            t.start()
        rc = proc.wait()
        elapsed = time.perf_counter() - started
        done.set()
        if t:
            t.join()
        if rc != 0:
            raise SystemExit(f"import failed with exit {rc}")
        return elapsed, peaks["parent"] / 1024, peaks["worker"] / 1024


def main():
    rows = {"pdftotext": [], "extract_only": [], "import": [], "parent_peak_mb": [], "worker_peak_mb": []}
    # One warm-up of each side (page cache, binaries), unmeasured.
    with tempfile.TemporaryDirectory() as d:
        pdftotext(d)
        extract_only(d)
    import_fresh()
    for rep in range(REPS):
        order = ["import", "pdftotext", "extract_only"]
        if rep % 2:
            order.reverse()
        for side in order:
            with tempfile.TemporaryDirectory(prefix="pt-bench-out-") as d:
                if side == "pdftotext":
                    rows["pdftotext"].append(pdftotext(d))
                elif side == "extract_only":
                    rows["extract_only"].append(extract_only(d))
                else:
                    rows["import"].append(import_fresh()[0])
        print(
            f"rep {rep + 1}: import {rows['import'][-1]:.2f} s, pdftotext -P2 {rows['pdftotext'][-1]:.2f} s, "
            f"extraction alone {rows['extract_only'][-1]:.2f} s",
            file=sys.stderr,
        )
    # Peak memory from runs of their own, after the timed ones.
    for _ in range(2):
        _, parent, worker = import_fresh(sample_memory=True)
        rows["parent_peak_mb"].append(parent)
        rows["worker_peak_mb"].append(worker)
    med = {k: statistics.median(v) for k, v in rows.items()}
    ratios = [i / p for i, p in zip(rows["import"], rows["pdftotext"])]
    result = {
        "files": len(PDFS),
        "reps": REPS,
        "samples": rows,
        "median_s": {k: med[k] for k in ("import", "pdftotext", "extract_only")},
        "import_over_pdftotext_median": med["import"] / med["pdftotext"],
        "import_over_pdftotext_per_rep": ratios,
        "extraction_share": med["extract_only"] / med["import"],
        "rest_share": max(0.0, med["import"] - med["extract_only"]) / med["import"],
        "parent_peak_rss_mb": max(rows["parent_peak_mb"]),
        "worker_peak_rss_mb": max(rows["worker_peak_mb"]),
    }
    with open(OUT, "w") as f:
        json.dump(result, f, indent=1)
    print(
        f"import {med['import']:.2f} s vs pdftotext -P2 {med['pdftotext']:.2f} s: ratio {result['import_over_pdftotext_median']:.2f} "
        f"(per rep {', '.join(f'{r:.2f}' for r in ratios)}); extraction alone {med['extract_only']:.2f} s = "
        f"{100 * result['extraction_share']:.0f}% of the import, the rest {100 * result['rest_share']:.0f}%; "
        f"peak RSS importer {result['parent_peak_rss_mb']:.0f} MB, worker {result['worker_peak_rss_mb']:.0f} MB",
        file=sys.stderr,
    )


main()
