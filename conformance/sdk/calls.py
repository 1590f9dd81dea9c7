"""openstacksdk calls against the stackspec mocks, each held to the documented samples.

Run by run.py inside the openstacksdk venv: ``calls.py CLOUD`` with OS_CLIENT_CONFIG_FILE
naming the clouds.yaml and STACKSPEC_SPEC_DIR the specs. Every check runs even when an
earlier one failed; prints one line per check and exits 1 if any failed.
"""

from __future__ import annotations

import os
import sys
import uuid
from functools import cache
from pathlib import Path

import openstack
from keystoneauth1 import discover
from openstack import exceptions, utils
from openstack.compute.v2.server_action import ServerAction
from openstack.orchestration.v1.stack import Stack

import mocks
import samples
from checks import Context, Registry, expect_equal

TASKS = "/v2/tasks"
TASK = "/v2/tasks/{task_id}"
ACTIONS = "/servers/{server_id}/os-instance-actions"
ACTION = "/servers/{server_id}/os-instance-actions/{request_id}"
INTROSPECTION = "/v1/introspection/{node_id}"
INTROSPECTION_DATA = "/v1/introspection/{node_id}/data"
STACK_EVENTS = "/v1/{tenant_id}/stacks/{stack_name}/{stack_id}/events"
RESOURCE_EVENTS = "/v1/{tenant_id}/stacks/{stack_name}/{stack_id}/resources/{resource_name}/events"


@cache
def spec(service: str) -> dict:
    return samples.load(Path(os.environ["STACKSPEC_SPEC_DIR"]) / f"{service}.yaml")


def expect_fields(what: str, parsed: object, sample: dict, fields: dict[str, str]) -> None:
    """Each SDK attribute (key) equals the sample's field (value) of the same meaning."""
    for attribute, wire in fields.items():
        expect_equal(f"{what}.{attribute}", getattr(parsed, attribute), sample.get(wire))


SDK = Registry("SDK")
check = SDK.check


# ---- image: tasks (stateful in the mock: pending -> processing -> success per read)

TASK_FIELDS = {
    "type": "type",
    "input": "input",
    "owner_id": "owner",
    "schema": "schema",
    "message": "message",
    "result": "result",
}


@check("image.create_task(**documented request)")
def create_task(c: Context) -> str:
    body = samples.request_example(spec("image"), TASKS, "post")
    task = c.client.image.create_task(**body)
    created = samples.response_example(spec("image"), TASKS, "post")
    uuid.UUID(task.id)
    expect_equal("status", task.status, "pending")
    expect_fields("task", task, {**created, **body}, TASK_FIELDS)
    c.state["task"] = task.id
    return f"task {task.id} pending, type/input as sent, owner/schema as documented"


@check("image.tasks()")
def list_tasks(c: Context) -> str:
    tasks = list(c.client.image.tasks())
    listed = {task.id: task for task in tasks}
    created = c.state["task"]
    if created not in listed:
        raise AssertionError(f"created task {created} not listed; listed {sorted(listed)}")
    expect_equal("status", listed[created].status, "processing")
    return f"{len(tasks)} task(s); the created one listed, now processing"


@check("image.get_task(id)")
def show_task(c: Context) -> str:
    task = c.client.image.get_task(c.state["task"])
    body = samples.request_example(spec("image"), TASKS, "post")
    expect_equal("id", task.id, c.state["task"])
    expect_equal("status", task.status, "success")
    expect_equal("input", task.input, body["input"])
    return "same id and input, now success"


@check("image.get_task(unknown id) raises NotFound")
def unknown_task(c: Context) -> str:
    unknown = str(uuid.uuid4())
    try:
        c.client.image.get_task(unknown)
    except exceptions.NotFoundException as error:
        expect_equal("status_code", error.status_code, 404)
        return f"404 parsed: {error.details!r}"[:120]
    raise AssertionError(f"GET /v2/tasks/{unknown} did not raise NotFoundException")


# ---- compute: instance actions (microversion negotiated from the version document)


