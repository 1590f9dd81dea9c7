#!/usr/bin/env python3
"""Real OpenStack clients from PyPI against stackspec's mock servers.

Usage: run.py [run|cli] [--stackspec BIN] [--keep]   openstacksdk (run) or the
                                                     ``openstack`` CLI (cli): README.md
       run.py unittest                               this directory's unit tests

Builds (once, cached) the client's venv from pinned versions, starts ``stackspec mock``
for the seed services it talks to on free loopback ports, writes a clouds.yaml pointing
the client at them, runs the stage's checks in the venv, and stops every mock by PID
whatever happened. Exit status: that of the checks (1 when one failed), 2 when the mocks
or the venv could not be set up.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE.parent / "realcloud"))

from realcloud import process  # noqa: E402
from realcloud.venvs import Venv  # noqa: E402

import mocks  # noqa: E402

MOCK_READY_SECONDS = 60.0


def pinned(requirements: Path, package: str) -> Venv:
    """The venv of a pip-freeze file, keyed by the version pinned for ``package``."""
    pins = tuple(line.strip() for line in requirements.read_text().splitlines()
                 if line.strip() and not line.startswith("#"))
    versions = [pin.split("==", 1)[1] for pin in pins if pin.split("==", 1)[0] == package]
    if len(versions) != 1:
        raise ValueError(f"{requirements}: expected one `{package}==VERSION` line")
    return Venv(package.removeprefix("python-"), versions[0], pins)


@dataclass(frozen=True)
class Stage:
    """One client against the mocks: its venv, the script of its checks (run in the venv
    as ``SCRIPT CLOUD``), the mocks it talks to and the clouds.yaml that points it there."""

    venv: Venv
    script: str
    services: tuple[mocks.Service, ...]
    clouds_yaml: Callable[[dict[str, int]], str]
    # Whether the client sends a token, so that the mocks can ask for one as services do.
    sends_token: bool
    timeout_seconds: int


SDK = Stage(Venv("openstacksdk", "4.22.0", ("openstacksdk==4.22.0",)), "calls.py",
            mocks.SERVICES, mocks.clouds_yaml, sends_token=False, timeout_seconds=300)
# Some 30 CLI calls of about 3 s each (a Python start-up apiece), each bound on its own.
CLI = Stage(pinned(HERE / "openstackclient.txt", "python-openstackclient"), "cli_calls.py",
            mocks.CLI_SERVICES, mocks.cli_clouds_yaml, sends_token=True, timeout_seconds=600)
STAGES = {"run": SDK, "cli": CLI}


def default_stackspec() -> Path:
    target = os.environ.get("CARGO_TARGET_DIR") or str(REPO / "target")
    return Path(target) / "debug" / "stackspec"


def start_mocks(run_dir: Path, stage: Stage, stackspec: Path, spec_dir: Path) -> dict[str, int]:
    """Starts the stage's mocks and waits until each answers; returns the port of each."""
    ports: dict[str, int] = {}
    for service in stage.services:
        port = mocks.free_port()
        # The built-in mocks (the generated server stubs) were built from the repo's spec/;
        # specs from elsewhere are served by interpreting them.
        source = ["--service", service.spec]
        if spec_dir.resolve() != (REPO / "spec").resolve():
            source = ["--spec", str(spec_dir / f"{service.spec}.yaml")]
        # openstacksdk's `auth_type: none` sends no token, so its mocks ask for none.
        auth = [] if stage.sends_token else ["--no-auth"]
        argv = [str(stackspec), "mock", *source, *auth, "--listen", f"{mocks.HOST}:{port}"]
        pid = process.start(run_dir, service.spec, argv)
        ports[service.spec] = port
        process.wait_http(mocks.root_url(port) + service.ready_path, {}, MOCK_READY_SECONDS, pid,
                          process.log_file(run_dir, service.spec))
    return ports


def stop_mocks(run_dir: Path) -> dict[str, str]:
    """Stops, by recorded PID, every mock that was started; never raises for one so the
    others are still stopped."""
    outcomes = {}
    for service in mocks.SERVICES:
        try:
            outcomes[service.spec] = process.stop(run_dir, service.spec)
        except RuntimeError as error:
            outcomes[service.spec] = str(error)
    return outcomes


def run_calls(run_dir: Path, stage: Stage, ports: dict[str, int], spec_dir: Path) -> int:
    clouds = run_dir / "clouds.yaml"
    clouds.write_text(stage.clouds_yaml(ports))
    env = {**os.environ, "OS_CLIENT_CONFIG_FILE": str(clouds), "STACKSPEC_SPEC_DIR": str(spec_dir)}
    argv = [stage.venv.python, str(HERE / stage.script), mocks.CLOUD_NAME]
    return subprocess.run(argv, env=env, timeout=stage.timeout_seconds, check=False).returncode


def run(stage: Stage, args: argparse.Namespace) -> int:
    timings: dict[str, float] = {}
    if not args.stackspec.is_file():
        print(f"run.py: no stackspec binary at {args.stackspec} (cargo build --bin stackspec, "
              "or pass --stackspec)", file=sys.stderr)
        return 2
    run_dir = Path(tempfile.mkdtemp(prefix=f"stackspec-{stage.venv.name}-"))
    status = 2
    try:
        timings["venv"] = stage.venv.ensure(run_dir)
        started = time.monotonic()
        ports = start_mocks(run_dir, stage, args.stackspec, args.spec_dir)
        timings["mocks up"] = time.monotonic() - started
        started = time.monotonic()
        status = run_calls(run_dir, stage, ports, args.spec_dir)
        timings["calls"] = time.monotonic() - started
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        print(f"run.py: {error}", file=sys.stderr)
    finally:
        started = time.monotonic()
        for name, outcome in stop_mocks(run_dir).items():
            print(f"stopped {name}: {outcome}")
        timings["mocks down"] = time.monotonic() - started
    print("timings: " + ", ".join(f"{k} {v:.1f}s" for k, v in timings.items()))
    if status == 0 and not args.keep:
        shutil.rmtree(run_dir)
    else:
        print(f"mock logs, pip logs and clouds.yaml kept in {run_dir}")
    return status


def unittests() -> int:
    SDK.venv.ensure(Path(tempfile.gettempdir()))
    argv = [SDK.venv.python, "-m", "unittest", "discover", "-s", str(HERE), "-p", "test_*.py"]
    return subprocess.run(argv, timeout=SDK.timeout_seconds, check=False).returncode


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="?", choices=(*STAGES, "unittest"), default="run")
    parser.add_argument("--stackspec", type=Path, default=default_stackspec(),
                        help="the stackspec binary (default: $CARGO_TARGET_DIR/debug/stackspec)")
    parser.add_argument("--spec-dir", type=Path, default=REPO / "spec")
    parser.add_argument("--keep", action="store_true", help="keep the run directory")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    args.spec_dir = args.spec_dir.resolve()
    # The mocks start in their own run directory: a relative path must name the same file.
    args.stackspec = args.stackspec.resolve()
    return unittests() if args.what == "unittest" else run(STAGES[args.what], args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
