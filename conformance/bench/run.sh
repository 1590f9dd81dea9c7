#!/usr/bin/env bash
# Requests per second of `stackspec conform` and of Schemathesis, same spec, same number of
# generated cases per operation, same local server; `wrk` on one GET of that server gives the
# loopback ceiling. Prints the figures and the ratios.
#
#   conformance/bench/run.sh            # CASES=100 WORKERS=4 WRK_SECONDS=5 by default
#
# Schemathesis lives in a venv under ~/.cache/stackspec/ keyed by its version; wrk comes from
# Debian (installed when running as root, else the ceiling is skipped).
set -euo pipefail

CASES=${CASES:-100}
WORKERS=${WORKERS:-4}
WRK_SECONDS=${WRK_SECONDS:-5}
SCHEMATHESIS_VERSION=4.32.5

root=$(cd "$(dirname "$0")/../.." && pwd)
spec=$root/conformance/tests/fixtures/widgets.yaml
cache=${XDG_CACHE_HOME:-$HOME/.cache}/stackspec
venv=$cache/schemathesis-$SCHEMATHESIS_VERSION
target=${CARGO_TARGET_DIR:-$root/target}
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

"$target/release/examples/widget_server" >"$work/url" &
server=$!
trap 'kill "$server"; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/url" ] && break; sleep 0.1; done
url=$(head -1 "$work/url")

count() { curl -sS "$url/_count"; }

# measure NAME COMMAND...: runs COMMAND, prints "NAME requests seconds rps".
measure() {
    local name=$1; shift
    local before after start end
    before=$(count)
    start=$(date +%s.%N)
    "$@" >"$work/$name.out" 2>&1 || true
    end=$(date +%s.%N)
    after=$(count)
    # The `before` probe itself was counted.
    awk -v n="$name" -v r="$((after - before - 1))" -v s="$start" -v e="$end" \
        'BEGIN { printf "%s %d %.3f %.0f\n", n, r, e - s, r / (e - s) }'
}

stackspec=$(measure stackspec "$target/release/stackspec" conform --spec "$spec" --url "$url" \
    --phases property --max-cases "$CASES" --workers "$WORKERS" --allow-mutations --seed 1)
schemathesis=$(measure schemathesis "$venv/bin/schemathesis" run "$spec" --url "$url" \
    --phases fuzzing --mode positive --max-examples "$CASES" --workers "$WORKERS" --seed 1)

echo "tool          requests  seconds  requests/s"
for line in "$stackspec" "$schemathesis"; do
    set -- $line
    printf "%-12s %9s %8s %11s\n" "$1" "$2" "$3" "$4"
done
ours=$(echo "$stackspec" | cut -d' ' -f4)
theirs=$(echo "$schemathesis" | cut -d' ' -f4)
awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "stackspec / schemathesis: %.1fx\n", a / b }'

if command -v wrk >/dev/null; then
    ceiling=$(wrk -t2 -c"$WORKERS" -d"${WRK_SECONDS}s" "$url/v1/widgets" \
        | awk '/Requests\/sec/ { print $2 }')
    printf "%-12s %9s %8s %11.0f\n" wrk - "$WRK_SECONDS" "$ceiling"
    awk -v a="$ours" -v b="$ceiling" 'BEGIN { printf "wrk / stackspec: %.1fx\n", b / a }'
else
    echo "wrk not installed: no ceiling"
fi
echo "logs: stackspec and schemathesis output were in $work (removed on exit)"
