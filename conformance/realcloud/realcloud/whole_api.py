"""The whole-API stage: ``stackspec conform`` on every operation of every service the local
cloud runs, each as ``whole-api/<service-type>.yaml`` declares it (how conform reaches the
service, and what this cloud cannot serve: declared skips, reported as skipped with their
reason, never counted as passed), then one table row per service.

Usage: python3 -m realcloud.whole_api --stackspec BIN --reports DIR [--max-cases N]
       [--seed N] [--timeout S] [--workers N] [SERVICE...]     (default: every declared service)

Needs a cloud ``up`` in keystone mode (``STACKSPEC_CLOUD_DIR``): conform logs in through
its ``clouds.yaml`` entry ``local``. A declaration holds ``spec`` (a stem of ``spec/``),
optional ``args`` (extra conform arguments), ``url`` (a base URL other than the catalog's),
``path_values`` and ``skips`` (``reason`` and ``operations``). In ``url``, ``args`` and
``path_values``, ``{seed:KEY KEY...}`` is a value ``cloud.py seed`` gives and
``{root:SERVICE}`` a service's endpoint without its path. Exit 1 when any run failed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from . import clouds, lifecycle
from .run import Run
from .services import for_mode
from .settings import RunSettings

REPO = Path(__file__).resolve().parents[3]
DECLARATIONS = Path(__file__).resolve().parents[1] / "whole-api"
PLACEHOLDER = re.compile(r"\{(seed|root):([^}]*)\}")
COLUMNS = ("service", "exit", "seconds", "operations", "skipped", "got 2xx", "cases",
           "failed", "5xx signatures", "findings", "unexplained")
DECLARED = "declared not servable here"


class DeclarationError(Exception):
    """A declaration that cannot be used, naming its file and what was expected."""


@dataclass(frozen=True)
class Declaration:
    service: str
    spec: str
    args: tuple[str, ...]
    url: str | None
    path_values: dict[str, str]
    skips: dict[str, str]

    @staticmethod
    def load(path: Path) -> "Declaration":
        import yaml  # PyYAML: in the system Python of the CI image and every service venv

        raw = yaml.safe_load(path.read_text()) or {}
        if not isinstance(raw, dict) or not isinstance(raw.get("spec"), str):
            raise DeclarationError(f"{path}: expected a mapping with `spec: <spec/ stem>`")
        skips: dict[str, str] = {}
        for i, group in enumerate(raw.get("skips") or []):
            reason, operations = group.get("reason"), group.get("operations")
            if not isinstance(reason, str) or not reason.strip() or not isinstance(operations, list):
                raise DeclarationError(f"{path}: skips[{i}]: expected `reason` (text) and "
                                       "`operations` (a list of operation ids)")
            for operation in operations:
                if operation in skips:
                    raise DeclarationError(f"{path}: skips[{i}]: `{operation}` is declared twice")
                skips[str(operation)] = reason.strip()
        return Declaration(path.stem, raw["spec"], tuple(str(a) for a in raw.get("args") or []),
                           raw.get("url"), {str(k): str(v) for k, v in
                                            (raw.get("path_values") or {}).items()}, skips)


def expand(text: str, seeds: dict, endpoints: dict[str, str]) -> str:
    """``text`` with its ``{seed:...}`` and ``{root:...}`` placeholders filled in."""

    def fill(match: re.Match[str]) -> str:
        kind, key = match.groups()
        if kind == "root":
            if key not in endpoints:
                raise DeclarationError(f"{{root:{key}}}: no service {key!r} in this cloud")
            parts = urlsplit(endpoints[key])
            return f"{parts.scheme}://{parts.netloc}"
        try:
            return str(lifecycle.seeded(seeds, key.split()))
        except KeyError:
            raise DeclarationError(f"{{seed:{key}}}: seed.json has no such value") from None

    return PLACEHOLDER.sub(fill, text)


def command(d: Declaration, binary: str, out: Path, options: argparse.Namespace,
            seeds: dict, endpoints: dict[str, str]) -> list[str]:
    """The conform command line for declaration ``d``."""
    fill = lambda text: expand(text, seeds, endpoints)  # noqa: E731
    argv = [binary, "conform", "--os-cloud", "local", "--spec", str(REPO / "spec" / f"{d.spec}.yaml"),
            "-H", "Accept: application/json", "--phases", "examples,property,negative",
            "--allow-mutations", "--overrides", str(REPO / "conformance" / "overrides.yaml"),
            "--max-cases", str(options.max_cases), "--seed", str(options.seed),
            "--workers", str(options.workers),
            "--report", f"json={out}.json,junit={out}.xml"]
    if d.url:
        argv += ["--url", fill(d.url)]
    for name, value in d.path_values.items():
        argv += ["--path-value", f"{name}={fill(value)}"]
    for operation, reason in d.skips.items():
        argv += ["--skip", f"{operation}={reason}"]
    return argv + [fill(a) for a in d.args]


def row(service: str, exit_code: int, seconds: int, report: dict | None) -> list[str]:
    """One table row from a run's JSON report (dashes when there is none)."""
    head = [service, str(exit_code), str(seconds)]
    if report is None:
        return head + ["-"] * (len(COLUMNS) - len(head))
    records = report.get("records", [])
    declared = {s["operation"] for s in report.get("skipped", []) if s["reason"].startswith(DECLARED)}
    operations = set(report.get("operations", {})) | declared
    succeeded = {r["operation"] for r in records if r.get("status") and 200 <= r["status"] < 300}
    server_errors = {(r["operation"], r["signature"]) for r in records
                     if r.get("status") and r["status"] >= 500}
    findings = {a["finding"] for r in records for a in r.get("acknowledged", [])}
    unexplained = {(r["operation"], r["signature"]) for r in records if r.get("failed")}
    failed = sum(1 for r in records if r.get("failed"))
    return head + [str(len(operations)), str(len(declared)), str(len(succeeded)), str(len(records)),
                   str(failed), str(len(server_errors)), str(len(findings)), str(len(unexplained))]


