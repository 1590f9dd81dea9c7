"""The services of the local cloud, in start order (Keystone first, Ironic before its Inspector)."""

from __future__ import annotations

from .base import Service
from .glance import Glance
from .heat import Heat
from .inspector import Inspector
from .ironic import Ironic
from .keystone import Keystone
from .nova import Nova
from .placement import Placement

ALL: tuple[Service, ...] = (Keystone(), Glance(), Nova(), Heat(), Ironic(), Inspector(),
                           Placement())

BY_NAME = {service.name: service for service in ALL}


def for_mode(auth_mode: str) -> list[Service]:
    """Every service that can run in ``auth_mode``, in start order."""
    return [service for service in ALL if auth_mode in service.auth_modes]
