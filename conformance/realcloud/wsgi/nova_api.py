"""gunicorn entry point for Nova's compute API.

Nova parses ``sys.argv`` as its own command line when the application loads;
under gunicorn that would be gunicorn's arguments, so reset it first. The
config directory comes from ``OS_NOVA_CONFIG_DIR`` (set by cloud.py).
"""

import sys

sys.argv = ["nova-api-os-compute"]

from nova.wsgi.osapi_compute import application  # noqa: E402,F401
