#!/usr/bin/env bash
# End-to-end tests of the real desktop app: builds the UI and the app (with the UI embedded),
# installs tauri-driver if missing, starts Xvfb and tauri-driver, runs tests/e2e/*.test.mjs
# with node's test runner (or only the files named in E2E_TESTS, e.g.
# E2E_TESTS=tests/e2e/anchoring.test.mjs), and stops everything. Screenshots go to
# target/e2e-shots/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# The app builds in its own target folder (PAPERTRAIL_APP_TARGET), else in CARGO_TARGET_DIR when
# CI gives one that outlives the clone, else in target/tauri; tauri-driver is kept beside it.
export CARGO_TARGET_DIR="${PAPERTRAIL_APP_TARGET:-${CARGO_TARGET_DIR:-$ROOT/target/tauri}}"
TOOLS="$CARGO_TARGET_DIR/e2e-tools"
SHOTS="${E2E_SHOTS:-$ROOT/target/e2e-shots}"   # E2E_SHOTS: a folder of its own for a run beside others
CORPUS="${CORPUS:-$(cd "$ROOT/.." && pwd)/shared/corpus}"
[ -d "$CORPUS/pdf" ] || CORPUS="/work/shared/corpus"
[ -d "$CORPUS/pdf" ] || { echo "e2e: corpus not found (set CORPUS)"; exit 1; }

step() { printf '\n== %s\n' "$*"; }

step "UI dependencies and build"
[ -d node_modules/vite ] || npm ci --no-audit --no-fund
npm run build --workspace ui

if [ -n "${PAPERTRAIL_APP_BINARY:-}" ]; then
  APP="$(realpath "$PAPERTRAIL_APP_BINARY")"   # e.g. a release build from `npm run bundle`
  step "testing the given app binary $APP"
else
  step "app build (debug, UI embedded)"
  cargo build -p papertrail-app --features custom-protocol
  APP="$CARGO_TARGET_DIR/debug/papertrail-app"
fi

step "CLI build (debug; tests prepare libraries with it)"
cargo build -p papertrail-cli
CLI="$CARGO_TARGET_DIR/debug/papertrail"

if [ ! -x "$TOOLS/bin/tauri-driver" ]; then
  step "installing tauri-driver into $TOOLS"
  cargo install tauri-driver --locked --version '^2' --root "$TOOLS"
fi
command -v WebKitWebDriver >/dev/null || { echo "e2e: WebKitWebDriver missing (apt-get install webkit2gtk-driver)"; exit 1; }
command -v Xvfb >/dev/null || { echo "e2e: Xvfb missing (apt-get install xvfb)"; exit 1; }

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

# a free display and a free port
DISPLAY_NUM=99
while [ -e "/tmp/.X11-unix/X$DISPLAY_NUM" ] || [ -e "/tmp/.X$DISPLAY_NUM-lock" ]; do DISPLAY_NUM=$((DISPLAY_NUM + 1)); done
PORT=4444
while (echo >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do PORT=$((PORT + 1)); done
NATIVE_PORT=$((PORT + 100))

# the app keeps its settings and window state in the user's config folder: the app started by
# tauri-driver gets an empty one of its own, so no run sees another's (or the user's) theme or
# window size
E2E_CONFIG="$(mktemp -d /tmp/papertrail-e2e-config.XXXXXX)"
trap 'cleanup; rm -rf "$E2E_CONFIG"' EXIT INT TERM
export XDG_CONFIG_HOME="$E2E_CONFIG"

# The app and the CLI embed passages after every import when the model is installed; on two
# cores that background work would be timed by the tests of the app's own speed (search as
# you type, page drawing). Search by meaning is tested by the CLI tests (tests/cli/meaning.rs);
# here the model is out of reach unless E2E_MODEL_DIR names it. Set before tauri-driver
# starts: the app inherits its environment.
export PAPERTRAIL_MODEL_DIR="${E2E_MODEL_DIR:-$ROOT/target/e2e-no-model}"

step "Xvfb :$DISPLAY_NUM and tauri-driver on port $PORT"
mkdir -p "$SHOTS"
rm -f "$SHOTS"/*.png
Xvfb ":$DISPLAY_NUM" -screen 0 1280x800x24 -nolisten tcp >"$SHOTS/xvfb.log" 2>&1 &
PIDS+=($!)
export DISPLAY=":$DISPLAY_NUM"
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$DISPLAY_NUM" ] && break; sleep 0.1; done
"$TOOLS/bin/tauri-driver" --port "$PORT" --native-port "$NATIVE_PORT" >"$SHOTS/tauri-driver.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done

step "tests"
PAPERTRAIL_APP="$APP" PAPERTRAIL_CLI="$CLI" WEBDRIVER_URL="http://127.0.0.1:$PORT" CORPUS="$CORPUS" SHOTS="$SHOTS" \
  node --test --test-concurrency=1 ${E2E_TESTS:-tests/e2e/}
echo "screenshots: $SHOTS"
