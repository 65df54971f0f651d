"""The bundled story in two parts, for the differential tests of incremental runs (importable: pytest puts tests/
on sys.path).

`make_split_project(root)` builds a project whose corpus holds the earlier part of the bundled story (plus a report
naming an unlisted place); `add_later_part(root)` then brings in the later part: four bundled reports held back,
a wire reprint of an older Reuters report, a report dated before every other, an earlier-published original of an
older report (which turns that report into a copy, changing its voice), a new spelling of the unlisted place (which
renames its cluster), and a changed file. `snapshot(db, story)` reads every matching table and view (and the
incremental state) without the columns that only say which run wrote a row.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb

from bench.projects import make_project

STORY = "iran-2020"
LATER = ("02-ap-breaking-iran-fires-missiles.md", "14-ap-trump-standing-down.md", "21-politico-tbi-34.md",
         "24-npr-tbi-109.md")
CHANGED = ("20-militarytimes-tbi-11.md", "Eleven American service members", "Twelve American service members")

EARLY_EXTRA = {
    "30-reuters-camp-victory.md": """+++
title = "Rockets hit Camp Victory near Baghdad airport"
outlet = "Reuters"
published = "2020-01-08T11:00:00Z"
+++
Two rockets struck Camp Victory near Baghdad airport on Wednesday, the Iraqi military said. Nobody was hurt,
according to the statement, which gave no further details about the attack or who carried it out. It came hours
after Iran's missile attack on bases in Iraq.
""",
}

LATER_EXTRA = {
    # dated before every other report
    "28-irna-earliest.md": '+++\ntitle = "Missiles fired at Ain al-Asad, state television says"\noutlet = "IRNA"\n'
                           'published = "2020-01-07T22:30:00Z"\n+++\nIranian state television said 15 missiles were '
                           'fired at Al Asad air base. State media claimed that at least 30 American soldiers were '
                           'killed in the strike on the base.\n',
    # two spellings of an unlisted place, the same length: the cluster takes the new one's name
    "31-kurdistan24-camp-victori.md": """+++
title = "Rockets strike Camp Victori"
outlet = "Kurdistan 24"
published = "2020-01-08T12:00:00Z"
+++
Two rockets struck Camp Victori near Baghdad airport on Wednesday, Iraqi officials said. The officials did not say
whether anyone had been hurt in the attack, which came hours after Iran's missile attack on bases in Iraq.
""",
}


def _reuters_reprint(corpus: Path) -> str:
    """Another outlet's copy of the older Reuters report, cut after three paragraphs: joins its copy cluster."""
    text = (corpus / "10-reuters-iraq-jocc-22-missiles.md").read_text(encoding="utf-8")
    body = text.split("+++", 2)[2].strip().split("\n\n")[:3]
    return ('+++\ntitle = "Iraq says 22 missiles fired at bases hosting US-led forces"\noutlet = "Gulf News"\n'
            'published = "2020-01-08T09:00:00Z"\nbyline = "Reuters"\n+++\n' + "\n\n".join(body) + "\n")


def _original_of_stripes(corpus: Path) -> str:
    """An earlier-published report that the older Stars and Stripes report turns out to copy."""
    text = (corpus / "19-stripes-al-asad-tour.md").read_text(encoding="utf-8")
    body = text.split("+++", 2)[2]
    return ('+++\ntitle = "Troops at Al Asad recount the missile barrage"\noutlet = "Military.com"\n'
            'published = "2020-01-12T18:00:00Z"\n+++' + body.rstrip() +
            "\n\nThe base's commanders said repairs to the damaged living quarters would take several months.\n")


def corpus_of(root: Path) -> Path:
    return root / "seeds" / "corpus" / STORY


def make_split_project(root: Path) -> Path:
    """A project with the earlier part of the story in its corpus (the later one held in `root/later`)."""
    make_project(root)
    corpus = corpus_of(root)
    held = root / "later"
    held.mkdir()
    for name in LATER:
        shutil.move(corpus / name, held / name)
    for name, text in EARLY_EXTRA.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return root


def add_later_part(root: Path) -> None:
    """Bring in the later part: held-back reports, new ones, and one changed file."""
    corpus = corpus_of(root)
    for name in LATER:
        shutil.move(root / "later" / name, corpus / name)
    for name, text in LATER_EXTRA.items():
        (corpus / name).write_text(text, encoding="utf-8")
    (corpus / "27-gulfnews-reuters-reprint.md").write_text(_reuters_reprint(corpus), encoding="utf-8")
    (corpus / "29-militarycom-original.md").write_text(_original_of_stripes(corpus), encoding="utf-8")
    name, old, new = CHANGED
    path = corpus / name
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


MATCHING = ("match_voices", "match_entities", "facts", "fact_members", "fact_relations", "fact_verdicts",
            "discrepancies", "fact_consensus", "fact_timeline", "match_sentences", "match_subjects", "fact_nodes")
WHO_WROTE = {"run_id", "matched_at"}


def snapshot(db: Path, story: str = STORY, tables: tuple[str, ...] = MATCHING) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the story in each table or view, sorted, without the columns naming the run that wrote it."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table in tables:
            cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] not in WHO_WROTE]
            rows = con.execute(f"SELECT {', '.join(cols)} FROM {table} WHERE story = ?", [story]).fetchall()
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        con.close()
