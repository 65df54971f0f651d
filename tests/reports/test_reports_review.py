"""Review verdicts: content keys that survive re-runs, evidence hashes that flag changed evidence, the store."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import pytest
from reports_support import STORY, Project, match_story, write_config

from core.config import load_settings
from core.errors import CrosscheckError
from crosscheck.jobs import run_story
from reports.model import load_discrepancies, rows
from reports.review import (
    SideEvidence,
    SideKey,
    discrepancy_key,
    evidence_hash,
    find,
    history,
    needs_review,
    record_verdict,
    state_counts,
)
from warehouse.db import open_warehouse
from warehouse.load import load_claims

SIDES_SQL = """
    SELECT d.discrepancy_key, d.evidence_hash, d.story, d.kind, d.subject, d.party, d.munition,
           ca.article_id AS aa, ca.value_low AS la, ca.value_high AS ha, ca.when_start AS wsa, ca.when_end AS wea,
           ca.speaker AS sa, cb.article_id AS ab, cb.value_low AS lb, cb.value_high AS hb, cb.when_start AS wsb,
           cb.when_end AS web, cb.speaker AS sb, d.sentence_a, d.value_text_a, d.words_a, d.sentence_b,
           d.value_text_b, d.words_b, d.relation_id, d.claim_a, d.claim_b
    FROM discrepancy_review AS d
    JOIN claims AS ca ON ca.claim_id = d.claim_a
    JOIN claims AS cb ON cb.claim_id = d.claim_b
