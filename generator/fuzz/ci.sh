#!/usr/bin/env bash
# The CI fuzz run: builds every target once, then runs each for SECONDS (default 30).
# Fails at the first target that finds a crash, a hang or a memory blow-up.
# Usage: ci.sh [SECONDS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seconds="${1:-30}"
cd "$here"
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$here/target}"
cargo fuzz build --fuzz-dir "$here" --sanitizer none --release
for target in $(cargo fuzz list --fuzz-dir "$here"); do
  ./run.sh "$target" "$seconds"
done
