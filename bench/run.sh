#!/usr/bin/env bash
# Reproduces every number in BENCHMARKS.md. Usage:
#
#   bash bench/run.sh                 # everything (about 90 minutes on 2 cores, 12 GB of disk)
#   bash bench/run.sh import search   # only some parts: import search scale soak crash concurrency fuzz deb
#
# `deb` (scripts/deb-check.sh, root only) builds the release .deb, installs it with apt-get and
# runs the installed app under Xvfb; it is not in the default set (about 30 minutes more).
#
# Environment: CORPUS (default ../shared/corpus), BENCH_WORK (libraries, default
# /var/tmp/papertrail-bench), CARGO_TARGET_DIR (default target/bench), IMPORT_REPS (5),
# SEARCH_REPS (5), QUERIES_PER_KIND (80), SCALE_PAPERS (10000), CRASH_KILLS (20),
# FUZZ_SECONDS (600 per target). Results go to bench/results/ (JSON and logs).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CORPUS="${CORPUS:-$ROOT/../shared/corpus}"
WORK="${BENCH_WORK:-/var/tmp/papertrail-bench}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target/bench}"
RESULTS="$ROOT/bench/results"
PARTS="${*:-import search scale soak crash concurrency fuzz}"
mkdir -p "$WORK" "$RESULTS"

want() { [[ " $PARTS " == *" $1 "* ]]; }
say() { printf '\n== %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }

if [ ! -f "$CORPUS/MANIFEST.tsv" ]; then
  echo "*** the corpus is missing at $CORPUS: set CORPUS ***" >&2
  exit 1
fi
for tool in pdftotext python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install poppler-utils python3 time)" >&2; exit 1; }
done

say "machine"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- crates ':!crates/core/benches' || echo ' (crates modified)')"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(nproc) cores"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "rustc: $(rustc -V)"
  echo "pdftotext: $(pdftotext -v 2>&1 | head -1)"
} | tee "$RESULTS/machine.txt"

say "release builds"
cargo build --release -p papertrail-cli
BIN="$CARGO_TARGET_DIR/release/papertrail"
BENCH_BIN="$(cargo bench -p papertrail-core --bench search --no-run --message-format=json 2>/dev/null |
  python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "search" and m.get("executable"):
        print(m["executable"])' | tail -1)"
echo "papertrail: $BIN"
echo "search bench: $BENCH_BIN"

# /usr/bin/time -v's peak RSS of a command, appended to a log.
timed() { local log="$1"; shift; /usr/bin/time -v "$@" 2> >(tee "$log" >&2); }

if want import; then
  say "import vs pdftotext -P2 (${IMPORT_REPS:-5} reps, interleaved)"
  python3 "$ROOT/bench/import_bench.py" "$BIN" "$CORPUS/pdf" "${IMPORT_REPS:-5}" "$RESULTS/import.json" 2>&1 |
    tee "$RESULTS/import.log"
  say "import of the wild set (52 papers of all ages) vs pdftotext -P2 (${IMPORT_REPS:-3} reps; OCR not included)"
  python3 "$ROOT/bench/import_bench.py" "$BIN" "$CORPUS/wild" "${IMPORT_REPS:-3}" "$RESULTS/import-wild.json" 2>&1 |
    tee "$RESULTS/import-wild.log"
fi

LIB1="$WORK/lib-1x"
if want search || want scale || want soak; then
  if [ ! -f "$LIB1/papertrail.db" ]; then
    say "base library (the corpus)"
    "$BIN" --library "$LIB1" import "$CORPUS/pdf" >/dev/null
    "$BENCH_BIN" fts --lib "$LIB1" >"$RESULTS/fts-1x.json"
  fi
fi

LIB100="$WORK/lib-100x"
if want search || want soak; then
  if [ ! -f "$LIB100/papertrail.db" ]; then
    say "synthetic library 100x (600 papers)"
    timed "$RESULTS/build-100x.time" "$BENCH_BIN" build --base "$LIB1" --out "$LIB100" --papers 600 >"$RESULTS/build-100x.json"
  fi