"""


def keys(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """discrepancy_key -> review_state of every current discrepancy."""
    return dict(con.execute("SELECT discrepancy_key, review_state FROM discrepancy_review").fetchall())


def test_python_key_and_hash_equal_the_views(project: Project) -> None:
    con = open_warehouse(project.db)
    try:
        found = rows(con, SIDES_SQL)
    finally:
        con.close()
    assert len(found) >= 20
    for r in found:
        a = SideKey(r["aa"], r["la"], r["ha"], r["wsa"], r["wea"], r["sa"])
        b = SideKey(r["ab"], r["lb"], r["hb"], r["wsb"], r["web"], r["sb"])
        assert discrepancy_key(r["story"], r["kind"], r["subject"], r["party"], r["munition"], a, b) \
            == r["discrepancy_key"]
        assert discrepancy_key(r["story"], r["kind"], r["subject"], r["party"], r["munition"], b, a) \
            == r["discrepancy_key"], "the key does not depend on which claim is a and which b"
        ea = SideEvidence(r["sentence_a"], r["value_text_a"], r["words_a"])
        eb = SideEvidence(r["sentence_b"], r["value_text_b"], r["words_b"])
        assert evidence_hash(a, ea, b, eb) == r["evidence_hash"] == evidence_hash(b, eb, a, ea)
    assert len({r["discrepancy_key"] for r in found}) == len(found), "one key per discrepancy"


def test_claimed_words_are_the_span_of_the_article_text(project: Project) -> None:
    con = open_warehouse(project.db)
    try:
        found = load_discrepancies(con, STORY)
        texts = dict(con.execute("SELECT article_id, text FROM articles").fetchall())
    finally:
        con.close()
    for d in found:
        for s in (d.a, d.b):
            assert s.words == texts[s.article_id][s.span_start:s.span_end]
            before, words, after = s.highlight()
            assert before + words + after == s.sentence
            assert words == s.words, (d.key, s.sentence)


def test_record_verdict_then_rerun_keeps_it_reviewed(project: Project) -> None:
    con = open_warehouse(project.db)
    try:
        before = keys(con)
        assert set(before.values()) == {"new"}
        assert needs_review(con, STORY) == len(before)
        for key in before:
            record_verdict(con, key, "real", "Ana Reviewer", "checked against the transcript")
        relation_ids = {r[0] for r in con.execute("SELECT relation_id FROM discrepancy_review").fetchall()}
    finally:
        con.close()

    # A new run of the whole pipeline (nothing new to extract) and of matching, under new run ids.
    run_story(project.settings, project.settings.story(STORY))
    match_story(project.settings, run_id="rerun-2")
    con = open_warehouse(project.db)
    try:
        after = keys(con)
        assert set(after) == set(before), "same discrepancies, same keys"
        assert set(after.values()) == {"reviewed"}, "a reviewed discrepancy does not come back as new"
        assert state_counts(con, STORY) == {"new": 0, "changed": 0, "reviewed": len(before)}
        assert {r[0] for r in con.execute("SELECT DISTINCT run_id FROM discrepancy_review").fetchall()} == {"rerun-2"}
        # the verdict is shown on the re-run's rows, and it keeps what the reviewer saw
        one = load_discrepancies(con, STORY)[0]
        assert one.review is not None and one.review.reviewer == "Ana Reviewer"
        assert one.review.note == "checked against the transcript"
        assert relation_ids  # recorded with each verdict for the audit trail
    finally:
        con.close()


LATE_REPORT = """+++
title = "Iraqi officials revise missile count"
outlet = "Kurdistan 24"
published = "2020-01-09T10:00:00Z"
url = "https://www.kurdistan24.net/en/story/iraq-revises-count"
+++
Iraqi officials said on Thursday that Iran fired 25 missiles at the two bases.
"""


def test_a_new_report_brings_only_its_own_discrepancies_as_new(project: Project, tmp_path: Path) -> None:
    con = open_warehouse(project.db)
    try:
        before = keys(con)
        for key in before:
            record_verdict(con, key, "real", "Ana Reviewer")
    finally:
        con.close()
    seeds = tmp_path / "seeds-v2"
    shutil.copytree(project.settings.seeds_dir, seeds)
    (seeds / "corpus" / STORY / "28-late-report.md").write_text(LATE_REPORT, encoding="utf-8")
    (tmp_path / "v2").mkdir()
    settings = load_settings(write_config(tmp_path / "v2", project.db, seeds, tmp_path / "out"), env={})
    summary = run_story(settings, settings.story(STORY))
    assert summary.articles_new == 1 and not summary.match_skipped
    con = open_warehouse(project.db)
    try:
        after = keys(con)
    finally:
        con.close()
    kept = set(before) & set(after)
    added = set(after) - set(before)
    assert len(kept) >= len(before) - 3 and added, (len(before), len(kept), len(added))
    assert {after[k] for k in kept} == {"reviewed"}, "reviewed discrepancies stay reviewed after a real re-run"
    assert {after[k] for k in added} == {"new"}


def _rewrite_claim(con: duckdb.DuckDBPyConnection, claim_id: str, **changes: Any) -> str:
    """Replace a stored claim by the same claim as a newer extractor version reads it (new text, same value)."""
    from warehouse.matches import load_story_inputs

    _, claims = load_story_inputs(con, STORY)
    old = next(c for c in claims if c.claim_id == claim_id)
    new = replace(old, extractor_version="0.2.0+test", **changes)
    con.execute("DELETE FROM claims WHERE claim_id = ?", [claim_id])
    load_claims(con, [new], "extractor-v2")
    return new.claim_id


def test_changed_evidence_is_flagged_for_rereview(project: Project) -> None:
    con = open_warehouse(project.db)
    try:
        d = next(x for x in load_discrepancies(con, STORY) if x.kind == "injured" and x.a.value_text == "about 200")
        record_verdict(con, d.key, "real", "Ana Reviewer")
        other = next(x for x in load_discrepancies(con, STORY) if x.key != d.key and x.a.claim_id != d.a.claim_id
                     and x.b.claim_id != d.a.claim_id)
        record_verdict(con, other.key, "resolved", "Ana Reviewer")
        # the new extractor version keeps the value [180, 220] but reads its words differently
        assert d.a.value is not None
        new_value = replace(_claim_value(con, d.a.claim_id), text="about two hundred")
        _rewrite_claim(con, d.a.claim_id, value=new_value)
    finally:
        con.close()
    match_story(project.settings, run_id="after-new-extractor")
    con = open_warehouse(project.db)
    try:
        now = {x.key: x for x in load_discrepancies(con, STORY)}
        assert now[d.key].review_state == "changed", "same key (article, value, speaker), new evidence"
        assert now[d.key].evidence_hash != d.evidence_hash
        assert now[d.key].review is not None and now[d.key].review.evidence_hash == d.evidence_hash
        assert now[other.key].review_state == "reviewed"
        # a fresh verdict on the new evidence clears it, and the history keeps both
        record_verdict(con, d.key, "extraction_error", "Ben Reviewer", "value words misread")
        assert find(con, d.key).review_state == "reviewed"
        assert [v.verdict for v in history(con, d.key)] == ["real", "extraction_error"]
    finally:
        con.close()


def _claim_value(con: duckdb.DuckDBPyConnection, claim_id: str) -> Any:
    from warehouse.matches import load_story_inputs

    _, claims = load_story_inputs(con, STORY)
    return next(c for c in claims if c.claim_id == claim_id).value


def test_record_verdict_refuses_bad_input(project: Project) -> None:
    con = open_warehouse(project.db)
    try:
        key = next(iter(keys(con)))
        with pytest.raises(CrosscheckError, match="verdict must be one of"):
            record_verdict(con, key, "maybe", "Ana")
        with pytest.raises(CrosscheckError, match="reviewer"):
            record_verdict(con, key, "real", "  ")
        with pytest.raises(CrosscheckError, match="no current discrepancy"):
            record_verdict(con, "ffffffffffffffff", "real", "Ana")
        with pytest.raises(CrosscheckError, match="at least 4"):
            record_verdict(con, "ab", "real", "Ana")
        # a unique prefix works, like git
        v = record_verdict(con, key[:8], "resolved", "Ana")
        assert v.discrepancy_key == key
        assert con.execute("SELECT count(*) FROM review_verdicts").fetchone() == (1,)
        with pytest.raises(duckdb.ConstraintException):  # the table itself refuses unknown verdicts
            con.execute("INSERT INTO review_verdicts VALUES ('x', 'k', 'h', 's', 'maybe', NULL, 'r', now(), NULL, "
                        "NULL, NULL, NULL)")
    finally:
        con.close()
