"""Minimal JSON-over-HTTP client for seeding (stdlib only: runs before any venv exists)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Callable


class HttpError(RuntimeError):
    def __init__(self, method: str, url: str, status: int, body: str):
        super().__init__(f"{method} {url} -> {status}: {body[:500]}")
        self.status = status


def call(method: str, url: str, headers: dict[str, str], body: object | None = None,
         timeout: float = 120) -> tuple[int, dict[str, str], object]:
    """Send one request; returns (status, headers, decoded JSON or None). Raises on >= 400.

    The timeout is generous: inspector processes a ramdisk report (with calls to ironic)
    before answering, which took 34 s on two busy cores.
    """
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={**headers, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            raw = answer.read().decode()
            return answer.status, dict(answer.headers), json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raise HttpError(method, url, error.code, error.read().decode(errors="replace")) from None


def poll(what: str, probe: Callable[[], object], done: Callable[[object], bool],
         timeout: float, interval: float = 0.5) -> object:
    """Call ``probe`` until ``done`` holds for its result; bounded by ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = probe()
        if done(last):
            return last
        time.sleep(interval)
    raise RuntimeError(f"{what}: not done after {timeout:.0f}s, last seen {last!r:.300}")
