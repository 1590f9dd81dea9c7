#!/usr/bin/env bash
# The CI fuzz run: builds every target once, then runs each with a fixed seed for a fixed
# number of inputs (at most SECONDS each, default 60), so that CI replays exactly the run
# checked before a submission instead of finding a new input at random and refusing
# unrelated work. Finding new inputs is the long runs' job (README.md, "Long run").
# Fails at the first target that finds a crash, a hang or a memory blow-up.
# Usage: ci.sh [SECONDS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seconds="${1:-60}"
cd "$here"
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$here/target}"
cargo fuzz build --fuzz-dir "$here" --sanitizer none --release
# Inputs per target: about 30 s on a CI machine after the seed corpus is read.
runs() {
  case "$1" in
    mock_request) echo 200000 ;;
    samples) echo 300000 ;;
    rst) echo 100000 ;;
    parameters_yaml) echo 10000 ;;
    spec_loader) echo 20000 ;;
    *) echo 2000 ;;
  esac
}
for target in $(cargo fuzz list --fuzz-dir "$here"); do
  ./run.sh "$target" "$seconds" -seed=1 -runs="$(runs "$target")"
done
