#!/usr/bin/env bash
# Runs every test: formatting and lints, the core's unit and property tests, the CLI's
# end-to-end tests on the real corpus, the UI's unit tests, and the desktop app's end-to-end
# tests through WebDriver under Xvfb. Installs what is missing first.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh

bash scripts/setup.sh
step() { printf '\n== %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy (core, CLI, desktop shell)"
cargo clippy -p papertrail-core -p papertrail-cli --all-targets -- -D warnings
if [ -d src-tauri ]; then npm run build --workspace ui >/dev/null; cargo clippy -p papertrail-app -- -D warnings; fi
step "cargo doc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p papertrail-core -p papertrail-cli
step "cargo test (core unit/property tests, CLI end-to-end on the real corpus)"
cargo test
step "fuzz corpus and crash reproducers replayed through the fuzz targets' checks (stable)"
cargo test --release --manifest-path fuzz/Cargo.toml
if [ -d src-tauri ]; then
  step "desktop shell tests; the generated TypeScript bindings must be up to date"
  cargo test -p papertrail-app
  if [ -d .git ] && ! git diff --quiet -- ui/src/bindings; then
    git --no-pager diff --stat -- ui/src/bindings
    echo "the TypeScript bindings in ui/src/bindings are stale: run npm run bindings and commit them" >&2
    exit 1
  fi
  if [ -d .git ] && [ -n "$(git ls-files --others --exclude-standard -- ui/src/bindings)" ]; then
    git ls-files --others --exclude-standard -- ui/src/bindings
    echo "new TypeScript bindings are not committed: commit ui/src/bindings" >&2
    exit 1
  fi
fi
if [ -d ui ] && [ -f ui/package.json ]; then
  step "UI type check (svelte-check)"
  npm run check:ui
  step "UI unit tests (vitest)"
  npm run test:ui
fi
if [ -f tests/e2e/run.sh ]; then
  step "desktop app end-to-end tests (tauri-driver, WebKitWebDriver, Xvfb)"
  bash tests/e2e/run.sh
fi
echo
echo "all tests passed"
