"""decode_bytes, declared_charset and looks_binary: encodings chosen right, binary told from text."""

from __future__ import annotations

import codecs
import gzip
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from core.errors import InputError
from core.records import Article, Rejected
from sources.decode import SHOWN_OFFSETS, declared_charset, decode_bytes, decode_text, looks_binary
from sources.files import read_document, read_document_settled

FRENCH = "Déjà vu : l’été à Montréal, où les élèves mangent des crêpes au café.\n"
ENGLISH = "The café’s owner said “we are closed” — for now, and 12 people left.\n"
RUSSIAN = "Ракеты попали в две базы, сообщили военные в среду утром; пострадавших нет.\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + FRENCH.encode("utf-8"), "utf-8-sig"),
        (FRENCH.encode("utf-16"), "utf-16"),  # BOM included by the codec
        (FRENCH.encode("utf-32"), "utf-32"),
    ],
)
def test_bom_wins(data: bytes, encoding: str) -> None:
    assert decode_bytes(data, "iso-8859-1") == (FRENCH, encoding)


def test_plain_utf8() -> None:
    assert decode_bytes(FRENCH.encode("utf-8")) == (FRENCH, "utf-8")
    assert decode_bytes(b"ascii only") == ("ascii only", "utf-8")


def test_declared_charset_is_used_when_it_fits() -> None:
    assert decode_bytes(RUSSIAN.encode("cp1251"), "windows-1251") == (RUSSIAN, "cp1251")
    assert decode_bytes(RUSSIAN.encode("koi8-r"), "KOI8-R") == (RUSSIAN, "koi8-r")


def test_declared_latin1_but_bytes_are_utf8_gives_no_mojibake() -> None:
    text, encoding = decode_bytes(FRENCH.encode("utf-8"), "iso-8859-1")
    assert (text, encoding) == (FRENCH, "utf-8")
    assert "Ã" not in text


def test_declared_latin1_is_read_as_cp1252() -> None:
    # Curly quotes live at 0x91-0x94 in windows-1252; latin-1 would make them C1 control characters.
    assert decode_bytes(ENGLISH.encode("cp1252"), "ISO-8859-1") == (ENGLISH, "cp1252")


def test_declared_utf8_that_is_not_falls_through() -> None:
    assert decode_bytes(ENGLISH.encode("cp1252"), "utf-8") == (ENGLISH, "cp1252")


def test_unknown_declared_label_is_ignored() -> None:
    assert decode_bytes(FRENCH.encode("utf-8"), "x-made-up") == (FRENCH, "utf-8")


@pytest.mark.parametrize("text", [FRENCH, ENGLISH])
def test_undeclared_cp1252_is_recognised(text: str) -> None:
    assert decode_bytes(text.encode("cp1252")) == (text, "cp1252")


def test_undeclared_cyrillic_is_not_forced_into_cp1252() -> None:
    text, encoding = decode_bytes((RUSSIAN * 3).encode("cp1251"))
    assert text == RUSSIAN * 3
    assert encoding == "cp1251"


def test_nothing_fits_raises_input_error() -> None:
    with pytest.raises(InputError, match="^cannot decode: "):
        decode_bytes(bytes(range(0x80, 0x100)) * 4)


def test_bad_bom_raises_input_error() -> None:
    with pytest.raises(InputError, match="cannot decode: byte-order mark says utf-8-sig"):
        decode_bytes(codecs.BOM_UTF8 + b"caf\xe9")


@pytest.mark.parametrize(
    ("head", "charset"),
    [
        (b'<html><head><meta charset="Windows-1252"><title>', "windows-1252"),
        (b"<meta charset=utf-8>", "utf-8"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">', "iso-8859-1"),
        (b'<?xml version="1.0" encoding="koi8-r"?><html>', "koi8-r"),
        (b"<html><head><title>none</title>", None),
        (b"plain text", None),
    ],
)
def test_declared_charset(head: bytes, charset: str | None) -> None:
    assert declared_charset(head) == charset


def _zip_bytes() -> bytes:
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG"),
        (b"GIF89a\x01\x00\x01\x00", "GIF"),
        (_zip_bytes(), "ZIP (or a .docx/.odt/.epub, which are ZIP files)"),
        (gzip.compress(b"<html></html>"), "gzip"),
        (b"some text\x00with a NUL", "NUL bytes"),
        (b"\x01\x02\x03\x04\x05\x06 mostly control bytes \x07\x08\x0e\x0f", "control characters"),
    ],
)
def test_looks_binary(data: bytes, kind: str) -> None:
    assert looks_binary(data) == kind


