"""The documented samples of a spec in ``spec/``: what the clients' values are held to.

Samples are read the way the mock answers with them: an operation's first documented 2xx
response, and of its examples the one written for the highest microversion not above the
requested one (``x-stackspec: {microversion}``), else the first; at a requested version,
without the fields its schema gives a range (``x-openstack: {min-ver, max-ver}``) that
version is outside of (nova's event ``host`` is documented from 2.62 only in 2.62's
sample, and a 2.58 client gets none).
"""

from __future__ import annotations

import copy
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
    status = success_status(spec, path, method)
    responses = spec["paths"][path][method]["responses"]
    code = status if status in responses else str(status)
    content = responses[code].get("content") or {}
    pointer = _pointer("paths", path, method, "responses", str(status), "content")
    example = _example(content, pointer, version)
    if version is None:
        return example
    schema = next(iter(content.values()), {}).get("schema") or {}
    return at_version(spec, copy.deepcopy(example), schema, version)


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


def success_status(spec: dict, path: str, method: str) -> int:
    """The documented 2xx status of ``method path`` (the first, as the mock answers)."""
    pointer = _pointer("paths", path, method, "responses")
    try:
        responses = spec["paths"][path][method]["responses"]
    except KeyError as missing:
        raise SpecError(f"{pointer}: no such operation ({missing})") from None
    success = [int(code) for code in responses if str(code).isdigit() and 200 <= int(code) < 300]
    if not success:
        raise SpecError(f"{pointer}: no 2xx response")
    return success[0]


def stack_of(events: list[dict]) -> tuple[str, str]:
    """The name and id of the stack that heat's sample events belong to, from their
    ``stack`` link (``.../stacks/{name}/{id}``)."""
    for event in events:
        for link in event.get("links", []):
            if link.get("rel") == "stack":
                name, stack_id = link["href"].rstrip("/").split("/")[-2:]
                return name, stack_id
    raise SpecError("no sample event has a `stack` link to take the stack from")


# How deep schemas are followed (a self-referencing one would not end).
MAX_DEPTH = 64


def at_version(spec: dict, value: object, schema: dict, version: str, depth: int = 0) -> object:
    """``value`` without the fields ``schema`` declares only outside ``version`` (changed
    in place and returned); fields the schema does not declare are kept."""
    if depth > MAX_DEPTH:
        return value
    branches = _branches(spec, schema, depth)
    if isinstance(value, dict):
        for name in list(value):
            declared = [b["properties"][name] for b in branches
                        if name in (b.get("properties") or {})]
            fitting = [d for d in declared if in_range(d, version)]
            if declared and not fitting:
                del value[name]
            elif fitting:
                at_version(spec, value[name], fitting[0], version, depth + 1)
    elif isinstance(value, list):
        for item_schema in [b["items"] for b in branches if "items" in b]:
            for item in value:
                at_version(spec, item, item_schema, version, depth + 1)
    return value


def in_range(schema: dict, version: str) -> bool:
    """Whether ``version`` is in the range ``schema``'s ``x-openstack`` declares."""
    declared = schema.get("x-openstack") or {}
    low, high = declared.get("min-ver"), declared.get("max-ver")
    wanted = version_key(version)
    return ((low is None or version_key(str(low)) <= wanted)
            and (high is None or wanted <= version_key(str(high))))


def _branches(spec: dict, schema: dict, depth: int) -> list[dict]:
    """``schema`` and the schemas its ``allOf``/``oneOf``/``anyOf`` hold, ``$ref`` resolved."""
    if depth > MAX_DEPTH:
        return []
    schema = _resolve(spec, schema)
    found = [schema]
    for key in ("allOf", "oneOf", "anyOf"):
        for branch in schema.get(key) or []:
            found += _branches(spec, branch, depth + 1)
    return found


def _resolve(spec: dict, schema: dict) -> dict:
    """Follows a local ``$ref`` (``#/components/schemas/Name``); a dangling one is a
    SpecError naming it."""
    for _ in range(MAX_DEPTH):
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        if not ref:
            return schema
        node: object = spec
        for part in ref.removeprefix("#/").split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or part not in node:
                raise SpecError(f"{ref}: no such schema")
            node = node[part]
        schema = node
    raise SpecError(f"{schema.get('$ref')}: $ref chain longer than {MAX_DEPTH}")
