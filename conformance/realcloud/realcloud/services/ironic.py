"""Ironic 39 in one process (API + conductor), fake hardware, no RPC bus, no DHCP.

Inspector cannot start or abort an introspection without a real Ironic to
look the node up in and power it through, so this exists for Inspector's sake:
it seeds nodes with ports and moves them to ``manageable``.
"""

from __future__ import annotations

from pathlib import Path

from .. import client, inifile, settings
from ..run import Run
from .base import Service, authtoken_sections

API_VERSION = {"X-OpenStack-Ironic-API-Version": "1.78"}
FAKE = "fake-hardware"
# (name, MAC of its one port). MACs are locally administered: data only, never on a wire.
SEED_NODES = (
    ("stackspec-inspected", "52:54:00:5e:ed:01"),
    ("stackspec-waiting", "52:54:00:5e:ed:02"),
)


class Ironic(Service):
    name = "ironic"
    ready_path = "/v1/nodes"
    auth_modes = ("headers", "keystone")

    def _conf(self, run: Run) -> Path:
        return run.service_dir(self.name) / "ironic.conf"

    def configure(self, run: Run) -> None:
        home = run.service_dir(self.name)
        fake_interfaces = {
            f"enabled_{kind}_interfaces": ["fake"]
            for kind in ("boot", "deploy", "management", "power", "inspect", "bios", "console",
                         "raid", "vendor", "firmware")
        }
        inifile.write(self._conf(run), {
            "DEFAULT": {
                "auth_strategy": "noauth" if run.settings.auth_mode == "headers" else "keystone",
                "rpc_transport": "none",
                "host": "stackspec-ironic",
                "enabled_hardware_types": [FAKE],
                **fake_interfaces,
                "enabled_network_interfaces": ["noop"],
                "default_network_interface": "noop",
                "log_file": run.root / "logs" / "ironic-app.log",
                "state_path": home,
            },
            "api": {"host_ip": settings.HOST, "port": self.port},
            "database": {"connection": f"sqlite:///{home / 'ironic.sqlite'}"},
            "dhcp": {"dhcp_provider": "none"},
            "conductor": {"automated_clean": False},
            "oslo_concurrency": {"lock_path": home / "locks"},
            # Project-scoped admin tokens, as every other service here accepts them; the
            # scoped defaults want system scope for node creation.
            "oslo_policy": {"enforce_new_defaults": False, "enforce_scope": False},
            **authtoken_sections(self, run),
        })

    def prepare(self, run: Run) -> None:
        run.tool(self.venv, "ironic-dbsync", "--config-file", str(self._conf(run)),
                 "create_schema", log_name="ironic-setup")

    def argv(self, run: Run) -> list[str]:
        return [self.venv.bin("ironic"), "--config-file", str(self._conf(run))]

    def seed(self, run: Run, seeded: dict[str, object]) -> dict[str, object]:
        return {name: self._manageable_node(run, name, mac) for name, mac in SEED_NODES}

    def _manageable_node(self, run: Run, name: str, mac: str) -> str:
        headers = {**run.headers(), **API_VERSION}
        _, _, node = client.call("POST", f"{self.url}/v1/nodes", headers,
                                 {"name": name, "driver": FAKE})
        client.call("POST", f"{self.url}/v1/ports", headers,
                    {"node_uuid": node["uuid"], "address": mac})
        client.call("PUT", f"{self.url}/v1/nodes/{node['uuid']}/states/provision", headers,
                    {"target": "manage"})
        client.poll(
            f"ironic node {name} to manageable",
            lambda: client.call("GET", f"{self.url}/v1/nodes/{node['uuid']}", headers)[2],
            lambda body: body["provision_state"] == "manageable",
            timeout=30,
        )
        return node["uuid"]
