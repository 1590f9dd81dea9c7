#!/bin/sh
# Operations of a built-in mock that got at least one 2xx from a stateful conform run.
# Usage: conformance/bench/operations_with_2xx.sh BINARY SERVICE [PORT]
#   e.g. conformance/bench/operations_with_2xx.sh target/debug/stackspec image 19301
# Runs `stackspec mock --service SERVICE` on 127.0.0.1:PORT, then
# `stackspec conform --service SERVICE --url ... --allow-mutations --max-cases 50 --seed 1`
# against it, and prints the count from the JSON report (python3 reads it).
set -eu
bin=$1
service=$2
port=${3:-19301}
dir=$(mktemp -d)
"$bin" mock --service "$service" --listen "127.0.0.1:$port" >"$dir/mock.log" 2>&1 &
mock=$!
trap 'kill "$mock" 2>/dev/null; rm -rf "$dir"' EXIT
sleep 1
status=0
"$bin" conform --service "$service" --url "http://127.0.0.1:$port" -H "X-Auth-Token: t" \
    --allow-mutations --max-cases 50 --seed 1 --report "json=$dir/report.json" \
    >"$dir/summary.txt" 2>&1 || status=$?
python3 - "$dir/report.json" "$status" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
operations = report["operations"]
ok = {r["operation"] for r in report["records"] if r["status"] and 200 <= r["status"] < 300}
print(f"{len(ok)} of {len(operations)} operations got a 2xx; {len(report['records'])} cases; "
      f"exit {sys.argv[2]}; {len(report.get('leftovers', []))} not deleted")
PY
