#!/usr/bin/env bash
# The release package a user installs, checked end to end (run with the benchmarks:
# `bash bench/run.sh deb`; not in CI: the release build takes half an hour on 2 cores and the
# install needs root):
#   1. `npm run bundle` builds the release app and its .deb (skip with DEB=path/to/papertrail.deb);
#   2. `apt-get install -y ./…deb` installs it as a user would;
#   3. the installed app runs under Xvfb (tests/e2e/run.sh with tests/e2e/deb-check.mjs): it
#      creates its library in the default place (an empty XDG_DATA_HOME), imports a corpus PDF
#      named on its command line (the package carries the app only, not the CLI), opens it in
#      the reader, and finds the library again after a restart;
#   4. prints the package's size, its installed size and the release build's idle memory.
# Results go to bench/results/deb.txt (and the e2e numbers to target/e2e-shots/measurements.json).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
RESULTS="$ROOT/bench/results"
mkdir -p "$RESULTS"
[ "$(id -u)" = 0 ] || { echo "deb-check: apt-get install needs root" >&2; exit 1; }

if [ -z "${DEB:-}" ]; then
  echo "== npm run bundle (release build and packages; long)"
  start=$(date +%s)
  [ -d node_modules/vite ] || npm ci --no-audit --no-fund
  npm run bundle
  echo "bundle built in $(( $(date +%s) - start )) s"
  DEB="$(ls -t "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb | head -1)"
fi
DEB="$(realpath "$DEB")"
PKG="$(dpkg-deb -f "$DEB" Package)"

echo "== apt-get install $DEB"
apt-get install -y --reinstall "$DEB"
APP="$(dpkg -L "$PKG" | grep -E '/bin/[^/]+$' | head -1)"
[ -x "$APP" ] || { echo "deb-check: the package $PKG installed no program in a bin folder" >&2; exit 1; }
echo "installed: $APP"

# The embedding model travels in the package, where the app looks for it when the user has
# none of their own (crates/core/src/search/embed.rs, model_dirs): the same bytes setup.sh checks.
MODEL_SHA256=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
PACKAGED_MODEL="$(dpkg -L "$PKG" | grep '/models/all-MiniLM-L6-v2/model.safetensors$' | head -1)"
if [ -z "$PACKAGED_MODEL" ] || [ ! -f "$(dirname "$PACKAGED_MODEL")/tokenizer.json" ]; then
  echo "deb-check: the package $PKG installed no embedding model (model.safetensors and tokenizer.json)" >&2
  exit 1
fi
got="$(sha256sum "$PACKAGED_MODEL" | cut -d' ' -f1)"
if [ "$got" != "$MODEL_SHA256" ]; then
  echo "deb-check: the packaged model $PACKAGED_MODEL has checksum $got, expected $MODEL_SHA256" >&2
  exit 1
fi
echo "packaged model: $(dirname "$PACKAGED_MODEL") (checksum holds)"

echo "== the installed app under Xvfb"
DATA_HOME="$(mktemp -d /tmp/papertrail-deb-data.XXXXXX)"
trap 'rm -rf "$DATA_HOME"' EXIT
set +e
env -u PAPERTRAIL_LIBRARY XDG_DATA_HOME="$DATA_HOME" PAPERTRAIL_APP_BINARY="$APP" \
  E2E_TESTS=tests/e2e/deb-check.mjs bash tests/e2e/run.sh 2>&1 | tee "$RESULTS/deb-e2e.log"
status=${PIPESTATUS[0]}
set -e

size=$(stat -c %s "$DEB")
installed_kb=$(dpkg-deb -f "$DEB" Installed-Size)
memory=$(grep -o 'release build, idle at the library view.*' "$RESULTS/deb-e2e.log" | head -1 || true)
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD)"
  echo "package: $(basename "$DEB") ($PKG $(dpkg-deb -f "$DEB" Version))"
  echo "package size: $size bytes ($(awk "BEGIN {printf \"%.1f\", $size / 1048576}") MiB); installed size $installed_kb KiB"
  echo "installed program: $APP"
  echo "packaged model: $(dirname "$PACKAGED_MODEL") (sha256 $MODEL_SHA256)"
  echo "${memory:-idle memory: not measured}"
  if [ "$status" = 0 ]; then echo "result: PASS (installs, starts, creates its library, imports a PDF, opens it, finds the library after a restart)"; else echo "result: FAIL (see bench/results/deb-e2e.log)"; fi
} | tee "$RESULTS/deb.txt"
exit "$status"
