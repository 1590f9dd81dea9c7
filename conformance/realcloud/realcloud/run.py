"""A run of the local cloud: its directory layout and how setup tools are invoked."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from . import identity, settings
from .settings import RunSettings
from .venvs import Venv


@dataclass(frozen=True)
class Run:
    settings: RunSettings

    @property
    def root(self) -> Path:
        return self.settings.run_dir

    def service_dir(self, name: str) -> Path:
        path = self.root / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    @cached_property
    def credentials(self) -> identity.Credentials:
        """The admin identity clients use; in keystone mode a fresh token, fetched once."""
        if self.settings.auth_mode == "headers":
            return identity.trusted_headers()
        return identity.keystone_login(settings.url("keystone"), identity.ADMIN_USER,
                                       identity.ADMIN_PASSWORD, identity.ADMIN_PROJECT)

    def forget_credentials(self) -> None:
        """The next use of ``credentials`` logs in again.

        With a short token lifetime (the re-authentication test) seeding all
        services can outlive one token, so each service's seed starts with a fresh one.
        """
        self.__dict__.pop("credentials", None)

    def headers(self) -> dict[str, str]:
        return self.credentials.headers

    def tool(self, venv: Venv, program: str, *args: str, env: dict[str, str] | None = None,
             log_name: str) -> str:
        """Run a setup command from ``venv`` (db sync, seeding); returns its stdout.

        Output goes to ``logs/<log_name>.log`` too, and a failure names that log.
        """
        log = self.root / "logs" / f"{log_name}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        argv = [venv.bin(program), *args]
        done = subprocess.run(
            argv, capture_output=True, text=True, cwd=self.root, env={**os.environ, **(env or {})}, timeout=300,
            check=False,
        )
        with log.open("a") as out:
            out.write(f"$ {' '.join(argv)}\n{done.stdout}{done.stderr}\n")
        if done.returncode != 0:
            raise RuntimeError(f"{program} {' '.join(args)} exited {done.returncode}; see {log}")
        return done.stdout
