#!/usr/bin/env bash
# Installs the third-party Telegram clients used by the interop tests (tests/interop):
#   tests/interop/.venv           Telethon, Pyrogram 2.0.106, pytest  (requirements.txt)
#   tests/interop/.venv-kurigram  kurigram (it installs as `pyrogram` too) (requirements-kurigram.txt)
#   tests/interop/node            GramJS (npm `telegram`) via `npm ci` from the committed lockfile
# Idempotent: a part whose pinned inputs have not changed since the last run is left alone.
# Environment: PYTHON (default python3), INTEROP_NO_SPEEDUPS=1 to skip TgCrypto.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
interop="$repo/tests/interop"
python="${PYTHON:-python3}"

log() { printf 'interop-setup: %s\n' "$*" >&2; }

"$python" - <<'EOF' || { log "need Python >= 3.10 (kurigram requires it)"; exit 1; }
import sys
sys.exit(0 if sys.version_info >= (3, 10) else 1)
EOF

# Hash of the files that decide what a venv or node_modules holds; stored beside the
# install so a re-run can tell whether anything changed.
stamp_of() { cat "$@" | sha256sum | cut -d' ' -f1; }

# make_venv DIR REQUIREMENTS...: (re)creates DIR with exactly the pinned packages.
make_venv() {
    local dir="$1"
    shift
    local want stamp_file="$dir/.chappe-stamp"
    want="$(stamp_of "$@" "$interop/requirements-speedups.txt")${INTEROP_NO_SPEEDUPS:+-nospeedups}"
    if [[ -x "$dir/bin/python" && -f "$stamp_file" && "$(cat "$stamp_file")" == "$want" ]]; then
        log "$(basename "$dir") is up to date"
        return
    fi
    log "creating $(basename "$dir")"
    rm -rf "$dir"
    "$python" -m venv "$dir"
    local req_args=()
    for req in "$@"; do req_args+=(-r "$req"); done
    "$dir/bin/pip" install --quiet --disable-pip-version-check "${req_args[@]}"
    # TgCrypto only speeds up AES; a Python without a ready build simply goes without it.
    if [[ -z "${INTEROP_NO_SPEEDUPS:-}" ]]; then
        "$dir/bin/pip" install --quiet --disable-pip-version-check --only-binary=:all: \
            -r "$interop/requirements-speedups.txt" ||
            log "TgCrypto not installed in $(basename "$dir") (optional; pure-Python AES is used)"
    fi
    echo "$want" >"$stamp_file"
}

make_venv "$interop/.venv" "$interop/requirements.txt"
make_venv "$interop/.venv-kurigram" "$interop/requirements-kurigram.txt"

node_dir="$interop/node"
if ! command -v npm >/dev/null; then
    log "npm not found: install Node.js (>= 18) and npm; the GramJS tests need them"
    exit 1
fi
want="$(stamp_of "$node_dir/package.json" "$node_dir/package-lock.json")"
stamp_file="$node_dir/node_modules/.chappe-stamp"
if [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$want" ]]; then
    log "node_modules is up to date"
else
    log "installing GramJS (npm ci)"
    # --ignore-scripts: the only install scripts are optional native accelerators of the
    # `websocket` package, which works without them.
    (cd "$node_dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    echo "$want" >"$stamp_file"
fi

log "done"
