"""crosscheck: cross-reference factual claims across news reports of one story."""

import os

# No internet here but the package registries: Prefect's telemetry would only log errors. Set before
# anything imports Prefect (its settings are read at import).
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

__version__ = "0.1.0"
