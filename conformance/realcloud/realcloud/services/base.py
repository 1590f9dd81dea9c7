"""What every service of the local cloud provides to the up/down machinery."""

from __future__ import annotations

from abc import ABC, abstractmethod

from .. import identity, inifile, settings
from ..run import Run
from ..venvs import Venv


class Service(ABC):
    """One OpenStack service: configure, prepare its database, start, seed.

    ``name`` keys the pinned venv and the port; ``ready_path`` is polled until
    the service answers below 500; ``ready_timeout`` bounds that wait.
    """

    name: str
    ready_path: str = "/"
    ready_timeout: float = 120.0
    # The auth modes this service can run in (see settings.AUTH_MODES).
    auth_modes: tuple[str, ...] = ("headers",)

    @property
    def venv(self) -> Venv:
        return settings.VENVS[self.name]

    @property
    def port(self) -> int:
        return settings.port(self.name)

    @property
    def url(self) -> str:
        return settings.url(self.name)

    @abstractmethod
    def configure(self, run: Run) -> None:
        """Write config files under ``run.service_dir(self.name)``."""

    @abstractmethod
    def prepare(self, run: Run) -> None:
        """Create or migrate the sqlite database."""

    @abstractmethod
    def argv(self, run: Run) -> list[str]:
        """The long-running server command."""

    def env(self, run: Run) -> dict[str, str]:
        return {}

    def seed(self, run: Run, seeded: dict[str, object]) -> dict[str, object]:
        """Create what the seed APIs need; returns ids for ``env`` and the smoke test.

        ``seeded`` holds what earlier services' seeds returned (inspector uses ironic's).
        """
        return {}

    def endpoint(self, run: Run) -> str:
        """The URL a client is given for this service (the catalog's public URL)."""
        return self.url


def gunicorn_argv(service: Service, run: Run, app: str, *extra: str, threads: int = 2) -> list[str]:
    """One gunicorn worker on loopback: sqlite and in-process state want a single process.

    ``threads=1`` serialises requests for a service whose writes read first in the same
    sqlite transaction (placement): two such writers fail at once with "database is locked".
    """
    return [
        service.venv.bin("gunicorn"),
        "--bind", f"{settings.HOST}:{service.port}",
        "--workers", "1",
        "--threads", str(threads),
        "--timeout", "120",
        "--no-control-socket",
        "--pid", str(run.service_dir(service.name) / "gunicorn.pid"),
        *extra,
        app,
    ]


def authtoken_sections(service: Service, run: Run) -> dict[str, dict[str, object]]:
    """keystonemiddleware settings for the keystone mode; nothing in the headers mode."""
    if run.settings.auth_mode != "keystone":
        return {}
    keystone = settings.url("keystone")
    return {"keystone_authtoken": {
        "www_authenticate_uri": keystone,
        "auth_url": keystone,
        "auth_type": "password",
        "username": service.name,
        "password": identity.service_password(service.name),
        "project_name": "service",
        "user_domain_name": "Default",
        "project_domain_name": "Default",
        "service_token_roles_required": True,
    }}


def paste_for_mode(paste_text: str, run: Run) -> str:
    """The keystone pipeline as shipped, or without ``authtoken`` in the headers mode."""
    if run.settings.auth_mode == "headers":
        return inifile.without_filter(paste_text, "authtoken")
    return paste_text
