"""Heat 27 (orchestration): engine and API in one process, fake RPC.

Headers mode: the noauth paste flavor, whose middleware gives every request
the admin role only, so the new-defaults policies (which want member/reader)
are switched off; deferred auth stores the password. Keystone mode: the
shipped keystone pipeline with authtoken, and trusts to the heat service user.
"""

from __future__ import annotations

from pathlib import Path

from .. import client, inifile, settings
from ..run import Run
from .base import Service, authtoken_sections

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
    auth_modes = ("headers", "keystone")

    def _conf(self, run: Run) -> Path:
        return run.service_dir(self.name) / "heat.conf"

    def configure(self, run: Run) -> None:
        home = run.service_dir(self.name)
        inifile.write(self._conf(run), {
            "DEFAULT": {
                "transport_url": "fake://",
                "host": "stackspec-heat",
                "num_engine_workers": 1,
                "log_file": run.root / "logs" / "heat-app.log",
                **self._deferred_auth(run),
            },
            "database": {"connection": f"sqlite:///{home / 'heat.sqlite'}"},
            "paste_deploy": {
                # The shipped default flavor is the keystone pipeline (authurl, authtoken).
                **({"flavor": "noauth"} if run.settings.auth_mode == "headers" else {}),
                "api_paste_config": Path(self.venv.path) / "etc/heat/api-paste.ini",
            },
            "oslo_policy": {"enforce_new_defaults": False, "enforce_scope": False},
            "oslo_concurrency": {"lock_path": home / "locks"},
            **authtoken_sections(self, run),
            **self._trustee(run),
        })

    def _deferred_auth(self, run: Run) -> dict[str, object]:
        """Stored-password deferred auth without Keystone, trusts with it."""
        if run.settings.auth_mode == "headers":
            return {"deferred_auth_method": "password"}
        return {"deferred_auth_method": "trusts"}

    def _trustee(self, run: Run) -> dict[str, dict[str, object]]:
        """The heat service user that trusts delegate to, and where Keystone is."""
        if run.settings.auth_mode == "headers":
            return {}
        auth = authtoken_sections(self, run)["keystone_authtoken"]
        return {
            "trustee": {key: auth[key] for key in
                        ("auth_type", "auth_url", "username", "password", "user_domain_name")},
            "clients_keystone": {"auth_uri": auth["auth_url"]},
        }

    def prepare(self, run: Run) -> None:
        run.tool(self.venv, "heat-manage", "--config-file", str(self._conf(run)), "db_sync",
                 log_name="heat-setup")

    def argv(self, run: Run) -> list[str]:
        return [self.venv.python, str(HERE / "wsgi" / "heat_all.py"), settings.HOST,
                str(self.port), str(self._conf(run))]

    def endpoint(self, run: Run) -> str:
        return f"{self.url}/v1/{run.credentials.project_id}"

    def seed(self, run: Run, seeded: dict[str, object]) -> dict[str, object]:
        """A stack that reaches CREATE_COMPLETE, so its resources have events."""
        stacks = f"{self.endpoint(run)}/stacks"
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
