#!/usr/bin/env bash
# CI stage: the local cloud with real Keystone and token-validating services, and
# `stackspec conform --os-cloud` against the five seed APIs on it.
#
#   conformance/realcloud/ci.sh    # from a clean clone; after `cargo test` the CLI is already built
#
# Per seed API: examples, property and negative phases with mutations allowed (a throwaway
# cloud), bounded cases and a fixed seed, the reviewed overrides of docs/findings.md
# (`conformance/overrides.yaml`), and the auth phase (no token and a bogus one must get 401;
# `local-demo`, a member-only user, must get 403 where the spec reserves an operation for
# admins), through the `local` cloud (password); one API
# once more through `local-appcred` (application credential). JSON and JUnit reports go to
# $STACKSPEC_CLOUD_DIR/conform/. Prints a table per run and exits non-zero if any run
# failed. The cloud is always stopped again (by PID) on exit.
#
# Re-authentication: Keystone's tokens live TOKEN_LIFETIME seconds (default 60) and one more
# run is slowed down to outlast a token; the stage checks in Keystone's access log that conform
# fetched a new token during it and still passed.
#
# Environment: STACKSPEC_BIN (a stackspec binary to use; default: the debug build `cargo test
# --workspace` leaves, built if missing: conform sends a few hundred requests, so compiling
# a release build would cost more than it saves),
# STACKSPEC_CLOUD_DIR (default /tmp/stackspec-ci-cloud), STACKSPEC_CACHE_DIR (venvs),
# CONFORM_MAX_CASES (default 20), CONFORM_SEED (default 1), UP_TIMEOUT (seconds for `up`,
# cold installs included; default 720), CONFORM_TIMEOUT (seconds per run; default 300),
# CI_REUSE_CLOUD=1 (iterate on a cloud already `up` in keystone mode: no up, no down).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cloud="$here/cloud.py"
export STACKSPEC_CLOUD_AUTH=keystone
export STACKSPEC_CLOUD_DIR="${STACKSPEC_CLOUD_DIR:-/tmp/stackspec-ci-cloud}"
MAX_CASES="${CONFORM_MAX_CASES:-20}"
SEED="${CONFORM_SEED:-1}"
UP_TIMEOUT="${UP_TIMEOUT:-720}"
CONFORM_TIMEOUT="${CONFORM_TIMEOUT:-300}"
WHOLE_API_SERVICES="${WHOLE_API_SERVICES-image baremetal-introspection placement identity orchestration compute baremetal}"
WHOLE_API_MAX_CASES="${WHOLE_API_MAX_CASES:-10}"
WHOLE_API_TIMEOUT="${WHOLE_API_TIMEOUT:-1800}"
export STACKSPEC_KEYSTONE_TOKEN_EXPIRATION="${TOKEN_LIFETIME:-60}"
stage_started=$SECONDS

