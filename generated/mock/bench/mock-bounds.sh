#!/usr/bin/env bash
# What a hostile client costs `stackspec mock --service image`, on 127.0.0.1:
#  1. tasks: RSS after N `POST /v2/tasks` on one kept-alive connection (default 245,791, the
#     count of the report that found the growth), then the size, time and RSS of one
#     `GET /v2/tasks`;
#  2. idle: with the mock's file limit at 1,024 (`ulimit -n 1024`), 1,100 connections opened
#     and left idle, then one new client's `GET /v2/tasks`: how long until it is answered
#     (bounded by 60 s), and the CPU seconds the mock spent meanwhile (a spinning accept
#     loop burns one core).
# Usage: bash generated/mock/bench/mock-bounds.sh [BINARY] [N]   (from the repository root; the
# default binary is a release build of this tree). Each part runs once and stops by itself;
# the mock is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/../../.."

binary="${1:-}"
count="${2:-245791}"
if [ -z "${binary}" ]; then
  cargo build --release --quiet --bin stackspec
  binary="${CARGO_TARGET_DIR:-target}/release/stackspec"
fi
port=29295

pid=""
cleanup() { [ -n "${pid}" ] && kill "${pid}" 2>/dev/null || true; }
trap cleanup EXIT

start_mock() {
  (ulimit -n 1024 && exec "${binary}" mock --service image --listen "127.0.0.1:${port}" 2>/dev/null) &
  pid=$!
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "http://127.0.0.1:${port}/v2/tasks" && return 0
    sleep 0.1
  done
  echo "the mock did not start" >&2
  exit 1
}

stop_mock() { kill "${pid}"; wait "${pid}" 2>/dev/null || true; pid=""; }

start_mock
python3 - "${port}" "${pid}" "${count}" <<'EOF'
import http.client, json, sys, time
port, pid, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
def rss_mb():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
body = json.dumps({"type": "import", "input": {}})
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
start, before = time.monotonic(), rss_mb()
for i in range(count):
    if time.monotonic() - start > 900:
        print(f"tasks: stopped after {i} posts (900 s bound)")
        break
    conn.request("POST", "/v2/tasks", body, {"Content-Type": "application/json"})
    conn.getresponse().read()
posted = time.monotonic() - start
print(f"tasks: RSS {before:.0f} MB before, {rss_mb():.0f} MB after {count} POSTs ({posted:.0f} s)")
start = time.monotonic()
conn.request("GET", "/v2/tasks")
listed = conn.getresponse().read()
print(f"tasks: GET /v2/tasks {len(listed) / 1e6:.2f} MB in {time.monotonic() - start:.2f} s; RSS {rss_mb():.0f} MB")
EOF
stop_mock

start_mock
python3 - "${port}" "${pid}" <<'EOF'
import resource, socket, sys, time
port, pid = int(sys.argv[1]), sys.argv[2]
resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))
def cpu_seconds():
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100
idle = []
for _ in range(1100):
    s = socket.socket()
    s.setblocking(False)
    s.connect_ex(("127.0.0.1", port))
    idle.append(s)
time.sleep(1)
cpu, start = cpu_seconds(), time.monotonic()
client = socket.create_connection(("127.0.0.1", port), timeout=60)
client.sendall(b"GET /v2/tasks HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n\r\n")
try:
    head = client.recv(64).split(b"\r\n")[0].decode()
except socket.timeout:
    head = "no answer"
waited = time.monotonic() - start
print(f"idle: 1100 idle connections, file limit 1024: new client got '{head}' after {waited:.1f} s;"
      f" mock CPU meanwhile {cpu_seconds() - cpu:.2f} s")
EOF
stop_mock
