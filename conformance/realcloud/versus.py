#!/usr/bin/env python3
"""conform and Schemathesis against the same local cloud: distinct 5xx signatures each finds,
and the client CPU and wall time each used (issue 16's "Measure").

Usage: versus.py [SERVICE...] [--max-cases N] [--seed S] [--budget SECONDS] [--out DIR]
See realcloud/versus.py and the README's "conform versus Schemathesis".
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from realcloud.versus import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