# python3-venv (ensurepip) for the service venvs; a C compiler and Python headers for the
# one wheel built from source (heat's `ovs`).
install_system_packages() {
  local missing=()
  python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
  command -v cc >/dev/null || missing+=(gcc)
  python3 -c 'import sysconfig, os, sys; sys.exit(not os.path.exists(sysconfig.get_paths()["include"] + "/Python.h"))' \
    || missing+=(python3-dev)
  command -v curl >/dev/null || missing+=(curl)
  ((${#missing[@]} == 0)) && return
  echo "== apt-get install ${missing[*]}"
  local sudo=()
  ((EUID == 0)) || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}"
}

stackspec_binary() {
  if [[ -n "${STACKSPEC_BIN:-}" ]]; then
    echo "$STACKSPEC_BIN"
    return
  fi
  (cd "$repo" && cargo build --locked --quiet --bin stackspec >&2)
  local target="${CARGO_TARGET_DIR:-$repo/target}"
  [[ "$target" = /* ]] || target="$repo/$target"
  echo "$target/debug/stackspec"
}

# conform_run LABEL CLOUD SPEC TAG [ARG...]: one conform run of the operations tagged TAG
# in spec/SPEC.yaml through clouds.yaml entry CLOUD; its exit code is recorded, not fatal.
# CASES overrides CONFORM_MAX_CASES for one run.
conform_run() {
  local label="$1" os_cloud="$2" spec="$3" tag="$4"
  shift 4
  local out="$reports/$label" started=$SECONDS code=0
  # Accept: every OpenStack client (keystoneauth) asks for JSON; without it some services
  # answer errors in HTML.
  timeout "$CONFORM_TIMEOUT" "$stackspec" conform --os-cloud "$os_cloud" \
    --spec "$repo/spec/$spec.yaml" --tag "$tag" -H 'Accept: application/json' \
    --phases examples,property,negative --allow-mutations \
    --overrides "$repo/conformance/overrides.yaml" --as-member local-demo \
    --max-cases "${CASES:-$MAX_CASES}" --seed "$SEED" --workers 4 \
    --report "json=$out.json,junit=$out.xml" "$@" >"$out.txt" 2>&1 || code=$?
  echo "$label $os_cloud $code $((SECONDS - started))" >>"$reports/runs.txt"
  printf '%-32s exit %s in %ss (%s)\n' "$label" "$code" "$((SECONDS - started))" "$out.txt"
  ((code == 0)) || tail -n 40 "$out.txt"
}

seed() { "$cloud" seed "$@"; }

# Glance's own configuration: image creation and the import methods answer 500 when
# `enabled_import_methods` is not a bracketed list or no lock_path is set, which the
# tasks runs never touch. Recorded as a run, so a broken configuration fails the stage.
glance_config_check() {
  local code=0 status
  local -a auth=(-H "X-Auth-Token: $("$cloud" token admin)" -H 'Accept: application/json')
  status="$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 "${auth[@]}" \
    -H 'Content-Type: application/json' -X POST "$STACKSPEC_CLOUD_GLANCE_URL/v2/images" \
    -d '{"name": "stackspec-config-check", "disk_format": "raw", "container_format": "bare"}')"
  [[ "$status" == 201 ]] || code=1
  echo "glance POST /v2/images: $status (expected 201)"
  status="$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 "${auth[@]}" \
    "$STACKSPEC_CLOUD_GLANCE_URL/v2/info/import")"
  [[ "$status" == 200 ]] || code=1
  echo "glance GET /v2/info/import: $status (expected 200)"
  echo "glance-config local $code 0" >>"$reports/runs.txt"
}

# Tokens conform obtained so far: it sends no User-Agent, which gunicorn logs as "-".
conform_logins() {
  grep -c '"POST /v3/auth/tokens HTTP/1.1" 201 "-"$' "$STACKSPEC_CLOUD_DIR/logs/keystone-access.log" || true
}

# A run slowed down to outlast one token: it must log in again (after a 401) and still pass.
reauth_run() {
  local before after
  before="$(conform_logins)"
  # As many requests as the glance-tasks run sent, spread over 1.5 token lifetimes.
  local rate
  rate="$(python3 -c 'import json, sys
cases = sum(t["cases"] for t in json.load(open(sys.argv[1]))["operations"].values())
print(max(cases, 10) / (1.5 * int(sys.argv[2])))' "$reports/glance-tasks.json" "$STACKSPEC_KEYSTONE_TOKEN_EXPIRATION")"
  conform_run glance-tasks-reauth local image tasks --rate "$rate"
  after="$(conform_logins)"
  echo "conform logged in $((after - before)) times during glance-tasks-reauth (token lifetime ${STACKSPEC_KEYSTONE_TOKEN_EXPIRATION}s)"
  if ((after - before < 2)); then
    echo "re-authentication was not exercised" >&2
    echo "reauth-check local 1 0" >>"$reports/runs.txt"
  fi
}

# The five seed APIs. Ids the spec's paths need come from what `up` seeded (documented
# samples carry bodies, not URLs, and conform only learns ids from lists).
seed_apis() {
  conform_run "nova-external-events" local compute os-server-external-events
  # At the newest microversion both sides know: without a version conform validates against
  # every version's fields at once (see the report), while nova answers at 2.1.
  conform_run "nova-instance-actions" local compute os-instance-actions --microversion latest \
    --path-value "server_id=$(seed nova server_id)" \
    --path-value "request_id=$(seed nova request_ids 0)"
  conform_run "glance-tasks" local image tasks
  # Heat's catalog endpoint already ends in /v1/<project>, which the spec's paths repeat
  # as /v1/{tenant_id}: give conform heat's root instead.
  conform_run "heat-resource-events" local orchestration events \
    --url "${STACKSPEC_CLOUD_HEAT_URL%/v1/*}" \
    --path-value "tenant_id=$(seed keystone admin_project_id)" \
    --path-value "stack_name=$(seed heat stack_name)" \
    --path-value "stack_id=$(seed heat stack_id)" \
    --path-value "resource_name=$(seed heat resource_name)" \
    --path-value "event_id=$(seed heat event_id)"
  # Abort needs an introspection in progress, the data operations a finished one. Fewer
  # cases: inspector asks Ironic (through Keystone) about every node id it is sent, 1-10 s
  # per request on two busy cores.
  local management=introspection-api-v1-introspection-management
  CASES=5 conform_run "inspector-abort" local baremetal-introspection "$management" \
    --operation abort_introspection \
    --path-value "node_id=$(seed ironic-inspector waiting_node_id)"
  CASES=5 conform_run "inspector-data" local baremetal-introspection "$management" \
    --operation get_introspection_data --operation get_unprocessed_introspection_data \
    --operation reapply_introspection_on_data \
    --path-value "node_id=$(seed ironic-inspector inspected_node_id)"
}

# The whole-API stage: every operation of each service in WHOLE_API_SERVICES as
# whole-api/<service>.yaml declares it (what this cloud cannot serve is skipped with its
# reason), with the seed and case count its triage used, so that every failure it shows is
# new. Recorded as one run; its table per service is printed here.
whole_api_stage() {
  [[ -n "${WHOLE_API_SERVICES:-}" ]] || return 0
  local code=0 started=$SECONDS
  # shellcheck disable=SC2086 # a list of service types
  (cd "$here" && timeout "$WHOLE_API_TIMEOUT" python3 -m realcloud.whole_api \
    --stackspec "$stackspec" --reports "$reports" --max-cases "$WHOLE_API_MAX_CASES" \
    --seed "$SEED" $WHOLE_API_SERVICES) || code=$?
  echo "whole-api local $code $((SECONDS - started))" >>"$reports/runs.txt"
}

install_system_packages
echo "== stackspec binary"
stackspec="$(stackspec_binary)"
"$stackspec" --version

if [[ "${CI_REUSE_CLOUD:-0}" == 1 ]]; then
  echo "== reusing the cloud in $STACKSPEC_CLOUD_DIR"
  "$cloud" status
else
  echo "== cloud up (keystone mode) in $STACKSPEC_CLOUD_DIR"
  trap '"$cloud" down >/dev/null 2>&1 || true' EXIT
  timeout "$UP_TIMEOUT" "$cloud" up
fi
eval "$("$cloud" env)"
reports="$STACKSPEC_CLOUD_DIR/conform"
mkdir -p "$reports"
: >"$reports/runs.txt"

echo "== glance configuration"
glance_config_check
echo "== conform (max $MAX_CASES cases per operation and phase, seed $SEED)"
seed_apis
# The same token-validating path with an application credential instead of a password.
conform_run glance-tasks-appcred local-appcred image tasks
reauth_run
echo "== whole APIs (${WHOLE_API_SERVICES:-none})"
whole_api_stage
echo "== summary"
(cd "$here" && python3 -m realcloud.conform_table "$reports")
echo "stage: $((SECONDS - stage_started)) s (cloud timings: $STACKSPEC_CLOUD_DIR/timings.json)"
! awk '$3 != 0 { bad = 1 } END { exit !bad }' "$reports/runs.txt"
