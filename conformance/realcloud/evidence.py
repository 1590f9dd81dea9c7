#!/usr/bin/env python3
"""Record real request/response transcripts from the local cloud, one file per service.

Usage: evidence.py [OUT_DIR]   (default: conformance/realcloud/evidence; needs `cloud.py up`)

Every exchange is made with curl; the file shows the curl command (identity
headers abbreviated as "${HEADERS[@]}", spelled out once at the top), the
status line, the response headers that carry meaning, and the body. These
transcripts are the evidence behind the entries of docs/findings.md.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
KEPT_HEADERS = {
    "content-type", "location", "allow", "openstack-api-version",
    "x-openstack-nova-api-version", "x-openstack-ironic-inspector-api-minimum-version",
    "x-openstack-request-id", "x-compute-request-id",
    "x-openstack-ironic-inspector-api-maximum-version", "x-openstack-ironic-inspector-api-version",
}
MISSING = "00000000-0000-4000-8000-000000000000"
MEMBER = {"X-Roles": "member,reader"}


class Transcript:
    """Collects exchanges for one service and writes them as plain text."""

    def __init__(self, title: str, identity: dict[str, str]):
        self.identity = identity
        self.lines = [f"# {title}", "", "HEADERS (sent with every request unless noted):"]
        self.lines += [f"  -H {shlex.quote(f'{k}: {v}')}" for k, v in identity.items()]
        self.lines.append("")

    def exchange(self, note: str, method: str, url: str, body: object | None = None,
                 headers: dict[str, str] | None = None) -> tuple[int, object]:
        """Send one request with curl, record it, return (status, decoded body)."""
        sent = {**self.identity, **(headers or {})}
        argv = ["curl", "-s", "-i", "--max-time", "30", "-X", method]
        for key, value in sent.items():
            argv += ["-H", f"{key}: {value}"]
        shown = ["curl", "-s", "-i", "-X", method, '"${HEADERS[@]}"']
        for key, value in (headers or {}).items():
            shown += ["-H", shlex.quote(f"{key}: {value}")]
        if body is not None:
            payload = json.dumps(body)
            argv += ["-H", "Content-Type: application/json", "-d", payload]
            shown += ["-H", "'Content-Type: application/json'", "-d", shlex.quote(payload)]
        argv.append(url)
        shown.append(url)
        # Bytes, not text=True: universal newlines would turn the CRLFs we split on into LFs.
        raw = subprocess.run(argv, capture_output=True, check=True).stdout.decode()
        status, response_headers, text = parse(raw)
        decoded = decode(text)
        self.lines += [f"## {note}", "$ " + " ".join(shown), f"< {status_line(raw)}"]
        self.lines += [f"< {k}: {v}" for k, v in response_headers if k.lower() in KEPT_HEADERS]
        self.lines += ["<", pretty(decoded, text), ""]
        return status, decoded

    def write(self, path: Path) -> None:
        path.write_text("\n".join(self.lines) + "\n")
        print(f"wrote {path}")


def status_line(raw: str) -> str:
    return raw.split("\r\n", 1)[0]


def parse(raw: str) -> tuple[int, list[tuple[str, str]], str]:
    head, _, body = raw.partition("\r\n\r\n")
    first, *rest = head.split("\r\n")
    headers = [tuple(part.strip() for part in line.split(":", 1)) for line in rest if ":" in line]
    return int(first.split()[1]), headers, body


def decode(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return None


def pretty(decoded: object, text: str) -> str:
    if decoded is None:
        return text if text else "(empty body)"
    return json.dumps(decoded, indent=2)


def get_json(url: str, headers: dict[str, str]) -> object:
    """An unrecorded GET, for waiting until an asynchronous change has happened."""
    argv = ["curl", "-s", "--max-time", "30"]
    for key, value in headers.items():
        argv += ["-H", f"{key}: {value}"]
    return decode(subprocess.run([*argv, url], capture_output=True, text=True).stdout)


def wait_for(what: str, check, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise RuntimeError(f"{what}: not reached in {timeout:.0f}s")


def compute(env: dict, out: Path) -> None:
    nova, seed = env["endpoints"]["nova"], env["seed"]["nova"]
    t = Transcript("compute (Nova 34.0.0 API)", env["headers"])
    events = f"{nova}/os-server-external-events"

    def event(server: str, name: str = "network-changed") -> dict:
        return {"events": [{"name": name, "server_uuid": server, "tag": "foo"}]}

    t.exchange("external event for an unknown server (docs: 404 only before bug 1855752)",
               "POST", events, event(MISSING))
    t.exchange("external event for a known server that has a host", "POST", events,
               event(seed["server_id"]))
    t.exchange("external event for a known server without a host", "POST", events,
               event(seed["unhosted_server_id"]))
    t.exchange("external events: one known, one unknown server", "POST", events,
               {"events": event(seed["server_id"])["events"] + event(MISSING)["events"]})
    t.exchange("event name test-event at the default microversion (2.1)", "POST", events,
               event(seed["server_id"], "test-event"))
    t.exchange("event name test-event at microversion 2.latest", "POST", events,
               event(seed["server_id"], "test-event"),
               {"OpenStack-API-Version": "compute latest"})
    t.exchange("external events without the admin role", "POST", events,
               event(seed["server_id"]), MEMBER)
    t.exchange("external events: an empty list", "POST", events, {"events": []})
    actions = f"{nova}/servers/{seed['server_id']}/os-instance-actions"
    failed_request = seed["request_ids"][1]
    for version in ("2.1", "2.51", "2.58", "2.84"):
        mv = {"OpenStack-API-Version": f"compute {version}"}
        t.exchange(f"list instance actions at {version}", "GET", actions, headers=mv)
        t.exchange(f"show the failed 'stop' action at {version}", "GET",
                   f"{actions}/{failed_request}", headers=mv)
    mv = {"OpenStack-API-Version": "compute 2.84"}
    t.exchange("show the successful 'create' action at 2.84 (message, traceback, details)", "GET",
               f"{actions}/{seed['request_ids'][0]}", headers=mv)
    t.exchange("list instance actions with limit=1 at 2.58 (links)", "GET",
               f"{actions}?limit=1", headers={"OpenStack-API-Version": "compute 2.58"})
    for version in ("2.50", "2.51", "2.84"):
        t.exchange(f"show the failed 'stop' action without the admin role at {version}", "GET",
                   f"{actions}/{failed_request}",
                   headers={"OpenStack-API-Version": f"compute {version}", **MEMBER})
    t.exchange("404: instance actions of an unknown server", "GET",
               f"{nova}/servers/{MISSING}/os-instance-actions", headers=mv)
    t.exchange("404: unknown request id", "GET", f"{actions}/req-{MISSING}", headers=mv)
    t.write(out / "compute.txt")


def image(env: dict, out: Path) -> None:
    glance, fixture = env["endpoints"]["glance"], env["seed"]["fixture"]["url"]
    t = Transcript("image (Glance 33.0.0)", env["headers"])
    tasks = f"{glance}/v2/tasks"

    def import_task(url: str) -> dict:
        return {"type": "import", "input": {
            "import_from": url, "import_from_format": "raw",
            "image_properties": {"disk_format": "raw", "container_format": "bare",
                                 "name": "evidence"}}}

    _, created = t.exchange("create an import task", "POST", tasks, import_task(fixture))
    task_url = f"{tasks}/{created['id']}"
    finished = lambda url: get_json(url, env["headers"])["status"] in ("success", "failure")
    wait_for("import task", lambda: finished(task_url))
    t.exchange("show the finished import task", "GET", task_url)
    _, broken = t.exchange("create an import task from a URL that answers 404", "POST", tasks,
                           import_task(fixture + ".missing"))
    broken_url = f"{tasks}/{broken['id']}"
    wait_for("failing import task", lambda: finished(broken_url))
    t.exchange("show the failed import task", "GET", broken_url)
    t.exchange("list tasks", "GET", tasks)
    t.exchange("list tasks filtered by status and sorted", "GET",
               f"{tasks}?status=success&sort_key=created_at&sort_dir=asc&limit=1")
    t.exchange("delete a task (no such operation in the api-ref)", "DELETE", task_url)
    t.exchange("create the task of the api-ref's request sample (task-create-request.json)",
               "POST", tasks, {"type": "import", "input": {
                   "import_from": "http://app-catalog.openstack.example.org/groovy-image",
                   "import_from_format": "qcow2",
                   "image_properties": {"disk_format": "vhd", "container_format": "ovf"}}})
    t.exchange("list tasks after an unknown marker", "GET", f"{tasks}?marker={MISSING}")
    t.exchange("list tasks with an empty marker", "GET", f"{tasks}?marker=")
    t.exchange("create a task of an unknown type", "POST", tasks,
               {"type": "no-such-type", "input": {}})
    t.exchange("list tasks without the admin role", "GET", tasks, headers=MEMBER)
    t.exchange("show a task without the admin role", "GET", task_url, headers=MEMBER)
    t.exchange("create a task without the admin role", "POST", tasks, import_task(fixture),
               headers=MEMBER)
    t.exchange("404: unknown task", "GET", f"{tasks}/{MISSING}")
    t.exchange("404: unknown task without Accept: application/json", "GET",
               f"{tasks}/{MISSING}", headers={"Accept": "*/*"})
    t.write(out / "image.txt")


def orchestration(env: dict, out: Path) -> None:
    heat, seed = env["endpoints"]["heat"], env["seed"]["heat"]
    t = Transcript("orchestration (Heat 27.0.1)", env["headers"])
    stack = f"{heat}/stacks/{seed['stack_name']}/{seed['stack_id']}"
    resource = f"{stack}/resources/{seed['resource_name']}"
    t.exchange("list events of a resource", "GET", f"{resource}/events")
    t.exchange("show one resource event", "GET", f"{resource}/events/{seed['event_id']}")
    t.exchange("list events of a resource, sorted and limited", "GET",
               f"{resource}/events?sort_keys=event_time&sort_dir=asc&limit=1")
    t.exchange("list events of the stack", "GET", f"{stack}/events")
    t.exchange("find the stack's events by stack name (documented: 302)", "GET",
               f"{heat}/stacks/{seed['stack_name']}/events")
    t.exchange("400: list events of the stack in an unknown sort direction", "GET",
               f"{stack}/events?sort_dir=sideways")
    t.exchange("404: unknown event", "GET", f"{resource}/events/{MISSING}")
    t.exchange("404: events of an unknown resource", "GET",
               f"{stack}/resources/no-such-resource/events")
    t.exchange("404: events of an unknown stack", "GET",
               f"{heat}/stacks/no-such-stack/{MISSING}/resources/marker/events")
    t.write(out / "orchestration.txt")


def baremetal_introspection(env: dict, out: Path) -> None:
    inspector, seed = env["endpoints"]["ironic-inspector"], env["seed"]["ironic-inspector"]
    t = Transcript("baremetal-introspection (Ironic Inspector 12.5.0 with Ironic 39.0.0)",
                   env["headers"])
    intro = f"{inspector}/v1/introspection"
    waiting, inspected = seed["waiting_node_id"], seed["inspected_node_id"]
    t.exchange("version document (names of the version headers)", "GET", f"{inspector}/")
    t.exchange("v1 document", "GET", f"{inspector}/v1")
    t.exchange("status of the introspection that waits for its ramdisk", "GET",
               f"{intro}/{waiting}")
    t.exchange("abort it", "POST", f"{intro}/{waiting}/abort")
    wait_for("abort", lambda: get_json(f"{intro}/{waiting}", env["headers"])["finished"])
    t.exchange("status after abort", "GET", f"{intro}/{waiting}")
    t.exchange("abort again, once finished", "POST", f"{intro}/{waiting}/abort")
    t.exchange("data of the aborted introspection (none stored)", "GET", f"{intro}/{waiting}/data")
    t.exchange("stored data of the finished introspection", "GET", f"{intro}/{inspected}/data")
    t.exchange("unprocessed data, no version header", "GET", f"{intro}/{inspected}/data/unprocessed")
    t.exchange("unprocessed data at API version 1.17", "GET",
               f"{intro}/{inspected}/data/unprocessed",
               headers={"X-OpenStack-Ironic-Inspector-API-Version": "1.17"})
    t.exchange("reapply the unprocessed data", "POST", f"{intro}/{inspected}/data/unprocessed")
    time.sleep(2)
    t.exchange("status after reapply", "GET", f"{intro}/{inspected}")
    t.exchange("reapply with a request body (the api-ref documents none)", "POST",
               f"{intro}/{inspected}/data/unprocessed", {"unexpected": True})
    t.exchange("404: status of an unknown node", "GET", f"{intro}/{MISSING}")
    t.exchange("404: abort an unknown node", "POST", f"{intro}/{MISSING}/abort")
    t.exchange("404: data of an unknown node", "GET", f"{intro}/{MISSING}/data")
    t.write(out / "baremetal-introspection.txt")


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else HERE / "evidence"
    out.mkdir(parents=True, exist_ok=True)
    env = json.loads(subprocess.run([sys.executable, str(HERE / "cloud.py"), "env", "--json"],
                                    capture_output=True, text=True, check=True).stdout)
    for record in (compute, image, orchestration, baremetal_introspection):
        record(env, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
