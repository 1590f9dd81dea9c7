#!/usr/bin/env bash
# Throughput of `stackspec mock` next to Prism's mock, in the same run: GET /v2/tasks under
# wrk with 2 threads and 32 connections, against the built-in image mock (the generated
# server stubs, whole spec/image.yaml), the same spec reduced and interpreted
# (`--spec FILE`), and Prism on the reduced spec.
# Usage: bash generated/mock/bench/mock-throughput.sh [seconds]   (from the repository root)
# Needs wrk (Debian package) and npm; Prism is installed under ~/.cache/stackspec/npm.
# Both serve the same reduced spec: the task paths of spec/image.yaml with its components,
# because Prism refuses the whole document (it resolves the `$ref`s inside the JSON Schema
# *example values* of the metadefs schema operations, which do not resolve).
set -euo pipefail
cd "$(dirname "$0")/../../.."

duration="${1:-10}"
prism_version="5.14.2"
prism_dir="${HOME}/.cache/stackspec/npm/prism-cli-${prism_version}"
spec="spec/image.yaml"
path="/v2/tasks"
ours_port=29292
prism_port=29293
interpreted_port=29294

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
if [ ! -x "${prism_dir}/node_modules/.bin/prism" ]; then
  mkdir -p "${prism_dir}"
  npm install --prefix "${prism_dir}" --no-audit --no-fund "@stoplight/prism-cli@${prism_version}" >/dev/null
fi

reduced="$(mktemp --suffix=.json)"
NODE_PATH="${prism_dir}/node_modules" node -e '
  const yaml = require("js-yaml"), fs = require("fs");
  const doc = yaml.load(fs.readFileSync(process.argv[1], "utf8"));
  doc.paths = Object.fromEntries(Object.entries(doc.paths).filter(([p]) => p.startsWith("/v2/tasks")));
  fs.writeFileSync(process.argv[2], JSON.stringify(doc));
' "${spec}" "${reduced}"

cargo build --release --quiet --bin stackspec
target="${CARGO_TARGET_DIR:-target}"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "${pid}" 2>/dev/null || true; done
  rm -f "${reduced}"
}
trap cleanup EXIT

"${target}/release/stackspec" mock --service image --listen "127.0.0.1:${ours_port}" 2>/dev/null &
pids+=("$!")
"${target}/release/stackspec" mock --spec "${reduced}" --listen "127.0.0.1:${interpreted_port}" 2>/dev/null &
pids+=("$!")
"${prism_dir}/node_modules/.bin/prism" mock --host 127.0.0.1 --port "${prism_port}" "${reduced}" >/dev/null 2>&1 &
pids+=("$!")

# Both get a token: Prism enforces the spec's security scheme.
wait_for() {
  for _ in $(seq 1 120); do
    curl -sf -o /dev/null -H "X-Auth-Token: bench" "http://127.0.0.1:$1${path}" && return 0
    sleep 0.5
  done
  echo "nothing answers on port $1" >&2
  return 1
}
wait_for "${ours_port}"
wait_for "${interpreted_port}"
wait_for "${prism_port}"

rps() {
  wrk -t2 -c32 -d"${duration}s" -H "X-Auth-Token: bench" "http://127.0.0.1:$1${path}" | awk '/Requests\/sec/ {print $2}'
}
ours=$(rps "${ours_port}")
interpreted=$(rps "${interpreted_port}")
prism=$(rps "${prism_port}")
echo "GET ${path}, wrk -t2 -c32 -d${duration}s"
echo "  stackspec mock --service image (generated stubs)  ${ours} req/s"
echo "  stackspec mock --spec (interpreted, task paths)   ${interpreted} req/s"
echo "  prism ${prism_version} (task paths)                       ${prism} req/s"
awk -v a="${ours}" -v i="${interpreted}" -v b="${prism}" \
  'BEGIN { printf "  generated / prism %.1fx, interpreted / prism %.1fx\n", a / b, i / b }'
