"""Keystone 30 (identity) for the ``keystone`` auth mode: fernet tokens, sqlite, one region.

Seeds what token-validating services and clients need: a ``service`` project
with one user per service (admin and service roles), a member-only user in a
second project, and a catalog entry per service type.
"""

from __future__ import annotations

import getpass
import grp
import os
from pathlib import Path

from .. import client, clouds, identity, inifile, settings
from ..run import Run
from .base import Service, gunicorn_argv

HERE = Path(__file__).resolve().parents[2]
REGION = "RegionOne"
# Service types in the catalog, and the endpoint path each service is reached at.
CATALOG = {
    "image": ("glance", ""),
    "compute": ("nova", "/v2.1"),
    "orchestration": ("heat", "/v1/$(project_id)s"),
    "baremetal": ("ironic", ""),
    "baremetal-introspection": ("ironic-inspector", ""),
    "placement": ("placement", ""),
}
SERVICE_USERS = ("glance", "nova", "heat", "ironic", "ironic-inspector", "placement")
ACCESS_LOG = "keystone-access.log"


class Keystone(Service):
    name = "keystone"
    ready_path = "/v3"
    auth_modes = ("keystone",)

    def _conf(self, run: Run) -> Path:
        return run.service_dir(self.name) / "keystone.conf"

    def configure(self, run: Run) -> None:
        home = run.service_dir(self.name)
        inifile.write(self._conf(run), {
            "DEFAULT": {"log_file": run.root / "logs" / "keystone-app.log"},
            "database": {"connection": f"sqlite:///{home / 'keystone.sqlite'}"},
            # Short lifetimes (STACKSPEC_KEYSTONE_TOKEN_EXPIRATION) make clients re-authenticate
            # mid-run; keystonemiddleware rejects an expired token even from its cache.
            "token": {"provider": "fernet", "expiration": run.settings.token_expiration},
            "fernet_tokens": {"key_repository": home / "fernet-keys"},
            "fernet_receipts": {"key_repository": home / "fernet-keys"},
            "credential": {"key_repository": home / "credential-keys"},
            # Without a cache every request costs 0.2-0.6 s on two cores; one worker keeps it.
            "cache": {"enabled": True, "backend": "dogpile.cache.memory"},
            # bcrypt at its cheapest (4 rounds, not 12): a password hash then costs ~1 ms,
            # not ~1 s, which with one thread (below) held every other request up.
            "identity": {"max_password_length": 72, "password_hash_rounds": 4},
        })

    def env(self, run: Run) -> dict[str, str]:
        return {"OS_KEYSTONE_CONFIG_DIR": str(run.service_dir(self.name))}

    def prepare(self, run: Run) -> None:
        manage = ("--config-file", str(self._conf(run)))
        owner = ("--keystone-user", getpass.getuser(),
                 "--keystone-group", grp.getgrgid(os.getgid()).gr_name)
        public = f"{self.url}/v3/"
        for step in (
            ("db_sync",),
            ("fernet_setup", *owner),
            ("credential_setup", *owner),
            ("bootstrap", "--bootstrap-password", identity.ADMIN_PASSWORD,
             "--bootstrap-admin-url", public, "--bootstrap-public-url", public,
             "--bootstrap-internal-url", public, "--bootstrap-region-id", REGION),
        ):
            run.tool(self.venv, "keystone-manage", *manage, *step, log_name="keystone-setup")

    def argv(self, run: Run) -> list[str]:
        # The access log shows who fetched tokens when, e.g. re-authentications after expiry
        # (clients without a User-Agent, like `stackspec conform`, are logged as "-").
        # One thread: with two, concurrent writes (a PATCH beside a DELETE) answered 500
        # `database is locked`, sqlite refusing a second writer (as placement's did).
        return gunicorn_argv(self, run, "keystone_api:application",
                             "--pythonpath", str(HERE / "wsgi"),
                             "--access-logfile", str(run.root / "logs" / ACCESS_LOG),
                             "--access-logformat", '%(t)s "%(r)s" %(s)s "%(a)s"',
                             threads=1)

    def seed(self, run: Run, seeded: dict[str, object]) -> dict[str, object]:
        api = Admin(self.url, run.headers())
        service_project = api.create("projects", {"name": "service", "domain_id": "default"})
        demo_project = api.create("projects", {"name": "demo", "domain_id": "default"})
        roles = api.roles()
        if "service" not in roles:  # bootstrap makes it in recent releases
            roles["service"] = api.create("roles", {"name": "service"})
        for user in SERVICE_USERS:
            user_id = api.create("users", {"name": user, "domain_id": "default",
                                           "password": identity.service_password(user)})
            for role in ("admin", "service"):
                api.grant(service_project, user_id, roles[role])
        demo = api.create("users", {"name": identity.MEMBER_USER, "domain_id": "default",
                                    "password": identity.MEMBER_PASSWORD})
        api.grant(demo_project, demo, roles["member"])
        api.grant(demo_project, demo, roles["reader"])
        for service_type, (name, path) in CATALOG.items():
            service_id = api.create("services", {"type": service_type, "name": name})
            api.create("endpoints", {"service_id": service_id, "interface": "public",
                                     "region_id": REGION, "url": settings.url(name) + path})
        appcred = clouds.create_application_credential(self.url, run.credentials)
        clouds.write(run.root, self.url, appcred)
        return {"admin_project_id": run.credentials.project_id,
                "service_project_id": service_project, "demo_project_id": demo_project,
                "member_user_id": demo, "application_credential_id": appcred}


class Admin:
    """Just enough of Keystone's v3 admin API to seed; one call per object."""

    def __init__(self, url: str, headers: dict[str, str]):
        self.url = f"{url}/v3"
        self.headers = headers

    def create(self, collection: str, body: dict[str, object]) -> str:
        singular = collection[:-1]
        _, _, created = client.call("POST", f"{self.url}/{collection}", self.headers,
                                    {singular: body})
        return created[singular]["id"]

    def roles(self) -> dict[str, str]:
        _, _, listed = client.call("GET", f"{self.url}/roles", self.headers)
        return {role["name"]: role["id"] for role in listed["roles"]}

    def grant(self, project: str, user: str, role: str) -> None:
        client.call("PUT", f"{self.url}/projects/{project}/users/{user}/roles/{role}",
                    self.headers)
