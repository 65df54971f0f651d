"""Split article text into paragraphs and sentences, keeping absolute character offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations whose final dot does not end a sentence.
_ABBREV = {
    "u.s", "u.n", "u.k", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "brig", "dr", "mr", "mrs", "ms",
    "st", "sen", "rep", "gov", "no", "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov",
    "dec", "a.m", "p.m", "inc", "corp", "vs", "approx", "est", "e.g", "i.e", "pres", "sec", "cmdr", "spc",
}
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_LINE = re.compile(r"[^\n]+")
# A "sentence" longer than this (a table dump, a transcript or a page whose text came out as one run) is cut into
# pieces at a comma or a space: every rule reads a sentence at least once per figure in it, so one unbounded run
# made extraction time grow with the square of its length. Real sentences stay far below it (the longest among
# the bundled reports has 420 characters).
MAX_SENTENCE = 1000
_CUT = re.compile(r".*[,;]\s|.*\s", re.DOTALL)
_END = re.compile(r"[.!?]+[”\"’')\]]*(?=\s+[“\"‘'(\[]?[A-Z0-9])|[.!?]+[”\"’')\]]*\s*$")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


def split_sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    pos = 0
    for p_idx, para in enumerate(_PARAGRAPH_BREAK.split(text)):
        p_start = text.find(para, pos)
        pos = p_start + len(para)
        # single newlines inside a paragraph end a sentence only after a line without final punctuation
        for line_m in _LINE.finditer(para):
            line, base = line_m.group(), p_start + line_m.start()
            cur = 0
            for m in _END.finditer(line):
                word = _word_before(line, cur, m.start())
                if word and m.group().startswith(".") and word.lower().rstrip(".") in _ABBREV:
                    continue
                if len(word) == 1 and "A" <= word <= "Z":  # initials: "Mark T. Esper"
                    continue
                _add(out, line, cur, m.end(), base, p_idx)
                cur = m.end()
            _add(out, line, cur, len(line), base, p_idx)
    return out


def _word_before(line: str, lo: int, hi: int) -> str:
    """The run of word characters and dots that ends at `hi` (not before `lo`); "" if none."""
    i = hi
    while i > lo and ((c := line[i - 1]).isalnum() or c == "_" or c == "."):
        i -= 1
    return line[i:hi]


def _add(out: list[Sentence], line: str, s: int, e: int, base: int, para: int) -> None:
    while e - s > MAX_SENTENCE:
        cut = _CUT.match(line, s + MAX_SENTENCE // 2, s + MAX_SENTENCE)  # the last comma, else space, in reach
        end = cut.end() if cut else s + MAX_SENTENCE
        _add(out, line, s, end, base, para)
        s = end
    chunk = line[s:e]
    lead = len(chunk) - len(chunk.lstrip())
    chunk = chunk.strip()
    if chunk:
        start = base + s + lead
        out.append(Sentence(start, start + len(chunk), chunk, para))
