"""The ``clouds.yaml`` (and ``secure.yaml``) a keystone-mode run writes for its clients.

Three entries, the way a user of a real cloud has them:

- ``local``: the admin, Keystone's password method, scoped to project ``admin``;
- ``local-appcred``: an application credential Keystone issued to that admin;
- ``local-demo``: the member-only user of project ``demo`` (policy checks).

Secrets (passwords, the application credential's secret) go to ``secure.yaml``
beside it, which openstacksdk (and ``stackspec conform``) merge over
``clouds.yaml``, so the run exercises that merge too.

Both files are written as YAML's JSON-compatible flow subset by a tiny
renderer: this runs from the system Python, before any venv exists.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import client, identity

CLOUDS_FILE = "clouds.yaml"
SECURE_FILE = "secure.yaml"
REGION = "RegionOne"
APPCRED_NAME = "stackspec-conform"
APPCRED_SECRET = "stackspec-appcred-secret"

Tree = dict[str, object]


def entries(auth_url: str, appcred_id: str) -> tuple[Tree, Tree]:
    """(clouds.yaml entries, secure.yaml entries) for ``auth_url`` (Keystone's root URL)."""
    common = {"region_name": REGION, "interface": "public", "identity_api_version": 3}

    def password_cloud(user: str, project: str) -> Tree:
        return {**common, "auth_type": "password", "auth": {
            "auth_url": f"{auth_url}/v3", "username": user, "project_name": project,
            "user_domain_name": "Default", "project_domain_name": "Default"}}

    clouds = {
        "local": password_cloud(identity.ADMIN_USER, identity.ADMIN_PROJECT),
        "local-appcred": {**common, "auth_type": "v3applicationcredential", "auth": {
            "auth_url": f"{auth_url}/v3", "application_credential_id": appcred_id}},
        "local-demo": password_cloud(identity.MEMBER_USER, "demo"),
    }
    secure = {
        "local": {"auth": {"password": identity.ADMIN_PASSWORD}},
        "local-appcred": {"auth": {"application_credential_secret": APPCRED_SECRET}},
        "local-demo": {"auth": {"password": identity.MEMBER_PASSWORD}},
    }
    return {"clouds": clouds}, {"clouds": secure}


def create_application_credential(keystone_url: str, admin: identity.Credentials) -> str:
    """An application credential of the admin, with the admin's roles on project ``admin``.

    Keystone lets a user create application credentials only for themselves,
    with their own token; the secret is ours so the file can be rewritten.
    """
    _, _, created = client.call(
        "POST", f"{keystone_url}/v3/users/{admin.user_id}/application_credentials",
        admin.headers, {"application_credential": {
            "name": APPCRED_NAME, "secret": APPCRED_SECRET,
            "description": "stackspec conform --os-cloud local-appcred"}})
    return created["application_credential"]["id"]


def write(directory: Path, auth_url: str, appcred_id: str) -> Path:
    """Writes ``clouds.yaml`` and ``secure.yaml`` (mode 0600) into ``directory``."""
    clouds, secure = entries(auth_url, appcred_id)
    path = directory / CLOUDS_FILE
    path.write_text(render(clouds))
    secrets = directory / SECURE_FILE
    secrets.touch(mode=0o600)
    secrets.chmod(0o600)  # also when an older file was there
    secrets.write_text(render(secure))
    return path


def render(tree: Tree, indent: int = 0) -> str:
    """Block-style YAML of nested mappings; scalars as JSON (valid YAML) so nothing needs quoting rules."""
    lines = []
    for key, value in tree.items():
        prefix = " " * indent + json.dumps(key) + ":"
        if isinstance(value, dict):
            lines.append(prefix + "\n" + render(value, indent + 2))
        else:
            lines.append(f"{prefix} {json.dumps(value)}\n")
    return "".join(lines)
