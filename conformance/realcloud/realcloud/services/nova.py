"""Nova 34's compute API under gunicorn; no scheduler or compute service.

The API is all the seed APIs need: instance actions and external events read
and write the databases directly, and the seeded server's records are written
by ``seed/nova_seed.py`` with nova's own objects.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import inifile
from ..run import Run
from .base import Service, authtoken_sections, gunicorn_argv, paste_for_mode

HERE = Path(__file__).resolve().parents[2]


class Nova(Service):
    name = "nova"
    ready_path = "/v2.1/servers"
    auth_modes = ("headers", "keystone")

    def _conf(self, run: Run) -> Path:
        return run.service_dir(self.name) / "nova.conf"

    def configure(self, run: Run) -> None:
        home = run.service_dir(self.name)
        paste = (Path(self.venv.path) / "etc/nova/api-paste.ini").read_text()
        paste = paste_for_mode(paste, run)
        (home / "api-paste.ini").write_text(paste)
        inifile.write(self._conf(run), {
            "DEFAULT": {
                "transport_url": "fake://",
                "state_path": home,
                "log_file": run.root / "logs" / "nova-app.log",
                "host": "stackspec-api",
            },
            "api": {"auth_strategy": "keystone"},
            "api_database": {"connection": f"sqlite:///{home / 'nova_api.sqlite'}"},
            "database": {"connection": f"sqlite:///{home / 'nova.sqlite'}"},
            "oslo_concurrency": {"lock_path": home / "locks"},
            "oslo_policy": {"enforce_new_defaults": True, "enforce_scope": False},
            **authtoken_sections(self, run),
        })

    def env(self, run: Run) -> dict[str, str]:
        return {"OS_NOVA_CONFIG_DIR": str(run.service_dir(self.name))}

    def prepare(self, run: Run) -> None:
        home = run.service_dir(self.name)
        manage = ("--config-file", str(self._conf(run)))
        for step in (
            ("api_db", "sync"),
            ("cell_v2", "map_cell0", "--database_connection",
             f"sqlite:///{home / 'nova_cell0.sqlite'}"),
            ("cell_v2", "create_cell", "--name", "cell1"),
            ("db", "sync"),
        ):
            run.tool(self.venv, "nova-manage", *manage, *step, log_name="nova-setup")

    def argv(self, run: Run) -> list[str]:
        # One thread, as placement: two concurrent writes to nova's sqlite databases (the
        # whole-API run creating and updating aggregates) answered 500 "database is locked".
        return gunicorn_argv(self, run, "nova_api:application", "--pythonpath", str(HERE / "wsgi"),
                             threads=1)

    def seed(self, run: Run, seeded: dict[str, object]) -> dict[str, object]:
        out = run.tool(self.venv, "python", str(HERE / "seed" / "nova_seed.py"),
                       str(self._conf(run)), run.credentials.project_id,
                       run.credentials.user_id,
                       log_name="nova-seed")
        return json.loads(out.strip().splitlines()[-1])

    def endpoint(self, run: Run) -> str:
        return f"{self.url}/v2.1"
