"""gunicorn entry point for Keystone.

Keystone parses ``sys.argv`` when the application loads and would see
gunicorn's arguments (the worker then crashes in a loop), so reset it first.
The config directory comes from ``OS_KEYSTONE_CONFIG_DIR`` (set by cloud.py).
"""

import sys

sys.argv = ["keystone"]

from keystone.wsgi.api import application  # noqa: E402,F401
