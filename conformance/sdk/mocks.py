"""The four seed-API mocks as the clients see them: where each listens, and the
clouds.yaml files that point openstacksdk and the ``openstack`` CLI at them.

Endpoints are what a real cloud's catalog holds. openstacksdk runs version discovery on
each one when it first builds a service's proxy (and, for microversioned resources, to
negotiate a microversion), so each mock must answer it the way its service does:

- compute: the mock's root; its version documents (``GET /``, ``GET /v2.1/``) send the SDK
  on to ``/v2.1/``, below which the mock serves nova's paths.
- baremetal-introspection: the mock's root; ``GET /`` links ``/v1``, where inspector's
  paths start.
- image and orchestration: ``/v2`` and ``/v1/{project}``, where their paths start. Neither
  can be discovered (README.md, "Findings"), so their proxies are built without discovery.

The CLI gets each endpoint as a Keystone catalog lists it (``catalog_path``): compute at
``/v2.1`` without a trailing slash, which the mock redirects to ``/v2.1/`` as nova does.
"""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass

HOST = "127.0.0.1"
CLOUD_NAME = "stackspec-mock"
# Heat puts the project in every path; any id does, the mock does not check it.
PROJECT_ID = "5ad1e2b1c0a1400b9a1c6c0de5f1c0de"
# Bounds every SDK request, so a mock that stops answering fails the run, not hangs it.
API_TIMEOUT_SECONDS = 30
# The token the CLI sends: the mocks ask for one (as the services do) and accept any.
CLI_TOKEN = "stackspec-mock-token"


@dataclass(frozen=True)
class Service:
    """One mocked service: its spec stem, the SDK's name for it, and the path below the
    mock's root that the SDK's endpoint must end with."""

    spec: str
    sdk_name: str
    endpoint_path: str
    # A path the mock answers once it is up.
    ready_path: str
    # The endpoint's path as a Keystone catalog lists it (what the CLI is given).
    catalog_path: str
    # False where version discovery cannot succeed against the mock (README.md, "Findings").
    discoverable: bool = True


SERVICES = (
    Service("image", "image", "/v2", "/v2/tasks", "", discoverable=False),
    Service("compute", "compute", "", "/", "/v2.1"),
    Service("orchestration", "orchestration", f"/v1/{PROJECT_ID}", "/", f"/v1/{PROJECT_ID}",
            discoverable=False),
    Service("baremetal-introspection", "baremetal_introspection", "", "/", ""),
)
# The services the CLI stage talks to (glance's tasks go through openstacksdk only).
CLI_SERVICES = tuple(s for s in SERVICES if s.spec != "image")
# python-heatclient's OSC plugin builds its client on the session alone and ignores
# `orchestration_endpoint_override`, so heat's endpoint is the one the auth plugin holds.
AUTH_ENDPOINT_SERVICE = "orchestration"


def free_port() -> int:
    """A loopback port nobody listens on now (the OS picks it; the mock binds it next)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def root_url(port: int) -> str:
    return f"http://{HOST}:{port}"


def clouds_yaml(ports: dict[str, int]) -> str:
    """A clouds.yaml naming one cloud, ``stackspec-mock``, with every service's endpoint.

    ``auth_type: none`` sends no token and asks no catalog: endpoints come only from the
    ``<service>_endpoint_override`` keys. JSON is valid YAML, so no YAML writer is needed.
    """
    cloud: dict[str, object] = {
        "auth_type": "none",
        "auth": {},
        "api_timeout": API_TIMEOUT_SECONDS,
    }
    for service in SERVICES:
        url = root_url(ports[service.spec]) + service.endpoint_path
        cloud[f"{service.sdk_name}_endpoint_override"] = url
    return json.dumps({"clouds": {CLOUD_NAME: cloud}}, indent=2) + "\n"


def cli_clouds_yaml(ports: dict[str, int]) -> str:
    """A clouds.yaml for the ``openstack`` CLI: ``admin_token`` auth (a fixed token and one
    endpoint, no Keystone), and each service's catalog endpoint as its override."""
    endpoints = {s.spec: root_url(ports[s.spec]) + s.catalog_path for s in CLI_SERVICES}
    cloud: dict[str, object] = {
        "auth_type": "admin_token",
        "auth": {"token": CLI_TOKEN, "endpoint": endpoints[AUTH_ENDPOINT_SERVICE]},
        "api_timeout": API_TIMEOUT_SECONDS,
    }
    for service in CLI_SERVICES:
        cloud[f"{service.sdk_name}_endpoint_override"] = endpoints[service.spec]
    return json.dumps({"clouds": {CLOUD_NAME: cloud}}, indent=2) + "\n"
