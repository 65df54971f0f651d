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
from bisect import bisect_left, bisect_right
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
        digit_names = tuple(dict.fromkeys(digit))
        table = {w: (tuple(dict.fromkeys([*by_word.get(w, ()), *(digit_names if _digit_led(w) else ())])),
                     {w2: tuple(ns) for w2, ns in by_pair[w].items()} if w in by_pair else None)
                 for w in {*by_word, *by_pair}}
        return cls(table, digit_names)


def is_word_char(c: str) -> bool:
    """What `\\w` matches: a letter, digit or underscore."""
    return c.isalnum() or c == "_"


def _digit_led(word: str) -> bool:
    c = word[:1]
    return bool(c) and (c <= "9" or (c > "z" and c.isdigit()))


def _add(at: dict[str, list[int]], names: tuple[str, ...], pos: int) -> None:
    """Record that each named pattern may start at `pos` (positions come in order; each once)."""
    for n in names:
        got = at.get(n)
        if got is None:
            at[n] = [pos]
        elif got[-1] != pos:
            got.append(pos)


class SentenceIndex:
    """The words of one sentence and, per gated pattern, the offsets where a match may start."""

    __slots__ = ("low", "words", "at", "exact", "gates", "_starts", "_ends")

    def __init__(self, text: str, gates: Gates) -> None:
        low = text.lower()
        self.low = low
        self.gates = gates
        self._starts: list[int] | None = None  # word spans, made on first need (windows that cut a word)
        self._ends: list[int] = []
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
                _add(at, names, prev)
            entry = table.get(w)
            if entry is None:
                pairs = None
                c = w[0]
                if digit and (c <= "9" or (c > "z" and c.isdigit())):  # _digit_led, inlined
                    names, p = digit, m.start()
                else:
                    continue
            else:
                names, pairs = entry
                p = prev = m.start()
            for n in names:  # _add, inlined: this runs for most words of every sentence
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
        return (a.isalnum() or a == "_") and (b.isalnum() or b == "_")  # is_word_char twice, inlined: a hot path

    def _word_at(self, i: int) -> int:
        """The number of the word that position i falls inside (i must be inside a word)."""
        if self._starts is None:
            spans = [m.span() for m in _WORD.finditer(self.low)]
            self._starts = [a for a, _ in spans]
            self._ends = [b for _, b in spans]
        return bisect_right(self._starts, i) - 1

    def _names(self, word: str) -> tuple[str, ...]:
        """The patterns a one-word phrase `word` starts (digit-led words: the digit patterns)."""
        entry = self.gates.table.get(word)
        if entry is not None:
            return entry[0]
        return self.gates.digit if _digit_led(word) else ()

    def _pair_names(self, first: str, second: str) -> tuple[str, ...]:
        """The patterns a longer phrase starting with these two words starts."""
        entry = self.gates.table.get(first)
        return entry[1].get(second, ()) if entry is not None and entry[1] is not None else ()

    def _cut_starts(self, name: str, hi: int) -> list[int]:
        """Where a match of `name` ending at `hi` inside a word may start: the word cut short ("missile" of
        "missiles"), or the word before it when the two start a phrase."""
        k = self._word_at(hi)
        starts, ends, low = self._starts, self._ends, self.low
        assert starts is not None
        piece = low[starts[k] : hi]
        out = []
        if k > 0 and name in self._pair_names(low[starts[k - 1] : ends[k - 1]], piece):
            out.append(starts[k - 1])
        if name in self._names(piece):
            out.append(starts[k])
        return out

    def positions(self, name: str, lo: int = 0, hi: int | None = None) -> list[int]:
        """Where a match of pattern `name` over text[lo:hi] (as pos/endpos) may start: its indexed words in the
        range, plus, when `hi` cuts a word, where a phrase ending in the cut piece would start."""
        pos = self.at.get(name, [])
        if lo or hi is not None:
            a = bisect_left(pos, lo) if lo else 0
            b = len(pos) if hi is None else bisect_left(pos, hi)
            pos = pos[a:b]
            if hi is not None and self._inside_word(hi):
                extra = [p for p in self._cut_starts(name, hi) if p >= lo and p not in pos]
                if extra:
                    pos = sorted([*pos, *extra])
        return pos

    def may(self, name: str, lo: int = 0, hi: int | None = None) -> bool:
        """Whether pattern `name` can match anywhere in the *slice* text[lo:hi]. A slice sees no word before lo,
        so a window starting inside a word may match at lo: on the rest of that word, alone or followed by the
        next word."""
        if not self.exact:
            return True
        if lo and self._inside_word(lo):
            # the rest of the word lo falls in, alone or with the next word
            k = self._word_at(lo)
            starts, ends, low = self._starts, self._ends, self.low
            assert starts is not None
            end = ends[k] if hi is None else min(ends[k], hi)
            piece = low[lo:end]
            if name in self._names(piece):
                return True
            if k + 1 < len(starts) and (hi is None or starts[k + 1] < hi):
                second = low[starts[k + 1] : ends[k + 1] if hi is None else min(ends[k + 1], hi)]
                if name in self._pair_names(piece, second):
                    return True
            if hi is not None and end >= hi:
                return False
            lo = end
        # bool(self.positions(name, lo, hi)) without building the list: an indexed start in range, else a phrase
        # cut short at hi
        pos = self.at.get(name)
        if pos:
            a = bisect_left(pos, lo) if lo else 0
            if a < len(pos) and (hi is None or pos[a] < hi):
                return True
        return hi is not None and self._inside_word(hi) and any(p >= lo for p in self._cut_starts(name, hi))

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
