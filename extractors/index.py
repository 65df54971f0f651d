"""One tokenisation pass per sentence, and where each word-list pattern can possibly match.

The extractor's patterns are alternations of vocabulary phrases ("(?<![\\w.])(?:fired|launched|...)"), and
Python's regular-expression engine tries such an alternation at every character of the text: a dozen of
them over every sentence were most of the extractor's time. A match of a pattern that begins with a word
boundary (a look-behind for a word character, or `\\b`) can only start where a word starts, and that word,
lower-cased, is the first word of one of its phrases. One pass over the sentence's words (a dictionary
lookup per word) gives every pattern its few possible start positions; the pattern is then matched at
those positions only (`Pattern.match(text, pos, endpos)`), which finds exactly what `finditer` or `search`
over the whole text would find. A phrase of several words is looked up by its first two words ("the
Pentagon" by "the pentagon", not by every "the").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

_WORD = re.compile(r"\w+")
DIGIT = "#digit"  # pseudo-word: a pattern listed under it may start at any token that starts with a digit


def first_runs(phrase: str) -> tuple[str, ...] | None:
    """The lower-case words (runs of word characters) a phrase starts with, at most two ("U.S.-led" -> ("u", "s"));
    None if it does not start with a word character."""
    low = phrase.strip().lower()
    if not _WORD.match(low):
        return None
    return tuple(_WORD.findall(low)[:2])


@dataclass(frozen=True, slots=True)
class Gates:
    """For each gated pattern, the words (or pairs of words) its matches can start with, as one lookup."""

    # lower-case word -> (names of the patterns a one-word phrase of it starts,
    #                     next word -> names of the patterns a longer phrase starting with the two words starts)
    table: dict[str, tuple[tuple[str, ...], dict[str, tuple[str, ...]] | None]]
    digit: tuple[str, ...]  # names of the patterns a digit-led token can start

    @classmethod
    def build(cls, phrases_of: dict[str, Iterable[str]]) -> Gates:
        """`phrases_of`: pattern name -> the phrases it matches (a phrase here may also stand for any longer one
        starting with it); DIGIT among them = any token that starts with a digit."""
        by_word: dict[str, list[str]] = {}
        by_pair: dict[str, dict[str, list[str]]] = {}
        digit: list[str] = []
        for name, phrases in phrases_of.items():
            for p in phrases:
                if p == DIGIT:
                    digit.append(name)
                    continue
                runs = first_runs(p)
                if runs is None:
                    raise ValueError(f"pattern {name!r}: phrase {p!r} does not start with a word character")
                names = (by_word.setdefault(runs[0], []) if len(runs) == 1
                         else by_pair.setdefault(runs[0], {}).setdefault(runs[1], []))
                if name not in names:
                    names.append(name)
        table = {w: (tuple(by_word.get(w, ())),
                     {w2: tuple(ns) for w2, ns in by_pair[w].items()} if w in by_pair else None)
                 for w in {*by_word, *by_pair}}
        return cls(table, tuple(dict.fromkeys(digit)))


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


class SentenceIndex:
    """The words of one sentence and, per gated pattern, the offsets where a match may start."""

    __slots__ = ("low", "words", "at", "exact")

    def __init__(self, text: str, gates: Gates) -> None:
        low = text.lower()
        self.low = low
        # lower() can change a string's length (a few non-ASCII letters): offsets would not line up, so every
        # pattern is then tried everywhere in this sentence
        self.exact = len(low) == len(text)
        at: dict[str, list[int]] = {}
        words: list[str] = []
        table, digit = gates.table, gates.digit
        pairs: dict[str, tuple[str, ...]] | None = None  # the pair lookup of the previous word
        prev = 0  # ... and where that word starts
        for m in _WORD.finditer(low):
            w = m.group()
            words.append(w)
            if pairs is not None and (names := pairs.get(w)):
                # the previous word's position, added before this word's: every list stays in order
                for n in names:
                    got = at.get(n)
                    if got is None:
                        at[n] = [prev]
                    elif got[-1] != prev:
                        got.append(prev)
            entry = table.get(w)
            if entry is None:
                pairs = None
                c = w[0]
                if digit and (c <= "9" or (c > "z" and c.isdigit())):
                    names, p = digit, m.start()
                else:
                    continue
            else:
                names, pairs = entry
                p = prev = m.start()
            for n in names:
                got = at.get(n)
                if got is None:
                    at[n] = [p]
                elif got[-1] != p:
                    got.append(p)
        self.words = frozenset(words)
        self.at = at

    def has_word(self, words: frozenset[str]) -> bool:
        """Whether any of these lower-case words occurs (always True when offsets are not exact)."""
        return not self.exact or not words.isdisjoint(self.words)

    def _inside_word(self, i: int) -> bool:
        """Whether position i falls strictly inside a word."""
        low = self.low
        if not 0 < i < len(low):
            return False
        a, b = low[i - 1], low[i]
        return (a.isalnum() or a == "_") and (b.isalnum() or b == "_")

    def _starts_before(self, i: int) -> list[int]:
        """The start of the word that i falls inside, and the start of the word before it."""
        low = self.low
        out: list[int] = []
        j = i
        for _ in range(2):
            while j > 0 and not _is_word_char(low[j - 1]):
                j -= 1
            if j == 0:
                break
            while j > 0 and _is_word_char(low[j - 1]):
                j -= 1
            out.append(j)
        return out

    def positions(self, name: str, lo: int = 0, hi: int | None = None) -> list[int]:
        """Where a match of pattern `name` over text[lo:hi] (as pos/endpos) may start: its indexed words in the
        range, plus the start of a word that `hi` cuts and of the word before it (a cut word could end a shorter
        vocabulary phrase)."""
        pos = self.at.get(name, [])
        if lo or hi is not None:
            a = bisect_left(pos, lo) if lo else 0
            b = len(pos) if hi is None else bisect_left(pos, hi)
            pos = pos[a:b]
            if hi is not None and self._inside_word(hi):
                extra = [s for s in self._starts_before(hi) if s >= lo and s not in pos]
                if extra:
                    pos = sorted([*pos, *extra])
        return pos

    def may(self, name: str, lo: int = 0, hi: int | None = None) -> bool:
        """Whether pattern `name` can match anywhere in the *slice* text[lo:hi] (a slice sees no word before
        lo, so a window that starts inside a word may match there too)."""
        if not self.exact:
            return True
        if lo and self._inside_word(lo):
            return True
        return bool(self.positions(name, lo, hi))

    def finditer(self, name: str, rx: re.Pattern[str], text: str, lo: int = 0,
                 hi: int | None = None) -> list[re.Match[str]]:
        """Exactly the matches `rx.finditer(text, lo, hi)` yields, trying only the possible start positions."""
        if not self.exact:
            return list(rx.finditer(text, lo) if hi is None else rx.finditer(text, lo, hi))
        if name not in self.at and (hi is None or not self._inside_word(hi)):
            return []
        out: list[re.Match[str]] = []
        end = -1
        for p in self.positions(name, lo, hi):
            if p < end:
                continue
            m = rx.match(text, p) if hi is None else rx.match(text, p, hi)
            if m is not None:
                end = m.end()
                out.append(m)
        return out

    def search(self, name: str, rx: re.Pattern[str], text: str, lo: int = 0,
               hi: int | None = None) -> re.Match[str] | None:
        """Exactly what `rx.search(text, lo, hi)` returns, trying only the possible start positions."""
        if not self.exact:
            return rx.search(text, lo) if hi is None else rx.search(text, lo, hi)
        if name not in self.at and (hi is None or not self._inside_word(hi)):
            return None
        for p in self.positions(name, lo, hi):
            m = rx.match(text, p) if hi is None else rx.match(text, p, hi)
            if m is not None:
                return m
        return None
