"""Every politeness and robustness knob of the HTTP client, as named, documented data.

One job: hold `HttpSettings` (defaults, validation, and `from_env()` overrides from
`CROSSCHECK_HTTP_*` variables). Nothing here touches the network; `sources/http.py` reads it.
A typo'd variable name or a value that does not parse fails loudly with a `ConfigError`
instead of silently falling back to a default.
"""

from __future__ import annotations

import dataclasses
import os
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import ConfigError

ENV_PREFIX = "CROSSCHECK_HTTP_"

DEFAULT_USER_AGENT = "crosscheck/0.1 (+https://github.com/crosscheck; contact: crosscheck@example.org)"

DEFAULT_CONTENT_TYPES: tuple[str, ...] = (
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "application/json",
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
)


def _default_host_delays() -> dict[str, float]:
    # GDELT asks for one request per 5 s (see shared/FIELD-NOTES.md).
    return {"api.gdeltproject.org": 5.0}


@dataclass(frozen=True, slots=True)
class HttpSettings:
    """How `HttpClient` behaves. Times are seconds, sizes bytes; every default is documented here."""

    # Sent on every request; robots.txt rules are matched against `robots_token`.
    user_agent: str = DEFAULT_USER_AGENT
    robots_token: str = "crosscheck"

    # Seconds to establish a TCP/TLS connection.
    connect_timeout: float = 5.0
    # Seconds of silence allowed between two socket reads (headers or body).
    read_timeout: float = 20.0
    # Wall-clock seconds for one URL, all of it: every attempt (connect, headers, body), redirect hop and
    # backoff wait. Socket timeouts are shortened to what is left, and no retry starts with less than 0.25 s
    # left. Not counted: waiting for the per-host spacing, and the host's robots.txt (a URL of its own).
    total_timeout: float = 30.0

    # Largest body accepted, counted after decompression (a gzip bomb fails as soon as it
    # inflates past this) and also on the wire. 5 MB = 5_000_000 bytes.
    max_bytes: int = 5_000_000
    # Redirect hops followed per fetch; each hop is checked (scheme, address guard, robots).
    max_redirects: int = 5

    # Statuses worth another attempt; connection errors and timeouts are always retried.
    retry_statuses: tuple[int, ...] = (429, 500, 502, 503, 504)
    # Attempts per URL, the first one included (1 = never retry).
    max_attempts: int = 3
    # Backoff before attempt n+1: min(backoff_max_s, backoff_base_s * 2**(n-1)), times a jitter in [0.5, 1).
    backoff_base_s: float = 0.5
    backoff_max_s: float = 30.0
    # A Retry-After (seconds or HTTP date) is honoured up to this; longer asks end the fetch. Any wait must
    # also fit in the URL's `total_timeout`: one that does not ends the fetch too.
    max_retry_after_s: float = 60.0
    # Discovery gives up on a host after this many connection-level failures in a row (DNS, refused,
    # timeout, robots.txt unreachable): its remaining URLs in the run are recorded as skipped, not sent.
    max_host_failures: int = 3

    # Minimum spacing between two requests to one host (monotonic clock, all threads).
    per_host_delay_s: float = 1.0
    # With a Prefect server configured (PREFECT_API_URL), the per-host spacing also holds across processes: a
    # global concurrency limit per host on the server (sources/shared_limits.py). False: within this process only.
    shared_host_limits: bool = True
    # Per-host overrides of `per_host_delay_s`; a key also covers its subdomains.
    per_host_delays: dict[str, float] = field(default_factory=_default_host_delays)
    # A robots.txt Crawl-delay raises the host's spacing up to this many seconds (0 = ignore it).
    max_crawl_delay_s: float = 30.0

    # Obey robots.txt (RFC 9309): missing (4xx) = allowed, unreachable (5xx, network) = disallow all.
    obey_robots: bool = True
    # robots.txt bytes parsed (RFC 9309 asks parsers to read at least 500 KiB); the rest is ignored.
    robots_max_bytes: int = 512_000
    # Seconds a host's robots.txt verdict is reused before it is fetched again (RFC 9309: <= 24 h).
    robots_cache_s: float = 86_400.0

    # Media types (no parameters, lower case) accepted as a body; anything else is refused.
    allowed_content_types: tuple[str, ...] = DEFAULT_CONTENT_TYPES

    # Address guard: hosts resolving to private (RFC 1918, ULA, CGNAT) addresses are refused unless True.
    allow_private_addresses: bool = False
    # Loopback (127.0.0.0/8, ::1) is refused unless True (tests turn it on).
    allow_loopback: bool = False

    # Directory of the conditional-request cache (ETag / Last-Modified); None = no cache.
    cache_dir: Path | None = None

    def __post_init__(self) -> None:
        problems: list[str] = []
        for name in ("connect_timeout", "read_timeout", "total_timeout"):
            if not getattr(self, name) > 0:
                problems.append(f"{name} must be > 0")
        for name in ("backoff_base_s", "backoff_max_s", "max_retry_after_s", "per_host_delay_s",
                     "max_crawl_delay_s", "robots_cache_s"):
            if getattr(self, name) < 0:
                problems.append(f"{name} must be >= 0")
        if self.max_bytes < 1:
            problems.append("max_bytes must be >= 1")
        if self.robots_max_bytes < 1:
            problems.append("robots_max_bytes must be >= 1")
        if self.max_redirects < 0:
            problems.append("max_redirects must be >= 0")
        if self.max_attempts < 1:
            problems.append("max_attempts must be >= 1")
        if self.max_host_failures < 1:
            problems.append("max_host_failures must be >= 1")
        if not self.user_agent.strip():
            problems.append("user_agent must not be empty")
        if not self.robots_token.strip() or "/" in self.robots_token:
            problems.append("robots_token must be a product token without '/'")
        for status in self.retry_statuses:
            if not 100 <= status <= 599:
                problems.append(f"retry_statuses holds {status}, not an HTTP status")
        for host, delay in self.per_host_delays.items():
            if delay < 0:
                problems.append(f"per_host_delays[{host}] must be >= 0")
        for ctype in self.allowed_content_types:
            if "/" not in ctype or ";" in ctype or ctype != ctype.strip().lower():
                problems.append(f"allowed_content_types holds {ctype!r}, not a bare lower-case media type")
        if problems:
            raise ConfigError("; ".join(problems), stage="settings")

    def __hash__(self) -> int:  # the dict field would make the generated hash fail
        values = tuple(
            tuple(sorted(v.items())) if isinstance(v, dict) else v
            for v in (getattr(self, f.name) for f in dataclasses.fields(self))
        )
        return hash(values)

    def delay_for(self, host: str) -> float:
        """Spacing for `host`: the most specific `per_host_delays` entry (host or a parent domain)."""
        labels = host.lower().rstrip(".").split(".")
        for i in range(len(labels)):
            candidate = ".".join(labels[i:])
            if candidate in self.per_host_delays:
                return self.per_host_delays[candidate]
        return self.per_host_delay_s

    @classmethod
    def env_names(cls) -> dict[str, str]:
        """Environment variable name -> field name, for every setting."""
        return {ENV_PREFIX + f.name.upper(): f.name for f in dataclasses.fields(cls)}

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> HttpSettings:
        """Defaults, then `CROSSCHECK_HTTP_<FIELD>` variables, then keyword `overrides`.

        Formats: numbers as written; booleans true/false/1/0/yes/no/on/off; tuples comma-separated;
        `PER_HOST_DELAYS` as `host=seconds,host=seconds`, merged over the default entries (so setting
        one host never drops GDELT's 5 s); `CACHE_DIR` empty or `none` for no cache.
        An unknown `CROSSCHECK_HTTP_*` name or an unparsable value raises `ConfigError`.
        """
        env = os.environ if environ is None else environ
        names = cls.env_names()
        hints = typing.get_type_hints(cls)
        values: dict[str, Any] = {}
        for key, raw in env.items():
            if not key.startswith(ENV_PREFIX):
                continue
            if key not in names:
                known = ", ".join(sorted(names))
                raise ConfigError(f"unknown setting {key}; known: {known}", input=key, stage="settings")
            name = names[key]
            try:
                values[name] = _parse(hints[name], raw)
                if name == "per_host_delays":
                    values[name] = {**_default_host_delays(), **values[name]}
            except ValueError as exc:
                raise ConfigError(f"cannot parse {raw!r}: {exc}", input=key, stage="settings") from exc
        values.update(overrides)
        return cls(**values)


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _parse(hint: Any, raw: str) -> Any:
    """Parse one environment value according to the field's type hint."""
    text = raw.strip()
    if hint is bool:
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ValueError("expected true/false/1/0/yes/no/on/off")
    if hint is int:
        return int(text.replace("_", ""))
    if hint is float:
        return float(text)
    if hint is str:
        return raw
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is tuple:
        items = [part.strip() for part in text.split(",") if part.strip()]
        return tuple(_parse(args[0], item) for item in items)
    if origin is dict:
        pairs: dict[str, float] = {}
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            host, sep, value = part.partition("=")
            if not sep or not host.strip():
                raise ValueError(f"expected host=seconds, got {part!r}")
            pairs[host.strip().lower()] = float(value)
        return pairs
    if origin in (types.UnionType, typing.Union) and Path in args:
        return None if text.lower() in ("", "none") else Path(text).expanduser()
    raise ValueError(f"no parser for {hint!r}")  # pragma: no cover - a new field type needs one
