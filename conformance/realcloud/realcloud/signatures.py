"""Distinct server errors: what stays the same when one defect is hit again with other input.

A signature is the operation (the request path matched against the spec's path templates,
with its method), the 5xx status, and the response body with what varies from request to
request taken out: the request's own values echoed back, UUIDs, hex ids, numbers, quoted
values and markup. Fifty draws that reach the same 500 are one signature; a 500 of two
operations, or two different tracebacks of one operation, are two.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Iterable
from urllib.parse import parse_qsl, unquote, urlsplit

from .har import Exchange

# How much of the normalised body a signature keeps.
MAX_BODY = 200
# Request values shorter than this are not looked for in bodies (`a`, `id`, `10` are in
# too many words); nor are short plain words (`Server`, `error`), which would cut the
# server's own message apart.
MIN_VALUE_LEN = 3
_PLAIN_WORD = re.compile(r"[A-Za-z]{1,6}")

_UUID = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
                   r"[0-9a-fA-F]{12}")
_HEX_ID = re.compile(r"\b(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{8,}\b")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|u'[^']*'")
_TAG = re.compile(r"<[^>]*>")
# `<class 'KeyError'>`, which nova's 500s end with: the one part that tells them apart.
_CLASS = re.compile(r"<class '([\w.]+)'>")
_WORD = re.compile(r"<\w+>|\w+")


@dataclass(frozen=True, order=True)
class Signature:
    operation: str
    status: int
    body: str

    def __str__(self) -> str:
        return f"{self.operation} -> {self.status}: {self.body}"


class PathTemplates:
    """The spec's path templates under one base URL, matched against request URLs."""

    def __init__(self, templates: Iterable[str], base_url: str):
        self.base_path = urlsplit(base_url).path.rstrip("/")
        # Most literal segments first: `/images/detail` wins over `/images/{image_id}`.
        ordered = sorted(templates, key=lambda t: (-_literal_segments(t), t))
        self._patterns = [(t, _pattern(t)) for t in ordered]

    def operation(self, method: str, url: str) -> str:
        """`METHOD /template`, or `METHOD ?/path` when no template matches."""
        path = urlsplit(url).path
        if self.base_path and path.startswith(self.base_path):
            path = path[len(self.base_path):]
        path = path.rstrip("/") or "/"
        for template, pattern in self._patterns:
            if pattern.fullmatch(path):
                return f"{method} {template}"
        return f"{method} ?{path}"


def _literal_segments(template: str) -> int:
    return sum(1 for s in template.split("/") if s and "{" not in s)


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template.rstrip("/") or "/")
    return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts))


def request_values(exchange: Exchange) -> list[str]:
    """The values a request carries (path segments, query values, the body's strings and
    numbers), longest first: a response that echoes one must not make a new signature."""
    parts = urlsplit(exchange.url)
    values = [unquote(s) for s in parts.path.split("/")]
    values += [v for _, v in parse_qsl(parts.query, keep_blank_values=True)]
    try:
        _leaves(json.loads(exchange.request_body), values)
    except (ValueError, RecursionError):
        values.append(exchange.request_body)
    kept = {v for v in values if len(v) >= MIN_VALUE_LEN and not _PLAIN_WORD.fullmatch(v)}
    return sorted(kept, key=lambda v: (-len(v), v))


def _leaves(value: object, out: list[str]) -> None:
    if isinstance(value, dict):
        out.extend(str(k) for k in value)
        for item in value.values():
            _leaves(item, out)
    elif isinstance(value, list):
        for item in value:
            _leaves(item, out)
    elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
        out.append(str(value))


def normalise(text: str, values: list[str]) -> str:
    """``text`` without what varies: ``values`` (the request's, longest first), markup,
    UUIDs, hex ids, quoted values and numbers (not the exception class a traceback names);
    then its distinct words, sorted and truncated.

    Words, not sentences: one fault renders as `500 Internal Server Error\n\nThe server
    has...` to `Accept: */*` and as `{"message": "The server has...", "code": 500, "title":
    "Internal Server Error"}` to `Accept: application/json`, and the two tools ask
    differently."""
    text = _CLASS.sub(r" class \1 ", text)
    for value in values:
        text = text.replace(value, " <v> ")
    text = _TAG.sub(" ", text)
    text = _UUID.sub(" <id> ", text)
    text = _HEX_ID.sub(" <id> ", text)
    text = _QUOTED.sub(" <q> ", text)
    text = _NUMBER.sub(" <n> ", text)
    return " ".join(sorted(set(_WORD.findall(text.lower()))))[:MAX_BODY]


def body_text(body: str) -> str:
    """A JSON body as its leaf values (so that the quotes JSON itself needs are not taken
    for quoted values, and its keys, which a text rendering lacks, are left out); any other
    body as it is."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return body
    out: list[str] = []
    _flatten(document, out)
    return " ".join(out)


def _flatten(value: object, out: list[str]) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _flatten(item, out)
    elif isinstance(value, list):
        for item in value:
            _flatten(item, out)
    else:
        out.append(str(value))


def signature(exchange: Exchange, templates: PathTemplates) -> Signature | None:
    """The signature of a 5xx exchange; None for any other status."""
    if not 500 <= exchange.status <= 599:
        return None
    body = normalise(body_text(exchange.response_body), request_values(exchange))
    return Signature(templates.operation(exchange.method, exchange.url), exchange.status, body)


def distinct(exchanges: Iterable[Exchange], templates: PathTemplates) -> dict[Signature, Exchange]:
    """Each distinct 5xx signature with the first exchange that showed it."""
    found: dict[Signature, Exchange] = {}
    for exchange in exchanges:
        sig = signature(exchange, templates)
        if sig is not None and sig not in found:
            found[sig] = exchange
    return found
