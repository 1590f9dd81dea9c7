#!/usr/bin/env bash
# Wall time of a `stackspec conform` run split over 1, 2 and 4 shards (the shards of a run
# started together, as a CI matrix would on one machine), the time of `stackspec report
# merge`, and whether the merged verdicts equal the unsharded run's (issue 17's "Measure").
#
#   conformance/bench/shards.sh BIN        # SERVICE=compute REPEATS=3 MAX_CASES=10 SHARDS="1 2 4"
#
# BIN is a stackspec binary (a release build for figures). The mock of SERVICE
# (`stackspec mock --service SERVICE`, on a free loopback port, stopped by its PID) is the
# server; every run has --seed 7, --max-cases MAX_CASES, the default phases and no
# mutations. Prints each repeat and the medians; exits 1 when a merge's verdicts (status,
# verdict and findings per operation and test name, and the per-operation totals) differ
# from the unsharded run's.
set -euo pipefail

BIN=${1:?usage: shards.sh BIN}
SERVICE=${SERVICE:-compute}
REPEATS=${REPEATS:-3}
MAX_CASES=${MAX_CASES:-10}
SHARDS=${SHARDS:-1 2 4}
here=$(cd "$(dirname "$0")" && pwd)
spec=$here/../../spec/$SERVICE.yaml
work=$(mktemp -d)
mock=""
cleanup() {
    if [[ -n $mock ]]; then kill "$mock" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" mock --service "$SERVICE" --listen "127.0.0.1:$port" >"$work/mock.log" 2>&1 &
mock=$!
for _ in $(seq 100); do
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
done

now() { date +%s.%N; }
conform() {
    "$BIN" conform --spec "$spec" --url "http://127.0.0.1:$port" --seed 7 \
        --max-cases "$MAX_CASES" "$@" >/dev/null 2>>"$work/conform.log" || [[ $? -le 1 ]]
}
# Whether two JSON reports have the same verdicts per (operation, test name) and the same
# per-operation totals; prints the first difference.
same_verdicts() {
    python3 - "$1" "$2" <<'PY'
import json, sys
def verdicts(path):
    r = json.load(open(path))
    cases = {(x["operation"], x["name"]): (x["status"], x["failed"],
             sorted(f["check"] for f in x["findings"])) for x in r["records"]}
    return cases, r["operations"], r["failed"]
a, b = verdicts(sys.argv[1]), verdicts(sys.argv[2])
for what, x, y in zip(["cases", "operations", "verdict"], a, b):
    if x != y:
        keys = sorted(set(x) | set(y)) if isinstance(x, dict) else [None]
        first = next((k for k in keys if x.get(k) != y.get(k)), None) if keys != [None] else None
        print(f"{what} differ: {first}: {x.get(first) if first else x} vs {y.get(first) if first else y}", file=sys.stderr)
        sys.exit(1)
PY
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A walls
merges=""
status=0
for repeat in $(seq "$REPEATS"); do
    for n in $SHARDS; do
        dir=$work/r$repeat-n$n
        mkdir -p "$dir"
        start=$(now)
        if [[ $n == 1 ]]; then
            conform --report "json=$dir/whole.json"
        else
            pids=()
            for i in $(seq "$n"); do
                conform --shard "$i/$n" --report "json=$dir/shard-$i.json" &
                pids+=($!)
            done
            for pid in "${pids[@]}"; do wait "$pid"; done
        fi
        wall=$(echo "$(now) - $start" | bc)
        walls[$n]+="$wall "
        line="repeat $repeat, $n shard(s): ${wall}s"
        if [[ $n != 1 ]]; then
            start=$(now)
            "$BIN" report merge "$dir"/shard-*.json --report "json=$dir/whole.json,junit=$dir/all.xml,html=$dir/all.html" 2>/dev/null || [[ $? -le 1 ]]
            merge=$(echo "$(now) - $start" | bc)
            merges+="$merge "
            line+=", merge ${merge}s"
            if same_verdicts "$work/r$repeat-n1/whole.json" "$dir/whole.json"; then
                line+=", verdicts equal"
            else
                line+=", VERDICTS DIFFER"
                status=1
            fi
        fi
        echo "$line"
    done
done
cases=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["records"]))' "$work/r1-n1/whole.json")
echo "== $SERVICE mock, $cases cases, --max-cases $MAX_CASES, $REPEATS repeats (medians)"
for n in $SHARDS; do
    echo "$n shard(s): $(echo "${walls[$n]}" | tr ' ' '\n' | grep . | median)s"
done
[[ -n $merges ]] && echo "merge: $(echo "$merges" | tr ' ' '\n' | grep . | median)s"
exit $status
