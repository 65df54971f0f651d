"""Bytes to text: pick the encoding of a document, and tell binary content from text.

One job: turn raw bytes (a local file, an HTTP body) into a `str` without mojibake, or say why not.

Order in `decode_text` (and `decode_bytes`, which returns its text and encoding only):

1. a byte-order mark (UTF-8, UTF-16, UTF-32); after a UTF-8 one, mostly-UTF-8 bytes are read as in 4;
2. the declared charset (HTTP header, or `<meta charset>` found with `declared_charset`), if it decodes
   cleanly -- except that a single-byte declared charset (latin-1, cp1252, ...) loses to UTF-8 when the
   bytes hold non-ASCII and are UTF-8 (strictly, or mostly, see 4): legacy single-byte text is almost never
   valid UTF-8 by chance, while pages that declare latin-1 and send UTF-8 are common (decoding those as
   latin-1 gives "cafÃ©"). A declared ISO-8859-1 or US-ASCII is read as windows-1252, as browsers do
   (WHATWG);
3. strict UTF-8;
4. **mostly UTF-8**: the bytes hold valid multi-byte UTF-8 characters and at most as many invalid
   sequences as valid ones. They are decoded as UTF-8, each invalid sequence becoming one U+FFFD, and the
   result carries a warning with the count and the first byte offsets (`Decoded.warning`). Legacy text read
   as UTF-8 is nothing like that: Russian in cp1251 or koi8-r, Greek, Polish or French in their legacy
   code pages give 90-100 % invalid sequences among their non-ASCII ones;
5. a legacy guess, only for bytes that are clearly not UTF-8 (no valid multi-byte character, or more
   invalid sequences than valid ones): windows-1252 when it decodes cleanly and the result reads like
   Western text (few accented letters, no symbols wedged inside words), otherwise charset-normalizer's
   best match. charset-normalizer alone names cp1250/cp1257 for short French or English cp1252 text and
   can garble it ("Déją vu"), so the common Western case is checked first;
6. otherwise `InputError("cannot decode: ...")`.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

from charset_normalizer import from_bytes

from core.errors import InputError

# Longest first: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Declared labels that browsers read as windows-1252 (WHATWG Encoding Standard).
_READ_AS_CP1252 = frozenset({"latin_1", "iso8859-1", "ascii", "cp1252"})

# (magic prefix, kind) for the binary formats most often dropped into a folder of reports by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"PK\x03\x04", "ZIP (or a .docx/.odt/.epub, which are ZIP files)"),
    (b"PK\x05\x06", "ZIP (or a .docx/.odt/.epub, which are ZIP files)"),
    (b"\x1f\x8b", "gzip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (.doc/.xls)"),
    (b"{\\rtf", "RTF"),
)
MAGIC_KINDS = frozenset(kind for _, kind in _MAGIC)

_SNIFF_BYTES = 8192
# Control bytes that never appear in text (tab, newline, CR, FF, VT are text; so is ^Z, a DOS end-of-file).
_CONTROL = frozenset(set(range(0x00, 0x09)) | set(range(0x0E, 0x20)) | {0x7F}) - {0x1A}
_CONTROL_BYTES = bytes(sorted(_CONTROL))

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})""")