@pytest.mark.parametrize(
    "data",
    [
        FRENCH.encode("utf-8"),
        ENGLISH.encode("cp1252"),
        FRENCH.encode("utf-16"),  # NULs, but behind a byte-order mark
        b"old DOS file\r\n\x1a",  # a trailing ^Z end-of-file marker is text
        b"tab\tand\fform feed\r\n",
        b"",
    ],
)
def test_text_is_not_binary(data: bytes) -> None:
    assert looks_binary(data) is None


# --------------------------------------------------------------------------- mostly UTF-8, with a few bad bytes

# An English report written in UTF-8 (curly quotes, dashes, a degree sign), as an editor saves it.
REPORT_UTF8 = (
    "Officials at the air base said “at least eleven rockets” landed overnight — two of them near the "
    "runway’s northern end.\nA spokesman put the temperature at 4 °C when the sirens started, and said "
    "the garrison’s shelters were full within minutes.\nNo one was reported hurt; repairs began at dawn.\n"
)


def _with_bad_bytes(text: str, at: tuple[int, ...], bad: bytes = b"\xe9") -> tuple[bytes, str]:
    """`text` in UTF-8 with the byte `bad` slipped in before each byte offset of `at` (offsets in the original
    bytes), and the text a reader should get: one U+FFFD in each such place."""
    data = text.encode("utf-8")
    out, expected, last = b"", "", 0
    for cut in at:
        out += data[last:cut] + bad
        expected += data[last:cut].decode("utf-8") + "\ufffd"
        last = cut
    return out + data[last:], expected + data[last:].decode("utf-8")


def test_mostly_utf8_with_three_bad_bytes_stays_utf8_with_a_warning() -> None:
    data, expected = _with_bad_bytes(REPORT_UTF8, (30, 120, 200))
    got = decode_text(data)
    assert got.encoding == "utf-8"
    assert got.text == expected
    assert got.text.count("\ufffd") == 3 and "“at least eleven rockets”" in got.text and "4 °C" in got.text
    # the offsets are where the bad bytes sit in the file: each earlier insertion shifts the next by one
    assert got.invalid_offsets == (30, 121, 202) and got.invalid_count == 3 and got.invalid_bytes == 3
    assert data[30] == data[121] == data[202] == 0xE9
    assert got.warning is not None
    assert "3 byte sequences (3 bytes) replaced with U+FFFD" in got.warning and "30, 121, 202" in got.warning
    assert decode_bytes(data) == (expected, "utf-8")


def test_many_bad_bytes_list_the_first_offsets_and_the_count() -> None:
    text = REPORT_UTF8 * 4
    data, _ = _with_bad_bytes(text, tuple(range(10, 10 + 40 * 8, 40)), b"\x92")  # 8 stray cp1252 apostrophes
    got = decode_text(data)
    assert got.encoding == "utf-8" and got.invalid_count == 8
    assert got.invalid_offsets == tuple(10 + 41 * i for i in range(SHOWN_OFFSETS))
    assert "8 byte sequences" in (got.warning or "") and f"(first {SHOWN_OFFSETS} shown)" in (got.warning or "")


def test_after_a_utf8_byte_order_mark_mostly_utf8_is_read_with_offsets_in_the_file() -> None:
    data, expected = _with_bad_bytes(REPORT_UTF8, (30, 120))
    got = decode_text(codecs.BOM_UTF8 + data)
    assert (got.text, got.encoding) == (expected, "utf-8-sig")
    assert got.invalid_offsets == (33, 124) and (codecs.BOM_UTF8 + data)[33] == 0xE9


def test_mostly_utf8_wins_over_a_declared_single_byte_charset_and_a_declared_utf8() -> None:
    data, expected = _with_bad_bytes(REPORT_UTF8, (50,))
    for declared in ("iso-8859-1", "windows-1252", "utf-8"):
        got = decode_text(data, declared)
        assert (got.text, got.encoding, got.invalid_offsets) == (expected, "utf-8", (50,))


