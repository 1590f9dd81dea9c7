"""The checks of a client run against the mocks: a registry of titled checks that all run,
each reported on one line, and the comparison every check ends in.

Shared by ``calls.py`` (openstacksdk) and ``cli_calls.py`` (the ``openstack`` CLI); needs
nothing but the standard library, so its unit tests run in either venv.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Generic, TypeVar

Client = TypeVar("Client")


def expect_equal(what: str, actual: object, expected: object) -> None:
    """Fails naming the value and both sides when the client's value is not the sample's
    (within objects and lists: the first place they differ, as a JSON pointer)."""
    if actual != expected:
        pointer, actual, expected = first_difference(actual, expected)
        raise AssertionError(f"{what}{pointer}: the client gave {actual!r}, expected {expected!r}")


def first_difference(actual: object, expected: object, pointer: str = "") -> tuple:
    """Where two unequal JSON values first differ: (JSON pointer, both values there)."""
    if isinstance(actual, dict) and isinstance(expected, dict):
        for key in [*expected, *(k for k in actual if k not in expected)]:
            if actual.get(key, MISSING) != expected.get(key, MISSING):
                escaped = str(key).replace("~", "~0").replace("/", "~1")
                return first_difference(actual.get(key, MISSING), expected.get(key, MISSING),
                                        f"{pointer}/{escaped}")
    if isinstance(actual, list) and isinstance(expected, list) and len(actual) == len(expected):
        for i, (a, e) in enumerate(zip(actual, expected)):
            if a != e:
                return first_difference(a, e, f"{pointer}/{i}")
    return pointer, actual, expected


class _Missing:
    """A field one side does not have (shown as such in a failure)."""

    def __repr__(self) -> str:
        return "(missing)"


MISSING = _Missing()


@dataclass
class Context(Generic[Client]):
    """What every check of a lane gets: the client and the state the checks of the lane
    share, in the order they run (the mocks keep state too: a task, an introspection)."""

    client: Client
    state: dict[str, object] = field(default_factory=dict)


Check = Callable[[Context], str]


@dataclass
class Registry:
    """The checks of one client, in the order they are registered. Checks of one lane run
    in that order; lanes run at once (each CLI call is a process start, mostly waiting)."""

    noun: str
    checks: list[tuple[str, Check]] = field(default_factory=list)
    lanes: dict[str, str] = field(default_factory=dict)

    def check(self, title: str, lane: str = "main") -> Callable[[Check], Check]:
        def register(function: Check) -> Check:
            self.checks.append((title, function))
            self.lanes[title] = lane
            return function

        return register

    def run(self, client: object) -> int:
        """Runs every check, even after one failed; 1 when any failed, else 0."""
        by_lane: dict[str, list[tuple[str, Check]]] = {}
        for title, function in self.checks:
            by_lane.setdefault(self.lanes.get(title, "main"), []).append((title, function))
        printing = threading.Lock()
        with ThreadPoolExecutor(max_workers=max(1, len(by_lane))) as pool:
            lanes = [pool.submit(_run_lane, client, lane, printing) for lane in by_lane.values()]
            failed = sum(lane.result() for lane in lanes)
        print(f"{len(self.checks) - failed}/{len(self.checks)} {self.noun} checks passed")
        return 1 if failed else 0


def _run_lane(client: object, checks: list[tuple[str, Check]], printing: threading.Lock) -> int:
    """Runs one lane's checks in order; returns how many failed."""
    context = Context(client)
    failed = 0
    for title, function in checks:
        started = time.monotonic()
        try:
            outcome, detail = "ok", function(context)
        except Exception as error:  # a check's failure is reported, and the next one runs
            failed += 1
            outcome, detail = "FAIL", f"{type(error).__name__}: {error}"
            with printing:
                traceback.print_exc(file=sys.stderr)
        with printing:
            print(f"{outcome:4} {title} ({time.monotonic() - started:.2f}s): {detail}", flush=True)
    return failed
