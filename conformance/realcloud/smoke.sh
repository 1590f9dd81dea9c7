#!/usr/bin/env bash
# Smoke check of the local cloud: `up`, a few requests per seed API with the
# status code each must answer, `down`. Exits non-zero on any mismatch.
# Bounded: `up` gets UP_TIMEOUT seconds (cold installs included), each request 20 s.
# With STACKSPEC_CLOUD_AUTH=keystone it also checks that every service answers
# 401 without a token or with a bogus one, and 403 to a member-only token.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cloud="$here/cloud.py"
UP_TIMEOUT="${UP_TIMEOUT:-900}"

trap '"$cloud" down >/dev/null' EXIT
timeout "$UP_TIMEOUT" "$cloud" up

# seed KEY... : one value from the ids `up` seeded, e.g. `seed nova request_ids 0`.
seed() { "$cloud" seed "$@"; }
eval "$("$cloud" env)"
eval "headers=($STACKSPEC_CLOUD_HEADERS)"

passed=0
failed=0
# expect CODE METHOD URL [JSON-BODY] [EXTRA-CURL-ARGS...]
expect() {
  local want="$1" method="$2" url="$3" body="${4:-}"
  shift 4 || shift $#
  local args=(-s -o /dev/null -w '%{http_code}' --max-time 20 -X "$method" "${headers[@]}" "$@")
  [[ -n "$body" ]] && args+=(-H 'Content-Type: application/json' -d "$body")
  local got
  got="$(curl "${args[@]}" "$url" || echo 000)"
  if [[ "$got" == "$want" ]]; then
    passed=$((passed + 1))
    echo "ok   $want $method $url"
  else
    failed=$((failed + 1))
    echo "FAIL $method $url: expected $want, got $got"
  fi
}

missing=00000000-0000-4000-8000-000000000000

compute() {
  nova="$STACKSPEC_CLOUD_NOVA_URL"
  server="$(seed nova server_id)"
  request="$(seed nova request_ids 0)"
  mv=(-H 'OpenStack-API-Version: compute 2.84')
  expect 200 GET "$nova/servers/$server/os-instance-actions" "" "${mv[@]}"
  expect 200 GET "$nova/servers/$server/os-instance-actions/$request" "" "${mv[@]}"
  expect 404 GET "$nova/servers/$missing/os-instance-actions" "" "${mv[@]}"
  expect 200 POST "$nova/os-server-external-events" \
    "{\"events\":[{\"name\":\"network-changed\",\"server_uuid\":\"$server\"}]}"
  expect 207 POST "$nova/os-server-external-events" \
    "{\"events\":[{\"name\":\"network-changed\",\"server_uuid\":\"$missing\"}]}"
}

image() {
  glance="$STACKSPEC_CLOUD_GLANCE_URL"
  task="$(seed glance task_id)"
  expect 200 GET "$glance/v2/tasks"
  expect 200 GET "$glance/v2/tasks/$task"
  expect 404 GET "$glance/v2/tasks/$missing"
  expect 201 POST "$glance/v2/tasks" \
    "{\"type\":\"import\",\"input\":{\"import_from\":\"$(seed fixture url)\",\"import_from_format\":\"raw\",\"image_properties\":{\"disk_format\":\"raw\",\"container_format\":\"bare\"}}}"
  expect 405 DELETE "$glance/v2/tasks/$task"
}

orchestration() {
  heat="$STACKSPEC_CLOUD_HEAT_URL"
  resource="$heat/stacks/$(seed heat stack_name)/$(seed heat stack_id)/resources/$(seed heat resource_name)"
  expect 200 GET "$resource/events"
  expect 200 GET "$resource/events/$(seed heat event_id)"
  expect 404 GET "$resource/events/$missing"
}

baremetal_introspection() {
  inspector="$STACKSPEC_CLOUD_IRONIC_INSPECTOR_URL"
  inspected="$(seed ironic-inspector inspected_node_id)"
  waiting="$(seed ironic-inspector waiting_node_id)"
  expect 200 GET "$inspector/v1/introspection/$inspected/data"
  expect 202 POST "$inspector/v1/introspection/$inspected/data/unprocessed"
  expect 202 POST "$inspector/v1/introspection/$waiting/abort"
  expect 200 GET "$inspector/v1/introspection/$waiting"
  expect 404 GET "$inspector/v1/introspection/$missing"
}

placement() {
  local url="$STACKSPEC_CLOUD_PLACEMENT_URL" provider
  provider="$url/resource_providers/$(seed placement resource_provider_id)"
  local -a mv=(-H 'OpenStack-API-Version: placement 1.39')
  expect 200 GET "$provider" "" "${mv[@]}"
  expect 200 GET "$provider/inventories" "" "${mv[@]}"
  expect 200 GET "$url/allocations/$(seed placement consumer_id)" "" "${mv[@]}"
  expect 200 GET "$url/traits?name=in:$(seed placement trait)" "" "${mv[@]}"
  expect 404 GET "$url/resource_providers/$missing" "" "${mv[@]}"
}

# Token checks: none and bogus get 401, a member-only token gets 403 on admin APIs.
auth() {
  local glance="$STACKSPEC_CLOUD_GLANCE_URL" nova="$STACKSPEC_CLOUD_NOVA_URL" member
  local inspector="$STACKSPEC_CLOUD_IRONIC_INSPECTOR_URL"
  local providers="$STACKSPEC_CLOUD_PLACEMENT_URL/resource_providers"
  local events="$STACKSPEC_CLOUD_HEAT_URL/stacks/$(seed heat stack_name)/$(seed heat stack_id)/resources/$(seed heat resource_name)/events"
  local event='{"events":[{"name":"network-changed","server_uuid":"'"$missing"'"}]}'
  local -a admin=("${headers[@]}")
  headers=(-H 'Accept: application/json')
  expect 401 GET "$glance/v2/tasks"
  expect 401 POST "$nova/os-server-external-events" "$event"
  expect 401 GET "$inspector/v1/introspection/$(seed ironic-inspector inspected_node_id)/data"
  expect 401 GET "$events"
  expect 401 GET "$providers"
  headers=(-H 'X-Auth-Token: bogus' -H 'Accept: application/json')
  expect 401 GET "$glance/v2/tasks"
  expect 401 GET "$nova/servers/$(seed nova server_id)/os-instance-actions"
  expect 401 GET "$providers"
  member="$("$cloud" token member)"
  headers=(-H "X-Auth-Token: $member" -H 'Accept: application/json')
  expect 403 GET "$glance/v2/tasks"
  expect 200 GET "$glance/v2/images"
  expect 403 POST "$nova/os-server-external-events" "$event"
  expect 403 POST "$inspector/v1/introspection/$(seed ironic-inspector inspected_node_id)/data/unprocessed"
  expect 403 GET "$events"
  expect 403 GET "$providers"
  headers=("${admin[@]}")
}

compute
image
orchestration
baremetal_introspection
placement
if [[ "${STACKSPEC_CLOUD_AUTH:-headers}" == keystone ]]; then
  auth
fi

echo "smoke: $passed passed, $failed failed"
[[ "$failed" == 0 ]]
