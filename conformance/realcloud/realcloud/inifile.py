"""Write oslo.config INI files and rewrite paste pipelines.

Callers pass Python values and this module renders them, so no service
module formats INI text by hand. Lists render as ``a,b``; the few list options
declared with ``bounds=True`` (glance's import filtering) need ``[a,b]``, which
``bracketed`` gives.
"""

from __future__ import annotations

import re
from pathlib import Path

Sections = dict[str, dict[str, object]]


def bracketed(items: list[object]) -> str:
    return "[" + ",".join(str(item) for item in items) + "]"


def render_value(value: object) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, (list, tuple)):
        return ",".join(str(item) for item in value)
    return str(value)


def write(path: Path, sections: Sections) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []
    for section, options in sections.items():
        lines.append(f"[{section}]")
        lines.extend(f"{key} = {render_value(value)}" for key, value in options.items())
        lines.append("")
    path.write_text("\n".join(lines))
    return path


def without_filter(paste_text: str, filter_name: str) -> str:
    """Drop ``filter_name`` from every pipeline line of a paste.deploy file.

    Used to take ``authtoken`` out of a service's keystone pipeline while keeping
    its context filter, which then trusts the X-* identity headers we send.
    """
    pattern = re.compile(rf"(?m)^(\s*[\w+.-]+\s*=\s*.*?)\s+{re.escape(filter_name)}(?=\s)")
    rewritten = pattern.sub(r"\1", paste_text)
    if rewritten == paste_text:
        raise ValueError(f"no pipeline names the filter {filter_name!r}")
    return rewritten
