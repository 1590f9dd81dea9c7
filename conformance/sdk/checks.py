"""The checks of a client run against the mocks: a registry of titled checks that all run,
each reported on one line, and the comparison every check ends in.

Shared by ``calls.py`` (openstacksdk) and ``cli_calls.py`` (the ``openstack`` CLI); needs
nothing but the standard library, so its unit tests run in either venv.
"""

from __future__ import annotations

import sys
import time
import traceback
from dataclasses import dataclass, field
from typing import Callable, Generic, TypeVar

Client = TypeVar("Client")


def expect_equal(what: str, actual: object, expected: object) -> None:
    """Fails naming the value and both sides when the client's value is not the sample's."""
    if actual != expected:
        raise AssertionError(f"{what}: the client gave {actual!r}, expected {expected!r}")


@dataclass
class Context(Generic[Client]):
    """What every check of a run gets: the client and the state the checks of one service
    share, in the order they run (the mocks keep state too: a task, an introspection)."""

    client: Client
    state: dict[str, object] = field(default_factory=dict)


Check = Callable[[Context], str]


@dataclass
class Registry:
    """The checks of one client, in the order they are registered (and run)."""

    noun: str
    checks: list[tuple[str, Check]] = field(default_factory=list)

    def check(self, title: str) -> Callable[[Check], Check]:
        def register(function: Check) -> Check:
            self.checks.append((title, function))
            return function

        return register

    def run(self, client: object) -> int:
        """Runs every check, even after one failed; 1 when any failed, else 0."""
        context = Context(client)
        failed = 0
        for title, function in self.checks:
            started = time.monotonic()
            try:
                outcome, detail = "ok", function(context)
            except Exception as error:  # a check's failure is reported, and the next one runs
                failed += 1
                outcome, detail = "FAIL", f"{type(error).__name__}: {error}"
                traceback.print_exc(file=sys.stderr)
            print(f"{outcome:4} {title} ({time.monotonic() - started:.2f}s): {detail}", flush=True)
        print(f"{len(self.checks) - failed}/{len(self.checks)} {self.noun} checks passed")
        return 1 if failed else 0
