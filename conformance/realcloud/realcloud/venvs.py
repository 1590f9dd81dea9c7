"""Cached Python virtual environments, one per service, keyed by pinned versions.

Each service gets its own venv under ``~/.cache/stackspec/venvs/<name>-<version>``
because OpenStack services pin conflicting library versions. A venv is only
reused when its completion marker names exactly the requirements we want now,
so changing a pin builds a new venv instead of silently reusing a stale one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

MARKER = ".stackspec-complete"


def cache_root() -> Path:
    """Where venvs live; outside the checkout so CI machines keep them between runs."""
    base = os.environ.get("STACKSPEC_CACHE_DIR") or os.path.expanduser("~/.cache/stackspec")
    return Path(base) / "venvs"


@dataclass(frozen=True)
class Venv:
    """One pinned environment: ``requirements`` are exact ``name==version`` pins."""

    name: str
    version: str
    requirements: tuple[str, ...]

    @property
    def path(self) -> Path:
        return cache_root() / f"{self.name}-{self.version}"

    def bin(self, program: str) -> str:
        return str(self.path / "bin" / program)

    @property
    def python(self) -> str:
        return self.bin("python")

    def is_ready(self) -> bool:
        marker = self.path / MARKER
        return marker.is_file() and marker.read_text() == self._marker_text()

    def _marker_text(self) -> str:
        return "\n".join(self.requirements) + "\n"

    def ensure(self, log_dir: Path) -> float:
        """Build the venv unless a complete one exists; returns seconds spent."""
        if self.is_ready():
            return 0.0
        started = time.monotonic()
        if self.path.exists():
            # A venv without our marker is a half-finished install: never trust it.
            shutil.rmtree(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        log = log_dir / f"pip-{self.name}.log"
        with log.open("w") as out:
            run_logged([sys.executable, "-m", "venv", str(self.path)], out, log)
            run_logged(
                [self.python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], out, log
            )
            run_logged([self.python, "-m", "pip", "install", *self.requirements], out, log)
        (self.path / MARKER).write_text(self._marker_text())
        return time.monotonic() - started


def run_logged(argv: list[str], out, log: Path) -> None:
    out.write(f"$ {' '.join(argv)}\n")
    out.flush()
    done = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{argv[0]} exited {done.returncode}; see {log}")
