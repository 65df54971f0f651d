"""Helpers for the reports tests: the hostile article, a populated project, matching, a free port.

A warehouse is populated for real (run_story on a copy of seeds/ plus one hostile article, then matching).

The hostile article carries script and event-handler payloads in its title, outlet, URL and the sentences
its claims come from, so every writer and page is tested against scraped markup.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from core.config import Settings, load_settings
from crosscheck.jobs import new_run_id, run_story
from extractors.vocabulary import load_vocabulary
from matching.align import cross_reference
from matching.reference import load_reference
from warehouse.db import connect, open_warehouse
from warehouse.matches import load_story_inputs, store_matches

STORY = "iran-2020"
SCRIPT_PAYLOAD = "<script>window.__pwned=1</script>"
IMG_PAYLOAD = "<img src=x onerror=alert(1)>"
HOSTILE = f"""+++
title = "Breaking {SCRIPT_PAYLOAD} strike report"
outlet = "Hostile {IMG_PAYLOAD} Wire"
published = "2020-01-08T09:00:00Z"
url = "javascript:alert(1)"
+++
{IMG_PAYLOAD} Iranian state media said 300 American soldiers were killed in the strike {SCRIPT_PAYLOAD} on Wednesday.

The Revolutionary Guards said 30 missiles were fired at the bases <b onmouseover=alert(1)>overnight</b> and that \
"<svg onload=alert(2)>" was the answer.
"""
CLI = [sys.executable, "-m", "crosscheck.cli"]

# Wire copy as large stories have it: many outlets reprint one Pentagon figure on one day (the first outlet's name
# carries markup), and one more report gives the same figure three days later.
REPRINT_OUTLETS = (f"Reprint {IMG_PAYLOAD} Daily", "Gazette One", "Gazette Two", "Gazette Three", "Gazette Four",
                   "Gazette Five", "Gazette Six", "Gazette Seven")
REPRINT_FIGURE = 17.0
LATER_OUTLET = "Weekly Review"


def write_reprints(corpus: Path) -> None:
    """Into a story's corpus folder: the reprints of "Iran fired 17 ballistic missiles" (the Pentagon) on 9 Jan 2020,
    one an hour from 09:15 UTC, each from another outlet, and the same figure in one report on 12 Jan 2020."""
    for i, outlet in enumerate(REPRINT_OUTLETS):
        (corpus / f"40-reprint-{i}.md").write_text(f"""+++
title = "Pentagon gives its count of the missiles"
outlet = "{outlet}"
published = "2020-01-09T{9 + i:02d}:15:00Z"
+++
The Pentagon said on Thursday that Iran fired 17 ballistic missiles at Al Asad air base and Erbil.

Reprinted by {outlet} for its readers, edition {i}.
""", encoding="utf-8")
    (corpus / "41-later.md").write_text(f"""+++
title = "A week on, the count of missiles stands"
outlet = "{LATER_OUTLET}"
published = "2020-01-12T08:00:00Z"
+++
The Pentagon said again that Iran fired 17 ballistic missiles at Al Asad air base and Erbil.
""", encoding="utf-8")


@dataclass(frozen=True)
class Project:
    """A project folder with its own crosscheck.toml, seeds copy and populated warehouse."""

    root: Path
    settings: Settings

    @property
    def db(self) -> Path:
        return self.settings.db_path

    @property
    def config(self) -> Path:
        return self.root / "crosscheck.toml"

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ, CROSSCHECK_CONFIG=str(self.config), CROSSCHECK_OFFLINE="1",
                   PREFECT_SERVER_ANALYTICS_ENABLED="false")
        env.update(extra)
        return env


def match_story(settings: Settings, story: str = STORY, run_id: str | None = None) -> dict[str, int]:
    """Cross-reference everything stored for the story and replace its matching results."""
    con = open_warehouse(settings.db_path)
    try:
        articles, claims = load_story_inputs(con, story)
        result = cross_reference(articles, claims, load_vocabulary(settings.seeds_dir, story),
                                 reference=load_reference(settings.seeds_dir))
        return store_matches(con, story, result, run_id or new_run_id())
    finally:
        con.close()


def populate(settings: Settings, story: str = STORY) -> None:
    """The whole pipeline for real: collect, extract, store and cross-reference (run_story)."""
    summary = run_story(settings, settings.story(story))
    assert summary.status in ("ok", "partial"), summary.errors
    assert summary.discrepancies > 0, "run_story cross-references the story"


def write_config(root: Path, db: Path, seeds: Path, reports: Path) -> Path:
    path = root / "crosscheck.toml"
    path.write_text(f'[warehouse]\npath = "{db}"\n[seeds]\ndir = "{seeds}"\nstories = ["{STORY}"]\n'
                    f'[sources]\nonline = false\n[reports]\ndir = "{reports}"\n', encoding="utf-8")
    return path


@dataclass
class Server:
    url: str
    proc: subprocess.Popen[str]
    port: int


def a_key(project: Project) -> str:
    """The review key of the project's first discrepancy (the review page's tests post verdicts on it)."""
    con = connect(project.db, read_only=True)
    try:
        return con.execute("SELECT discrepancy_key FROM discrepancy_review ORDER BY 1 LIMIT 1").fetchone()[0]  # type: ignore[index]
    finally:
        con.close()


def build_project(root: Path) -> Project:
    """A project under `root`: seeds copy + hostile article, run_story, matching."""
    from support import make_project

    make_project(root)
    (root / "seeds" / "corpus" / STORY / "27-hostile.md").write_text(HOSTILE, encoding="utf-8")
    config = write_config(root, root / "var" / "test.duckdb", root / "seeds", root / "var" / "reports")
    settings = load_settings(config, env={})
    populate(settings)
    return Project(root, settings)
