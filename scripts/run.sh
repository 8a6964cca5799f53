#!/usr/bin/env bash
# Builds Papertrail and runs it: installs what is missing, builds the CLI, imports a folder of
# PDFs (default: ../shared/corpus/pdf) into the library, runs a sample search, then builds and
# launches the desktop app on that library (under Xvfb when there is no display).
#
#   bash scripts/run.sh [FOLDER] [--library DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh

FOLDER=""
LIBRARY="${PAPERTRAIL_LIBRARY:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --library) LIBRARY="$2"; shift 2 ;;
    *) FOLDER="$1"; shift ;;
  esac
done
[ -n "$FOLDER" ] || FOLDER="$(cd "$ROOT/.." && pwd)/shared/corpus/pdf"

bash scripts/setup.sh
# Debug profile: dependencies are optimized (Cargo.toml), so extraction, indexing and search
# run at full speed, and the build shares its cache with scripts/test.sh.
echo "== building the CLI"
cargo build -p papertrail-cli
PT="$CARGO_TARGET_DIR/debug/papertrail"
LIBARGS=()
[ -n "$LIBRARY" ] && LIBARGS=(--library "$LIBRARY")

if [ -d "$FOLDER" ] || [ -f "$FOLDER" ]; then
  echo "== importing $FOLDER"
  "$PT" "${LIBARGS[@]}" import "$FOLDER" || echo "(some files failed; see above)"
else
  echo "== no folder at $FOLDER: starting with the bundled catalog only"
fi
echo "== sample search: \"aha moment\""
"$PT" "${LIBARGS[@]}" search --limit 3 '"aha moment"' || true
"$PT" "${LIBARGS[@]}" papers

if [ -d src-tauri ]; then
  echo "== building the desktop app"
  npm run build --workspace ui
  cargo build -p papertrail-app --features custom-protocol
  APP="$CARGO_TARGET_DIR/debug/papertrail-app"
  echo "== launching $APP"
  if [ -n "${DISPLAY:-}" ]; then
    exec "$APP" "${LIBARGS[@]}"
  else
    exec xvfb-run -a -s "-screen 0 1280x800x24" "$APP" "${LIBARGS[@]}"
  fi
fi
