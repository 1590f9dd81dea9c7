#!/usr/bin/env bash
# A long campaign on a shared machine: runs each TARGET in turn until the fuzzer itself has
# used CPU_SECONDS of CPU time (not wall time: on a busy machine an hour of wall time can be
# a few minutes of fuzzing), resuming from corpus/TARGET, then prints one line per target:
# CPU seconds, inputs run, inputs per CPU second, coverage, corpus size, findings.
# Logs go to LOGDIR (default ./campaign-logs); findings to artifacts/TARGET/ as with run.sh.
# Usage: campaign.sh CPU_SECONDS [TARGET...]   (default: every target)
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
budget="${1:?usage: campaign.sh CPU_SECONDS [TARGET...]}"
shift
cd "$here"
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$here/target}"
logs="${LOGDIR:-$here/campaign-logs}"
mkdir -p "$logs"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo fuzz list --fuzz-dir "$here")

# CPU seconds used so far by process PID (user + system), 0 once it is gone.
cpu_of() { ps -o times= -p "$1" 2>/dev/null | tr -d ' ' || echo 0; }

# Runs TARGET until its fuzzer process has used the budget, then interrupts it (libFuzzer
# prints its final statistics on SIGINT). The wall-time limit is only a backstop.
run_one() {
  local target="$1" log="$logs/$1.log" fuzzer="" used=0 now
  ./run.sh "$target" $((budget * 20)) >"$log" 2>&1 &
  local runner=$!
  while kill -0 "$runner" 2>/dev/null; do
    sleep 10
    [ -n "$fuzzer" ] || fuzzer="$(pgrep -f "release/$target .*corpus/$target" | head -1)"
    [ -n "$fuzzer" ] || continue
    # A fuzzer that is gone (interrupted by hand, say) reads as nothing: keep the last figure.
    now="$(cpu_of "$fuzzer")"
    [ -z "$now" ] || used="$now"
    if [ "${used:-0}" -ge "$budget" ]; then
      kill -INT "$fuzzer" 2>/dev/null
      break
    fi
  done
  wait "$runner"
  local status=$?
  # libFuzzer says "run interrupted" on the SIGINT above: the budget was used, no finding.
  if grep -q 'Test unit written' "$log"; then
    status="finding (exit $status)"
  elif grep -q 'run interrupted' "$log"; then
    status="budget used"
  fi
  summary "$target" "$log" "$used" "$status"
}

# One line of figures from a libFuzzer log.
summary() {
  local target="$1" log="$2" used="$3" status="$4"
  local runs cov corpus findings
  runs="$(grep -o 'number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')"
  cov="$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')"
  corpus="$(find "corpus/$target" -type f | wc -l)"
  findings="$(find "artifacts/$target" -type f 2>/dev/null | wc -l)"
  printf '%-16s cpu %6ss  runs %10s  per cpu-s %7s  cov %6s  corpus %6s  findings %s  %s\n' \
    "$target" "$used" "${runs:-?}" "$(( ${runs:-0} / (used > 0 ? used : 1) ))" "${cov:-?}" \
    "$corpus" "$findings" "$status"
}

for target in "${targets[@]}"; do
  run_one "$target"
done
