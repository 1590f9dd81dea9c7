"""Heat 27 (orchestration): engine and API in one process, fake RPC, noauth paste flavor.

Heat's noauth middleware gives every request the admin role only, so the
new-defaults policies (which want member/reader) are switched off.
"""

from __future__ import annotations

from pathlib import Path

from .. import client, identity, inifile, settings
from ..run import Run
from .base import Service

HERE = Path(__file__).resolve().parents[2]

# Resources that need no other service: they reach CREATE_COMPLETE and leave events.
SEED_TEMPLATE = {
    "heat_template_version": "2018-08-31",
    "resources": {
        "password": {"type": "OS::Heat::RandomString", "properties": {"length": 16}},
        "marker": {
            "type": "OS::Heat::TestResource",
            "properties": {"value": {"get_attr": ["password", "value"]}, "wait_secs": 0},
        },
    },
    "outputs": {"marker": {"value": {"get_attr": ["marker", "output"]}}},
}


class Heat(Service):
    name = "heat"
    ready_path = "/"

    def _conf(self, run: Run) -> Path:
        return run.service_dir(self.name) / "heat.conf"

    def configure(self, run: Run) -> None:
        if run.settings.auth_mode != "headers":
            raise NotImplementedError("heat with keystone auth is issue 6")
        home = run.service_dir(self.name)
        inifile.write(self._conf(run), {
            "DEFAULT": {
                "transport_url": "fake://",
                "host": "stackspec-heat",
                "num_engine_workers": 1,
                "deferred_auth_method": "password",
                "log_file": run.root / "logs" / "heat-app.log",
            },
            "database": {"connection": f"sqlite:///{home / 'heat.sqlite'}"},
            "paste_deploy": {
                "flavor": "noauth",
                "api_paste_config": Path(self.venv.path) / "etc/heat/api-paste.ini",
            },
            "oslo_policy": {"enforce_new_defaults": False, "enforce_scope": False},
            "oslo_concurrency": {"lock_path": home / "locks"},
        })

    def prepare(self, run: Run) -> None:
        run.tool(self.venv, "heat-manage", "--config-file", str(self._conf(run)), "db_sync",
                 log_name="heat-setup")

    def argv(self, run: Run) -> list[str]:
        return [self.venv.python, str(HERE / "wsgi" / "heat_all.py"), settings.HOST,
                str(self.port), str(self._conf(run))]

    def endpoint(self) -> str:
        return f"{self.url}/v1/{identity.PROJECT_ID}"

    def seed(self, run: Run, seeded: dict[str, object]) -> dict[str, object]:
        """A stack that reaches CREATE_COMPLETE, so its resources have events."""
        stacks = f"{self.endpoint()}/stacks"
        body = {"stack_name": "stackspec-seed", "template": SEED_TEMPLATE, "timeout_mins": 5}
        _, _, created = client.call("POST", stacks, run.headers(), body)
        stack_id = created["stack"]["id"]
        stack_url = f"{stacks}/stackspec-seed/{stack_id}"
        finished = client.poll(
            "heat seed stack",
            lambda: client.call("GET", stack_url, run.headers())[2]["stack"],
            lambda stack: not stack["stack_status"].endswith("IN_PROGRESS"),
            timeout=90,
        )
        if finished["stack_status"] != "CREATE_COMPLETE":
            raise RuntimeError(f"seed stack {finished['stack_status']}: "
                               f"{finished.get('stack_status_reason')}")
        _, _, events = client.call("GET", f"{stack_url}/resources/marker/events", run.headers())
        return {"stack_name": "stackspec-seed", "stack_id": stack_id, "resource_name": "marker",
                "event_id": events["events"][-1]["id"]}
