"""What every service of the local cloud provides to the up/down machinery."""

from __future__ import annotations

from abc import ABC, abstractmethod

from .. import settings
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

    def endpoint(self) -> str:
        """The URL a client is given for this service (the catalog's public URL)."""
        return self.url


def gunicorn_argv(service: Service, run: Run, app: str, *extra: str) -> list[str]:
    """One gunicorn worker on loopback: sqlite and in-process state want a single process."""
    return [
        service.venv.bin("gunicorn"),
        "--bind", f"{settings.HOST}:{service.port}",
        "--workers", "1",
        "--threads", "2",
        "--timeout", "120",
        "--no-control-socket",
        "--pid", str(run.service_dir(service.name) / "gunicorn.pid"),
        *extra,
        app,
    ]
