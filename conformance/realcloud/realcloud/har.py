"""The exchanges a HAR 1.2 file recorded, as both `stackspec conform --record` and
Schemathesis' `--report har` write them, read by one function so that both tools' runs are
judged by the same code.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from pathlib import Path


class HarError(ValueError):
    """A HAR file that cannot be read: the file, where in it (a JSON pointer), and why."""

    def __init__(self, path: Path, pointer: str, problem: str):
        super().__init__(f"{path}: {pointer or '/'}: {problem}")
        self.path = path
        self.pointer = pointer


@dataclass(frozen=True)
class Exchange:
    """One request and the response it got (status 0: none came)."""

    method: str
    url: str
    status: int
    request_body: str
    response_body: str
    # The request's headers, as recorded (tokens redacted by the tool that wrote them).
    request_headers: tuple[tuple[str, str], ...] = ()


def read(path: Path) -> list[Exchange]:
    """Every exchange of the HAR file at ``path``, in the order recorded."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise HarError(path, "", f"cannot read: {error}") from error
    except json.JSONDecodeError as error:
        raise HarError(path, "", f"not JSON (line {error.lineno}): {error.msg}") from error
    entries = document.get("log", {}).get("entries") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise HarError(path, "/log/entries", "expected a list of entries")
    return [_exchange(path, f"/log/entries/{i}", entry) for i, entry in enumerate(entries)]


def _exchange(path: Path, pointer: str, entry: object) -> Exchange:
    try:
        request, response = entry["request"], entry["response"]  # type: ignore[index]
        status = response["status"]
        if not isinstance(status, int):
            raise TypeError("status")
        return Exchange(method=str(request["method"]).upper(), url=str(request["url"]),
                        status=status, request_body=_request_body(request),
                        response_body=_response_body(path, pointer, response),
                        request_headers=tuple((str(h["name"]), str(h["value"]))
                                              for h in request.get("headers", [])))
    except (KeyError, TypeError, AttributeError) as error:
        raise HarError(path, pointer, "expected request.method, request.url, request.headers "
                       f"of name and value, and an integer response.status ({error!r} is "
                       "missing or wrong)") from error


def _request_body(request: dict) -> str:
    post = request.get("postData") or {}
    return str(post.get("text") or "")


def _response_body(path: Path, pointer: str, response: dict) -> str:
    """The response text; HAR keeps binary content base64-encoded."""
    content = response.get("content") or {}
    text = str(content.get("text") or "")
    if content.get("encoding") != "base64":
        return text
    try:
        return base64.b64decode(text, validate=True).decode("utf-8", errors="replace")
    except (binascii.Error, ValueError) as error:
        raise HarError(path, f"{pointer}/response/content/text", f"bad base64: {error}") from error
