#!/usr/bin/env bash
# Requests per second of `stackspec conform` and of Schemathesis against the same local
# server and spec, with `wrk` on one GET of that server as the loopback ceiling. Every tool
# runs REPEATS times, each time against a freshly started server (so every run sees the same
# state: Schemathesis' creates are never deleted and would grow the list wrk reads), and the
# medians are printed with the ratios.
#
#   conformance/bench/run.sh     # CASES=2000 SCHEMATHESIS_CASES=200 WORKERS=4 REPEATS=3
#                                # WRK_SECONDS=5 WRK_THREADS=1
#
# - Requests are counted by the server (`GET /_count`), so a figure is what was sent,
#   including conform's read-backs, polls and clean-up deletes.
# - stackspec: the property phase, `--max-cases CASES --allow-mutations`: every check on
#   every response. CASES is large enough that the run lasts seconds, so the rate is the
#   steady one; start-up (spec loading, planning: `--max-cases 0`) is measured on its own
#   and shown beside it, and the rate without it.
# - Schemathesis: its positive fuzzing phase with `--max-examples SCHEMATHESIS_CASES` and the
#   same worker count. It is about two orders of magnitude slower, so it gets fewer cases to
#   keep the run short; what is compared is the rate, not the total.
# - wrk: `-c WORKERS` (as many connections as conform keeps requests in flight) and
#   `-t WRK_THREADS`. One thread by default: conform's client runs on one thread too, and
#   on a 2-core machine a second wrk thread only competes with the server (it measured
#   slower, not faster).
#
# Schemathesis lives in a venv under ~/.cache/stackspec/ keyed by its version; wrk comes from
# Debian (installed when running as root, else the ceiling is skipped).
set -euo pipefail

CASES=${CASES:-2000}
SCHEMATHESIS_CASES=${SCHEMATHESIS_CASES:-200}
WORKERS=${WORKERS:-4}
REPEATS=${REPEATS:-3}
WRK_SECONDS=${WRK_SECONDS:-5}
WRK_THREADS=${WRK_THREADS:-1}
SCHEMATHESIS_VERSION=4.32.5

root=$(cd "$(dirname "$0")/../.." && pwd)
spec=$root/conformance/tests/fixtures/widgets.yaml
cache=${XDG_CACHE_HOME:-$HOME/.cache}/stackspec
venv=$cache/schemathesis-$SCHEMATHESIS_VERSION
target=${CARGO_TARGET_DIR:-$root/target}
[[ "$target" = /* ]] || target=$root/$target
work=$(mktemp -d)

if [ ! -x "$venv/bin/schemathesis" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi
if ! command -v wrk >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get install -y -q wrk >/dev/null
fi

(cd "$root" && cargo build --release -q -p stackspec --bin stackspec \
    && cargo build --release -q -p stackspec-conformance --example widget_server)
stackspec=$target/release/stackspec

# Schemathesis keeps a `.schemathesis/` cache in its working directory: not in the checkout.
cd "$work"
server=
stop_server() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
        server=
    fi
}
trap 'stop_server; rm -rf "$work"' EXIT
trap 'exit 1' INT TERM PIPE

# start_server: a fresh fixture server; sets `url`.
start_server() {
    stop_server
    : >"$work/url"
    "$target/release/examples/widget_server" >"$work/url" &
    server=$!
    for _ in $(seq 50); do [ -s "$work/url" ] && break; sleep 0.1; done
    url=$(head -1 "$work/url")
}

count() { curl -sS "$url/_count"; }

now() { date +%s.%N; }

# measure NAME COMMAND...: runs COMMAND against a fresh server (its `$url` placeholder
# replaced), appends "requests seconds" to $work/NAME.
measure() {
    local name=$1 start end after
    shift
    start_server
    local args=("${@//\$url/$url}")
    start=$(now)
    "${args[@]}" >>"$work/$name.log" 2>&1 || true
    end=$(now)
    after=$(count)
    echo "$after $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }')" \
        >>"$work/$name"
}

# wrk_run: wrk against a fresh server; appends "requests seconds" to $work/wrk.
wrk_run() {
    start_server
    wrk -t"$WRK_THREADS" -c"$WORKERS" -d"${WRK_SECONDS}s" "$url/v1/widgets" >"$work/wrk.out"
    # The server's own count, not wrk's (they agree; the server's is the one used for all).
    local seconds
    seconds=$(awk '/requests in/ { sub(/s,$/, "", $4); print $4 }' "$work/wrk.out")
    echo "$(count) $seconds" >>"$work/wrk"
}

# median FILE COLUMN: the median of a column (the lower middle for an even count).
median() { sort -g -k"$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print v[int((NR + 1) / 2)] }'; }

echo "$REPEATS runs each; $WORKERS workers; stackspec $CASES cases per operation," \
    "Schemathesis $SCHEMATHESIS_CASES; wrk -t$WRK_THREADS -c$WORKERS ${WRK_SECONDS}s"
conform=(conform --spec "$spec" --url '$url' --phases property --workers "$WORKERS"
    --allow-mutations --seed 1)
for _ in $(seq "$REPEATS"); do
    measure startup "$stackspec" "${conform[@]}" --max-cases 0
    measure stackspec "$stackspec" "${conform[@]}" --max-cases "$CASES"
    measure schemathesis "$venv/bin/schemathesis" run "$spec" --url '$url' \
        --phases fuzzing --mode positive --max-examples "$SCHEMATHESIS_CASES" \
        --workers "$WORKERS" --seed 1
    if command -v wrk >/dev/null; then wrk_run; fi
done
stop_server

# A row per tool: the medians of requests, seconds and requests per second, and the range
# of the rate.
for name in stackspec schemathesis wrk; do
    [ -s "$work/$name" ] || continue
    awk '{ printf "%s %s %.0f\n", $1, $2, $1 / $2 }' "$work/$name" >"$work/$name.rates"
done
startup=$(median "$work/startup" 2)
printf "%-13s %9s %8s %11s %17s\n" tool requests seconds requests/s "range of rates"
for name in stackspec schemathesis wrk; do
    [ -s "$work/$name.rates" ] || continue
    printf "%-13s %9s %8s %11s %17s\n" "$name" "$(median "$work/$name.rates" 1)" \
        "$(median "$work/$name.rates" 2)" "$(median "$work/$name.rates" 3)" \
        "$(sort -g -k3 "$work/$name.rates" | awk 'NR == 1 { lo = $3 } END { print lo "-" $3 }')"
done
rate() { median "$work/$1.rates" 3; }
steady=$(awk -v r="$(median "$work/stackspec.rates" 1)" -v s="$(median "$work/stackspec.rates" 2)" \
    -v u="$startup" 'BEGIN { printf "%.0f", r / (s - u) }')
echo "stackspec start-up (--max-cases 0): ${startup}s; rate without it: $steady requests/s"
awk -v a="$(rate stackspec)" -v b="$(rate schemathesis)" \
    'BEGIN { printf "stackspec / schemathesis: %.1fx\n", a / b }'
if [ -s "$work/wrk.rates" ]; then
    awk -v a="$(rate stackspec)" -v b="$(rate wrk)" \
        'BEGIN { printf "wrk / stackspec: %.2fx\n", b / a }'
else
    echo "wrk not installed: no ceiling"
fi
echo "stackspec's last summary: $(tail -1 "$work/stackspec.log")"