fi

if want search; then
  for scale in 1x 100x; do
    say "search $scale: Papertrail vs FTS5, same queries, same run"
    timed "$RESULTS/search-$scale.time" "$BENCH_BIN" search --base "$LIB1" --lib "$WORK/lib-$scale" \
      --per-kind "${QUERIES_PER_KIND:-80}" --reps "${SEARCH_REPS:-5}" >"$RESULTS/search-$scale.json"
  done
fi

LIB10K="$WORK/lib-10k"
if want scale; then
  if [ ! -f "$LIB10K/papertrail.db" ]; then
    say "synthetic library of ${SCALE_PAPERS:-10000} papers"
    timed "$RESULTS/build-10k.time" "$BENCH_BIN" build --base "$LIB1" --out "$LIB10K" --papers "${SCALE_PAPERS:-10000}" \
      >"$RESULTS/build-10k.json"
  fi
  say "search at ${SCALE_PAPERS:-10000} papers"
  timed "$RESULTS/search-10k.time" "$BENCH_BIN" search --base "$LIB1" --lib "$LIB10K" \
    --per-kind "${QUERIES_PER_KIND:-80}" --reps "${SEARCH_REPS_10K:-3}" >"$RESULTS/search-10k.json"
fi

if want soak; then
  say "soak: 10,000 searches and 3 reindexes of the 100x library in one process"
  timed "$RESULTS/soak.time" "$BENCH_BIN" soak --base "$LIB1" --lib "$LIB100" --searches 10000 --reindexes 3 \
    >"$RESULTS/soak.json"
fi

if want crash; then
  say "crash safety: ${CRASH_KILLS:-20} kill -9s, fresh library and full re-import after each"
  PAPERTRAIL_CORPUS="$CORPUS" PAPERTRAIL_CRASH_KILLS="${CRASH_KILLS:-20}" PAPERTRAIL_CRASH_FRESH=1 \
    cargo test --release -p papertrail-cli --test cli crash::killing -- --nocapture 2>&1 | tee "$RESULTS/crash.log"
fi

if want concurrency; then
  say "concurrency: search during an import, second writers"
  PAPERTRAIL_CORPUS="$CORPUS" cargo test --release -p papertrail-cli --test cli crash::searching -- --nocapture 2>&1 |
    tee "$RESULTS/concurrency.log"
fi

if want fuzz; then
  say "fuzzing: ${FUZZ_SECONDS:-600} s per target"
  if command -v cargo-fuzz >/dev/null && rustup run nightly rustc -V >/dev/null 2>&1; then
    (
      cd "$ROOT"
      for target in normalize_split query_search catalog_parse anchor_context bundle_read font_prepare; do
        mkdir -p "$WORK/fuzz-corpus/$target"
        cargo +nightly fuzz run "$target" "$WORK/fuzz-corpus/$target" "fuzz/corpus/$target" -- \
          -max_total_time="${FUZZ_SECONDS:-600}" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 2>&1 |
          grep -aE '^(#[0-9]+[[:space:]]+(INITED|DONE)|Done|stat::|==[0-9]+==|SUMMARY|.*panicked|.*deadly signal|artifact_prefix|Test unit written)' |
          tee "$RESULTS/fuzz-$target.log" || true
      done
    )
  else
    echo "cargo-fuzz or a nightly toolchain is missing: cargo install cargo-fuzz; rustup toolchain install nightly" >&2
  fi
  # Any crash lands in fuzz/artifacts/TARGET/: move it to fuzz/regressions/TARGET/ and commit it.
  (cd "$ROOT/fuzz" && cargo test --release 2>&1 | grep -E '^test |test result')
fi

if want deb; then
  say "the release package: build, apt-get install, start, import, open (scripts/deb-check.sh)"
  bash "$ROOT/scripts/deb-check.sh" || echo "deb check failed: see $RESULTS/deb.txt" >&2
fi

say "summary"
python3 "$ROOT/bench/summarize.py" "$RESULTS" | tee "$RESULTS/summary.md"
