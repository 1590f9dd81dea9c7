"""Who the local cloud's clients are, per auth mode.

``headers``: the services run their keystone paste pipeline without
``authtoken``, so the context filter builds the request context from the X-*
headers keystonemiddleware would have set, and clients send those themselves
(placement's ``noauth2`` also wants an ``X-Auth-Token`` naming user and project).

``keystone``: a real Keystone issues tokens, services validate them with
``authtoken``, and clients send ``X-Auth-Token``.

Passwords are fixed: this is a throwaway cloud on loopback that lives in /tmp.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import client, settings

PROJECT_ID = "5ac1e0a7c0de4b1e9d2f3a4b5c6d7e8f"
USER_ID = "0b5e55ed5eed4a11b0a7e5c0ffee0001"
ROLES = "admin,member,reader"
ADMIN_USER = "admin"
ADMIN_PROJECT = "admin"
ADMIN_PASSWORD = "stackspec-admin-secret"
MEMBER_USER = "stackspec-member"
MEMBER_PASSWORD = "stackspec-member-secret"


def service_password(user: str) -> str:
    return f"stackspec-{user}-secret"


@dataclass(frozen=True)
class Credentials:
    """Headers that authorise a client as an admin, and the identity they carry."""

    headers: dict[str, str]
    project_id: str
    user_id: str


def trusted_headers() -> Credentials:
    return Credentials(
        headers={
            "X-Identity-Status": "Confirmed",
            "X-Roles": ROLES,
            "X-Project-Id": PROJECT_ID,
            "X-Tenant-Id": PROJECT_ID,
            "X-User-Id": USER_ID,
            # Heat's noauth middleware reads the project and user from these two.
            "X-Auth-Project": PROJECT_ID,
            "X-Auth-User": USER_ID,
            # Placement's noauth2 strategy wants a token `<user>:<project>` (and then takes
            # the roles from X-Roles); the other services' pipelines ignore it.
            "X-Auth-Token": f"{USER_ID}:{PROJECT_ID}",
            "Accept": "application/json",
        },
        project_id=PROJECT_ID,
        user_id=USER_ID,
    )


def keystone_login(keystone_url: str, user: str, password: str, project: str) -> Credentials:
    """A project-scoped token from Keystone's password method."""
    body = {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": user, "domain": {"id": "default"}, "password": password}}},
        "scope": {"project": {"name": project, "domain": {"id": "default"}}},
    }}
    _, headers, answer = client.call("POST", f"{keystone_url}/v3/auth/tokens",
                                     {"Accept": "application/json"}, body)
    token = {key.lower(): value for key, value in headers.items()}["x-subject-token"]
    return Credentials(
        headers={"X-Auth-Token": token, "Accept": "application/json"},
        project_id=answer["token"]["project"]["id"],
        user_id=answer["token"]["user"]["id"],
    )


def member_login() -> Credentials:
    """The member-only user of the ``demo`` project, for policy checks."""
    return keystone_login(settings.url("keystone"), MEMBER_USER, MEMBER_PASSWORD, "demo")
