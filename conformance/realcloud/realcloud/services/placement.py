"""Placement 16 (openstack-placement) under gunicorn, sqlite, no other service needed.

Placement builds its middleware in code (``placement.deploy``), not from a paste
file: in the ``keystone`` mode it runs keystonemiddleware's ``authtoken`` with
``[keystone_authtoken]``; in the ``headers`` mode its ``noauth2`` strategy, which
wants an ``X-Auth-Token`` of the form ``<user_id>:<project_id>`` and takes the roles
from ``X-Roles`` (see ``identity.trusted_headers``).

Seed (what ``--path-value`` points conform at, and what keeps it there):

- the provider ``stackspec-seed`` with VCPU, MEMORY_MB and a custom resource class in
  its inventory, a custom trait of the same name, and an aggregate;
- a consumer holding VCPU and MEMORY_MB on it: ``consumer_id``, the one runs may delete;
- a consumer with no allocations yet, ``empty_consumer_id`` (a UUID placement has never
  seen, which it answers as a consumer without allocations): the whole-API run's consumer,
  so that every run, on a fresh cloud or after another, first reads an empty consumer
  (F121), then the allocations its updates give it;
- an anchor: a second provider with the trait and the custom class, and a second
  consumer holding the custom class on both providers. Runs are not told of either, so
  whatever order conform's workers delete in, the seeded provider, its custom inventory,
  the resource class and the trait stay in use (placement answers 409) and every later
  read of them still finds them.
"""

from __future__ import annotations

import uuid

from .. import client, identity, inifile
from ..run import Run
from .base import Service, authtoken_sections, gunicorn_argv

# The highest microversion of placement 16; the seed's requests use its body shapes.
MICROVERSION = "1.39"
CONF_FILE = "placement.conf"  # the name placement.wsgi looks for in OS_PLACEMENT_CONFIG_DIR
PROVIDER_NAME = "stackspec-seed"
RESOURCE_CLASS = "CUSTOM_STACKSPEC_WIDGET"
# Traits and resource classes share the path parameter `name` in the spec: one name for
# both lets a single `--path-value name=...` reach a seeded trait and resource class.
TRAIT = RESOURCE_CLASS
INVENTORY = {
    "VCPU": {"total": 8, "allocation_ratio": 4.0},
    "MEMORY_MB": {"total": 16384, "reserved": 512},
    RESOURCE_CLASS: {"total": 4},
}
ALLOCATION = {"VCPU": 2, "MEMORY_MB": 2048}
ANCHOR_NAME = "stackspec-anchor"
ANCHOR_ALLOCATION = {RESOURCE_CLASS: 1}


class Placement(Service):
    name = "placement"
    ready_path = "/resource_providers"
    auth_modes = ("headers", "keystone")

    def config(self, run: Run) -> dict[str, dict[str, object]]:
        """placement.conf for the run's auth mode."""
        home = run.service_dir(self.name)
        keystone = run.settings.auth_mode == "keystone"
        return {
            "DEFAULT": {"log_file": run.root / "logs" / "placement-app.log"},
            "api": {"auth_strategy": "keystone" if keystone else "noauth2"},
            "placement_database": {"connection": f"sqlite:///{home / 'placement.sqlite'}"},
            # Project-scoped admin tokens, as every other service here accepts them.
            "oslo_policy": {"enforce_new_defaults": True, "enforce_scope": False},
            **authtoken_sections(self, run),
        }

    def configure(self, run: Run) -> None:
        inifile.write(run.service_dir(self.name) / CONF_FILE, self.config(run))

    def env(self, run: Run) -> dict[str, str]:
        return {"OS_PLACEMENT_CONFIG_DIR": str(run.service_dir(self.name))}

    def prepare(self, run: Run) -> None:
        conf = run.service_dir(self.name) / CONF_FILE
        run.tool(self.venv, "placement-manage", "--config-file", str(conf), "db", "sync",
                 log_name="placement-setup")

    def argv(self, run: Run) -> list[str]:
        # One thread: concurrent writes to the sqlite database answered 500 "database is
        # locked" (a DELETE of a provider's traits beside other deletes, conform with 8 workers).
        return gunicorn_argv(self, run, "placement.wsgi.api:application", threads=1)

    def seed(self, run: Run, seeded: dict[str, object]) -> dict[str, object]:
        api = Api(self.url, {**run.headers(), "OpenStack-API-Version": f"placement {MICROVERSION}"})
        api.send("PUT", f"/resource_classes/{RESOURCE_CLASS}")
        api.send("PUT", f"/traits/{TRAIT}")
        aggregate = str(uuid.uuid4())
        seeded_rp = api.provider(PROVIDER_NAME, INVENTORY, [TRAIT], [aggregate])
        anchor_rp = api.provider(ANCHOR_NAME, {RESOURCE_CLASS: {"total": 4}}, [TRAIT], [])
        credentials = run.credentials
        consumer, anchor = str(uuid.uuid4()), str(uuid.uuid4())
        api.allocate(consumer, {seeded_rp: ALLOCATION}, credentials)
        api.allocate(anchor, {seeded_rp: ANCHOR_ALLOCATION, anchor_rp: ANCHOR_ALLOCATION},
                     credentials)
        return {"resource_provider_id": seeded_rp, "resource_provider_name": PROVIDER_NAME,
                "resource_class": RESOURCE_CLASS, "trait": TRAIT, "aggregate_id": aggregate,
                "consumer_id": consumer, "anchor_provider_id": anchor_rp,
                "anchor_consumer_id": anchor, "empty_consumer_id": str(uuid.uuid4()),
                "project_id": credentials.project_id,
                "user_id": credentials.user_id}


class Api:
    """Placement's REST API at one microversion; just what the seed sends."""

    def __init__(self, url: str, headers: dict[str, str]):
        self.url = url
        self.headers = headers

    def send(self, method: str, path: str, body: object | None = None):
        return client.call(method, self.url + path, self.headers, body)

    def provider(self, name: str, inventory: dict[str, dict[str, object]], traits: list[str],
                 aggregates: list[str]) -> str:
        """A new provider with this inventory, traits and aggregates; returns its uuid."""
        _, _, created = self.send("POST", "/resource_providers", {"name": name})
        rp, generation = created["uuid"], created["generation"]
        for part, body in (("inventories", {"inventories": inventory}),
                           ("traits", {"traits": traits}),
                           ("aggregates", {"aggregates": aggregates})):
            _, _, answer = self.send("PUT", f"/resource_providers/{rp}/{part}",
                                     {**body, "resource_provider_generation": generation})
            generation = answer["resource_provider_generation"]
        return rp

    def allocate(self, consumer: str, allocations: dict[str, dict[str, int]],
                 credentials: identity.Credentials) -> None:
        """A new consumer (type INSTANCE) holding ``allocations`` (by provider uuid)."""
        self.send("PUT", f"/allocations/{consumer}", {
            "allocations": {rp: {"resources": resources} for rp, resources in allocations.items()},
            "project_id": credentials.project_id, "user_id": credentials.user_id,
            "consumer_generation": None, "consumer_type": "INSTANCE"})
