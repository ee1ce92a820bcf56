#!/usr/bin/env bash
# End-to-end throughput of a release chappe server over loopback, measured with
# chappe-load: auth-key creations per second and encrypted RPC round trips per second,
# each with the server's CPU time (from /proc/PID/stat) per unit of work.
#
# Client and server run on the same machine and compete for its cores, so read the
# per-server-core figures as the server's cost, and the wall-clock rates as what this
# machine as a whole managed.
#
# Environment (all optional): CARGO_TARGET_DIR, KEYS_COUNT (2000), KEYS_CONNECTIONS (2),
# RPC_CONNECTIONS (2), RPC_IN_FLIGHT (16), RPC_DURATION (10), RPC_WARMUP (2),
# TRANSPORT (abridged | intermediate | padded | full), SKIP_BUILD=1 (use existing binaries).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$repo/target}"
[[ "$target" == /* ]] || target="$repo/$target"
bin="$target/release"

if [[ -z "${SKIP_BUILD:-}" ]]; then
    (cd "$repo" && cargo build --release -p chappe -p chappe-load)
fi

data="$(mktemp -d)"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$data"
}
trap cleanup EXIT

"$bin/chappe" key --data "$data" >"$data/key.pem"

# Ports below the ephemeral range, so outgoing connections do not take them meanwhile.
port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for attempt in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 12000))
    ws_port=$((port + 1))
    port_is_free "$port" && port_is_free "$ws_port" || continue
    RUST_LOG=warn "$bin/chappe" serve --data "$data" --listen "127.0.0.1:$port" \
        --ws-listen "127.0.0.1:$ws_port" >/dev/null 2>"$data/server.log" &
    server_pid=$!
    for _ in $(seq 1 300); do
        if ! kill -0 "$server_pid" 2>/dev/null; then
            server_pid=""
            break
        fi
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            break 2
        fi
        sleep 0.1
    done
    if [[ -n "$server_pid" ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=""
    fi
done
if [[ -z "$server_pid" ]]; then
    echo "chappe serve did not start; its log:" >&2
    cat "$data/server.log" >&2
    exit 1
fi

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (other work may share them)"
echo "server: pid $server_pid on 127.0.0.1:$port, release build"
echo
"$bin/chappe-load" keys --server "127.0.0.1:$port" --key "$data/key.pem" \
    --server-pid "$server_pid" --transport "${TRANSPORT:-abridged}" \
    --connections "${KEYS_CONNECTIONS:-2}" --count "${KEYS_COUNT:-2000}" --max-seconds 600
echo
"$bin/chappe-load" rpc --server "127.0.0.1:$port" --key "$data/key.pem" \
    --server-pid "$server_pid" --transport "${TRANSPORT:-abridged}" \
    --connections "${RPC_CONNECTIONS:-2}" --in-flight "${RPC_IN_FLIGHT:-16}" \
    --duration "${RPC_DURATION:-10}" --warmup "${RPC_WARMUP:-2}"
