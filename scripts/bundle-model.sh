#!/usr/bin/env bash
# Puts the installed embedding model (all-MiniLM-L6-v2, installed by scripts/setup.sh) where
# the release packages take it from: src-tauri/models/all-MiniLM-L6-v2, an ignored folder that
# src-tauri/tauri.conf.json maps to /usr/lib/papertrail/models/all-MiniLM-L6-v2 in the .deb and
# .rpm. Run by `npm run bundle` before `tauri build`. The 90 MB of weights are hard-linked (or
# copied across file systems), never committed; a package is not built without them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL_SHA256=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
FROM="${PAPERTRAIL_MODEL_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/papertrail/models/all-MiniLM-L6-v2}"
TO="$ROOT/src-tauri/models/all-MiniLM-L6-v2"

for f in model.safetensors tokenizer.json; do
  if [ ! -f "$FROM/$f" ]; then
    echo "bundle-model: $FROM/$f is missing: install the embedding model with scripts/setup.sh first" >&2
    exit 1
  fi
done
got="$(sha256sum "$FROM/model.safetensors" | cut -d' ' -f1)"
if [ "$got" != "$MODEL_SHA256" ]; then
  echo "bundle-model: $FROM/model.safetensors has checksum $got, expected $MODEL_SHA256: run scripts/setup.sh again" >&2
  exit 1
fi

mkdir -p "$TO"
for f in model.safetensors tokenizer.json; do
  rm -f "$TO/$f"
  # A symbolic link would go into the package as a link to this machine's home folder.
  ln "$FROM/$f" "$TO/$f" 2>/dev/null || cp "$FROM/$f" "$TO/$f"
done
echo "bundle-model: the packages will carry $FROM as /usr/lib/papertrail/models/all-MiniLM-L6-v2"
