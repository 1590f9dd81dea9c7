"""conform and Schemathesis against the same local cloud: the distinct 5xx each finds.

For each service, `stackspec conform` (whole spec; examples, property and negative phases,
mutations allowed, no overrides, every exchange kept with `--record`) and Schemathesis
(`st run` on the same spec, its HAR report) are given the same endpoint, the same path
values and the same wall-clock budget, one after the other. The client CPU each used is the
RUSAGE_CHILDREN delta around it. Both tools' HAR files then pass through the same code
(`realcloud.signatures`), and the report lists the 5xx signatures only conform found, both
found, and only Schemathesis found, each with one example request.

Usage: versus.py [SERVICE...] [--max-cases N] [--seed S] [--budget SECONDS] [--out DIR]
       versus.py --analyse-only ...   (the HAR files of an earlier run, nothing sent)
Needs the cloud up in keystone mode (`STACKSPEC_CLOUD_AUTH=keystone cloud.py up`).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import har, lifecycle, signatures
from .run import Run
from .services import BY_NAME
from .settings import SCHEMATHESIS, RunSettings

REPO = Path(__file__).resolve().parents[3]

# Spec, cloud service, and the seeded path values both tools get (the same ci.sh gives
# conform), per service type.
SERVICES = ("image", "compute", "orchestration", "baremetal-introspection")
CLOUD_SERVICE = {"image": "glance", "compute": "nova", "orchestration": "heat",
                 "baremetal-introspection": "ironic-inspector"}
# (path parameter, seed.json keys)
PATH_SEEDS = {
    "compute": (("server_id", ("nova", "server_id")),),
    "orchestration": (("tenant_id", ("keystone", "admin_project_id")),
                      ("stack_name", ("heat", "stack_name")), ("stack_id", ("heat", "stack_id")),
                      ("resource_name", ("heat", "resource_name")),
                      ("event_id", ("heat", "event_id"))),
    "baremetal-introspection": (("node_id", ("ironic-inspector", "inspected_node_id")),),
}
# Seconds a tool may overrun its budget (writing its report) before it is killed.
GRACE_SECONDS = 60


@dataclass(frozen=True)
class Target:
    """What both tools are pointed at for one service."""

    service: str
    spec: Path
    url: str
    path_values: dict[str, str]


@dataclass(frozen=True)
class Measured:
    """One tool's run: its exit code, client CPU and wall seconds, and its HAR file."""

    tool: str
    exit_code: int
    cpu: float
    wall: float
    har: Path


def target(run: Run, service: str) -> Target:
    """The endpoint and path values of ``service``; heat's root, as its spec's paths carry
    `/v1/{tenant_id}` themselves."""
    cloud_service = BY_NAME[CLOUD_SERVICE[service]]
    url = cloud_service.url if service == "orchestration" else cloud_service.endpoint(run)
    seeds = lifecycle.seeds(run)
    values = {name: str(_seed(seeds, keys)) for name, keys in PATH_SEEDS.get(service, ())}
    return Target(service, REPO / "spec" / f"{service}.yaml", url, values)


def _seed(seeds: dict, keys: tuple[str, ...]) -> object:
    value: object = seeds
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            raise SystemExit(f"seed.json has no {' '.join(keys)!r}: is the cloud up?")
        value = value[key]
    return value


def measured(tool: str, argv: list[str], har_path: Path, log: Path, budget: int,
             env: dict[str, str] | None = None, cwd: Path | None = None) -> Measured:
    """Runs ``argv`` under `timeout` (budget plus grace), output to ``log``; the client CPU
    is what its process tree used (RUSAGE_CHILDREN counts every waited-for descendant)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    with log.open("w") as out:
        out.write("$ " + " ".join(argv) + "\n")
        out.flush()
        done = subprocess.run(["timeout", "--kill-after=10", str(budget + GRACE_SECONDS), *argv],
                              stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd,
                              check=False)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(tool, done.returncode, cpu, wall, har_path)


def conform_argv(stackspec: str, t: Target, out: Path, max_cases: int, seed: int,
                 budget: int) -> list[str]:
    argv = [stackspec, "conform", "--os-cloud", "local", "--url", t.url, "--spec", str(t.spec),
            "--phases", "examples,property,negative", "--allow-mutations",
            "--max-cases", str(max_cases), "--seed", str(seed), "--deadline", str(budget),
            "--record", str(out / "conform-har"), "--report", f"json={out / 'conform.json'}"]
    for name, value in t.path_values.items():
        argv += ["--path-value", f"{name}={value}"]
    return argv


def schemathesis_argv(t: Target, out: Path, token: str, max_cases: int, seed: int,
                      budget: int) -> list[str]:
    config = out / "schemathesis.toml"
    config.write_text(schemathesis_config(t.path_values))
    return [SCHEMATHESIS.bin("st"), "--config-file", str(config), "run", str(t.spec),
            "--url", t.url, "-H", f"X-Auth-Token: {token}", "--max-examples", str(max_cases),
            "--seed", str(seed), "--max-time", str(budget), "--continue-on-failure",
            # Keeps the values of parameters named like secrets (`sort_key`) in the HAR file.
            "--output-sanitize", "false", "--no-color", "--report", "har",
            "--report-har-path", str(out / "schemathesis.har")]


def schemathesis_config(path_values: dict[str, str]) -> str:
    """The path values conform gets with `--path-value`, in schemathesis.toml's words."""
    lines = ["[parameters]"] + [f"{json.dumps('path.' + k)} = {json.dumps(v)}"
                                for k, v in path_values.items()]
    return "\n".join(lines) + "\n"


