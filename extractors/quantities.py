"""Find quantities in a sentence: numerals, number words, ranges, bounds and vague quantifiers.

Each quantity becomes an Interval per the vocabulary's tables ("more than a dozen" -> [13, open]).
Numbers that are dates, clock times, model names, percentages or measures are skipped.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from core.records import Interval
from extractors.index import SentenceIndex
from extractors.vocabulary import Vocabulary, norm_key, phrase_pattern

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}
_UNIT = "|".join(sorted(UNITS, key=len, reverse=True))
_TEN = "|".join(TENS)
_SMALL = rf"(?:(?:{_TEN})(?:[\s-](?:{_UNIT}))?|{_UNIT})"
WORD_NUM = rf"(?:(?:a|one|{_SMALL})\s+(?:hundred|thousand)(?:\s+(?:and\s+)?{_SMALL})?|{_SMALL})"
DIGIT_NUM = r"\d{1,3}(?:,\d{3})+(?![\d,])|\d+(?:\.\d+)?"
NUM = rf"(?:{DIGIT_NUM}|{WORD_NUM})"
_DIGIT_NUM = re.compile(DIGIT_NUM)
_HYPHEN_WORD = re.compile(r"-([A-Za-z]+)")
_SEPARATORS = re.compile(r"[\s-]+")
# "rose from 83 to 117": a change from one figure to another
_FROM_BEFORE = re.compile(r"\b(?:rose|risen|rising|increased|climbed|jumped|grew|fell|dropped|declined|revised|raised|"
                          r"lowered|went|gone|up|down|changed|corrected)\b[^.;]{0,40}?\bfrom\s+$", re.IGNORECASE)
_AGE_BEFORE = re.compile(r"\b(?:younger|older)\s+than$|\b(?:under|below|over|above)\s+the\s+age\s+of$|"
                         r"\baged\s+(?:between\s+)?$|\bages?\s+(?:of\s+)?$|\ball\s+(?:of\s+them\s+)?under$",
                         re.IGNORECASE)
_NOT_RIGHT_BEFORE = re.compile(r"\bnot\s+$", re.IGNORECASE)
_YEAR = re.compile(r"(?:19|20)\d\d")

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
# Words right before a number that make it a date, a designation or a label ("Jan. 8", "Article 51", "Route 10",
# "Brigade 8", "aged 68"), as a set of lower-case words (a trailing dot dropped)
_BAD_BEFORE_WORDS = frozenset({
    "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july", "aug",
    "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december", "article", "no",
    "nos", "resolution", "page", "route", "flight", "aged", "age", "number", "model", "version", "mark", "mk",
    "type", "block", "phase", "unit", "gate", "pier", "terminal", "hangar", "building", "sector", "zone", "level",
    "chapter", "section", "highway", "road", "line", "platform", "tower", "outpost", "brigade", "battalion",
    "regiment", "division", "corps", "squadron", "fleet", "group", "camp", "base", "site",
})
_CURRENCY = frozenset("$£€#№")
# A digit number right after a capitalised word is part of a name ("Outpost 9", "Zolfaghar 2", "Brigade 8",
# "Flight 752", "Khorramshahr 4"), unless that word is one that starts or bounds a count ("Some 30", "Nearly 40").
_NOT_NAME_WORDS = frozenset({
    "a", "about", "after", "again", "all", "almost", "along", "also", "although", "among", "an", "and", "another",
    "any", "approximately", "around", "as", "at", "because", "before", "between", "both", "but", "by", "circa",
    "during", "each", "even", "every", "exactly", "fewer", "for", "from", "further", "here", "how", "if", "in",
    "including", "into", "just", "killing", "last", "less", "like", "many", "more", "most", "much", "nearly", "nine",
    "no", "nor", "not", "now", "of", "on", "once", "only", "or", "other", "over", "overall", "perhaps", "plus",
    "possibly", "precisely", "reportedly", "roughly", "since", "so", "some", "still", "such", "than", "that", "the",
    "then", "there", "these", "they", "this", "those", "though", "through", "to", "total", "totally", "under",
    "until", "up", "upwards", "when", "where", "whereas", "which", "while", "who", "with", "within", "yet",
    "yesterday", "today", "tonight", "altogether", "together", "officially", "initially", "later", "earlier",
    "meanwhile", "separately", "additionally", "first", "second", "third", "finally", "ultimately",
    "in all", "out", "off", "according", "said", "says", "say", "told", "killed", "wounded", "injured",
    "hit", "fired", "launched", "struck", "landed", "intercepted", "were", "was", "are", "is", "had", "have", "has",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "we", "i", "you", "he", "she",
    "it", "our", "their", "his", "her", "its", "my", "your", "us", "them", "him", "me",
})
_BAD_AFTER = re.compile(
    r"^(?:\s*(?:%|percent|per\s?cent|km|kilomet|mile|meter|metre|feet|foot|ft\b|kg|pounds|tons|tonnes|"
    r"a\.m|p\.m|am\b|pm\b|gmt|utc|hours|hour|minutes|minute|seconds|days|day|weeks|week|months|month|"
    r"years|year|yards|dollars|euros|pounds?\s+sterling|million|billion|trillion|times\b|st\b|nd\b|rd\b|th\b|"
    r":\d|\.\d|/|-year|-day|-hour|-minute|-week|-month|-kilomet|-mile|-meter|-metre|-foot|-feet|-pound|-lb|-kg|"
    r"-kilo|-ton|-tonne|-inch|-mm|-millimet|-cm|-km|mm\b|cm\b|lbs?\b|kilos?\b|inch|nautical|knots?\b|mph\b|"
    r"km/h|degrees|°|-story|-storey|-floor|-member|-strong|-nation|-country|-point|-page|"
    rf"(?:,\s*)?(?:19|20)\d\d\b|\s+{_MONTHS}(?![\w]))|(?:st|nd|rd|th)\b)",
    re.IGNORECASE,
)


def _bad_context(sentence: str, start: int, end: int) -> bool:
    """A date, clock time, name or designation, measure or percentage around the number (short windows only)."""
    if _BAD_AFTER.match(sentence[end : end + 24]):
        return True
    if start == 0:
        return False
    before = sentence[max(0, start - 40) : start]
    prev = before[-1]
    if prev.isalpha() or prev == "-" and len(before) > 1 and before[-2].isalpha():
        return True  # "F-35", "PS752": letters glued to the number
    trimmed = before.rstrip()
    if not trimmed:
        return False
    if trimmed[-1] in _CURRENCY:
        return True
    cut = max(trimmed.rfind(" "), trimmed.rfind("\n"), trimmed.rfind("\t")) + 1
    word = trimmed[cut:]
    low = word.lower().rstrip(".")
    if low in _BAD_BEFORE_WORDS or (low == "force" and trimmed.lower().endswith("task force")):
        return True
    if _AGE_BEFORE.search(trimmed):
        return True  # "all of them younger than 15", "children under the age of 10": an age
    if sentence[start].isdigit() and word[:1].isupper() and word.isalpha() and before[-1] in " \u00a0":
        return low not in _NOT_NAME_WORDS  # "Outpost 9", "Zolfaghar 2": part of a name
    return False


@lru_cache(maxsize=4096)
def parse_number(s: str) -> float | None:
    s = s.strip().lower()
    if _DIGIT_NUM.fullmatch(s):
        return float(s.replace(",", ""))
    total, current = 0.0, 0.0
    for w in _SEPARATORS.split(s):
        if w == "and":
            continue
        if w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w == "a":
            current += 1
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
    return total + current


@dataclass(frozen=True, slots=True)
class Quantity:
    start: int  # offsets within the sentence
    end: int
    value: Interval


def _bounded(n: float, bound: str | None, text: str) -> Interval:
    if bound == "at_least":
        return Interval(n, None, "at_least", text)
    if bound == "more_than":
        return Interval(n + 1, None, "at_least", text)
    if bound == "at_most":
        return Interval(0, n, "at_most", text)
    if bound == "fewer_than":
        return Interval(0, max(n - 1, 0), "at_most", text)
    if bound == "approx":
        return Interval(math.floor(round(0.9 * n, 6)), math.ceil(round(1.1 * n, 6)), "approx", text)
    if bound == "nearly":
        return Interval(math.floor(round(0.9 * n, 6)), max(n - 1, 0), "approx", text)
    return Interval(n, n, "exact", text)


class QuantityFinder:
    """Compiled per vocabulary; `find(sentence)` returns quantities left to right."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.bound_of = {re.sub(r"[\s-]+", " ", w.lower()): k for k, ws in vocab.bounds.items() for w in ws}
        bound = phrase_pattern(list(self.bound_of))
        vague = phrase_pattern(list(vocab.quantifiers))
        self.rx = re.compile(
            rf"(?<![\w.,-])(?:(?P<vague>{vague})"
            rf"|(?:(?P<bound>{bound})\s+)?(?:(?P<bvague>{vague})"
            rf"|between\s+(?P<b1>{NUM})\s+and\s+(?P<b2>{NUM})"
            rf"|(?P<n1>{NUM})(?:\s*(?:to|-|–|or)\s*(?P<n2>{NUM}))?))"
            rf"(?![\w]|,\d)",
            re.IGNORECASE,
        )
        words = {w.split()[0].lower() for w in [*self.bound_of, *vocab.quantifiers] if w.split()}
        words |= set(UNITS) | set(TENS) | {"between", "a", "one"}
        # a match starts with one of these phrases, or with a digit
        self.first_words = (*self.bound_of, *vocab.quantifiers, *UNITS, *TENS, "between", "one", "a hundred",
                            "a thousand")
        self.cue = re.compile(r"\d|\b(?:" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + r")\b",
                              re.IGNORECASE)

    def _counts_after_hyphen(self, sentence: str, pos: int) -> bool:
        """ "22-missile barrage": a number joined by a hyphen to what it counts (a munition or people noun)."""
        word = _HYPHEN_WORD.match(sentence, pos)
        if word is None:
            return True  # "15-20" and the like are read by the pattern itself
        key = norm_key(word.group(1))
        v = self.vocab
        return key in v.munitions or key in {norm_key(p) for p in v.people} or key.rstrip("s") in v.munitions

    def find(self, sentence: str, index: SentenceIndex | None = None) -> list[Quantity]:
        """Quantities left to right; `index` = the sentence's word index (pattern "quantity") if the caller has one."""
        out: list[Quantity] = []
        if index is not None:
            found = index.finditer("quantity", self.rx, sentence)
        elif not self.cue.search(sentence):
            return out  # no digit, number word or quantifier word: nothing to parse
        else:
            found = self.rx.finditer(sentence)
        for m in found:
            text = m.group().strip()
            bound = self.bound_of.get(norm_key(m.group("bound"))) if m.group("bound") else None
            vague = m.group("vague") or m.group("bvague")
            if vague:
                if _bad_context(sentence, m.start(), m.end()):
                    continue
                low, high, qual = self.vocab.quantifiers[norm_key(vague)]
                if bound and high is not None:  # "at least a dozen": the bound applies to the centre, 12
                    centre = round((low + high) / 2)
                    out.append(Quantity(m.start(), m.end(), _bounded(centre, bound, text)))
                    continue
                if bound in ("at_least", "more_than"):
                    high, qual = None, "at_least"
                elif bound in ("at_most", "fewer_than"):
                    low, qual = 0, "at_most"
                out.append(Quantity(m.start(), m.end(), Interval(low, high, qual, text)))
                continue
            first = m.group("b1") or m.group("n1")
            second = m.group("b2") or m.group("n2")
            if sentence[m.end() : m.end() + 1] == "-" and not self._counts_after_hyphen(sentence, m.end()):
                continue  # "one-way attack drones", "two-story house": a compound word, not a count
            num_start = m.start("b1") if m.group("b1") else m.start("n1")
            if _bad_context(sentence, num_start, m.end()):
                continue
            if first.lower() == "one" and _NOT_RIGHT_BEFORE.search(sentence, max(0, num_start - 6), num_start):
                continue  # "not one missile was fired": a negation, read as zero by the claim rules
            a = parse_number(first)
            if a is None:
                continue
            if first.lower() == "a" or (not bound and not second and _YEAR.fullmatch(first)):
                continue  # a bare "a", or a year
            if second and m.group("n2") and _FROM_BEFORE.search(sentence, max(0, m.start() - 60), m.start()) and \
                    re.match(r"\s*to\b", sentence[m.end("n1") : m.start("n2")], re.IGNORECASE):
                # "rose from 83 to 117": two figures, the earlier and the later, not a range
                b = parse_number(second)
                if b is not None:
                    out.append(Quantity(m.start("n1"), m.end("n1"), Interval(a, a, "exact", first)))
                    out.append(Quantity(m.start("n2"), m.end("n2"), Interval(b, b, "exact", second)))
                    continue
            if second:
                b = parse_number(second)
                if b is None or b <= a or b > 20 * max(a, 1) or a >= 1900:
                    # "15-20" is a range; "1-0" or "2019-2020" is not
                    continue
                out.append(Quantity(m.start(), m.end(), Interval(a, b, "range", text)))
            else:
                out.append(Quantity(m.start(), m.end(), _bounded(a, bound, text)))
        return out
