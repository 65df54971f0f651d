"""crosscheck: cross-reference factual claims across news reports of one story."""

import os

# No internet here but the package registries: Prefect's telemetry would only log errors. Set before
# anything imports Prefect (its settings are read at import).
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# Prefect waits 20 s for its temporary server; a cold start on a busy 2-core machine takes 20-22 s, and the
# first run then failed. Wait longer (an explicit setting still wins).
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

from core import __version__  # noqa: E402,F401  (the package version lives at the bottom)
