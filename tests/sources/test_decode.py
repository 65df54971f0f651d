"""decode_bytes, declared_charset and looks_binary: encodings chosen right, binary told from text."""

from __future__ import annotations

import codecs
import gzip
import zipfile
from io import BytesIO

import pytest

from core.errors import InputError
from sources.decode import declared_charset, decode_bytes, looks_binary

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
