"""Ironic Inspector 12.5 standalone (API + conductor), talking to the local Ironic.

Seeds two introspections: one that finished with stored data (the ramdisk's
report is posted to ``/v1/continue`` as a real ramdisk would), so the data and
reapply operations have something to work on; and one left waiting, so abort
has something to abort.
"""

from __future__ import annotations

from pathlib import Path

from .. import client, inifile, settings
from ..run import Run
from .base import Service, authtoken_sections
from .ironic import SEED_NODES


def ramdisk_report(mac: str) -> dict[str, object]:
    """The minimum inventory the default processing hooks accept.

    validate_interfaces drops NICs without an address, so the NIC gets one from
    TEST-NET-1 (RFC 5737): it is only data in the report, nothing connects to it.
    """
    return {
        "inventory": {
            "interfaces": [{"name": "eth0", "mac_address": mac, "ipv4_address": "192.0.2.10",
                            "has_carrier": True}],
            "cpu": {"count": 2, "architecture": "x86_64"},
            "memory": {"physical_mb": 2048, "total": 2147483648},
            "disks": [{"name": "/dev/vda", "size": 21474836480, "rotational": False}],
            "bmc_address": "",
        },
        "root_disk": {"name": "/dev/vda", "size": 21474836480},
        "boot_interface": mac,
    }


class Inspector(Service):
    name = "ironic-inspector"
    ready_path = "/v1"
    auth_modes = ("headers", "keystone")

    def _conf(self, run: Run) -> Path:
        return run.service_dir(self.name) / "inspector.conf"

    def configure(self, run: Run) -> None:
        home = run.service_dir(self.name)
        inifile.write(self._conf(run), {
            "DEFAULT": {
                "standalone": True,
                "auth_strategy": "noauth" if run.settings.auth_mode == "headers" else "keystone",
                "transport_url": "fake://",
                "listen_address": settings.HOST,
                "listen_port": self.port,
                "host": "stackspec-inspector",
                "log_file": run.root / "logs" / "ironic-inspector-app.log",
            },
            "database": {"connection": f"sqlite:///{home / 'inspector.sqlite'}"},
            "pxe_filter": {"driver": "noop"},
            "processing": {"store_data": "database"},
            "ironic": self._ironic_client(run),
            **authtoken_sections(self, run),
        })

    def _ironic_client(self, run: Run) -> dict[str, object]:
        """How inspector reaches ironic: anonymously, or as its service user."""
        client_settings: dict[str, object] = {"endpoint_override": settings.url("ironic")}
        if run.settings.auth_mode == "headers":
            return {**client_settings, "auth_type": "none"}
        auth = authtoken_sections(self, run)["keystone_authtoken"]
        keys = ("auth_url", "auth_type", "username", "password", "project_name",
                "user_domain_name", "project_domain_name")
        return {**client_settings, **{key: auth[key] for key in keys}}

    def prepare(self, run: Run) -> None:
        run.tool(self.venv, "ironic-inspector-dbsync", "--config-file", str(self._conf(run)),
                 "upgrade", log_name="ironic-inspector-setup")

    def argv(self, run: Run) -> list[str]:
        return [self.venv.bin("ironic-inspector"), "--config-file", str(self._conf(run))]

    def seed(self, run: Run, seeded: dict[str, object]) -> dict[str, object]:
        nodes = seeded["ironic"]
        (inspected, inspected_mac), (waiting, _) = [
            (nodes[name], mac) for name, mac in SEED_NODES
        ]
        self._start(run, inspected)
        client.call("POST", f"{self.url}/v1/continue", run.headers(),
                    ramdisk_report(inspected_mac))
        self._wait(run, inspected, lambda status: status["finished"])
        self._start(run, waiting)
        return {"inspected_node_id": inspected, "waiting_node_id": waiting}

    def _start(self, run: Run, node: str) -> None:
        client.call("POST", f"{self.url}/v1/introspection/{node}", run.headers())
        self._wait(run, node, lambda status: status["state"] == "waiting" or status["finished"])

    def _wait(self, run: Run, node: str, done) -> dict:
        status = client.poll(
            f"introspection of {node}",
            lambda: client.call("GET", f"{self.url}/v1/introspection/{node}", run.headers())[2],
            done,
            timeout=60,
        )
        if status.get("error"):
            raise RuntimeError(f"introspection of {node} failed: {status['error']}")
        return status

