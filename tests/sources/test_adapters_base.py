"""The adapters' shared contract: options, config keys, to_article, fault classes and the per-source context.

No network: the context is driven by a fake client whose answers are built by hand.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.config import PROJECT_ROOT, STORY_SOURCES_DEFAULTS, Story, load_settings, load_story, story_sources
from core.errors import ConfigError
from core.records import Article, FetchOutcome, Rejected, content_hash
from sources.adapters.base import (
    Candidate,
    RunState,
    SourceContext,
    SourceOptions,
    is_network_failure,
    redact,
    to_article,
)
from sources.http import FetchResult
from sources.settings import HttpSettings

SEEDS = PROJECT_ROOT / "seeds"
NOW = datetime(2024, 6, 1, tzinfo=UTC)
FIXTURES = Path(__file__).parent / "fixtures" / "feeds"


@pytest.fixture(scope="module")
def story() -> Story:
    return load_story(SEEDS / "stories" / "iran-2020.toml", SEEDS)


# --------------------------------------------------------------------------- configuration


def test_story_sources_table_is_read_with_defaults(story: Story) -> None:
    assert set(story.sources) == set(STORY_SOURCES_DEFAULTS)
    assert story.sources["gdelt"] is True and story.sources["wikipedia"] is True
    assert story.sources["feeds"] == [] and story.sources["max_reports"] == 25
    options = SourceOptions.from_story(story)
    assert options.gdelt_base_url == "https://api.gdeltproject.org/api/v2/doc/doc"
    assert isinstance(options.key_terms, tuple) and "missile" in options.key_terms


def test_options_fields_are_the_config_keys() -> None:
    assert {f.name for f in dataclasses.fields(SourceOptions)} == set(STORY_SOURCES_DEFAULTS)


def test_partial_sources_dict_is_filled_with_defaults(story: Story) -> None:
    options = SourceOptions.from_story(dataclasses.replace(story, sources={"gdelt": False, "max_seconds": 2}))
    assert options.gdelt is False and options.max_seconds == 2.0 and options.wikipedia is True


@pytest.mark.parametrize(("raw", "match"), [
    ({"gdlet": True}, "unknown key sources.gdlet"),
    ({"gdelt": "yes"}, "sources.gdelt must be true or false"),
    ({"feeds": "https://x.example/rss"}, "sources.feeds must be a list of strings"),
    ({"max_reports": 1.5}, "sources.max_reports must be a number"),
    ({"gdelt_max_records": 500}, "at most 250|<= 250"),
    ({"max_seconds": 0}, "max_seconds must be > 0"),
])
def test_bad_sources_table_is_a_config_error(raw: dict[str, object], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        story_sources(raw, input="story.toml")


def test_online_setting_from_file_and_environment(tmp_path: Path) -> None:
    assert load_settings(env={}).online is True
    assert load_settings(env={"CROSSCHECK_OFFLINE": "1"}).online is False
    assert load_settings(env={"CROSSCHECK_OFFLINE": "0"}).online is True
    cfg = tmp_path / "crosscheck.toml"
    cfg.write_text("[sources]\nonline = false\n")
    assert load_settings(cfg, env={}).online is False
    with pytest.raises(ConfigError, match="CROSSCHECK_OFFLINE"):
        load_settings(env={"CROSSCHECK_OFFLINE": "maybe"})
    cfg.write_text('[sources]\nonline = "no"\n')
    with pytest.raises(ConfigError, match="sources.online must be true or false"):
        load_settings(cfg, env={})


# --------------------------------------------------------------------------- to_article


def test_html_candidate_becomes_article_with_page_metadata_over_hints() -> None:
    html = (FIXTURES / "strike-ap.html").read_text()
    cand = Candidate(url="http://127.0.0.1/news/strike-ap", source="gdelt", html=html, title="GDELT's title",
                     outlet="loopback-wire.example", published="2020-01-08T01:45:00+00:00",
                     date_signal="gdelt seendate")
    art = to_article(cand, "iran-2020", now=NOW)
    assert isinstance(art, Article)
    assert art.article_id == content_hash(art.text) and art.source == "gdelt" and art.story == "iran-2020"
    assert art.title == "Iran fires more than a dozen missiles at Al Asad and Erbil bases"
    assert art.outlet == "Loopback Wire" and art.byline == "Dana Fixture"
    assert art.published == "2020-01-08T01:30:00+00:00" and art.date_signal == "json-ld"
    assert "Ain al-Asad air base" in art.text and "Copyright" not in art.text


def test_hints_fill_what_the_page_leaves_out() -> None:
    body = "Iran fired missiles at Al Asad, officials said on Wednesday. " * 3
    html = f"<html><body><p>{body}</p></body></html>"
    cand = Candidate(url="http://x.example/a", source="feeds", html=html, title="Feed title", outlet="Feed",
                     published="2020-01-08T07:10:00+00:00", date_signal="feed")
    art = to_article(cand, "iran-2020", now=NOW)
    assert isinstance(art, Article)
    assert (art.title, art.outlet, art.published, art.date_signal) == (
        "Feed title", "Feed", "2020-01-08T07:10:00+00:00", "feed")


def test_page_without_text_and_empty_text_are_rejected() -> None:
    nav_only = "<html><nav><a href='/'>Home</a></nav></html>"
    empty_page = Candidate(url="http://x.example/nav", source="urls", html=nav_only)
    got = to_article(empty_page, "iran-2020", now=NOW)
    assert isinstance(got, Rejected) and got.stage == "parse" and "no article text" in got.reason
    got = to_article(Candidate(url=None, source="local", text="  \n", path="/tmp/a.txt"), "iran-2020")
    assert isinstance(got, Rejected) and got.input == "/tmp/a.txt" and got.reason == "empty report"


def test_text_candidate_keeps_its_text_exactly() -> None:
    text = "  Indented first line.\nIran fired 16 missiles."
    art = to_article(Candidate(url=None, source="local", text=text, path="/c/a.md", published="2020-01-08",
                               date_signal="front matter"), "iran-2020")
    assert isinstance(art, Article) and art.text == text and art.path == "/c/a.md"
    assert art.date_signal == "front matter"


# --------------------------------------------------------------------------- fault classes


def result(kind: str, reason: str | None, *, ok: bool = False, status: int | None = None,
           url: str = "http://h.example/x") -> FetchResult:
    outcome = FetchOutcome(url=url, source="t", status=status, ok=ok, bytes=10 if ok else 0, elapsed_s=0.01,
                           reason=reason, content_type="text/html" if ok else None)
    return FetchResult(outcome=outcome, body=b"<p>hi</p>" if ok else None, kind=kind)


@pytest.mark.parametrize(("kind", "reason", "status", "network"), [
    ("dns", "cannot resolve host h.example: Name or service not known", None, True),
    ("connection", "gave up after 3 attempts: connection failed: Connection refused", None, True),
    ("timeout", "connect timeout after 3.0 s", None, True),
    ("robots", "robots.txt unreachable (gave up after 3 attempts: connection failed: Connection refused); "
               "RFC 9309: treat as disallow all", None, True),
    ("robots", "robots.txt unreachable (HTTP 503 Service Unavailable); RFC 9309: treat as disallow all", None, False),
    ("robots", "robots.txt disallows /x for crosscheck", None, False),
    ("http_500", "gave up after 3 attempts: HTTP 500 Internal Server Error", 500, False),
    ("content_type", "content-type application/pdf is not an accepted type", 200, False),
])
def test_network_failures_are_told_from_answers(kind: str, reason: str, status: int | None, network: bool) -> None:
    assert is_network_failure(result(kind, reason, status=status)) is network


def test_redact_hides_a_key_everywhere() -> None:
    outcome = FetchOutcome(url="http://a.example/s?q=x&key=SECRET", source="factcheck", status=403, ok=False,
                           bytes=0, elapsed_s=0.1, reason="HTTP 403 for key=SECRET",
                           final_url="http://a.example/s?q=x&key=SECRET")
    clean = redact(outcome, "SECRET")
    assert "SECRET" not in repr(clean) and clean.url.endswith("key=***")
    assert redact(outcome, None) is outcome


# --------------------------------------------------------------------------- the context


class FakeClient:
    """Answers fetches from a dict url -> FetchResult and notes every URL asked."""

    def __init__(self, answers: dict[str, FetchResult]) -> None:
        self.answers = answers
        self.asked: list[str] = []
        self.settings = HttpSettings()  # max_host_failures: 3

    def fetch(self, url: str, *, source: str) -> FetchResult:
        self.asked.append(url)
        return self.answers[url]


def context(story: Story, client: FakeClient, *, state: RunState | None = None, clock: object = None,
            **sources: object) -> SourceContext:
    kwargs = {"clock": clock} if clock is not None else {}
    return SourceContext(name="t", story=story, options=SourceOptions.from_story(
        dataclasses.replace(story, sources={**story.sources, **sources})), client=client,  # type: ignore[arg-type]
        state=state or RunState(), seeds_dir=SEEDS, max_doc_bytes=5_000_000, environ={}, now=NOW, **kwargs)


def test_a_url_without_answer_costs_that_url_not_the_source(story: Story) -> None:
    refused = result("connection", "connection failed: Connection refused", url="http://a.example/1")
    client = FakeClient({"http://a.example/1": refused,
                         "http://b.example/2": result("ok", None, ok=True, status=200, url="http://b.example/2")})
    ctx = context(story, client)
    assert ctx.page("http://a.example/1") == Rejected(input="http://a.example/1", stage="fetch",
                                                      reason="connection failed: Connection refused", source="t")
    assert not ctx.stopped and isinstance(ctx.page("http://b.example/2"), Candidate)
    assert client.asked == ["http://a.example/1", "http://b.example/2"]
    status = ctx.status(reports=2)
    assert status.status == "ok"
    assert status.unreachable_hosts == (("a.example", "connection failed: Connection refused"),)
    assert status.reason == "no answer from a.example (connection failed: Connection refused)"
    assert len(ctx.state.outcomes) == 2


def test_a_source_whose_hosts_all_stay_silent_is_unreachable(story: Story) -> None:
    client = FakeClient({f"http://{h}.example/1": result("dns", f"cannot resolve host {h}.example",
                                                          url=f"http://{h}.example/1") for h in ("a", "b")})
    ctx = context(story, client)
    assert all(isinstance(ctx.page(f"http://{h}.example/1"), Rejected) for h in ("a", "b"))
    status = ctx.status(reports=2)
    assert status.status == "unreachable" and [h for h, _ in status.unreachable_hosts] == ["a.example", "b.example"]
    assert status.reason == ("no answer from a.example (cannot resolve host a.example); "
                             "b.example (cannot resolve host b.example)")


def test_a_host_is_given_up_after_three_failures_in_a_row(story: Story) -> None:
    dead = {f"http://dead.example/{n}": result("timeout", "connect timeout after 3.0 s", url=f"http://dead.example/{n}")
            for n in range(1, 6)}
    client = FakeClient({**dead, "http://a.example/ok": result("ok", None, ok=True, status=200,
                                                                url="http://a.example/ok")})
    ctx = context(story, client)
    assert isinstance(ctx.page("http://a.example/ok"), Candidate)
    assert all(isinstance(ctx.page(f"http://dead.example/{n}"), Rejected) for n in range(1, 6))
    assert client.asked == ["http://a.example/ok", *[f"http://dead.example/{n}" for n in (1, 2, 3)]]
    skipped = ctx.state.outcomes[-2:]  # 4 and 5 were never sent, but each has its row
    assert [o.url for o in skipped] == ["http://dead.example/4", "http://dead.example/5"]
    assert all(o.purpose == "skipped" and o.attempt == 0 and o.status is None for o in skipped)
    assert all((o.reason or "").startswith("not fetched: host dead.example was given up earlier in this run "
                                           "(3 failures in a row without an answer, the last: connect timeout")
               for o in skipped)
    assert len(ctx.state.outcomes) == 6 and not ctx.stopped and ctx.status(6).status == "ok"


def test_an_answer_resets_the_hosts_count_of_failures(story: Story) -> None:
    timeout = result("timeout", "read timeout after 20.0 s", url="http://h.example/slow")
    client = FakeClient({"http://h.example/slow": timeout,
                         "http://h.example/ok": result("ok", None, ok=True, status=200, url="http://h.example/ok")})
    ctx = context(story, client)
    for path in ("slow", "slow", "ok", "slow", "slow", "ok"):  # never 3 in a row
        ctx.fetch(f"http://h.example/{path}")
    assert ctx.state.dead_hosts == {} and len(client.asked) == 6


def test_api_request_that_answers_badly_fails_the_source(story: Story) -> None:
    client = FakeClient({"http://api.example/q": result("http_500", "HTTP 500 Internal Server Error", status=500,
                                                         url="http://api.example/q")})
    ctx = context(story, client)
    got = ctx.fetch("http://api.example/q", api=True)
    assert got is not None and not got.ok and ctx.stopped
    assert ctx.status(0) == dataclasses.replace(ctx.status(0), status="failed", reason="HTTP 500 Internal Server Error")


def test_same_url_twice_is_a_dropped_duplicate_without_a_fetch(story: Story) -> None:
    client = FakeClient({"http://a.example/ok": result("ok", None, ok=True, status=200, url="http://a.example/ok")})
    state = RunState()
    assert context(story, client, state=state).claim("http://a.example/ok#top") is None
    dup = context(story, client, state=state).page("http://a.example/ok")
    assert isinstance(dup, Candidate) and dup.dropped == "duplicate URL: already proposed by t"
    assert client.asked == []


def test_time_budget_stops_the_source_with_a_note(story: Story) -> None:
    clock = [0.0]
    client = FakeClient({"http://a.example/ok": result("ok", None, ok=True, status=200, url="http://a.example/ok")})
    ctx = context(story, client, clock=lambda: clock[0], max_seconds=1)
    assert isinstance(ctx.page("http://a.example/ok"), Candidate)
    clock[0] = 5.0
    assert ctx.page("http://a.example/next") is None
    status = ctx.status(1)
    assert status.status == "ok" and "time budget of 1 s" in (status.reason or "")


def test_non_html_pages_are_rejected_with_the_type(story: Story) -> None:
    json_page = FetchResult(
        outcome=FetchOutcome(url="http://a.example/j", source="t", status=200, ok=True, bytes=2, elapsed_s=0.0,
                             content_type="application/json"), body=b"{}")
    ctx = context(story, FakeClient({"http://a.example/j": json_page}))
    got = ctx.page("http://a.example/j")
    assert isinstance(got, Rejected) and got.stage == "parse"
    assert "expected an HTML page, got application/json" in got.reason
