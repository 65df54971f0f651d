"""read_document, iter_documents and ingest on real files: metadata sources, bad input, dedupe, walks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.records import Article, Rejected, content_hash
from sources.files import ingest, iter_documents, read_document, split_front_matter

FIXTURES = Path(__file__).parent / "fixtures"
BODY = (
    "Iran fired more than a dozen ballistic missiles at two bases in Iraq on Wednesday.\n\n"
    "The Pentagon said the missiles targeted Ain al-Asad and a facility in Erbil.\n"
)


def write(path: Path, content: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode(encoding)
    path.write_bytes(content)
    return path


def article(result: Article | Rejected) -> Article:
    assert isinstance(result, Article), result
    return result


def rejected(result: Article | Rejected) -> Rejected:
    assert isinstance(result, Rejected), result
    return result


# --- metadata -----------------------------------------------------------------------------------------


def test_toml_front_matter(tmp_path: Path) -> None:
    path = write(
        tmp_path / "ap.md",
        '+++\ntitle = "Iran fires missiles"\noutlet = "Associated Press"\n'
        'published = 2020-01-07T23:48:00Z\nurl = "https://apnews.com/x"\nbyline = ["Ann Lee", "Bo Chan"]\n'
        'tags = ["iran"]\n+++\n' + BODY,
    )
    a = article(read_document(path, story="iran-2020"))
    assert a.text == BODY.rstrip()
    assert a.article_id == content_hash(BODY)  # body only, front matter excluded
    assert (a.title, a.outlet, a.url) == ("Iran fires missiles", "Associated Press", "https://apnews.com/x")
    assert a.published == "2020-01-07T23:48:00+00:00"
    assert a.byline == "Ann Lee, Bo Chan"
    assert (a.date_signal, a.source, a.path, a.story) == ("front matter", "local", str(path), "iran-2020")


def test_yaml_ish_front_matter(tmp_path: Path) -> None:
    path = write(
        tmp_path / "nyt.txt",
        '---\n# comment\ntitle: "Iran Strikes Back: U.S. Bases Hit"\noutlet: The New York Times\n'
        "date: 2020-01-08T00:35:00Z\nauthor: 'By Tom Ashcroft'\nurl: https://nytimes.com/2020/01/08/x.html\n"
        "tags:\n  - iran\n  - iraq\n---\n" + BODY,
    )
    a = article(read_document(path))
    assert a.title == "Iran Strikes Back: U.S. Bases Hit"
    assert a.outlet == "The New York Times"
    assert a.published == "2020-01-08T00:35:00+00:00"
    assert a.byline == "By Tom Ashcroft"
    assert a.url == "https://nytimes.com/2020/01/08/x.html"
    assert a.text == BODY.rstrip()


@pytest.mark.parametrize("sidecar_name", ["report.txt.meta.toml", "report.meta.toml"])
def test_sidecar(tmp_path: Path, sidecar_name: str) -> None:
    path = write(tmp_path / "report.txt", BODY)
    write(tmp_path / sidecar_name, 'outlet = "Reuters"\npublished = 2020-01-08\ntitle = "From sidecar"\n')
    a = article(read_document(path))
    assert (a.outlet, a.published, a.title, a.date_signal) == (
        "Reuters",
        "2020-01-08",
        "From sidecar",
        "sidecar",
    )


def test_front_matter_wins_over_sidecar_key_by_key(tmp_path: Path) -> None:
    path = write(tmp_path / "r.md", '+++\ntitle = "From front matter"\n+++\n' + BODY)
    write(
        tmp_path / "r.md.meta.toml", 'title = "From sidecar"\noutlet = "Reuters"\npublished = "2020-01-08"\n'
    )
    a = article(read_document(path))
    assert (a.title, a.outlet, a.published, a.date_signal) == (
        "From front matter",
        "Reuters",
        "2020-01-08",
        "sidecar",
    )


def test_txt_without_metadata_takes_first_line_as_title(tmp_path: Path) -> None:
    path = write(tmp_path / "plain.txt", "\n\n  Missiles hit two bases  \n\n" + BODY)
    a = article(read_document(path))
    assert a.title == "Missiles hit two bases"
    assert (a.outlet, a.published, a.date_signal) == (None, None, None)


def test_plain_header_lines_are_metadata_not_prose(tmp_path: Path) -> None:
    p = tmp_path / "saved.txt"
    p.write_text("URL: https://news.example/2018/04/15/strikes\nSource: Daily Example\nPublished: 2018-04-15\n"
                 "Title: Allies strike three sites\nAuthor: R. Nasser\n\n"
                 "The strikes hit three sites, officials said.\n",
                 encoding="utf-8")
    art = read_document(p)
    assert isinstance(art, Article)
    assert (art.url, art.outlet, art.published, art.title, art.byline) == (
        "https://news.example/2018/04/15/strikes", "Daily Example", "2018-04-15", "Allies strike three sites",
        "R. Nasser")
    assert art.text == "The strikes hit three sites, officials said."
    assert art.date_signal == "front matter"


@pytest.mark.parametrize("head", [
    "Note: the figures below are preliminary.\nThey may change.\n\n",  # a colon line that is not a header
    "URL: https://news.example/a\nThe strikes began at dawn.\n\n",  # prose before the first blank line
])
def test_prose_with_colons_stays_prose(tmp_path: Path, head: str) -> None:
    p = tmp_path / "note.txt"
    p.write_text(head + "Body paragraph.\n", encoding="utf-8")
    art = read_document(p)
    assert isinstance(art, Article)
    assert art.text.startswith(head.split("\n")[0]) and art.url is None and art.published is None


def test_unparseable_header_date_is_dropped_not_fatal(tmp_path: Path) -> None:
    p = tmp_path / "d.txt"
    p.write_text("Outlet: Daily Example\nDate: sometime last spring\n\nBody.\n", encoding="utf-8")
    art = read_document(p)
    assert isinstance(art, Article) and art.outlet == "Daily Example" and art.published is None


def test_markdown_heading_becomes_title(tmp_path: Path) -> None:
    a = article(read_document(write(tmp_path / "m.md", "# Missiles hit two bases\n\n" + BODY)))
    assert a.title == "Missiles hit two bases"


def test_html_file_metadata_and_date_signal(tmp_path: Path) -> None:
    path = tmp_path / "wire.html"
    shutil.copy(FIXTURES / "news_jsonld.html", path)
    a = article(read_document(path))
    assert a.title == "Iraqi military says 22 missiles fired at bases hosting US troops"
    assert (a.outlet, a.byline) == ("Example Wire", "Karim Jaber")
    assert (a.published, a.date_signal) == ("2020-01-08T06:40:00+00:00", "json-ld")
    assert a.url == "https://www.example-wire.com/world/iraq-missiles-22"
    assert "22 missiles were fired" in a.text and "We use cookies" not in a.text
    assert a.article_id == content_hash(a.text)


def test_html_sidecar_overrides_page_metadata(tmp_path: Path) -> None:
    path = tmp_path / "wire.htm"
    shutil.copy(FIXTURES / "news_jsonld.html", path)
    write(tmp_path / "wire.meta.toml", 'outlet = "Reuters"\npublished = 2020-01-08T06:41:00Z\n')
    a = article(read_document(path))
    assert (a.outlet, a.published, a.date_signal) == ("Reuters", "2020-01-08T06:41:00+00:00", "sidecar")
    assert a.byline == "Karim Jaber"  # not in the sidecar: the page's


def test_html_url_from_sidecar_gives_url_date(tmp_path: Path) -> None:
    html = "<html><body><article><p>" + BODY + "</p></article></body></html>"
    path = write(tmp_path / "nodate.html", html)
    write(tmp_path / "nodate.meta.toml", 'url = "https://news.example.org/2020/01/08/iran-missiles"\n')
    a = article(read_document(path))
    assert (a.published, a.date_signal) == ("2020-01-08", "url")


def test_html_in_cp1252_honours_meta_charset(tmp_path: Path) -> None:
    html = (
        '<html><head><meta charset="windows-1252"><title>Caf\u00e9 hit</title></head><body><article>'
        "<p>\u201cWe heard three blasts,\u201d said the owner of a caf\u00e9 near Erbil airport.</p>"
        "<p>The owner\u2019s account matched those of other witnesses in the Ankawa district that night.</p>"
        "</article></body></html>"
    )
    a = article(read_document(write(tmp_path / "cafe.html", html, encoding="cp1252")))
    assert "\u201cWe heard three blasts,\u201d said the owner of a caf\u00e9" in a.text
    assert "owner\u2019s" in a.text


def test_html_declaring_latin1_but_sending_utf8(tmp_path: Path) -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"></head><body>'
        "<p>Le propriétaire du café a dit : « nous avons entendu trois détonations » mercredi soir.</p>"
        "<p>Les autorités kurdes n’ont pas encore communiqué de bilan après les explosions.</p></body></html>"
    )
    a = article(read_document(write(tmp_path / "fr.html", html, encoding="utf-8")))
    assert "propriétaire du café" in a.text and "n’ont" in a.text
    assert "Ã" not in a.text


def test_cp1252_text_file(tmp_path: Path) -> None:
    text = "Caf\u00e9 owner: \u201cWe are closed\u201d \u2014 the minister\u2019s office said 12 were hurt.\n"
    a = article(read_document(write(tmp_path / "legacy.txt", text, encoding="cp1252")))
    assert a.text == text.rstrip()
    assert a.title == text.strip()


# --- bad input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", "\ufeff  \n".encode()])
def test_empty_document(tmp_path: Path, content: bytes) -> None:
    r = rejected(read_document(write(tmp_path / "empty.txt", content)))
    assert (r.stage, r.reason, r.input) == ("ingest", "empty document", str(tmp_path / "empty.txt"))


def test_front_matter_only_is_empty(tmp_path: Path) -> None:
    r = rejected(read_document(write(tmp_path / "fm.md", '+++\ntitle = "x"\n+++\n\n  \n')))
    assert r.reason == "empty document"


def test_html_without_text(tmp_path: Path) -> None:
    path = write(
        tmp_path / "blank.html", "<html><head><title>t</title></head><body><script>x()</script></body>"
    )
    assert rejected(read_document(path)).reason == "no article text found in the HTML"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("report.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary content: looks like PDF"),
        ("page.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary content: looks like PNG"),
        ("notes.md", b"text\x00with\x00nuls", "binary content: has NUL bytes"),
    ],
)
def test_binary_content(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    assert rejected(read_document(write(tmp_path / name, data))).reason == reason


def test_too_large_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(10_500_000)  # sparse file of NULs: reading it would report binary content instead
    r = rejected(read_document(path))
    assert r.reason == "document is 10.5 MB, over the 5.0 MB limit (set CROSSCHECK_MAX_DOC_BYTES)"
    assert rejected(read_document(write(tmp_path / "small.txt", BODY), max_bytes=50)).reason == (
        f"document is {len(BODY.encode())} bytes, over the 50 bytes limit (set CROSSCHECK_MAX_DOC_BYTES)"
    )


def test_undecodable(tmp_path: Path) -> None:
    r = rejected(read_document(write(tmp_path / "junk.txt", bytes(range(0x80, 0x100)) * 4)))
    assert r.reason.startswith("cannot decode: ")


@pytest.mark.parametrize("name", ["report.pdf", "report.docx", "README"])
def test_unsupported_extension(tmp_path: Path, name: str) -> None:
    r = rejected(read_document(write(tmp_path / name, BODY)))
    assert r.reason.startswith("unsupported file type ")
    assert ".txt, .md" in r.reason


def test_missing_file_and_folder_given_as_file(tmp_path: Path) -> None:
    assert rejected(read_document(tmp_path / "nope.txt")).reason == "no such file or directory"
    [missing] = list(iter_documents([tmp_path / "no-such-folder"]))
    assert rejected(missing).reason == "no such file or directory"
    (tmp_path / "dir.txt").mkdir()
    assert rejected(read_document(tmp_path / "dir.txt")).reason == "not a regular file"


def test_malformed_toml_front_matter_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.md", '+++\ntitle = "ok"\noutlet = Reuters\n+++\n' + BODY)
    r = rejected(read_document(path))
    assert r.reason.startswith("malformed TOML front matter: ")
    assert "line 3" in r.reason  # outlet = Reuters is line 3 of the file


def test_unclosed_front_matter(tmp_path: Path) -> None:
    r = rejected(read_document(write(tmp_path / "open.txt", "---\ntitle: x\n" + BODY)))
    assert r.reason == "malformed front matter: opened with --- on line 1 and never closed"


def test_malformed_yaml_ish_line(tmp_path: Path) -> None:
    r = rejected(
        read_document(write(tmp_path / "y.txt", "---\ntitle: x\nthis is not a key value\n---\n" + BODY))
    )
    assert r.reason.startswith("malformed front matter on line 3: expected 'key: value'")


def test_malformed_and_unknown_sidecar(tmp_path: Path) -> None:
    path = write(tmp_path / "s.txt", BODY)
    sidecar = write(tmp_path / "s.meta.toml", 'title = "x"\npublished = \n')
    r = rejected(read_document(path))
    assert r.reason.startswith("malformed sidecar s.meta.toml: ") and "line 2" in r.reason
    sidecar.write_text('titel = "typo"\n')
    assert rejected(read_document(path)).reason.startswith("unknown key 'titel' in sidecar s.meta.toml")


def test_published_that_is_not_a_date(tmp_path: Path) -> None:
    r = rejected(read_document(write(tmp_path / "d.txt", "---\npublished: last Tuesday\n---\n" + BODY)))
    assert r.reason.startswith("published value 'last Tuesday' is not a date")


def test_split_front_matter_leaves_plain_text_alone() -> None:
    assert split_front_matter(BODY) == ({}, BODY)
    assert split_front_matter("") == ({}, "")


# --- walking and dedupe -------------------------------------------------------------------------------


def test_folder_walk(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write(root / "b.txt", "B story\n" + BODY)
    write(root / "a.md", "A story\n" + BODY)
    write(root / "a.md.meta.toml", 'outlet = "AFP"\n')
    write(root / "sub" / "c.html", (FIXTURES / "news_og.html").read_bytes())
    write(root / "sub" / "d.pdf", b"%PDF-1.4")
    write(root / ".hidden.txt", "hidden\n" + BODY)
    write(root / ".git" / "e.txt", "in a hidden folder\n" + BODY)
    extra = write(tmp_path / "extra.txt", "Extra story\n" + BODY)

    results = list(iter_documents([root, extra], story="iran-2020"))
    names = [Path(r.path if isinstance(r, Article) else r.input).name for r in results]
    assert names == ["a.md", "b.txt", "c.html", "d.pdf", "extra.txt"]
    assert isinstance(results[3], Rejected) and results[3].reason.startswith("unsupported file type .pdf")
    first = article(results[0])
    assert (first.outlet, first.story) == ("AFP", "iran-2020")
    assert article(results[2]).outlet == "Le Quotidien"


def test_ingest_dedupes_by_content_hash(tmp_path: Path) -> None:
    write(tmp_path / "1-ap.md", '+++\noutlet = "AP"\n+++\n' + BODY)
    write(
        tmp_path / "2-reprint.txt",
        "---\noutlet: Star Tribune\n---\n" + BODY.replace("\n\n", "\n  \n") + "\n\n",
    )
    write(tmp_path / "3-other.txt", "Another story entirely.\n")
    write(tmp_path / "4-empty.txt", "")

    articles, rejects = ingest([tmp_path])
    assert [a.outlet for a in articles] == ["AP", None]
    by_stage = {r.stage: r for r in rejects}
    assert set(by_stage) == {"dedupe", "ingest"}
    assert by_stage["dedupe"].input == str(tmp_path / "2-reprint.txt")
    assert by_stage["dedupe"].reason == f"duplicate of {tmp_path / '1-ap.md'}"
    assert by_stage["ingest"].reason == "empty document"


def test_ingest_same_file_twice_is_one_article(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", BODY)
    articles, rejects = ingest([path, tmp_path])
    assert len(articles) == 1
    assert [(r.stage, r.reason) for r in rejects] == [("dedupe", f"duplicate of {path}")]
