#!/usr/bin/env python3
"""Local OpenStack on 127.0.0.1 for stackspec conformance runs.

Usage: cloud.py up [SERVICE...] | down | status | env [--json]

Settings (environment): STACKSPEC_CLOUD_DIR (run directory, default
/tmp/stackspec-cloud), STACKSPEC_CACHE_DIR (venv cache, default
~/.cache/stackspec), STACKSPEC_CLOUD_AUTH (auth mode, default "headers"),
STACKSPEC_PORT_<SERVICE> (port overrides).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from realcloud.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
