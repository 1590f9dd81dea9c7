"""A run of the local cloud: its directory layout and how setup tools are invoked."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import identity, settings
from .settings import RunSettings
from .venvs import Venv


@dataclass(frozen=True)
class Run:
    settings: RunSettings
    # (monotonic time of the login, its credentials), kept by ``credentials``.
    _login: dict[str, tuple[float, identity.Credentials]] = field(
        default_factory=dict, compare=False, repr=False)

    @property
    def root(self) -> Path:
        return self.settings.run_dir

    def service_dir(self, name: str) -> Path:
        path = self.root / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def credentials(self) -> identity.Credentials:
        """The admin identity clients use; in keystone mode a token, renewed at half its life.

        Seeding all services can outlive one token when its lifetime is short (the
        re-authentication test) and the machine is busy.
        """
        if self.settings.auth_mode == "headers":
            return identity.trusted_headers()
        login = self._login.get("admin")
        if login is None or time.monotonic() - login[0] > self.settings.token_expiration / 2:
            login = (time.monotonic(), identity.keystone_login(
                settings.url("keystone"), identity.ADMIN_USER, identity.ADMIN_PASSWORD,
                identity.ADMIN_PROJECT))
            self._login["admin"] = login
        return login[1]

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