# Non-letters that sit inside Western words: apostrophes, dashes, middle dot (Catalan l·l).
_INWORD_OK = frozenset("’‘–—·")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def looks_binary(data: bytes) -> str | None:
    """Name the kind of binary content in `data` ("PDF", "PNG", "NUL bytes", ...), or None for text.

    Only the first 8 KB are looked at. Text with a UTF-16/32 byte-order mark is text (its NULs are
    part of the encoding); UTF-16 without a mark is reported as "NUL bytes".
    """
    head = data[:_SNIFF_BYTES]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8)):
        return None
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"\x00" in head:
        return "NUL bytes"
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))  # in C: a loop over bytes was 1 s per 10k files
    if controls > max(2, len(head) // 100):
        return "control characters"
    return None


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML/XML document declares in its first 8 KB (`<meta charset>`, http-equiv,
    `<?xml encoding>`), or None. Pass it to `decode_bytes` when no HTTP header gave one."""
    head = data[:_SNIFF_BYTES]
    m = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii").strip().lower() if m else None


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text, the encoding used, and the invalid UTF-8 sequences replaced on the way (none, mostly)."""

    text: str
    encoding: str
    invalid_offsets: tuple[int, ...] = ()  # byte offsets of the first SHOWN_OFFSETS invalid sequences
    invalid_count: int = 0  # invalid sequences replaced, each by one U+FFFD
    invalid_bytes: int = 0  # bytes in them

    @property
    def warning(self) -> str | None:
        """What was repaired, as one sentence for the record, or None when nothing was."""
        if not self.invalid_count:
            return None
        shown = ", ".join(str(o) for o in self.invalid_offsets)
        more = f" (first {len(self.invalid_offsets)} shown)" if self.invalid_count > len(self.invalid_offsets) else ""
        seqs = "sequence" if self.invalid_count == 1 else "sequences"
        return (f"invalid UTF-8: {self.invalid_count} byte {seqs} ({self.invalid_bytes} bytes) replaced with U+FFFD "
                f"at byte offset{'s' if self.invalid_count > 1 else ''} {shown}{more}; the rest read as UTF-8")


SHOWN_OFFSETS = 5  # invalid sequences whose byte offsets a warning lists
REPLACEMENT = "\ufffd"
_ENCODED_REPLACEMENT = REPLACEMENT.encode("utf-8")


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode `data` into (text, encoding used). Raises InputError("cannot decode: ...") if nothing fits.
    Mostly-UTF-8 bytes come back with U+FFFD in place of their invalid sequences; `decode_text` also says where."""
    got = decode_text(data, declared)
    return got.text, got.encoding


def decode_text(data: bytes, declared: str | None = None) -> Decoded:
    """Decode `data` (see the module's order). Raises InputError("cannot decode: ...") if nothing fits."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError as e:
                lenient = _utf8_lenient(data[len(bom) :], shift=len(bom)) if encoding == "utf-8-sig" else None
                if lenient is not None:
                    return Decoded(lenient.text, encoding, lenient.invalid_offsets, lenient.invalid_count,
                                   lenient.invalid_bytes)
                raise InputError(f"cannot decode: byte-order mark says {encoding} but {e.reason}") from e

    is_ascii = data.isascii()
    utf8 = Decoded(data.decode("ascii"), "utf-8") if is_ascii else _utf8_lenient(data)

    declared_name = _lookup(declared) if declared else None
    if declared_name:
        if declared_name in _READ_AS_CP1252:
            declared_name = "cp1252"
        if utf8 is not None and not is_ascii and _is_single_byte(declared_name):
            return utf8
        if declared_name != "utf-8" or utf8 is None:
            text = _try_decode(data, declared_name)
            if text is not None:
                return Decoded(text, declared_name)

    if utf8 is not None:
        return utf8

    cp1252 = _try_decode(data, "cp1252")
    if cp1252 is not None and _reads_as_western(cp1252):
        return Decoded(cp1252, "cp1252")

    best = from_bytes(data).best()
    if best is not None:
        return Decoded(str(best), _lookup(best.encoding) or best.encoding)

    detail = f"declared {declared!r} does not fit, " if declared else ""
    raise InputError(f"cannot decode: {detail}not UTF-8 and no known encoding fits the bytes")


def _utf8_lenient(data: bytes, *, shift: int = 0) -> Decoded | None:
    """`data` as UTF-8 when it is UTF-8 or mostly UTF-8 (valid multi-byte characters, and no more invalid
    sequences than valid ones), each invalid sequence replaced by one U+FFFD; None when the bytes are clearly
    not UTF-8. The counting is done on the decoded text (a U+FFFD the bytes spell out themselves is not
    counted as a replacement); only the first few offsets are looked for one by one, and reported `shift`
    bytes further on (past a byte-order mark cut off before)."""
    text = data.decode("utf-8", "replace")
    replaced = text.count(REPLACEMENT) - data.count(_ENCODED_REPLACEMENT)
    if replaced == 0:
        return Decoded(text, "utf-8")
    valid = len(text) - len(text.encode("ascii", "ignore")) - replaced  # valid multi-byte characters
    if valid == 0 or replaced > valid:
        return None
    invalid_bytes = len(data) - (len(text.encode("utf-8")) - len(_ENCODED_REPLACEMENT) * replaced)
    offsets = tuple(o + shift for o in _invalid_offsets(data, SHOWN_OFFSETS))
    return Decoded(text, "utf-8", offsets, replaced, invalid_bytes)


def _invalid_offsets(data: bytes, limit: int) -> tuple[int, ...]:
    """Byte offsets where the first `limit` invalid UTF-8 sequences start (the strict decoder's own verdict,
    so they are where `errors="replace"` put its U+FFFD)."""
    view = memoryview(data)
    found: list[int] = []
    pos = 0
    while len(found) < limit:
        try:
            codecs.utf_8_decode(view[pos:], "strict", True)
            break
        except UnicodeDecodeError as e:
            found.append(pos + e.start)
            pos += e.end
    return tuple(found)


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _lookup(label: str) -> str | None:
    """Python's canonical codec name for a charset label, or None for an unknown label."""
    try:
        return codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None


@lru_cache(maxsize=64)
def _is_single_byte(encoding: str) -> bool:
    """True for codecs mapping each byte to one character (latin-1, cp1252, koi8-r, ...)."""
    try:
        return len(bytes(range(256)).decode(encoding, errors="replace")) == 256
    except LookupError:
        return False


def _reads_as_western(text: str) -> bool:
    """Does text decoded as cp1252 look like a Western European language rather than mojibake?

    Western text is mostly ASCII letters with a few accented ones. Cyrillic, Greek or Polish bytes read as
    cp1252 give mostly accented capitals ("ÏÐÉ×ÅÔ") or symbols inside words ("z³oty", "mo¿e").
    """
    ascii_letters = len(_ASCII_LETTER.findall(text))
    if ascii_letters == 0:
        return False
    other_letters = 0
    last = len(text) - 1
    for m in _NON_ASCII.finditer(text):
        ch, i = m.group(), m.start()
        if ch.isalpha():
            other_letters += 1
            if other_letters * 3 > ascii_letters:  # over a quarter of all letters
                return False
        elif ch not in _INWORD_OK and 0 < i < last and text[i - 1].isalpha() and text[i + 1].isalpha():
            return False
    return True
