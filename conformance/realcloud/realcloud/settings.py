"""Pinned versions, loopback ports and run-directory settings of the local cloud.

Ports are the services' usual ports plus 10000 so they do not collide with a
developer's own OpenStack (or DevStack) on the same machine. Every port can be
overridden with ``STACKSPEC_PORT_<SERVICE>`` (for example ``STACKSPEC_PORT_NOVA``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .venvs import Venv

HOST = "127.0.0.1"
GUNICORN = "gunicorn==27.0.1"

VENVS = {
    "glance": Venv("glance", "33.0.0", ("glance==33.0.0", GUNICORN)),
    "nova": Venv("nova", "34.0.0", ("nova==34.0.0", GUNICORN)),
    "heat": Venv("heat", "27.0.1", ("openstack-heat==27.0.1",)),
    "ironic": Venv("ironic", "39.0.0", ("ironic==39.0.0",)),
    "ironic-inspector": Venv(
        "ironic-inspector", "12.5.0", ("ironic-inspector==12.5.0",)
    ),
    "keystone": Venv("keystone", "30.0.0", ("keystone==30.0.0", GUNICORN)),
    "placement": Venv("placement", "16.0.0", ("openstack-placement==16.0.0", GUNICORN)),
}

# The client `versus.py` holds conform up against (not a service of the cloud).
SCHEMATHESIS = Venv("schemathesis", "4.32.5", ("schemathesis==4.32.5",))

DEFAULT_PORTS = {
    "glance": 19292,
    "nova": 18774,
    "heat": 18004,
    "ironic": 16385,
    "ironic-inspector": 15050,
    "keystone": 15000,
    "placement": 18778,
    "fixture": 18099,
}

DEFAULT_TOKEN_EXPIRATION = 3600
# Below this, tokens could expire while `up` still seeds with the one it fetched.
MIN_TOKEN_EXPIRATION = 60

# Auth modes: "headers" trusts X-* identity headers (no Keystone); "keystone" runs
# Keystone and the services validate tokens with keystonemiddleware's authtoken.
AUTH_MODES = ("headers", "keystone")


def port(service: str) -> int:
    key = "STACKSPEC_PORT_" + service.upper().replace("-", "_")
    return int(os.environ.get(key, DEFAULT_PORTS[service]))


def url(service: str) -> str:
    return f"http://{HOST}:{port(service)}"


@dataclass(frozen=True)
class RunSettings:
    """Where a run keeps configs, databases, logs and PIDs, and how clients authenticate."""

    run_dir: Path
    auth_mode: str
    # Keystone's token lifetime in seconds (keystone mode).
    token_expiration: int = DEFAULT_TOKEN_EXPIRATION

    @classmethod
    def from_env(cls) -> "RunSettings":
        run_dir = Path(os.environ.get("STACKSPEC_CLOUD_DIR", "/tmp/stackspec-cloud"))
        auth_mode = os.environ.get("STACKSPEC_CLOUD_AUTH", "headers")
        if auth_mode not in AUTH_MODES:
            raise SystemExit(
                f"STACKSPEC_CLOUD_AUTH={auth_mode!r}: expected one of {', '.join(AUTH_MODES)}"
            )
        return cls(run_dir=run_dir, auth_mode=auth_mode, token_expiration=_token_expiration())


def _token_expiration() -> int:
    """``STACKSPEC_KEYSTONE_TOKEN_EXPIRATION``, checked before anything is installed."""
    key = "STACKSPEC_KEYSTONE_TOKEN_EXPIRATION"
    raw = os.environ.get(key, str(DEFAULT_TOKEN_EXPIRATION))
    if not raw.isdigit() or int(raw) < MIN_TOKEN_EXPIRATION:
        raise SystemExit(f"{key}={raw!r}: expected whole seconds, at least {MIN_TOKEN_EXPIRATION}")
    return int(raw)
