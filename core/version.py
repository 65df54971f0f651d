"""What code is running: the package version and, in a git checkout, the commit it runs from.

One job: name the build, for `crosscheck --version`, for what an export writes into its manifest, and for the
benchmarks' figures (`describe`: the commit, "-dirty" when the work tree has changes).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from core import __version__

CHECKOUT = Path(__file__).resolve().parents[1]


def git_commit(root: Path = CHECKOUT) -> str | None:
    """The checkout's HEAD as 12 hex digits, or None when `root` is not a git checkout (or git is missing)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=root, capture_output=True, text=True,
                              timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return None
    commit = head.stdout.strip()
    return commit if head.returncode == 0 and commit else None


def version_line() -> str:
    """`crosscheck VERSION (commit HASH)`."""
    return f"crosscheck {__version__} (commit {git_commit() or 'unknown: not a git checkout'})"


def describe(root: Path = CHECKOUT) -> str:
    """The checkout's commit with "-dirty" when its work tree has changes (a benchmark's figures depend on both),
    or "unknown"."""
    try:
        out = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True, cwd=root,
                             timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() or "unknown"
