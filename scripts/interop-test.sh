#!/usr/bin/env bash
# Runs unmodified third-party Telegram clients (Telethon, Pyrogram, kurigram, GramJS)
# against chappe (transports, restarts, login, one account across libraries: test_*.py): installs
# them (interop-setup.sh), builds chappe unless CHAPPE_BIN names
# a binary, then runs pytest on tests/interop. A full run (no extra arguments) writes the
# results table to tests/interop/RESULTS.md; extra arguments go to pytest (e.g. -k gramjs)
# and then no table is written unless INTEROP_RESULTS names a file.
# Environment: CHAPPE_BIN, CARGO_TARGET_DIR, INTEROP_RESULTS, CHAPPE_INTEROP_DEBUG=1
# (client libraries log at debug level to the test output), RUST_LOG (default info).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
interop="$repo/tests/interop"

bash "$repo/scripts/interop-setup.sh"

if [[ -z "${CHAPPE_BIN:-}" ]]; then
    target="${CARGO_TARGET_DIR:-$repo/target}"
    [[ "$target" == /* ]] || target="$repo/$target"
    (cd "$repo" && cargo build -p chappe)
    export CHAPPE_BIN="$target/debug/chappe"
fi

if [[ $# -eq 0 && -z "${INTEROP_RESULTS:-}" ]]; then
    export INTEROP_RESULTS="$interop/RESULTS.md"
fi

cd "$repo"
exec "$interop/.venv/bin/python" -m pytest "$interop" -v -p no:cacheprovider "$@"
