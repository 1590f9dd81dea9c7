#!/usr/bin/env bash
# Peak RSS and wall time of `stackspec conform` against three hostile servers on loopback
# (hostile_server.py): an endless chunked body, a server that never answers, and one that
# answers 503 with `Retry-After: 999999`. For comparing builds (issue 18's "Measure").
#
#   conformance/bench/hostile.sh BIN [EXTRA_FLAG...]
#       # LIMIT=120 MAX_RSS_MB=4096 FLAGS="--timeout 5"
#
# BIN is a stackspec binary; EXTRA_FLAGS are added to every conform run (the bounding
# options of a newer build, say). Spec: tests/fixtures/widgets.yaml, its three GET
# operations (no --allow-mutations), default phases, --seed 1. Each run is measured with
# `/usr/bin/time -v`, killed after LIMIT seconds, or as soon as its RSS passes MAX_RSS_MB
# (so that an unbounded build cannot take the machine down); either is printed. Every
# server is stopped by its PID.
set -euo pipefail

BIN=${1:?usage: hostile.sh BIN [EXTRA_FLAG...]}
shift
LIMIT=${LIMIT:-120}
MAX_RSS_MB=${MAX_RSS_MB:-4096}
FLAGS=${FLAGS:---timeout 5}
here=$(cd "$(dirname "$0")" && pwd)
spec=$here/../tests/fixtures/widgets.yaml
work=$(mktemp -d)
server=""
cleanup() {
    if [[ -n $server ]]; then kill "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# The PID of the only child of $1, once it exists (time runs timeout, which runs conform).
child_of() {
    local kids=""
    for _ in $(seq 50); do
        kids=$(cat "/proc/$1/task/$1/children" 2>/dev/null || true)
        [[ -n $kids ]] && break
        sleep 0.05
    done
    echo "${kids%% *}"
}

printf '%-8s %10s %12s %6s %s\n' server wall_s peak_rss_mb exit note
for mode in endless stall retry; do
    rm -f "$work/port"
    python3 "$here/hostile_server.py" "$mode" "$work/port" &
    server=$!
    for _ in $(seq 100); do [[ -s $work/port ]] && break; sleep 0.05; done
    url="http://127.0.0.1:$(cat "$work/port")"
    # shellcheck disable=SC2086
    /usr/bin/time -v -o "$work/time" timeout -s KILL "$LIMIT" \
        "$BIN" conform --spec "$spec" --url "$url" --seed 1 $FLAGS "$@" \
        >"$work/out" 2>"$work/err" &
    timer=$!
    run=$(child_of "$(child_of "$timer")")
    note=""
    while kill -0 "$timer" 2>/dev/null; do
        rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$run/status" 2>/dev/null || echo 0)
        if (( ${rss_kb:-0} > MAX_RSS_MB * 1024 )); then
            kill -KILL "$run" 2>/dev/null || true
            note="killed above ${MAX_RSS_MB} MB"
        fi
        sleep 0.1
    done
    status=0
    wait "$timer" || status=$?
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time")
    secs=$(echo "$wall" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$work/time")
    if [[ -z $note ]] && (( status == 137 )); then note="killed after ${LIMIT} s"; fi
    printf '%-8s %10s %12s %6s %s\n' "$mode" "$secs" "$rss" "$status" "$note"
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=""
done
