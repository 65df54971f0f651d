"""html_to_article: main text, metadata, date signals, broken and empty pages; the benchmark gate."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.html_bench import data_dir, load_pages, page_score, score_pages, shingles
from sources.html import HtmlDoc, html_to_article, normalise_date, parse_date, pick_date, url_date

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2020, 1, 10, 12, 0, tzinfo=UTC)


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def page(head: str = "", body: str = "") -> str:
    paragraphs = (
        "<p>Iran fired a barrage of ballistic missiles at two military bases in Iraq that house American "
        "troops early on Wednesday, officials said, in the first act of retaliation.</p>"
        "<p>The Pentagon said the missiles were launched from Iran and targeted at least two bases, "
        "Ain al-Asad and a facility in Erbil, and that damage assessments were under way.</p>"
    )
    return f"<html><head>{head}</head><body>{body}<article>{paragraphs}</article></body></html>"


# --- text ---------------------------------------------------------------------------------------------


def test_jsonld_page_text_keeps_article_and_drops_boilerplate() -> None:
    doc = html_to_article(fixture("news_jsonld.html"), "https://www.example-wire.com/world/iraq-missiles-22")
    assert "22 missiles were fired at two bases" in doc.text
    assert "five hit the city of Erbil" in doc.text
    for noise in ("We use cookies", "Oil prices jump", "reader comment", "All rights reserved", "Business"):
        assert noise not in doc.text


def test_broken_html_does_not_crash_and_keeps_text() -> None:
    doc = html_to_article(fixture("broken.html"))
    assert isinstance(doc, HtmlDoc)
    assert "first paragraph of a page whose markup is broken" in doc.text
    assert doc.title == "Broken page"
    assert "not text" not in doc.text


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n ",
        "<html></html>",
        "<html><head><title>Only a title</title></head><body></body></html>",
        "<html><body><script>var a = 1;</script><style>p{}</style></body></html>",
        "<html><body><nav><a href='/'>Home</a></nav><footer>(c) 2020</footer></body></html>",
        "\x00\x01<<<>>></p></div>",
        "<?xml version='1.0' encoding='utf-8'?><html><body></body></html>",
    ],
)
def test_empty_or_textless_page_gives_empty_text(html: str) -> None:
    assert html_to_article(html).text == ""


def test_short_page_falls_back_to_paragraphs() -> None:
    html = (
        "<html><body><nav><p>Menu item</p></nav><div class='menu'><ul><li><a href='/'>Home</a></li></ul>"
        "</div>"
        "<p>Short report.</p><p>Second line.</p></body></html>"
    )
    assert html_to_article(html).text == "Short report.\nSecond line."


def test_xml_declaration_with_encoding_is_accepted() -> None:
    html = "<?xml version='1.0' encoding='utf-8'?>" + page()
    assert "ballistic missiles" in html_to_article(html).text


# --- metadata -----------------------------------------------------------------------------------------


def test_jsonld_graph_metadata_with_id_references() -> None:
    doc = html_to_article(
        fixture("news_jsonld.html"), "https://www.example-wire.com/world/iraq-missiles-22?utm=x", now=NOW
    )
    assert doc.title == "Iraqi military says 22 missiles fired at bases hosting US troops"
    assert doc.published == "2020-01-08T06:40:00+00:00"
    assert doc.published_signal == "json-ld"
    assert doc.outlet == "Example Wire"
    assert doc.byline == "Karim Jaber"  # resolved from the @graph Person, not <meta name=author>
    assert doc.canonical_url == "https://www.example-wire.com/world/iraq-missiles-22"  # relative, resolved
    assert doc.language == "en-GB"


def test_og_page_metadata_and_cookie_banner_date_ignored() -> None:
    doc = html_to_article(fixture("news_og.html"), now=NOW)
    assert doc.published == "2020-01-08T03:10:00+01:00"
    assert doc.published_signal == "og"
    assert doc.outlet == "Le Quotidien"
    assert doc.title == "Des explosions secouent Erbil"  # " - Le Quotidien" suffix dropped from <title>
    assert doc.byline == "Marie Dubois"  # article:author is a URL; "By " stripped from byl
    assert doc.language == "fr-FR"
    assert "« Nous avons entendu au moins trois détonations »" in doc.text
    assert "cookies" not in doc.text


def test_jsonld_in_a_list_and_broken_jsonld_next_to_it() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", broken</script>'
        '<script type="application/ld+json">/*<![CDATA[*/[{"@type": "BreadcrumbList"},'
        '{"@type": "http://schema.org/NewsArticle", "headline": "From a list",'
        ' "datePublished": "2020-01-08", "author": {"@type": "Person", "name": "By Jane Roe"},'
        ' "publisher": {"@type": "Organization", "name": "List Times"}}]/*]]>*/</script>'
    )
    doc = html_to_article(page(head), now=NOW)
    assert (doc.title, doc.published, doc.published_signal) == ("From a list", "2020-01-08", "json-ld")
    assert (doc.byline, doc.outlet) == ("Jane Roe", "List Times")


def test_meta_date_beats_og_and_time() -> None:
    head = (
        '<meta property="article:published_time" content="2020-01-07T10:00:00Z">'
        '<meta name="parsely-pub-date" content="2020-01-08T09:00:00Z">'
    )
    body = '<time datetime="2020-01-06">6 Jan</time>'
    doc = html_to_article(page(head, body), now=NOW)
    assert (doc.published, doc.published_signal) == ("2020-01-08T09:00:00+00:00", "meta")


def test_future_date_is_rejected_and_next_signal_wins() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2020-02-01T00:00:00Z"}'
        "</script>"
        '<meta name="DC.date.issued" content="2029-05-05">'
        '<meta property="og:published_time" content="2020-01-08T01:00:00Z">'
    )
    doc = html_to_article(page(head), now=NOW)
    assert (doc.published, doc.published_signal) == ("2020-01-08T01:00:00+00:00", "og")


def test_cookie_expiry_time_before_the_article_time_is_skipped() -> None:
    banner = '<div class="consent">Stored until <time datetime="2030-01-01T00:00:00Z">2030</time></div>'
    body = banner + '<p>Filed <time datetime="2020-01-08T04:00:00+03:00">8 Jan</time></p>'
    doc = html_to_article(page("", body), now=NOW)
    assert (doc.published, doc.published_signal) == ("2020-01-08T04:00:00+03:00", "time")


def test_time_marked_as_published_beats_an_earlier_time() -> None:
    body = (
        '<aside><time datetime="2019-12-01">Related, 1 Dec</time></aside>'
        '<time class="entry-date published" datetime="2020-01-08">8 Jan</time>'
    )
    doc = html_to_article(page("", body), now=NOW)
    assert (doc.published, doc.published_signal) == ("2020-01-08", "time")


def test_url_date_is_the_last_resort() -> None:
    doc = html_to_article(page(), "https://news.example.org/world/2020/01/08/iran-missiles.html", now=NOW)
    assert (doc.published, doc.published_signal) == ("2020-01-08", "url")
    assert html_to_article(page(), "https://news.example.org/story/1", now=NOW).published is None


def test_no_date_at_all() -> None:
    doc = html_to_article(page(), now=NOW)
    assert (doc.published, doc.published_signal) == (None, None)


# --- dates --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2020-01-08", "2020-01-08"),
        ("20200108", "2020-01-08"),
        ("2020-01-08T06:40:00Z", "2020-01-08T06:40:00+00:00"),
        ("2020-01-08T06:40:00.000+0330", "2020-01-08T06:40:00+03:30"),
        ("2020-01-08 06:40", "2020-01-08T06:40:00"),
        ("2019-11-18 17:19:53 GMT", "2019-11-18T17:19:53+00:00"),
        ("Wed, 08 Jan 2020 06:40:00 GMT", "2020-01-08T06:40:00+00:00"),
        ("January 8, 2020", "2020-01-08"),
        ("8 January 2020", "2020-01-08"),
        ("2020/01/08", "2020-01-08"),
        ("08.01.2020", "2020-01-08"),
        ("1578465600", "2020-01-08T06:40:00+00:00"),
    ],
)
def test_normalise_date_formats(raw: str, iso: str) -> None:
    assert normalise_date(raw, now=NOW) == iso


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "yesterday",
        "2020-13-45",
        "0001-01-01T00:00:00Z",
        "1970-01-01",
        "2020-01-11T00:00:00Z",
        "2031-01-01",
    ],
)
def test_implausible_or_unparseable_dates_are_dropped(raw: str) -> None:
    assert normalise_date(raw, now=NOW) is None


def test_date_only_today_and_naive_time_slightly_ahead_are_kept() -> None:
    assert normalise_date("2020-01-10", now=NOW) == "2020-01-10"
    # No time zone: may be local time east of UTC, so up to 14 h ahead of `now` is not "the future".
    assert normalise_date("2020-01-10T20:00:00", now=NOW) == "2020-01-10T20:00:00"
    assert normalise_date("2020-01-10T20:00:00Z", now=NOW) is None


def test_pick_date_orders_by_signal_then_position() -> None:
    candidates = [
        ("url", "2020-01-01"),
        ("time", "2020-01-02"),
        ("json-ld", "nonsense"),
        ("meta", "2020-01-03"),
    ]
    assert pick_date(candidates, now=NOW) == ("2020-01-03", "meta")
    assert pick_date([], now=NOW) == (None, None)
    assert parse_date("not a date") is None


@pytest.mark.parametrize(
    ("url", "raw"),
    [
        ("https://x.org/2020/01/08/story", "2020-01-08"),
        ("https://x.org/news/2020/1/8/story.html", "2020-01-08"),
        ("https://x.org/world/2019/nov/18/story", "2019-11-18"),
        ("https://x.org/story/2020-01-08-iran", "2020-01-08"),
        ("https://x.org/story/2020/13/08/x", None),
        ("https://x.org/item/12345", None),
        (None, None),
    ],
)
def test_url_date_patterns(url: str | None, raw: str | None) -> None:
    assert url_date(url) == raw


# --- scoring and the benchmark gate -------------------------------------------------------------------


def test_score_pages_definition() -> None:
    assert shingles("One two three four five") == {
        ("one", "two", "three", "four"),
        ("two", "three", "four", "five"),
    }
    assert shingles("Short text") == {("short", "text")}
    assert page_score("a b c d e", "a b c d e") == (1.0, 1.0)
    assert page_score("", "") == (1.0, 1.0)
    assert page_score("", "a b c d") == (0.0, 0.0)
    p, r = page_score("a b c d e f", "a b c d")  # 1 of 3 extracted shingles is right; all truth found
    assert (round(p, 3), r) == (0.333, 1.0)
    score = score_pages(["a b c d e f", "x y z w"], ["a b c d", "x y z w"])
    assert score.pages == 2
    assert round(score.precision, 3) == 0.667 and score.recall == 1.0
    assert round(score.f1, 3) == 0.8


def test_benchmark_ten_pages_f1() -> None:
    folder = data_dir()
    if not (folder / "ground-truth.json").is_file():
        pytest.skip(f"benchmark data not found in {folder}")
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    pages = load_pages(folder, limit=10)
    score = score_pages([html_to_article(p.html, p.url).text for p in pages], [p.truth for p in pages])
    assert score.pages == 10
    assert score.f1 > 0.85, score
