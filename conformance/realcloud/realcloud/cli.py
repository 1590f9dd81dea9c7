"""Command line of the local cloud: up, down, status, env, token."""

from __future__ import annotations

import argparse
import json
import shlex

from . import clouds, identity, lifecycle
from .run import Run
from .services import BY_NAME, for_mode
from .settings import RunSettings


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="cloud.py", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("up", help="install, configure, start and seed the services")
    start.add_argument("services", nargs="*", metavar="SERVICE",
                       help=f"subset to start (default all: {', '.join(BY_NAME)})")
    commands.add_parser("down", help="stop every recorded process by PID")
    commands.add_parser("status", help="which recorded processes are alive")
    token = commands.add_parser("token", help="print a fresh token (keystone auth mode only)")
    token.add_argument("who", choices=("admin", "member"))
    value = commands.add_parser("seed", help="one seeded value, e.g. `seed nova request_ids 0`")
    value.add_argument("keys", nargs="+", metavar="KEY", help="keys (list indexes) into seed.json")
    show = commands.add_parser("env", help="endpoints, headers and seeded ids for clients")
    show.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args(argv)
    run = Run(RunSettings.from_env())
    if args.command == "up":
        available = for_mode(run.settings.auth_mode)
        unknown = sorted(set(args.services) - {service.name for service in available})
        if unknown:
            parser.error(f"{', '.join(unknown)}: not a service of the "
                         f"{run.settings.auth_mode!r} auth mode; choose from "
                         f"{', '.join(service.name for service in available)}")
        # Start order matters (inspector after ironic), whatever order was asked for.
        chosen = [service for service in available if service.name in args.services] or available
        timings = lifecycle.up(run, chosen)
        print(json.dumps({k: round(v, 1) for k, v in timings.items()}))
    elif args.command == "down":
        for name, outcome in lifecycle.down(run).items():
            print(f"{name}: {outcome}")
    elif args.command == "status":
        report = lifecycle.status(run)
        for name, state in report.items():
            print(f"{name}: {state}")
        started = [state for state in report.values() if state != "not started"]
        return 0 if started and all(s.startswith("running") for s in started) else 1
    elif args.command == "token":
        if run.settings.auth_mode != "keystone":
            parser.error("tokens exist only with STACKSPEC_CLOUD_AUTH=keystone")
        credentials = run.credentials if args.who == "admin" else identity.member_login()
        print(credentials.headers["X-Auth-Token"])
    elif args.command == "seed":
        print(seeded_value(lifecycle.seeds(run), args.keys, parser))
    else:
        print_env(run, as_json=args.json)
    return 0


def seeded_value(seeds: dict[str, object], keys: list[str], parser: argparse.ArgumentParser) -> object:
    try:
        return lifecycle.seeded(seeds, keys)
    except KeyError as missing:
        parser.error(f"seed.json has no {missing.args[0]!r} (is the cloud up?)")


def print_env(run: Run, as_json: bool) -> None:
    endpoints = {service.name: service.endpoint(run) for service in for_mode(run.settings.auth_mode)}
    headers = run.headers()
    # Keystone mode: clients that read clouds.yaml (openstacksdk, `stackspec conform
    # --os-cloud local`) find the file the run wrote through OS_CLIENT_CONFIG_FILE.
    clouds_yaml = run.root / clouds.CLOUDS_FILE if run.settings.auth_mode == "keystone" else None
    if as_json:
        print(json.dumps({"auth_mode": run.settings.auth_mode, "endpoints": endpoints,
                          "headers": headers, "clouds_yaml": clouds_yaml and str(clouds_yaml),
                          "seed": lifecycle.seeds(run)}, indent=2))
        return
    if clouds_yaml:
        print(f"export OS_CLIENT_CONFIG_FILE={shlex.quote(str(clouds_yaml))}")
    for name, url in endpoints.items():
        print(f"export STACKSPEC_CLOUD_{name.upper().replace('-', '_')}_URL={shlex.quote(url)}")
    flags = " ".join(f"-H {shlex.quote(f'{k}: {v}')}" for k, v in headers.items())
    print(f"export STACKSPEC_CLOUD_HEADERS={shlex.quote(flags)}")
