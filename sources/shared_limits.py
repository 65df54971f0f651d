"""Per-host request spacing shared by every process that talks to one Prefect server.

`HttpClient` spaces its requests to a host within its own process (`HostThrottle`). When several processes fetch
(a flow run and a manual `crosscheck run`, runs on several machines through a work pool), each would keep its own
spacing and a host would see them all. With a Prefect server configured (`PREFECT_API_URL`), each host gets a
Prefect global concurrency limit used as a rate limit: one slot, decaying after the host's delay
(`slot_decay_per_second = 1 / delay`), taken before every request by every process. The limit is created on first
use, named `crosscheck-host-<host>` (visible with `prefect gcl ls`; change its decay there to slow a host down).

Without a server, or with `CROSSCHECK_HTTP_SHARED_HOST_LIMITS=0`, nothing here runs. A server that cannot be
reached costs a warning and the request goes on with the in-process spacing only.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Mapping
from contextlib import suppress

log = logging.getLogger(__name__)

PREFIX = "crosscheck-host-"
API_ENV = "PREFECT_API_URL"


def limit_name(host: str) -> str:
    """The global concurrency limit's name for a host (a name Prefect accepts)."""
    return PREFIX + re.sub(r"[^a-z0-9.-]+", "-", host.lower()).strip("-")


def server_configured(environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return bool(env.get(API_ENV, "").strip())


class PrefectHostLimiter:
    """Take a host's slot on the Prefect server before a request; create the host's limit on first use."""

    def __init__(self, timeout_s: float = 120.0) -> None:
        self._made: dict[str, float] = {}  # limit name -> the decay it was created with
        self._lock = threading.Lock()
        self._timeout_s = timeout_s
        self._broken: str | None = None

    def wait(self, host: str, delay: float) -> float:
        """Block until this host's shared slot is free; return the seconds waited (0 when nothing was shared)."""
        if delay <= 0 or self._broken:
            return 0.0
        from prefect.concurrency.sync import rate_limit

        name = limit_name(host)
        started = time.monotonic()
        try:
            self._ensure(name, delay)
            rate_limit(name, occupy=1, timeout_seconds=max(self._timeout_s, delay * 4), strict=True)
        except Exception as exc:  # noqa: BLE001 - a server fault must not stop fetching; say it once
            self._broken = f"{type(exc).__name__}: {exc}"
            log.warning("shared per-host limits unavailable (%s); spacing requests within this process only",
                        self._broken)
            return 0.0
        return time.monotonic() - started

    def _ensure(self, name: str, delay: float) -> None:
        with self._lock:
            if name in self._made:
                return
            from prefect.client.orchestration import get_client
            from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
            from prefect.exceptions import ObjectAlreadyExists

            with get_client(sync_client=True) as client, suppress(ObjectAlreadyExists):  # another process made it
                client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(
                    name=name, limit=1, slot_decay_per_second=1.0 / delay))
            self._made[name] = delay
