#!/usr/bin/env python3
"""openstacksdk, the real client from PyPI, against stackspec's mock servers.

Usage: run.py [run] [--stackspec BIN] [--keep]   the SDK calls (see README.md)
       run.py unittest                           this directory's unit tests, in the SDK venv

Builds (once, cached) a venv with a pinned openstacksdk, starts ``stackspec mock`` for
image, compute, orchestration and baremetal-introspection on free loopback ports, writes
a clouds.yaml pointing the SDK at them, runs ``calls.py`` in the venv, and stops every
mock by PID whatever happened. Exit status: that of ``calls.py`` (1 when a check failed),
2 when the mocks or the venv could not be set up.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE.parent / "realcloud"))

from realcloud import process  # noqa: E402
from realcloud.venvs import Venv  # noqa: E402

import mocks  # noqa: E402

OPENSTACKSDK = Venv("openstacksdk", "4.22.0", ("openstacksdk==4.22.0",))
MOCK_READY_SECONDS = 60.0
CALLS_TIMEOUT_SECONDS = 300


def default_stackspec() -> Path:
    target = os.environ.get("CARGO_TARGET_DIR") or str(REPO / "target")
    return Path(target) / "debug" / "stackspec"


def start_mocks(run_dir: Path, stackspec: Path, spec_dir: Path) -> dict[str, int]:
    """Starts every mock and waits until each answers; returns the port of each."""
    ports: dict[str, int] = {}
    for service in mocks.SERVICES:
        port = mocks.free_port()
        # The built-in mocks (the generated server stubs) were built from the repo's spec/;
        # specs from elsewhere are served by interpreting them.
        source = ["--service", service.spec]
        if spec_dir.resolve() != (REPO / "spec").resolve():
            source += ["--spec", str(spec_dir / f"{service.spec}.yaml")]
        # The clouds.yaml's `auth_type: none` sends no token, so the mocks ask for none.
        argv = [str(stackspec), "mock", *source, "--no-auth", "--listen", f"{mocks.HOST}:{port}"]
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


def run_calls(run_dir: Path, ports: dict[str, int], spec_dir: Path) -> int:
    clouds = run_dir / "clouds.yaml"
    clouds.write_text(mocks.clouds_yaml(ports))
    env = {**os.environ, "OS_CLIENT_CONFIG_FILE": str(clouds), "STACKSPEC_SPEC_DIR": str(spec_dir)}
    argv = [OPENSTACKSDK.python, str(HERE / "calls.py"), mocks.CLOUD_NAME]
    return subprocess.run(argv, env=env, timeout=CALLS_TIMEOUT_SECONDS, check=False).returncode


def run(args: argparse.Namespace) -> int:
    timings: dict[str, float] = {}
    if not args.stackspec.is_file():
        print(f"run.py: no stackspec binary at {args.stackspec} (cargo build --bin stackspec, "
              "or pass --stackspec)", file=sys.stderr)
        return 2
    run_dir = Path(tempfile.mkdtemp(prefix="stackspec-sdk-"))
    timings["venv"] = OPENSTACKSDK.ensure(run_dir)
    status = 2
    try:
        started = time.monotonic()
        ports = start_mocks(run_dir, args.stackspec, args.spec_dir)
        timings["mocks up"] = time.monotonic() - started
        started = time.monotonic()
        status = run_calls(run_dir, ports, args.spec_dir)
        timings["sdk calls"] = time.monotonic() - started
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
        print(f"mock logs and clouds.yaml kept in {run_dir}")
    return status


def unittests() -> int:
    OPENSTACKSDK.ensure(Path(tempfile.gettempdir()))
    argv = [OPENSTACKSDK.python, "-m", "unittest", "discover", "-s", str(HERE), "-p", "test_*.py"]
    return subprocess.run(argv, timeout=CALLS_TIMEOUT_SECONDS, check=False).returncode


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="?", choices=("run", "unittest"), default="run")
    parser.add_argument("--stackspec", type=Path, default=default_stackspec(),
                        help="the stackspec binary (default: $CARGO_TARGET_DIR/debug/stackspec)")
    parser.add_argument("--spec-dir", type=Path, default=REPO / "spec")
    parser.add_argument("--keep", action="store_true", help="keep the run directory")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    args.spec_dir = args.spec_dir.resolve()
    return unittests() if args.what == "unittest" else run(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
