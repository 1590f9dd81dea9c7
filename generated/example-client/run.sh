#!/usr/bin/env bash
# CI stage for the build.rs guide (generator/codegen/README.md): builds the example client
# crate, serves the built-in image mock on a free loopback port, runs the example against it
# (it exits non-zero on any unexpected result), stops the mock by PID, and proves from
# `cargo tree` that the client's run-time dependencies hold none of axum, jsonschema,
# minijinja or syn.
# Usage: generated/example-client/run.sh   (from anywhere; honours CARGO_TARGET_DIR)
set -euo pipefail
cd "$(dirname "$0")/../.."
target="${CARGO_TARGET_DIR:-target}"
forbidden="axum|jsonschema|minijinja|syn"

cargo build --quiet -p stackspec-example-client
cargo build --quiet --bin stackspec

# A port the kernel hands out free; the mock binds it right after (a race only with
# another process binding the same fresh port in between).
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
log="$(mktemp)"
# --no-auth: the example sends no token (the mock would answer 401, as glance does).
"${target}/debug/stackspec" mock --service image --no-auth --listen "127.0.0.1:${port}" 2>"${log}" &
mock=$!
cleanup() {
  kill "${mock}" 2>/dev/null || true
  rm -f "${log}"
}
trap cleanup EXIT

ready=""
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then ready=1; break; fi
  kill -0 "${mock}" 2>/dev/null || break
  sleep 0.1
done
if [ -z "${ready}" ]; then
  echo "the image mock did not listen on 127.0.0.1:${port}:" >&2
  cat "${log}" >&2
  exit 1
fi

"${target}/debug/stackspec-example-client" "http://127.0.0.1:${port}"
kill "${mock}"
wait "${mock}" 2>/dev/null || true

# Run-time dependencies only: build-dependencies (the generator itself) are `-e build`, and
# proc-macro crates (serde_derive, tokio-macros, thiserror-impl, which compile syn for the
# compiler, not into the program) are left out by `no-proc-macro`.
tree="$(cargo tree -p stackspec-example-client -e normal,no-proc-macro --prefix none --format '{p}')"
found="$(printf '%s\n' "${tree}" | awk '{print $1}' | grep -Ex "${forbidden}" | sort -u || true)"
if [ -n "${found}" ]; then
  echo "the example client depends on server or generator crates at run time:" >&2
  printf '  %s\n' ${found} >&2
  exit 1
fi
echo "run-time dependencies: $(printf '%s\n' "${tree}" | awk '{print $1}' | sort -u | wc -l) crates, none of ${forbidden//|/, }"