def test_clean_utf8_and_legacy_text_carry_no_warning() -> None:
    assert decode_text(REPORT_UTF8.encode("utf-8")).warning is None
    assert decode_text(FRENCH.encode("cp1252")).warning is None
    assert decode_text(REPORT_UTF8.encode("utf-8") + "\ufffd".encode()).warning is None  # a U+FFFD written as such


# A Russian wire report, as an older Windows newsroom would save it: numbers, «guillemets», a dash, and the
# letter ё after capitals (Фёдор, ЛЁД), which in cp1251 happen to form a few valid UTF-8 sequences.
RUSSIAN_REPORT = (
    "МОСКВА, 8 января. Иранские военные выпустили по двум базам в Ираке не менее 15 ракет, сообщил "
    "представитель Пентагона Фёдор Иванов. «Пострадавших среди военнослужащих нет», — добавил он.\n"
    "По данным агентства, ракеты упали около 01:30 по местному времени; ЛЁД на взлётной полосе не помешал "
    "эвакуации. Ещё две ракеты не долетели до цели.\n"
)


def test_undeclared_windows_1251_russian_still_decodes_as_cp1251() -> None:
    data = RUSSIAN_REPORT.encode("cp1251")
    assert any(data[i : i + 2].decode("utf-8", "ignore") for i in range(len(data) - 1)
               if data[i] >= 0xC2)  # some byte pairs are valid UTF-8 by chance...
    got = decode_text(data)  # ...but most are not: clearly not UTF-8
    assert (got.text, got.encoding, got.warning) == (RUSSIAN_REPORT, "cp1251", None)


LATIN1_PAGE = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
    "<title>Météo à Genève</title></head><body><article><h1>Météo à Genève</h1>"
    "<p>Les prévisions annoncent de la neige à Genève et à Zürich jusqu’à jeudi, a déclaré le service "
    "météorologique. Les écoles resteront ouvertes, mais les trains régionaux circuleront au ralenti.</p>"
    "<p>Une élève interrogée près de la gare a dit qu’elle préférait le ski au cours de géographie.</p>"
    "</article></body></html>"
)


def test_declared_latin1_page_decodes_as_declared(tmp_path: Path) -> None:
    data = LATIN1_PAGE.replace("’", "'").encode("latin-1")
    got = decode_text(data, declared_charset(data))
    assert (got.encoding, got.warning) == ("cp1252", None) and "Météo à Genève" in got.text
    page = tmp_path / "meteo.html"
    page.write_bytes(data)
    article = read_document(page)
    assert isinstance(article, Article) and article.warnings == ()
    assert "neige à Genève et à Zürich" in article.text and "\ufffd" not in article.text


def test_a_file_with_bad_bytes_becomes_an_article_with_the_warning(tmp_path: Path) -> None:
    data, expected = _with_bad_bytes(REPORT_UTF8, (30, 120, 200))
    path = tmp_path / "base-report.txt"
    path.write_bytes(data)
    article, settled = read_document_settled(path)
    assert isinstance(article, Article)
    assert article.text == expected.strip()
    assert len(article.warnings) == 1 and "byte offsets 30, 121, 202" in article.warnings[0]
    assert not settled  # the manifest keeps no warnings: the file is read (and warned about) every run
    clean = tmp_path / "clean.txt"
    clean.write_text(REPORT_UTF8, encoding="utf-8")
    assert read_document_settled(clean)[1] is True


def test_a_mostly_binary_file_is_still_rejected(tmp_path: Path) -> None:
    blob = bytes(range(0x80, 0x100)) * 16 + b" a few words of text " + bytes(range(0xFF, 0x7F, -1)) * 16
    with pytest.raises(InputError, match="^cannot decode: "):
        decode_text(blob)  # high bytes only: no text in any encoding, and not UTF-8 with a few slips either
    noisy = tmp_path / "noise.txt"
    noisy.write_bytes(blob)
    rejected = read_document(noisy)
    assert isinstance(rejected, Rejected) and rejected.reason.startswith("cannot decode: ")
    dump = tmp_path / "dump.txt"
    dump.write_bytes(b"Header line\n" + bytes(range(256)) * 32)
    rejected = read_document(dump)
    assert isinstance(rejected, Rejected) and rejected.reason.startswith("binary content")