def compute_version(c: Context) -> str:
    """The microversion the SDK sends for server actions: the lower of its own maximum
    and the one the mock's version document announces."""
    negotiated = utils.maximum_supported_microversion(
        c.client.compute, ServerAction._max_microversion
    )
    if negotiated is None:
        raise AssertionError("the SDK found no usable microversion in the version document")
    return negotiated


@check("compute version discovery (GET /)")
def compute_discovery(c: Context) -> str:
    data = c.client.compute.get_endpoint_data()
    versions = samples.response_example(spec("compute"), "/", "get")["versions"]
    current = next(v for v in versions if v["status"] == "CURRENT")
    for bound, field in (("min_microversion", "min_version"), ("max_microversion", "version")):
        documented = discover.normalize_version_number(current[field])
        expect_equal(bound, getattr(data, bound), documented)
    return (f"microversions {current['min_version']}..{current['version']}; "
            f"SDK negotiates {compute_version(c)}")


ACTION_FIELDS = {
    "action": "action",
    "request_id": "request_id",
    "user_id": "user_id",
    "project_id": "project_id",
    "start_time": "start_time",
    "message": "message",
}
EVENT_FIELDS = {
    "event": "event",
    "start_time": "start_time",
    "finish_time": "finish_time",
    "result": "result",
    "traceback": "traceback",
    "host": "host",
    "host_id": "hostId",
    "details": "details",
}


@check("compute.server_actions(server)")
def server_actions(c: Context) -> str:
    version = compute_version(c)
    documented = samples.response_example(spec("compute"), ACTIONS, "get", version)
    documented = documented["instanceActions"]
    server = documented[0]["instance_uuid"]
    actions = list(c.client.compute.server_actions(server))
    expect_equal("number of actions", len(actions), len(documented))
    for i, (action, sample) in enumerate(zip(actions, documented)):
        expect_fields(f"actions[{i}]", action, sample, ACTION_FIELDS)
    c.state["server"] = server
    names = ", ".join(a.action for a in actions)
    return f"{len(actions)} actions ({names}) as documented at {version}"


@check("compute.get_server_action(request_id, server)")
def get_server_action(c: Context) -> str:
    version = compute_version(c)
    documented = samples.response_example(spec("compute"), ACTION, "get", version)
    documented = documented["instanceAction"]
    action = c.client.compute.get_server_action(
        documented["request_id"], server=documented["instance_uuid"]
    )
    expect_fields("action", action, documented, ACTION_FIELDS)
    expect_equal("number of events", len(action.events), len(documented["events"]))
    for i, (event, sample) in enumerate(zip(action.events, documented["events"])):
        expect_fields(f"events[{i}]", event, sample, EVENT_FIELDS)
    return f"action {action.action} with {len(action.events)} event(s) as documented at {version}"


# ---- baremetal-introspection: start / abort (stateful in the mock), status and data

STATUS_FIELDS = {
    "id": "uuid",
    "state": "state",
    "is_finished": "finished",
    "error": "error",
    "started_at": "started_at",
    "finished_at": "finished_at",
}


def documented_node() -> dict:
    return samples.response_example(spec("baremetal-introspection"), INTROSPECTION, "get")


@check("baremetal_introspection.get_introspection(documented node)")
def introspection_status(c: Context) -> str:
    documented = documented_node()
    status = c.client.baremetal_introspection.get_introspection(documented["uuid"])
    expect_fields("introspection", status, documented, STATUS_FIELDS)
    return f"node {status.id} {status.state} as documented"


@check("baremetal_introspection.start_introspection(node)")
def start_introspection(c: Context) -> str:
    node = str(uuid.uuid4())
    c.client.baremetal_introspection.start_introspection(node)
    status = c.client.baremetal_introspection.get_introspection(node)
    expect_equal("state", status.state, "waiting")
    expect_equal("is_finished", status.is_finished, False)
    c.state["node"] = node
    return f"node {node} waiting, not finished"


