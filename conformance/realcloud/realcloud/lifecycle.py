"""Bring the local cloud up, seed it, report on it, and take it down by PID."""

from __future__ import annotations

import json
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import fixture, process
from .run import Run
from .services import ALL, Service

SEED_FILE = "seed.json"
TIMINGS_FILE = "timings.json"
RUN_MARKER = ".stackspec-cloud"


def up(run: Run, services: list[Service]) -> dict[str, float]:
    """Install, configure, start and seed ``services``; returns phase timings (seconds).

    On any failure everything this call started is stopped again, so a failed
    ``up`` never leaves processes behind.
    """
    timings: dict[str, float] = {}
    clock = time.monotonic()
    _fresh_run_dir(run)
    with ThreadPoolExecutor(max_workers=3) as pool:
        spent = list(pool.map(lambda s: s.venv.ensure(run.root / "logs"), services))
    timings["install"] = time.monotonic() - clock
    timings.update({f"install.{s.name}": t for s, t in zip(services, spent)})
    try:
        _start_and_seed(run, services, timings)
    except BaseException:
        down(run)
        raise
    timings["total"] = time.monotonic() - clock
    (run.root / TIMINGS_FILE).write_text(json.dumps(timings, indent=2) + "\n")
    return timings


def _fresh_run_dir(run: Run) -> None:
    """Every ``up`` starts from empty databases, so seeds never pile up across runs.

    Only a directory this script made (it holds ``RUN_MARKER``) is ever removed.
    """
    running = [name for name, state in status(run).items() if state.startswith("running")]
    if running:
        raise SystemExit(f"already running in {run.root}: {', '.join(running)}; run `down` first")
    if run.root.exists() and any(run.root.iterdir()):
        if not (run.root / RUN_MARKER).is_file():
            raise SystemExit(f"{run.root} is not empty and was not made by cloud.py; not touching it")
        shutil.rmtree(run.root)
    (run.root / "logs").mkdir(parents=True)
    (run.root / RUN_MARKER).write_text("made by conformance/realcloud/cloud.py\n")


def _start_and_seed(run: Run, services: list[Service], timings: dict[str, float]) -> None:
    fixture.start(run)
    clock = time.monotonic()
    for service in services:
        service.configure(run)
    # Database migrations are independent per service and mostly import time: overlap them.
    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(lambda service: service.prepare(run), services))
    timings["prepare"] = time.monotonic() - clock
    # All servers start together and load in parallel; nothing needs another at start-up
    # (inspector only calls ironic when asked to introspect).
    clock = time.monotonic()
    pids = {s.name: process.start(run.root, s.name, s.argv(run), env=s.env(run)) for s in services}
    for service in services:
        # No credentials: in keystone mode Keystone itself may not be seeded yet, and a
        # 401 or 403 already proves the service is up.
        process.wait_http(service.url + service.ready_path, {"Accept": "application/json"},
                          service.ready_timeout,
                          pids[service.name], process.log_file(run.root, service.name))
    timings["ready"] = time.monotonic() - clock
    seeded: dict[str, object] = {"fixture": {"url": fixture.file_url()}}
    for service in services:
        clock = time.monotonic()
        seeded[service.name] = service.seed(run, seeded)
        timings[f"seed.{service.name}"] = time.monotonic() - clock
        (run.root / SEED_FILE).write_text(json.dumps(seeded, indent=2) + "\n")


def down(run: Run) -> dict[str, str]:
    """Stop every recorded process, services first (reverse start order), fixture last."""
    names = [service.name for service in reversed(ALL)] + ["fixture"]
    return {name: process.stop(run.root, name) for name in names}


def status(run: Run) -> dict[str, str]:
    report = {}
    for name in [service.name for service in ALL] + ["fixture"]:
        pid = process.recorded_pid(run.root, name)
        if pid is None:
            report[name] = "not started"
        else:
            report[name] = f"running (pid {pid})" if process.is_alive(pid) else f"dead (pid {pid})"
    return report


def seeds(run: Run) -> dict[str, object]:
    path: Path = run.root / SEED_FILE
    return json.loads(path.read_text()) if path.is_file() else {}


def seeded(seeds: dict[str, object], keys: list[str]) -> object:
    """The value at ``keys`` in seed.json (a list index for a list); KeyError naming the keys
    that lead nowhere."""
    value: object = seeds
    for depth, key in enumerate(keys):
        try:
            value = value[int(key)] if isinstance(value, list) else value[key]  # type: ignore[index]
        except (KeyError, IndexError, ValueError, TypeError):
            raise KeyError(" ".join(keys[:depth + 1])) from None
    return value