def render(rows: list[list[str]]) -> str:
    table = [list(COLUMNS)] + rows
    widths = [max(len(cells[i]) for cells in table) for i in range(len(COLUMNS))]
    return "".join("  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip() + "\n"
                   for cells in table)


def declarations(names: list[str]) -> list[Declaration]:
    available = {p.stem: p for p in sorted(DECLARATIONS.glob("*.yaml"))}
    unknown = sorted(set(names) - set(available))
    if unknown:
        raise DeclarationError(f"no declaration for {', '.join(unknown)} in {DECLARATIONS} "
                               f"(declared: {', '.join(available)})")
    return [Declaration.load(available[n]) for n in (names or list(available))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="whole_api", description=__doc__.split("\n")[0])
    parser.add_argument("services", nargs="*", metavar="SERVICE")
    parser.add_argument("--stackspec", required=True, help="the stackspec binary")
    parser.add_argument("--reports", type=Path, required=True, help="where reports go")
    parser.add_argument("--max-cases", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=int, default=900, help="seconds per service")
    # One request at a time: the order of a run's creates, updates and deletes, and so the
    # state each case meets, is then the seed's alone; with more, an image's visibility or
    # a namespace's name can change before or after a case that depends on it, and a
    # finding shows in some runs only.
    parser.add_argument("--workers", type=int, default=1, help="conform --workers")
    options = parser.parse_args(argv)
    try:
        chosen = declarations(options.services)
    except DeclarationError as e:
        parser.error(str(e))
    run = Run(RunSettings.from_env())
    seeds = lifecycle.seeds(run)
    endpoints = {s.name: s.endpoint(run) for s in for_mode(run.settings.auth_mode)}
    env = {**os.environ, "OS_CLIENT_CONFIG_FILE": str(run.root / clouds.CLOUDS_FILE)}
    options.reports.mkdir(parents=True, exist_ok=True)
    rows, failed = [], False
    for d in chosen:
        out = options.reports / f"whole-{d.service}"
        try:
            argv_ = command(d, options.stackspec, out, options, seeds, endpoints)
        except DeclarationError as e:
            parser.error(f"{d.service}: {e}")
        started = time.monotonic()
        with open(f"{out}.txt", "w") as log:
            try:
                code = subprocess.run(argv_, stdout=log, stderr=subprocess.STDOUT,
                                      timeout=options.timeout, check=False, env=env).returncode
            except subprocess.TimeoutExpired:
                code = 124
        seconds = round(time.monotonic() - started)
        report_path = Path(f"{out}.json")
        report = json.loads(report_path.read_text()) if report_path.is_file() else None
        rows.append(row(d.service, code, seconds, report))
        print(f"{d.service}: exit {code} in {seconds}s ({out}.txt)", flush=True)
        failed |= code != 0
    print(render(rows), end="")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
