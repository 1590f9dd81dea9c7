"""The ``openstack`` CLI (python-openstackclient with the heat and inspector plugins)
against the stackspec mocks, every value it prints held to the documented samples.

Run by run.py inside the CLI's venv: ``cli_calls.py CLOUD`` with OS_CLIENT_CONFIG_FILE
naming the clouds.yaml and STACKSPEC_SPEC_DIR the specs. Each CLI call is a subprocess
bound in time; its ``-f json`` output is parsed, and for the commands that print nothing
its ``--debug`` log tells what went over the wire. Every check runs even when an earlier
one failed; prints one line per check and exits 1 if any failed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

import samples
from checks import Context, Registry, expect_equal

# Bounds one CLI call (a Python start-up and a few requests, each bound by api_timeout).
CALL_TIMEOUT_SECONDS = 60
# Lines of a failed call's stderr quoted in its error.
STDERR_LINES = 5

ACTIONS = "/servers/{server_id}/os-instance-actions"
ACTION = "/servers/{server_id}/os-instance-actions/{request_id}"
SERVER = "/servers/{server_id}"
STACK_EVENTS = "/v1/{tenant_id}/stacks/{stack_name}/{stack_id}/events"
RESOURCE_EVENTS = "/v1/{tenant_id}/stacks/{stack_name}/{stack_id}/resources/{resource_name}/events"
EVENT = RESOURCE_EVENTS + "/{event_id}"
INTROSPECTION = "/v1/introspection/{node_id}"
ABORT = INTROSPECTION + "/abort"
DATA = INTROSPECTION + "/data"
UNPROCESSED = DATA + "/unprocessed"

# Microversions `server event list/show` run at, besides the newest the mock announces:
# where nova changed instance actions (2.21 deleted servers, 2.51 events for everyone,
# 2.58 paging and updated_at, 2.62 host/hostId, 2.84 details).
COMPUTE_VERSIONS = ("2.1", "2.21", "2.51", "2.58", "2.62", "2.84")


@cache
def spec(service: str) -> dict:
    return samples.load(Path(os.environ["STACKSPEC_SPEC_DIR"]) / f"{service}.yaml")


class CliFailed(Exception):
    """A CLI call exited non-zero, timed out, or printed what is not JSON."""


@dataclass(frozen=True)
class Printed:
    """What one CLI call printed."""

    argv: tuple[str, ...]
    status: int
    stdout: str
    stderr: str

    def command(self) -> str:
        return " ".join(self.argv)

    def tail(self) -> str:
        return " | ".join(self.stderr.strip().splitlines()[-STDERR_LINES:])

    def ok(self) -> Printed:
        if self.status != 0:
            raise CliFailed(f"`{self.command()}` exited {self.status}: {self.tail()}")
        return self

    def json(self) -> object:
        try:
            return json.loads(self.ok().stdout)
        except json.JSONDecodeError as error:
            raise CliFailed(f"`{self.command()}` printed no JSON ({error}): "
                            f"{self.stdout[:200]!r}") from None


@dataclass(frozen=True)
class Osc:
    """Runs ``openstack --os-cloud CLOUD ...`` of the venv this script runs in."""

    program: str
    cloud: str
    timeout: float = CALL_TIMEOUT_SECONDS

    def __call__(self, *args: str) -> Printed:
        argv = (self.program, "--os-cloud", self.cloud, *args)
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=self.timeout,
                                  stdin=subprocess.DEVNULL, check=False)
        except subprocess.TimeoutExpired:
            raise CliFailed(f"`{' '.join(argv)}` did not finish in {self.timeout:g}s") from None
        return Printed(argv, done.returncode, done.stdout, done.stderr)


# ---- the --debug log: what went over the wire

@dataclass(frozen=True)
class Exchange:
    """One request on the wire and the status it got (urllib3's debug line)."""

    method: str
    path: str
    status: int


WIRE = re.compile(r'^https?://\S+ "(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d{3})',
                  re.MULTILINE)
SENT = re.compile(r'^REQ: curl -g -i -X (?P<method>\w+) (?P<url>\S+)(?P<rest>.*)$', re.MULTILINE)
HEADER = re.compile(r'-H "(?P<name>[^:"]+): (?P<value>[^"]*)"')


def wire(debug_log: str) -> list[Exchange]:
    """Every request the call sent, redirects followed included, in order."""
    return [Exchange(m["method"], m["path"], int(m["status"])) for m in WIRE.finditer(debug_log)]


def sent_headers(debug_log: str, method: str, path: str) -> dict[str, str]:
    """The headers keystoneauth logged for the request ``method path`` (the last one)."""
    found = None
    for m in SENT.finditer(debug_log):
        if m["method"].upper() == method and m["url"].split("://", 1)[-1].endswith(path):
            found = {h["name"].lower(): h["value"] for h in HEADER.finditer(m["rest"])}
    if found is None:
        raise AssertionError(f"the CLI logged no request {method} {path}")
    return found


def expect_exchange(debug_log: str, method: str, path: str, status: int) -> None:
    """The call sent ``method path`` and got ``status``."""
    got = [e.status for e in wire(debug_log) if e.method == method and e.path == path]
    if status not in got:
        sent = [f"{e.method} {e.path} {e.status}" for e in wire(debug_log)]
        raise AssertionError(f"{method} {path}: expected a {status} answer, the wire had {sent}")


# ---- printed records held to samples

def expect_record(what: str, printed: object, sample: dict, columns: dict[str, str]) -> None:
    """The CLI printed exactly ``columns`` (its column name -> the sample's field of the
    same meaning), each equal to the sample's value (absent from the sample: null)."""
    if not isinstance(printed, dict):
        raise AssertionError(f"{what}: expected a JSON object, the CLI printed {printed!r}")
    expect_equal(f"{what} columns", sorted(printed), sorted(columns))
    for column, field in columns.items():
        expect_equal(f"{what}.{column}", printed[column], sample.get(field))


def expect_records(what: str, printed: object, documented: list[dict],
                   columns: dict[str, str]) -> None:
    if not isinstance(printed, list):
        raise AssertionError(f"{what}: expected a JSON list, the CLI printed {printed!r}")
    expect_equal(f"number of {what}", len(printed), len(documented))
    for i, (row, sample) in enumerate(zip(printed, documented)):
        expect_record(f"{what}[{i}]", row, sample, columns)


def same_names(*names: str) -> dict[str, str]:
    return {name: name for name in names}


CLI = Registry("CLI")
check = CLI.check
# One lane per service (compute: two), so that the calls of different services overlap.
on_heat = partial(check, lane="orchestration")
on_inspector = partial(check, lane="baremetal-introspection")


# ---- compute: `server event list/show` at several microversions, endpoint `.../v2.1`

def compute_versions() -> list[str]:
    """COMPUTE_VERSIONS and the newest one the mock's version document announces."""
    versions = samples.response_example(spec("compute"), "/", "get")["versions"]
    newest = next(v["version"] for v in versions if v["status"] == "CURRENT")
    return sorted({*COMPUTE_VERSIONS, newest}, key=samples.version_key)


def documented_server(version: str) -> str:
    """The id `find_server` resolves: that of the documented server."""
    return samples.response_example(spec("compute"), SERVER, "get", version)["server"]["id"]


EVENT_LIST_COLUMNS = {
    "Request ID": "request_id", "Server ID": "server_id", "Action": "action",
    "Start Time": "start_time", "Message": "message", "Project ID": "project_id",
    "User ID": "user_id",
}
ACTION_COLUMNS = {
    **same_names("action", "events", "message", "project_id", "request_id", "start_time",
                 "user_id"),
    "id": "request_id",
}
ACTION_EVENT_COLUMNS = {
    **same_names("event", "start_time", "finish_time", "result", "traceback", "host",
                 "details"),
    "host_id": "hostId",
}


def server_event_list(c: Context, version: str) -> str:
    server = documented_server(version)
    documented = samples.response_example(spec("compute"), ACTIONS, "get", version)
    # The CLI shows the server it looked up, whatever the actions' instance_uuid says.
    rows = [{**a, "server_id": server} for a in documented["instanceActions"]]
    printed = c.client("--os-compute-api-version", version, "server", "event", "list", server,
                       "--long", "-f", "json").json()
    expect_records("actions", printed, rows, EVENT_LIST_COLUMNS)
    return f"{len(rows)} action(s) as documented at {version}"


def server_event_show(c: Context, version: str) -> str:
    documented = samples.response_example(spec("compute"), ACTION, "get", version)
    documented = documented["instanceAction"]
    printed = c.client("--os-compute-api-version", version, "server", "event", "show",
                       documented_server(version), documented["request_id"], "-f", "json").json()
    # The events are held one by one below, with their own columns.
    expect_record("action", {**printed, "events": None}, {**documented, "events": None},
                  ACTION_COLUMNS)
    expect_records("events", printed["events"], documented.get("events", []),
                   ACTION_EVENT_COLUMNS)
    return (f"action {documented['action']} with {len(printed['events'])} event(s) as "
            f"documented at {version}")


def register_compute() -> None:
    for version in compute_versions():
        check(f"server event list --long (compute {version})", lane="compute list")(
            lambda c, v=version: server_event_list(c, v))
        check(f"server event show (compute {version})", lane="compute show")(
            lambda c, v=version: server_event_show(c, v))


@check("compute endpoint `/v2.1` as a catalog gives it: redirected to `/v2.1/`, no token asked",
       lane="compute list")
def compute_catalog_endpoint(c: Context) -> str:
    server = documented_server(compute_versions()[-1])
    log = c.client("--debug", "server", "event", "list", server, "-f", "json").ok().stderr
    expect_exchange(log, "GET", "/v2.1", 302)
    expect_exchange(log, "GET", "/v2.1/", 200)
    # keystoneauth discovers without a token first; nova's version documents need none.
    expect_equal("requests answered 401", [e.path for e in wire(log) if e.status == 401], [])
    return "GET /v2.1 -> 302 -> GET /v2.1/ 200, without a token"


# ---- orchestration: `stack event list/show` by stack name and by name/id

STACK_EVENT_COLUMNS = same_names(
    "resource_name", "id", "resource_status", "resource_status_reason", "event_time",
    "physical_resource_id", "logical_resource_id",
)


def stack_events() -> list[dict]:
    return samples.response_example(spec("orchestration"), STACK_EVENTS, "get")["events"]


def stack_names() -> list[str]:
    """The documented stack by name, and by name/id."""
    name, stack_id = samples.stack_of(stack_events())
    return [name, f"{name}/{stack_id}"]


@on_heat("stack event list <name> (a 302 to <name>/<id>)")
def stack_event_list_by_name(c: Context) -> str:
    printed = c.client("--debug", "stack", "event", "list", stack_names()[0], "-f", "json")
    expect_records("events", printed.json(), stack_events(), STACK_EVENT_COLUMNS)
    followed = [f"{e.path} {e.status}" for e in wire(printed.stderr) if "/events" in e.path]
    expect_equal("the lookup by name", [f.rsplit(" ", 1)[1] for f in followed], ["302", "200"])
    return f"{len(stack_events())} events as documented, via {' -> '.join(followed)}"


@on_heat("stack event list <name>/<id>")
def stack_event_list_by_id(c: Context) -> str:
    printed = c.client("stack", "event", "list", stack_names()[1], "-f", "json").json()
    expect_records("events", printed, stack_events(), STACK_EVENT_COLUMNS)
    return f"{len(printed)} events as documented"


@on_heat("stack event list <name> --resource <resource>")
def stack_event_list_of_resource(c: Context) -> str:
    documented = samples.response_example(spec("orchestration"), RESOURCE_EVENTS, "get")["events"]
    resource = documented[0]["resource_name"]
    printed = c.client("stack", "event", "list", stack_names()[0], "--resource", resource,
                       "-f", "json").json()
    expect_records(f"events of {resource}", printed, documented, STACK_EVENT_COLUMNS)
    return f"{len(printed)} events of {resource} as documented"


def stack_event_show(c: Context, stack: str) -> str:
    documented = samples.response_example(spec("orchestration"), EVENT, "get")["event"]
    # The resource and event the sample names: the mock echoes those the path asks for.
    printed = c.client("stack", "event", "show", stack, documented["resource_name"],
                       documented["id"], "-f", "json").json()
    expect_record("event", printed, documented, same_names(*documented))
    return f"event {documented['id']} ({len(documented)} fields) as documented"


for _index, _how in enumerate(("<name>", "<name>/<id>")):
    on_heat(f"stack event show {_how} <resource> <event>")(
        lambda c, i=_index: stack_event_show(c, stack_names()[i]))


# ---- baremetal-introspection: abort, data save, reprocess at the newest common version

def inspector_version() -> str:
    """The newest version both the pinned client and the mock's spec know."""
    import ironic_inspector_client

    client = ".".join(map(str, ironic_inspector_client.MAX_API_VERSION))
    mock = spec("baremetal-introspection")["info"]["x-stackspec"]["max-microversion"]
    return min(client, mock, key=samples.version_key)


def inspector(c: Context, *args: str, debug: bool = False) -> Printed:
    """``openstack baremetal introspection ARGS`` at inspector_version()."""
    options = ["--debug"] if debug else []
    return c.client(*options, "--inspector-api-version", inspector_version(), "baremetal",
                    "introspection", *args)


def documented_node() -> dict:
    return samples.response_example(spec("baremetal-introspection"), INTROSPECTION, "get")


def expect_documented_answer(log: str, method: str, path: str, template: str) -> None:
    """``method path`` got the documented 2xx and carried the inspector version asked."""
    status = samples.success_status(spec("baremetal-introspection"), template, method.lower())
    expect_exchange(log, method, path, status)
    headers = sent_headers(log, method, path)
    expect_equal(f"{method} {path} version header",
                 headers.get("x-openstack-ironic-inspector-api-version"), inspector_version())


STATUS_COLUMNS = same_names("error", "finished", "finished_at", "started_at", "state", "uuid")


@on_inspector("introspection status <documented node>")
def introspection_status(c: Context) -> str:
    documented = documented_node()
    printed = inspector(c, "status", documented["uuid"], "-f", "json").json()
    expect_record("status", printed, documented, STATUS_COLUMNS)
    return f"node {documented['uuid']} {documented['state']} as documented"


@on_inspector("introspection start, then abort")
def introspection_abort(c: Context) -> str:
    node = str(uuid.uuid4())
    inspector(c, "start", node).ok()
    before = inspector(c, "status", node, "-f", "json").json()
    expect_equal("state before abort", (before["state"], before["finished"]), ("waiting", False))
    path = f"/v1/introspection/{node}/abort"
    expect_documented_answer(inspector(c, "abort", node, debug=True).ok().stderr, "POST", path,
                             ABORT)
    after = inspector(c, "status", node, "-f", "json").json()
    expect_equal("state after abort", (after["state"], after["finished"]), ("error", True))
    if not after["error"]:
        raise AssertionError("an aborted introspection shows no error message")
    return f"202 at {inspector_version()}; then state error, finished, {after['error']!r}"


@on_inspector("introspection abort <unknown node> fails naming the node")
def introspection_abort_unknown(c: Context) -> str:
    node = str(uuid.uuid4())
    printed = inspector(c, "abort", node)
    expect_equal("exit status", printed.status, 1)
    if node not in printed.stderr:
        raise AssertionError(f"the CLI's error does not name {node}: {printed.tail()}")
    return printed.tail()[:120]


@on_inspector("introspection data save <node> (stdout)")
def introspection_data(c: Context) -> str:
    documented = samples.response_example(spec("baremetal-introspection"), DATA, "get",
                                          inspector_version())
    printed = inspector(c, "data", "save", documented_node()["uuid"]).json()
    expect_equal("introspection data", printed, documented)
    return f"{len(documented)} top-level keys equal to the sample"


@on_inspector("introspection data save --file F --unprocessed <node>")
def introspection_data_file(c: Context) -> str:
    documented = samples.response_example(spec("baremetal-introspection"), UNPROCESSED, "get",
                                          inspector_version())
    with tempfile.TemporaryDirectory() as scratch:
        saved = Path(scratch) / "data.json"
        inspector(c, "data", "save", "--file", str(saved), "--unprocessed",
                  documented_node()["uuid"]).ok()
        expect_equal("saved unprocessed data", json.loads(saved.read_text()), documented)
    return f"{len(documented)} top-level keys equal to the sample"


@on_inspector("introspection reprocess <node>")
def introspection_reprocess(c: Context) -> str:
    node = documented_node()["uuid"]
    log = inspector(c, "reprocess", node, debug=True).ok().stderr
    path = f"/v1/introspection/{node}/data/unprocessed"
    expect_documented_answer(log, "POST", path, UNPROCESSED)
    return f"POST {path} answered as documented at {inspector_version()}"


def main(cloud: str) -> int:
    register_compute()
    program = str(Path(sys.executable).parent / "openstack")
    return CLI.run(Osc(program, cloud))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