# Run in Schemathesis' venv (its PyYAML and its serializers; the harness itself needs nothing
# beyond the standard library): the spec's path templates, and the JSON request media types
# Schemathesis has no serializer for.
SPEC_FACTS = """
import json, sys, yaml
from schemathesis.transport.requests import REQUESTS_TRANSPORT
spec = yaml.safe_load(open(sys.argv[1]))
media = {m for item in spec["paths"].values() for op in item.values()
         if isinstance(op, dict) for m in op.get("requestBody", {}).get("content", {})}
missing = sorted(m for m in media
                 if "json" in m and REQUESTS_TRANSPORT.get_first_matching_media_type(m) is None)
print(json.dumps({"paths": list(spec["paths"]), "unserialisable": missing}))
"""


def spec_facts(spec: Path) -> dict:
    done = subprocess.run([SCHEMATHESIS.python, "-c", SPEC_FACTS, str(spec)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{spec}: cannot read it: {done.stderr.strip()}")
    return json.loads(done.stdout)


def schemathesis_workarounds(spec: Path, out: Path) -> tuple[dict[str, str], list[str]]:
    """Environment for Schemathesis' limitations on our specs, and a note for each.

    Schemathesis 4.32.5 serialises only media types it knows: a vendor JSON type such as
    glance's `application/openstack-images-v2.1-json-patch` (no `+json` suffix) fails the
    operation with "Serialization not possible". A hooks module aliases such types to its
    JSON serializer, as its documentation suggests."""
    missing = spec_facts(spec)["unserialisable"]
    if not missing:
        return {}, []
    hooks = out / "schemathesis_hooks.py"
    hooks.write_text("import schemathesis\n\n"
                     f"schemathesis.serializer.alias({missing!r}, \"application/json\")\n")
    env = {"SCHEMATHESIS_HOOKS": hooks.stem, "PYTHONPATH": str(out)}
    return env, [f"no serializer for {', '.join(missing)}: aliased to application/json "
                 f"({hooks.name})"]


def conform_har(out: Path) -> Path:
    files = sorted((out / "conform-har").glob("*.har"))
    return files[-1] if files else out / "conform-har" / "missing.har"


def run_service(run: Run, service: str, args: argparse.Namespace) -> dict:
    t = target(run, service)
    out = args.out / service
    out.mkdir(parents=True, exist_ok=True)
    st_env, notes = schemathesis_workarounds(t.spec, out)
    if not args.analyse_only:
        env = {**os.environ, "OS_CLIENT_CONFIG_FILE": str(run.root / "clouds.yaml")}
        token = run.headers()["X-Auth-Token"]
        tools = [
            measured("conform", conform_argv(args.stackspec, t, out, args.max_cases, args.seed,
                                             args.budget),
                     out / "conform-har", out / "conform.log", args.budget, env=env),
            measured("schemathesis", schemathesis_argv(t, out, token, args.max_cases,
                                                       args.seed, args.budget),
                     out / "schemathesis.har", out / "schemathesis.log", args.budget,
                     env={**os.environ, **st_env}, cwd=out),
        ]
        (out / "measured.json").write_text(json.dumps(
            [{**m.__dict__, "har": str(m.har)} for m in tools], indent=2))
    return compare(t, out, notes)


def compare(t: Target, out: Path, notes: list[str]) -> dict:
    """The signatures of both tools' HAR files, and their measurements."""
    templates = signatures.PathTemplates(spec_facts(t.spec)["paths"], t.url)
    conform_exchanges = har.read(conform_har(out))
    st_exchanges = har.read(out / "schemathesis.har")
    conform = signatures.distinct(conform_exchanges, templates)
    st = signatures.distinct(st_exchanges, templates)
    tools = json.loads((out / "measured.json").read_text())
    return {"service": t.service, "notes": notes, "tools": tools,
            "requests": {"conform": len(conform_exchanges), "schemathesis": len(st_exchanges)},
            "conform_not_tried": not_tried(out / "conform.json"),
            "bodies": _split(_bodies(conform), _bodies(st)),
            "conform_only": _listed(conform, chosen=set(conform) - set(st)),
            "both": _listed(conform, st, chosen=set(conform) & set(st)),
            "schemathesis_only": _listed(st, chosen=set(st) - set(conform))}


def _bodies(found: dict) -> set[tuple[int, str]]:
    return {(sig.status, sig.body) for sig in found}


def _split(conform: set, st: set) -> dict[str, int]:
    return {"conform_only": len(conform - st), "both": len(conform & st),
            "schemathesis_only": len(st - conform)}


def not_tried(report: Path) -> int:
    """Cases conform's JSON report says it did not send (the budget ran out first)."""
    if not report.is_file():
        return 0
    return sum(item.get("cases", 0) for item in json.loads(report.read_text()).get("not_tried", []))


def _listed(*found: dict, chosen: set) -> list[dict]:
    """Each chosen signature with an example request from each tool that found it."""
    return [{"signature": str(sig), "examples": [example(f[sig]) for f in found if sig in f]}
            for sig in sorted(chosen)]


# Headers every request of a tool carries, which tell nothing about what broke the server.
ROUTINE_HEADERS = {"user-agent", "accept-encoding", "connection", "x-auth-token",
                   "x-schemathesis-testcaseid", "content-length", "host"}


def example(exchange: har.Exchange) -> str:
    """One line that says what was sent: method, URL, the telling headers, the body."""
    headers = [f"{n}: {v}" for n, v in exchange.request_headers
               if n.lower() not in ROUTINE_HEADERS]
    line = f"{exchange.method} {exchange.url}"
    if headers:
        line += f" [{'; '.join(headers)}]"
    if exchange.request_body:
        line += f" body={exchange.request_body[:200]!r}"
    return line


def render(result: dict) -> str:
    tools = {m["tool"]: m for m in result["tools"]}
    c, s = tools["conform"], tools["schemathesis"]
    ratio = c["cpu"] / s["cpu"] if s["cpu"] else float("nan")
    sent = result["requests"]
    lines = [f"== {result['service']}",
             f"5xx signatures: conform only {len(result['conform_only'])}, both "
             f"{len(result['both'])}, Schemathesis only {len(result['schemathesis_only'])}",
             # One defect reached through many operations (a bad header every route parses)
             # is one line here.
             "distinct (status, body) over all operations: conform only {conform_only}, both "
             "{both}, Schemathesis only {schemathesis_only}".format(**result["bodies"]),
             f"conform:      exit {c['exit_code']}, client CPU {c['cpu']:.1f} s, wall "
             f"{c['wall']:.0f} s, {sent['conform']} requests "
             f"({result['conform_not_tried']} cases not tried within the budget)",
             f"Schemathesis: exit {s['exit_code']}, client CPU {s['cpu']:.1f} s, wall "
             f"{s['wall']:.0f} s, {sent['schemathesis']} requests",
             f"CPU conform/Schemathesis: {ratio:.3f}; wall: {c['wall'] / s['wall']:.3f}"]
    lines += [f"note (Schemathesis limitation): {n}" for n in result["notes"]]
    for key, title in (("conform_only", "conform only"), ("both", "both"),
                       ("schemathesis_only", "Schemathesis only")):
        lines.append(f"-- {title}")
        for item in result[key]:
            lines.append(f"  {item['signature']}")
            lines += [f"      e.g. {e}" for e in item["examples"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="versus.py", description=__doc__.split("\n")[0])
    parser.add_argument("services", nargs="*", metavar="SERVICE",
                        help=f"service types (default: {', '.join(SERVICES)})")
    parser.add_argument("--max-cases", type=int, default=20,
                        help="conform's --max-cases and Schemathesis' --max-examples")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--budget", type=int, default=300,
                        help="wall-clock seconds each tool gets per service")
    parser.add_argument("--out", type=Path, help="default: $STACKSPEC_CLOUD_DIR/versus")
    parser.add_argument("--stackspec", default=os.environ.get("STACKSPEC_BIN", "stackspec"),
                        help="the stackspec binary (default: $STACKSPEC_BIN or PATH)")
    parser.add_argument("--analyse-only", action="store_true",
                        help="compare the HAR files of an earlier run; send nothing")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.services) - set(SERVICES))
    if unknown:
        parser.error(f"{', '.join(unknown)}: choose from {', '.join(SERVICES)}")
    run = Run(RunSettings.from_env())
    if run.settings.auth_mode != "keystone":
        parser.error("needs STACKSPEC_CLOUD_AUTH=keystone (conform logs in through clouds.yaml)")
    args.out = args.out or run.root / "versus"
    args.out.mkdir(parents=True, exist_ok=True)
    if not args.analyse_only:
        SCHEMATHESIS.ensure(args.out)
    results = []
    for service in args.services or SERVICES:
        try:
            result = run_service(run, service, args)
        except har.HarError as error:
            print(f"== {service}: {error}", file=sys.stderr)
            return 2
        results.append(result)
        print(render(result), end="", flush=True)
    (args.out / "versus.json").write_text(json.dumps(results, indent=2))
    return 0