@check("baremetal_introspection.abort_introspection(node)")
def abort_introspection(c: Context) -> str:
    node = c.state["node"]
    c.client.baremetal_introspection.abort_introspection(node, ignore_missing=False)
    status = c.client.baremetal_introspection.get_introspection(node)
    expect_equal("state", status.state, "error")
    expect_equal("is_finished", status.is_finished, True)
    if not status.error:
        raise AssertionError("an aborted introspection shows no error message")
    return f"state error, finished, error {status.error!r}"


@check("baremetal_introspection.abort_introspection(unknown node) raises NotFound")
def abort_unknown(c: Context) -> str:
    unknown = str(uuid.uuid4())
    try:
        c.client.baremetal_introspection.abort_introspection(unknown, ignore_missing=False)
    except exceptions.NotFoundException as error:
        expect_equal("status_code", error.status_code, 404)
        return f"404 parsed: {error.details!r}"[:120]
    raise AssertionError(f"abort of unknown node {unknown} did not raise NotFoundException")


@check("baremetal_introspection.get_introspection_data(node)")
def introspection_data(c: Context) -> str:
    documented = samples.response_example(
        spec("baremetal-introspection"), INTROSPECTION_DATA, "get"
    )
    data = c.client.baremetal_introspection.get_introspection_data(documented_node()["uuid"])
    expect_equal("introspection data", data, documented)
    return f"{len(data)} top-level keys equal to the sample (cpu_arch {data.get('cpu_arch')!r})"


# ---- orchestration: stack and resource events

EVENT_RECORD_FIELDS = {
    "id": "id",
    "event_time": "event_time",
    "resource_name": "resource_name",
    "resource_status": "resource_status",
    "resource_status_reason": "resource_status_reason",
    "logical_resource_id": "logical_resource_id",
    "physical_resource_id": "physical_resource_id",
    "links": "links",
}


def documented_stack(events: list[dict]) -> Stack:
    """The stack the sample events belong to, from their ``stack`` link."""
    name, stack_id = samples.stack_of(events)
    return Stack.new(name=name, id=stack_id)


def check_events(what: str, events: list, documented: list[dict]) -> str:
    expect_equal(f"number of {what}", len(events), len(documented))
    for i, (event, sample) in enumerate(zip(events, documented)):
        expect_fields(f"{what}[{i}]", event, sample, EVENT_RECORD_FIELDS)
    return f"{len(events)} {what} as documented"


@check("orchestration.stack_events(stack)")
def stack_events(c: Context) -> str:
    documented = samples.response_example(spec("orchestration"), STACK_EVENTS, "get")["events"]
    stack = documented_stack(documented)
    return check_events("events", list(c.client.orchestration.stack_events(stack)), documented)


@check("orchestration.stack_events(stack, resource_name)")
def resource_events(c: Context) -> str:
    documented = samples.response_example(spec("orchestration"), RESOURCE_EVENTS, "get")["events"]
    stack = documented_stack(documented)
    name = documented[0]["resource_name"]
    events = list(c.client.orchestration.stack_events(stack, resource_name=name))
    return check_events(f"events of {name}", events, documented)


def without_discovery(conn: openstack.connection.Connection, service: mocks.Service) -> None:
    """Makes ``conn.<service>`` the proxy openstacksdk builds for an endpoint override,
    minus the version-discovery probe that no documented path of the mock answers
    (README.md, "Findings"). Touches the SDK's proxy cache, ``Connection._proxies``."""
    description = getattr(type(conn), service.sdk_name)
    # No version configured: the newest the SDK supports, as discovery would pick.
    configured = conn.config.get_api_version(description.service_type)
    major = str(configured)[0] if configured else max(description.supported_versions)
    proxy = conn.config.get_session_client(
        description.service_type, constructor=description.supported_versions[major]
    )
    proxy._connection = conn
    conn._proxies[description.service_type] = proxy


def main(cloud: str) -> int:
    conn = openstack.connect(cloud=cloud)
    for service in mocks.SERVICES:
        if not service.discoverable:
            without_discovery(conn, service)
    return SDK.run(conn)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
