"""The documented samples of a spec in ``spec/``: what the SDK's parsed values are held to.

Samples are read the way the mock answers with them: an operation's first documented 2xx
response, and of its examples the one written for the highest microversion not above the
requested one (``x-stackspec: {microversion}``), else the first.
"""

from __future__ import annotations

from pathlib import Path

import yaml


class SpecError(LookupError):
    """The spec has no sample where a check expects one (names the JSON pointer)."""


class _Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):
    """Safe YAML without the timestamp type: samples hold timestamps as strings (as JSON
    does and the SDK returns them), and must compare equal to what the SDK parsed."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Loader.yaml_implicit_resolvers.copy().items()
}


def load(path: Path) -> dict:
    with path.open() as text:
        return yaml.load(text, Loader=_Loader)


def version_key(version: str) -> tuple[int, ...]:
    """``"2.10"`` sorts after ``"2.9"``."""
    return tuple(int(part) for part in version.split("."))


def _pointer(*parts: str) -> str:
    return "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def response_example(spec: dict, path: str, method: str, version: str | None = None) -> object:
    """The sample the mock answers ``method path`` with at microversion ``version``."""
    pointer = _pointer("paths", path, method, "responses")
    try:
        responses = spec["paths"][path][method]["responses"]
    except KeyError as missing:
        raise SpecError(f"{pointer}: no such operation ({missing})") from None
    success = [code for code in responses if str(code).isdigit() and 200 <= int(code) < 300]
    if not success:
        raise SpecError(f"{pointer}: no 2xx response")
    content = responses[success[0]].get("content") or {}
    return _example(content, f"{pointer}/{success[0]}/content", version)


def request_example(spec: dict, path: str, method: str) -> object:
    """The documented request body of ``method path``."""
    pointer = _pointer("paths", path, method, "requestBody")
    try:
        content = spec["paths"][path][method]["requestBody"]["content"]
    except KeyError as missing:
        raise SpecError(f"{pointer}: no request body ({missing})") from None
    return _example(content, f"{pointer}/content", None)


def _example(content: dict, pointer: str, version: str | None) -> object:
    media = next(iter(content.values()), {})
    if "example" in media:
        return media["example"]
    examples = list((media.get("examples") or {}).values())
    if not examples:
        raise SpecError(f"{pointer}: no example")
    if version is not None:
        wanted = version_key(version)
        fitting = [(at, e) for e in examples if (at := _written_for(e)) and at <= wanted]
        if fitting:
            return max(fitting, key=lambda pair: pair[0])[1]["value"]
    return examples[0]["value"]


def _written_for(example: dict) -> tuple[int, ...] | None:
    at = (example.get("x-stackspec") or {}).get("microversion")
    return version_key(str(at)) if at else None
