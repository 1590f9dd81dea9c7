#!/usr/bin/env python3
"""Writes a synthetic os-api-ref source tree of about SIZE megabytes for scale benchmarks.

Usage: gen-scale-source.py DIR SIZE_MB [ROUTES]

ROUTES (default: one per resource) bounds the number of distinct routes: with ROUTES=1 every
file documents the same five routes, as nova documents fifty actions on one action route.

Every resource gets one `.inc` file with five operations (list, create, show, update,
delete) in the shapes os-api-ref documents use: headings, prose, response codes in three
spellings, `rest_parameters` lists, microversioned blocks, notes and JSON samples. Resources
share a parameters file per group of 40, so that no file nears the reader's 8 MB bound. The
text is this script's own; nothing is copied from an upstream api-ref.
"""

import json
import os
import sys

GROUP = 40
FIELDS = ["name", "description", "size", "status", "enabled", "tags", "metadata", "owner"]
TYPES = {
    "name": ("string", "x"),
    "description": ("string", "A longer text that says what the thing is for."),
    "size": ("integer", 3),
    "status": ("string", "active"),
    "enabled": ("boolean", True),
    "tags": ("array", ["a", "b"]),
    "metadata": ("object", {"k": "v"}),
    "owner": ("uuid", "0b5f3f2e-8c3e-4a8b-9d6e-2f1a0c7d9e11"),
}


def parameters(group):
    out = ["# Synthetic parameters for a scale benchmark.\n"]
    for r in range(group * GROUP, (group + 1) * GROUP):
        out.append(
            f"res{r}_id:\n  description: |\n    The UUID of the res{r}, as the create call\n"
            f"    returned it.\n  in: path\n  required: true\n  type: string\n"
        )
        out.append(
            f"res{r}_limit:\n  description: Requests a page size of items. Returns a number\n"
            f"    of items up to a limit value.\n  in: query\n  required: false\n  type: integer\n"
        )
        out.append(
            f"res{r}:\n  description: A ``res{r}`` object.\n  in: body\n  required: true\n"
            f"  type: object\n"
        )
        out.append(
            f"res{r}s:\n  description: A list of ``res{r}`` objects.\n  in: body\n"
            f"  required: true\n  type: array\n"
        )
        for i, f in enumerate(FIELDS):
            ty, _ = TYPES[f]
            extra = f"  min_version: 2.{i + 1}\n" if i % 3 == 2 else ""
            out.append(
                f"res{r}_{f}:\n  description: |\n    The {f} of the res{r}. Valid values are\n"
                f"    ``one``, ``two`` or ``three`` when it is a string; see the guide.\n"
                f"  in: body\n  required: {str(i % 2 == 0).lower()}\n  type: {ty}\n{extra}"
            )
    return "".join(out)


def item(r):
    return {f: TYPES[f][1] for f in FIELDS} | {"id": f"res{r}-id"}


def fields_list(r, wrapper):
    lines = [f"  - {wrapper}: {wrapper if wrapper.endswith('s') else f'res{r}'}"]
    lines += [f"  - {f}: res{r}_{f}" for f in FIELDS]
    return "\n".join(lines)


def id_request(name, p):
    """The request section of an operation on one item: its id in the path."""
    return f"Request\n-------\n\n.. rest_parameters:: {p}\n\n  - {name}_id: {name}_id\n"


def inc(r, prose, route):
    name = f"res{r}"
    path = f"/v2/route{route}s"
    p = f"parameters-{r // GROUP}.yaml"
    return f"""\
.. -*- rst -*-

{'=' * (len(name) + 10)}
 Resource {name}
{'=' * (len(name) + 10)}

.. note::
   {prose}

List {name}s
{'=' * (len(name) + 6)}

.. rest_method:: GET {path}

Lists {name}s. {prose}

Normal response codes: 200

Error response codes: badRequest(400), unauthorized(401), forbidden(403)

Request
-------

.. rest_parameters:: {p}

  - limit: {name}_limit

Response
--------

.. rest_parameters:: {p}

{fields_list(r, name + 's')}

**Example List {name}s: JSON response**

.. literalinclude:: samples/{name}/list-resp.json
   :language: javascript

Create {name}
{'=' * (len(name) + 7)}

.. rest_method:: POST {path}

Creates a {name}. {prose}

Normal response codes: 201

Error codes:

* 400 - bad request
* 401, 403 - missing or invalid authentication

Request
-------

.. rest_parameters:: {p}

{fields_list(r, name)}

**Example Create {name} (v2.3)**

.. literalinclude:: samples/{name}/create-req.json
   :language: javascript

Response
--------

.. literalinclude:: samples/{name}/create-resp.json
   :language: javascript

Show {name}
{'=' * (len(name) + 5)}

.. rest_method:: GET {path}/{{{name}_id}}
   min_version: 2.1

Shows a {name}. {prose}

Normal response codes: 200

Error response codes: 401, 403, 404

{id_request(name, p)}
Response
--------

.. rest_parameters:: {p}

{fields_list(r, name)}

.. literalinclude:: samples/{name}/show-resp.json
   :language: javascript

Update {name}
{'=' * (len(name) + 7)}

.. rest_method:: PUT {path}/{{{name}_id}}

Updates a {name}. {prose}

.. versionadded:: 2.4
   The ``tags`` field can be updated.

Normal response codes: 200

Error response codes: badRequest(400), itemNotFound(404), conflict(409)

Request
-------

.. rest_parameters:: {p}

  - {name}_id: {name}_id
{fields_list(r, name)}

.. literalinclude:: samples/{name}/create-req.json
   :language: javascript

Delete {name}
{'=' * (len(name) + 7)}

.. rest_method:: DELETE {path}/{{{name}_id}}

Deletes a {name}.

Normal response codes: 204

Error response codes: 401, 403, 404

{id_request(name, p)}
Response
--------

There is no body content for the response of a successful DELETE request.
"""


PROSE = (
    "Policy defaults enable only users with the administrative role or the owner of "
    "the resource to perform this operation. Cloud providers can change these "
    "permissions through the ``policy.yaml`` file."
)


def main():
    root, size_mb = sys.argv[1], float(sys.argv[2])
    routes = int(sys.argv[3]) if len(sys.argv) > 3 else None
    target = int(size_mb * 1024 * 1024)
    written = 0
    r = 0
    os.makedirs(root, exist_ok=True)
    while written < target:
        if r % GROUP == 0:
            text = parameters(r // GROUP)
            with open(os.path.join(root, f"parameters-{r // GROUP}.yaml"), "w") as f:
                f.write(text)
            written += len(text)
        # Prose of varying length, so that files are not all alike.
        prose = " ".join([PROSE] * (1 + r % 4))
        text = inc(r, prose, r % routes if routes else r)
        with open(os.path.join(root, f"res{r:06}.inc"), "w") as f:
            f.write(text)
        written += len(text)
        samples = os.path.join(root, "samples", f"res{r}")
        os.makedirs(samples, exist_ok=True)
        bodies = {
            "list-resp.json": {f"res{r}s": [item(r), item(r)]},
            "create-req.json": {f"res{r}": item(r)},
            "create-resp.json": {f"res{r}": item(r)},
            "show-resp.json": {f"res{r}": item(r)},
        }
        for name, body in bodies.items():
            text = json.dumps(body, indent=4)
            with open(os.path.join(samples, name), "w") as f:
                f.write(text)
            written += len(text)
        r += 1
    print(f"{root}: {r} .inc files, {written / 1048576:.1f} MB")


main()
