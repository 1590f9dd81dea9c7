"""Who the local cloud's clients are, per auth mode.

In the ``headers`` mode the services run their keystone paste pipeline without
``authtoken``: the context filter then builds the request context from the
X-* headers keystonemiddleware would have set, so clients send those headers
themselves. Issue 6 adds a ``keystone`` mode where clients send a token instead.
"""

from __future__ import annotations

PROJECT_ID = "5ac1e0a7c0de4b1e9d2f3a4b5c6d7e8f"
USER_ID = "0b5e55ed5eed4a11b0a7e5c0ffee0001"
ROLES = "admin,member,reader"


def client_headers(auth_mode: str) -> dict[str, str]:
    """Headers every client request must carry to be authorised as an admin."""
    if auth_mode != "headers":
        raise ValueError(f"auth mode {auth_mode!r} has no trusted identity headers")
    return {
        "X-Identity-Status": "Confirmed",
        "X-Roles": ROLES,
        "X-Project-Id": PROJECT_ID,
        "X-Tenant-Id": PROJECT_ID,
        "X-User-Id": USER_ID,
        # Heat's noauth middleware reads the project and user from these two.
        "X-Auth-Project": PROJECT_ID,
        "X-Auth-User": USER_ID,
        "Accept": "application/json",
    }
