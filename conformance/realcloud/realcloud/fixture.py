"""A small file served on loopback, for glance `import` tasks and web-download."""

from __future__ import annotations

import hashlib
import sys

from . import process, settings
from .run import Run

FILE_NAME = "cirros-like.raw"
# Deterministic bytes so every run imports the same checksum.
CONTENT = hashlib.sha256(b"stackspec").digest() * 2048  # 64 KiB


def start(run: Run) -> int:
    home = run.service_dir("fixture")
    (home / FILE_NAME).write_bytes(CONTENT)
    argv = [sys.executable, "-m", "http.server", "--bind", settings.HOST,
            "--directory", str(home), str(settings.port("fixture"))]
    return process.start(run.root, "fixture", argv)


def file_url() -> str:
    return f"{settings.url('fixture')}/{FILE_NAME}"
