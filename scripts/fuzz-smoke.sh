#!/usr/bin/env bash
# Builds every cargo-fuzz target with libFuzzer's coverage instrumentation on the stable
# toolchain (the flags cargo-fuzz passes with `--sanitizer none`) and runs each one briefly.
# Usage: scripts/fuzz-smoke.sh [seconds-per-target]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-${FUZZ_SECONDS:-10}}"
target_dir="${CARGO_TARGET_DIR:-$PWD/target}/fuzz"
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
 -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
# An explicit --target keeps RUSTFLAGS away from build scripts and proc macros, as cargo-fuzz does.
host=$(rustc -vV | sed -n 's/^host: //p')
cargo build --release --manifest-path fuzz/Cargo.toml --target-dir "$target_dir" --target "$host" --bins
targets=$(sed -n 's/^name = "\(.*\)"/\1/p' fuzz/Cargo.toml | grep -v '^chappe-fuzz$')
for t in $targets; do
  corpus="$target_dir/corpus/$t"
  mkdir -p "$corpus"
  echo "fuzz smoke: $t for ${secs}s"
  "$target_dir/$host/release/$t" -max_total_time="$secs" -max_len=4096 -rss_limit_mb=2048 \
     -print_final_stats=0 "$corpus" 2>"$target_dir/$t.log" || { tail -n 40 "$target_dir/$t.log"; echo "fuzz target $t failed"; exit 1; }
  grep -E '^Done [0-9]+ runs' "$target_dir/$t.log" | tail -n 1 || true
done
echo "fuzz smoke: all targets ran without a crash"
