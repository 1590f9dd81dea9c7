#!/usr/bin/env bash
# Throughput of `stackspec mock` next to Prism's mock on the same spec, in the same run:
# GET /v2/tasks of spec/image.yaml under wrk with 2 threads and 32 connections.
# Usage: bash generated/bench/mock-throughput.sh [seconds]   (from the repository root)
# Needs wrk (Debian package) and npm; Prism is installed under ~/.cache/stackspec/npm.
set -euo pipefail
cd "$(dirname "$0")/../.."

duration="${1:-10}"
prism_version="5.14.2"
prism_dir="${HOME}/.cache/stackspec/npm/prism-cli-${prism_version}"
spec="spec/image.yaml"
path="/v2/tasks"
ours_port=29292
prism_port=29293

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
if [ ! -x "${prism_dir}/node_modules/.bin/prism" ]; then
  mkdir -p "${prism_dir}"
  npm install --prefix "${prism_dir}" --no-audit --no-fund "@stoplight/prism-cli@${prism_version}" >/dev/null
fi

cargo build --release --quiet --bin stackspec
target="${CARGO_TARGET_DIR:-target}"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "${pid}" 2>/dev/null || true; done; }
trap cleanup EXIT

"${target}/release/stackspec" mock --spec "${spec}" --listen "127.0.0.1:${ours_port}" 2>/dev/null &
pids+=("$!")
"${prism_dir}/node_modules/.bin/prism" mock --host 127.0.0.1 --port "${prism_port}" "${spec}" >/dev/null 2>&1 &
pids+=("$!")

wait_for() {
  for _ in $(seq 1 120); do
    curl -sf -o /dev/null "http://127.0.0.1:$1${path}" && return 0
    sleep 0.5
  done
  echo "nothing answers on port $1" >&2
  return 1
}
wait_for "${ours_port}"
wait_for "${prism_port}"

rps() {
  wrk -t2 -c32 -d"${duration}s" "http://127.0.0.1:$1${path}" | awk '/Requests\/sec/ {print $2}'
}
ours=$(rps "${ours_port}")
prism=$(rps "${prism_port}")
echo "GET ${path} (${spec}), wrk -t2 -c32 -d${duration}s"
echo "  stackspec mock  ${ours} req/s"
echo "  prism ${prism_version}    ${prism} req/s"
awk -v a="${ours}" -v b="${prism}" 'BEGIN { printf "  ratio           %.1fx\n", a / b }'
