#!/usr/bin/env bash
# Runs one fuzz target for SECONDS (CI: 60), on the stable toolchain (RUSTC_BOOTSTRAP lets
# cargo-fuzz's flags through; no sanitizer, which would need nightly). Seeds the corpus on
# first use. Exits non-zero if the fuzzer found a crash, a hang (> 10 s per input) or an
# input that needs more than 2 GB; the input is saved under artifacts/TARGET/.
# Usage: run.sh TARGET SECONDS [extra libFuzzer options]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="${1:?usage: run.sh TARGET SECONDS}"
seconds="${2:?usage: run.sh TARGET SECONDS}"
shift 2
cd "$here"
[ -d "corpus/$target" ] || ./seed.sh
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$here/target}"
cargo fuzz run --fuzz-dir "$here" --sanitizer none --release "$target" "corpus/$target" -- \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 "$@"
