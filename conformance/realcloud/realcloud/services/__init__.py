"""The services of the local cloud, in start order (Ironic before its Inspector)."""

from __future__ import annotations

from .base import Service
from .glance import Glance
from .heat import Heat
from .inspector import Inspector
from .ironic import Ironic
from .nova import Nova

ALL: tuple[Service, ...] = (Glance(), Nova(), Heat(), Ironic(), Inspector())

BY_NAME = {service.name: service for service in ALL}
