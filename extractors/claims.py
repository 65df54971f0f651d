"""Article -> claims (pure): numbers tied to what they count, places attacked, casualties,
negations, event times and responsibility, each attributed to its speaker.

The rules work on one sentence at a time with a little article context (the last munition named,
the last base named for "the base", the last figure for "up from 34", the last speaker for
"he said", quotes that span sentences). All words come from the vocabulary; this module holds
only the grammar that ties them together.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache

from core.errors import BudgetError
from core.records import Article, Attribution, Claim, Evidence, Interval, TimeSpan
from extractors.attribution import (
    ACCORDING,
    ACCORDING_WORDS,
    Frame,
    canonical_speaker,
    find_frames,
    is_group,
    lookup_speaker,
)
from extractors.events import (
    EventDecision,
    attacker_evidence,
    blocks,
    decide,
    office_evidence,
    other_paragraphs,
    paragraph_evidence,
    title_evidence,
    weapon_evidence,
)
from extractors.index import DIGIT, Gates, SentenceIndex
from extractors.organisations import marks_in, resolve_organisation
from extractors.places import UNLISTED_WORDS, PlaceMention, find_places
from extractors.quantities import Quantity, QuantityFinder
from extractors.scope import CUE_WORDS as SCOPE_CUE_WORDS
from extractors.scope import TimeMark, after_event, before_event, may_have_marks, time_marks
from extractors.sentences import Sentence, split_sentences
from extractors.times import (
    MONTH_PREFIXES,
    STATEMENT_DATE,
    STATEMENT_VERBS,
    TIME_CUE,
    WEEKDAY_WORDS,
    find_time,
    may_have_time,
)
from extractors.vocabulary import Vocabulary, norm_key, phrase_pattern, word_lists

# Segment breaks: a count's role verb is looked for between these.
_BREAK = re.compile(
    r";|\s[—–-]\s|\bwhile\b|\bwhereas\b|\bbut\b|\bmeanwhile\b|\b(?:most|all|some|many|none)\s+of\s+(?:them|which)\b"
)
# Clause boundaries for "does this clause speak of another event / a hypothetical".
_CLAUSE = re.compile(
    r"[;:,()—–]|\b(?:which|who|after|following|in\s+retaliation\s+for|in\s+response\s+to|because|since|"
    r"days\s+after|a\s+week\s+after|when|and\s+(?=[A-Z]))\b"
)
_HYPOTHETICAL = re.compile(
    r"\b(?:could|would|might|may)\s+have\b|\bthreat(?:ened|ening)\s+to\b|\bif\b|\bin\s+case\b|\bcapable\s+of\b|"
    r"\bsince\s+(?:19|20)\d\d\b|\breadied\b|\bprepared\s+to\b|\bwould\b|\bcould\b",
    re.IGNORECASE,
)
# Connectives that introduce an earlier event the main clause answers or follows at a distance of days.
_PRIOR_LEAD = re.compile(
    r"(?:\bin\s+(?:retaliation|response|revenge|reprisal)\s+for|\bto\s+(?:avenge|retaliate\s+for)|"
    r"\bretaliating\s+for|\bas\s+(?:revenge|retaliation|a\s+response)\s+for|\bresponding\s+to|"
    r"\b(?:days|weeks|months|years|a\s+day|a\s+week|a\s+month|a\s+year|\w+\s+days|\w+\s+weeks)\s+"
    r"(?:after|following|before))\s*$",
    re.IGNORECASE,
)
_PRIOR_LEAD_IN = re.compile(_PRIOR_LEAD.pattern.replace(r"\s*$", r"\s"), re.IGNORECASE)
_PRIOR_END = re.compile(r"[;,:]|\b(?:said|says|told)\b")
# A sentence that opens "Hours after the attack, ...": what follows is another happening, unless it is a statement.
_AFTER_THE_ATTACK = re.compile(
    r"^\s*(?:(?:just|only|shortly|soon|hours|minutes|moments|days|weeks|a\s+day|a\s+few\s+hours)\s+)?"
    r"(?:after|following)\s+(?:the|this|that|Iran['’]s|its|their|Tuesday['’]s|Wednesday['’]s|\w+['’]s)\s+"
    r"(?:\w+\s+){0,2}?(?:attack|attacks|strike|strikes|barrage|assault|bombardment|salvo|raid)\b[^,]{0,40},",
    re.IGNORECASE,
)
_SPEECH_IN = re.compile(
    r"\b(?:said|says|told|announced|confirmed|reported|stated|according\s+to|claimed|added|estimated|wrote|"
    r"tweeted)\b", re.IGNORECASE)
# Causes of death or injury that are not an attack.
_NON_ATTACK_CAUSE = re.compile(
    r"\b(?:stampede|crush|crash|crashes|accident|accidents|collision|fire|blaze|flood|floods|flooding|earthquake|"
    r"storm|hurricane|landslide|avalanche|outbreak|epidemic|pandemic|disease|illness|virus|flu|influenza|plague|"
    r"overdose|protests?|riots?|demonstrations?|unrest|crackdown|executions?|executed|suicide|heat\s*wave|"
    r"shootdown|shooting|shootings|gunman|gunmen|stabbing|ramming|shot\s+dead)\b",
    re.IGNORECASE,
)
# Words without which _PRIOR_LEAD or _AFTER_THE_ATTACK, and _NON_ATTACK_CAUSE, cannot match (lower case).
_PRIOR_WORDS = frozenset({"retaliation", "response", "revenge", "reprisal", "avenge", "retaliate", "retaliating",
                          "responding", "after", "following", "before"})
_CAUSE_WORDS = frozenset({
    "stampede", "crush", "crash", "crashes", "accident", "accidents", "collision", "fire",
    "blaze", "flood", "floods", "flooding", "earthquake", "storm", "hurricane", "landslide", "avalanche", "outbreak",
    "epidemic", "pandemic", "disease", "illness", "virus", "flu", "influenza", "plague", "overdose", "protest",
    "protests", "riot", "riots", "demonstration", "demonstrations", "unrest", "crackdown", "execution", "executions",
    "executed", "suicide", "heat", "heatwave", "shootdown", "shooting", "shootings", "gunman", "gunmen", "stabbing",
    "ramming", "shot",
})
_PARTY_TOKEN = re.compile(r"[A-Za-z][\w.'’]*(?:-[A-Za-z]\w*)*")
# a time word in a sentence's opening words (a fronted time can only start there)
_HEAD_TIME_CUE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|last|past|previous|earlier|"
    r"ago|before|prior|later|afterwards?|19\d\d|20\d\d)", re.IGNORECASE)
_SCOPE_WORDS = _PRIOR_WORDS | _CAUSE_WORDS | SCOPE_CUE_WORDS
_CLAUSE_LEAD = re.compile(r"\b(?:when|in\s+which|during\s+which|where|which)\s*$", re.IGNORECASE)
# Tallies over a period, not one event's count: "killed in the fighting so far this year", "since 2014"
_GENERIC_PERIOD = re.compile(
    r"\bsince\s+(?:19|20)\d\d\b|\b(?:every|per|each|a)\s+year\b(?!\s+(?:ago|earlier|later))|\bannually\b|"
    r"\bso\s+far\s+this\s+(?:year|month)|\bsince\s+the\s+(?:start|beginning)\s+of\b|"
    r"\bin\s+the\s+(?:past|last)\s+(?:year|decade|\d+\s+years)\b|\bsince\s+the\s+war\s+began\b|"
    r"\b(?:monthly|weekly|yearly)\s+(?:total|toll|tally|figure)|\bper\s+(?:month|week)\b|"
    r"\bsince\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?:19|20)\d\d\b|"
    # the war's own toll: "killed in the fighting", "died in the war" (a strike's victims die in the strike)
    r"\b(?:killed|died|dead|wounded|injured)\s+(?:so\s+far\s+)?in\s+the\s+(?:fighting|war|conflict|hostilities)\b|"
    # "since fighting over the enclave erupted on Sept. 27", "since the war broke out"
    r"\bsince\s+(?:the\s+)?(?:fighting|war|conflict|clashes|hostilities|invasion)\b[^.;]{0,60}?"
    r"\b(?:erupted|began|started|broke\s+out|flared|resumed)\b|"
    # "over 12 days of war", "during the 12-day war", "in the course of the war", "throughout the conflict"
    r"\b(?:over|during|across|throughout|in\s+the\s+course\s+of)\s+(?:the\s+)?(?:(?:\w+|\d+)[\s-]+"
    r"(?:days?|weeks?|months?|years?)\s+(?:of\s+(?:the\s+)?)?|whole\s+)?(?:war|conflict|fighting|campaign|hostilities)"
    r"\b(?!['’]s)",
    re.IGNORECASE)
_STOP_BETWEEN = re.compile(
    r"[,;:.!?()]|\b(?:and|or|were|was|are|is|had|have|has|which|that|who|at|in|on|from|by|to|with|"
    r"hit|fired|launched|struck|of)\b",
    re.IGNORECASE,
)
_PARTITIVE = re.compile(r"^\s*of\s+(?:them|which|those|these|the\s+\w+)\s+", re.IGNORECASE)
_ELLIPTIC = re.compile(
    r"^\s*(?:of\s+(?:them|which|those|these|the\s+missiles|the\s+rockets)\s*|more\s+|others?\s+|that\s+|which\s+)?"
    # an aside: "Seventy-six of them, the Pentagon says, struck ..."
    r"(?:,\s*(?:the\s+|a\s+)?[\w’'.-]+(?:\s+[\w’'.-]+){0,4}\s+(?:says|said|reports|reported|claims|claimed|added|"
    r"adds|believes|estimates),\s*)?"
    r"(?:(?:were|was|had|have|has|been|reportedly|apparently|also|then|later|successfully|all|minor|light|lightly|"
    r"serious|seriously|severe|severely|critical|critically|moderate|moderately|slightly|badly|gravely|fatally|"
    r"mortally|confirmed)\s+){0,3}",
    re.IGNORECASE,
)
# "a man was killed", "an Iranian ballistic missile slammed into": the article as the number one
_INDEFINITE = re.compile(r"(?<![\w-])(?:[Aa]n?|[Aa]\s+single)(?=\s)")
_PART_OF = re.compile(r"\b(?:part|parts|pieces?|fragments?|debris|remains|shrapnel|wreckage|parts)\s+(?:of|from)\s+$",
                      re.IGNORECASE)
_AUX = (r"(?:was|were|is|had|has|been|got|reportedly|also|then|later|apparently|lightly|seriously|critically|badly|"
        r"fatally|slightly|moderately)")
# after the noun: its verb group, maybe past an appositive or a prepositional phrase ("a girl from X was wounded")
_VERB_AFTER = re.compile(rf"\s+(?:from|of|in|near|at|with|on|inside|outside)\s+[^,;.]{{1,50}}?\s+(?:was|were)\s+"
                         rf"(?:{_AUX}\s+){{0,2}}"
                         rf"|(?:\s*,[^,]{{1,60}},)?\s+(?:(?:who|that)\s+)?(?:{_AUX}\s+){{0,3}}")
_IMPACT_VERB = re.compile(r"(?:exploded|detonated|slammed|crashed|smashed|came\s+down|fell|scored)\b", re.IGNORECASE)
# "counted about 100 damaged homes": the number counts a noun of its own, not the last figure's
_OWN_NOUN = re.compile(r"\s+(?:(?!(?:on|in|at|as|by|after|from|with|for|to|and|or|were|was|had|have|has|is|are|of|"
                       r"the|a|that|which|who|when|while)\b)[a-z][\w-]*\s+)?(?P<noun>[a-z][a-z-]{2,}s)\b")
# not an injury: "treated for acute anxiety", "suffering from shock"
_NOT_INJURY = re.compile(r"\b(?:treated\s+for|suffer(?:ed|ing)\s+from|with|for)\s+(?:acute\s+|severe\s+|mild\s+)?"
                         r"(?:anxiety|shock|panic|stress|trauma\s+symptoms|emotional\s+distress)\b", re.IGNORECASE)


def negation_pattern(negated_people: Sequence[str]) -> re.Pattern[str]:
    """"No Americans were harmed", "not a single soldier", "zero casualties", "nobody was hurt": a negated head
    (one of the vocabulary's negated people or people nouns, or a casualty noun) and up to 45 characters after it."""
    return re.compile(
        # "no other crew member was hurt" says nothing of the total: not a zero
        r"\b(?:(?:no|not\s+a\s+single|not\s+one|zero|none\s+of\s+the)\s+(?!(?:other|more|further|additional)\b)"
        r"(?P<np>(?:[\w.'’-]+,?\s+){0,5}?)"
        rf"(?P<head>{phrase_pattern(list(negated_people))}|casualties|casualty|injuries|deaths|fatalities|lives|"
        r"loss\s+of\s+life)|(?P<np0>)(?P<head0>nobody|no-one|noone))\b(?P<rest>[^.;]{0,60})",
        re.IGNORECASE,
    )


_NEG2 = re.compile(
    r"\b(?:without|did\s+not\s+(?:cause|result\s+in|produce|inflict|suffer|sustain|incur)|"
    r"didn't\s+(?:cause|result\s+in|suffer)|(?:caused|suffered|sustained|inflicted|reported|resulted\s+in)\s+no)\s+"
    r"(?:any\s+)?(?P<np>(?:[\w.'’-]+\s+){0,2}?)(?P<head>casualties|injuries|injury|deaths|fatalities|"
    r"loss\s+of\s+life)\b",
    re.IGNORECASE,
)
# "the attack killed no one", "injuring nobody", "hurt none of the soldiers": the verb says how
_NEG_OBJECT = re.compile(
    r"\b(?P<verb>killed|killing|kill|injured|injuring|injure|wounded|wounding|wound|hurt|hurting|harmed|harming|"
    r"harm)\s+(?:no\s+one|no-one|nobody|none|no\s+(?P<np>(?:[\w.'’-]+\s+){0,3}?)(?:people|persons|troops|soldiers|"
    r"civilians|personnel|service\s*members|americans|servicemen))\b",
    re.IGNORECASE,
)
# "did not kill or wound any American", "denied that any service member was killed or hurt": a zero, by the verbs
_HARMED_NOUN = r"(?:people|persons|troops|soldiers|civilians|personnel|service\s*members?|americans?|servicemen|one)"
_NOT_ANY = re.compile(
    r"\b(?:did\s+not|didn't|does\s+not|doesn't|never)\s+(?P<verb>kill|injure|wound|hurt|harm)"
    r"(?:\s+or\s+(?P<verb2>kill|injure|wound|hurt|harm))?\s+(?:anyone|anybody|any\s+(?P<np>(?:[\w.'’-]+\s+){0,3}?)"
    rf"{_HARMED_NOUN})\b|"
    r"\bden(?:ied|ies|y|ying)\s+(?:that\s+)?(?:anyone|anybody|any\s+(?P<np2>(?:[\w.'’-]+\s+){0,3}?)"
    rf"{_HARMED_NOUN})\s+(?:was|were|had\s+been|has\s+been)\s+(?P<verb3>killed|injured|wounded|hurt|harmed)"
    r"(?:\s+or\s+(?P<verb4>killed|injured|wounded|hurt|harmed))?\b",
    re.IGNORECASE,
)
_VERB_KINDS = {"kill": ("killed",), "killed": ("killed",), "harm": ("killed", "injured"),
               "harmed": ("killed", "injured")}
# after a casualty noun: "no deaths or injuries" covers both
_AND_CASUALTY = re.compile(r"\s+(?:or|and|nor)\s+(?:any\s+)?(?P<other>injuries|injured|wounded|deaths|dead|"
                           r"fatalities|casualties)\b", re.IGNORECASE)
_NEG_CUE = re.compile(r"\b(?:no|not|none|neither|zero|without|didn't|failed|nobody|unharmed|unhurt|uninjured|"
                      r"denied|denies|deny|denying)\b",
                     re.IGNORECASE)
_UNSURE = re.compile(r"\b(?:immediate|reports?|word|indications?|signs?|confirmation|information)\b", re.I)
_NEG_MUNITION = re.compile(
    r"\b(?:none(?:\s+of\s+(?:them|those|these|(?:the|our|their|its|the\s+allied)\s+(?:[\w-]+\s+(?:or\s+)?){0,3}?"
    r"(?P<mun>missiles|rockets|drones|weapons)(?:\s+(?:involved|used|fired|launched)[^,;.]{0,40}?)?))?|"
    r"(?:no|not\s+a\s+single|not\s+one)\s+(?:[\w-]+\s+(?:or\s+)?){0,3}?(?P<mun2>missiles?|rockets?|drones?|weapons))"
    r"\s+(?:were|was|had\s+been|have\s+been|has\s+been)\s+(?:\w+\s+)?(?P<role>intercepted|shot\s+down|downed|knocked\s+down|"
    r"engaged|stopped|fired|launched|used|involved|deployed)\b"
    r"|\b(?:failed|did\s+not|didn't|made\s+no\s+attempt)\s+to\s+(?P<role2>intercept|shoot\s+down)\b"
    r"|\b(?:did\s+not|didn't|could\s+not|couldn't|failed\s+to)\s+(?P<role3>stop|intercept|shoot\s+down|down)\s+"
    r"(?:a\s+single\s+one|a\s+single\s+(?:missile|rocket|drone)|any(?:\s+of\s+them)?)\b"
    # "the missile was not intercepted", "they were never shot down"
    r"|\b(?:it|they|the\s+(?:[\w-]+\s+){0,2}?(?P<mun3>missiles?|rockets?|drones?))\s+(?:was|were|had\s+been|has\s+been|"
    r"have\s+been)\s+(?:not|never)\s+(?:\w+ly\s+)?(?P<role4>intercepted|shot\s+down|downed)\b",
    re.IGNORECASE,
)
_TARGET_CLAUSE = re.compile(
    r";|\.\s+(?=[A-Z“\"])|\b(?:where|which|who|whose|after|before|when|while|but|as\s+well\s+as\s+to)\b"
)
_TARGET_CLAUSE_WORDS = frozenset({"where", "which", "who", "whose", "after", "before", "when", "while", "but", "well"})
# A place is attacked when one of these precedes it in its clause.
_TARGET_TRIGGER_PHRASES = (
    "struck", "strike", "strikes", "hit", "hits", "hitting", "targeted", "targeting", "attacked", "attacking",
    "attack on", "attacks on", "attack against", "attacks against", "pounded", "pounding", "bombarded", "shelled",
    "landed", "landing", "came down", "come down", "fell", "aimed", "fired", "launched", "barrage", "salvo",
    "volley", "impact", "impacts", "wounded", "injured", "killed", "damaged", "damage at", "missile", "missiles",
    "rocket", "rockets", "blast", "blasts", "explosion", "explosions", "shook", "rocked",
)
_TARGET_TRIGGER = re.compile(
    r"\b(?:" + "|".join(p.replace(" ", r"\s+") for p in _TARGET_TRIGGER_PHRASES) + r")\b", re.IGNORECASE)
# ... or when it is the subject of a passive ("Al Asad was hit"); the words the passive needs:
_PASSIVE_TARGET = re.compile(
    r"[^.;]{0,45}?\b(?:was|were|had\s+been|has\s+been|have\s+been|came\s+under|come\s+under)\s+"
    r"(?:\w+\s+)?(?:hit|struck|targeted|attacked|shelled|bombarded|fire|attack|damaged)\b",
    re.IGNORECASE,
)
_PASSIVE_WORDS = frozenset({"was", "were", "been", "came", "come"})
# ... or when it is listed with a place already found attacked ("at Al-Assad and Irbil").
_LISTED = re.compile(r"[^.;]{0,40}?(?:,|\band\b|\bor\b)\s+(?:at\s+|on\s+|in\s+)?(?:the\s+|a\s+)?[^.;,]{0,25}")
_BACKREF = re.compile(
    r"\b(?:the|this|that|its|their|our)\s+(?:(?:sprawling|air|military|us|u\.s\.|american|same|desert|coalition|main|"
    r"research|storage|chemical|targeted|damaged|stricken|children['’]s|nearby)\s+){0,2}"
    r"(?P<noun>air\s*base|airbase|base|installation|airfield|airport|cent(?:er|re)|facility|complex|bunker|building|"
    r"hospital|compound|plant|depot|headquarters|ship|vessel|tanker|freighter|carrier|city|town)\b"
    r"(?!\s+(?:at|in|near|of)\s+(?-i:[A-Z]))"
    # "the city administration", "the town's council": an organisation, not the place
    r"(?<!city(?=(?:['’]s)?\s(?:administration|council|authorities|officials|police|mayor|hall|government|military)))"
    r"(?<!town(?=(?:['’]s)?\s(?:administration|council|authorities|officials|police|mayor|hall|government|military)))",
    re.IGNORECASE,
)
# which kind of place a back-reference noun stands for
_BACKREF_TYPES = {"base": ("base",), "airbase": ("base",), "installation": ("base", "facility"),
                  "airfield": ("base", "airport"), "airport": ("airport",), "ship": ("ship",), "vessel": ("ship",),
                  "tanker": ("ship",), "freighter": ("ship",), "carrier": ("ship",), "city": ("city",),
                  "town": ("town", "city")}
_FACILITY_TYPES = ("facility", "building")
# "Barzah was struck by 76 missiles": the place is the subject of a passive hit
_PASSIVE_HIT = re.compile(r"(?:was|were|(?:had|has|have)\s+(?:also\s+|already\s+)?been)\s+(?:\w+\s+)?"
                          r"(?:struck|hit|pounded)\s+"
                          r"(?:\w+\s+){0,3}?by\s+(?:a\s+total\s+of\s+|at\s+least\s+|some\s+)?$", re.IGNORECASE)
# "Seventy-six missiles struck it": the place last named as attacked
_HIT_IT_WITH = re.compile(r"\b(?:hit|struck|targeted|attacked|rammed)\s+(?:it|her)\s+with\s+(?:an?\s+)?$",
                          re.IGNORECASE)
_HIT_X_WITH = re.compile(r"\b(?:hit|struck|rammed)\s+(?P<obj>[^;:]{2,80}?),?\s+with\s+(?:an?\s+|one\s+|two\s+)?$",
                         re.IGNORECASE)
_PASSIVE_TARGETED = re.compile(r"(?:was|were|(?:had|has|have)\s+(?:also\s+)?been)\s+(?:\w+\s+)?(?:targeted|attacked)\s+"
                               r"(?:with|by)\s+(?:an?\s+|one\s+|two\s+|three\s+)?$", re.IGNORECASE)
_AMONG_THE = re.compile(r"\s+(?:were|are|was|is)\s+(?:also\s+)?among\s+the\s+(?:dead|wounded|injured|killed|casualties|"
                        r"victims|fatalities)\b", re.IGNORECASE)
_SHARED_VERB_GAP = re.compile(r"\s+and\s+(?:[\w.,-]+\s+){1,4}?(?:were|was|had\s+been|have\s+been|are|is)\s+"
                              r"(?:\w+ly\s+)?", re.IGNORECASE)
_OF_NUMBER_BEFORE = re.compile(r"\bof\s+(?:the\s+)?$", re.IGNORECASE)
_HIT_IT = re.compile(r"\s*(?:it|them)\b", re.IGNORECASE)
# Words and marks that end the stretch of a sentence a time expression is read in ("...on Tuesday, Trump said").
_TIME_BLOCK_WORDS = (
    "address", "speech", "met", "meeting", "returned", "tweeted", "briefing", "remarks", "statement", "said", "says",
    "told", "reported", "announced", "spoke", "interview", "visited", "saying", "adding", "telling", "noting",
    "stating", "buried", "funeral",
)
_TIME_BLOCK_WORD = re.compile(rf"\b(?:{'|'.join(_TIME_BLOCK_WORDS)})\b", re.IGNORECASE)
_TIME_BLOCK_MARK = re.compile(r"[;“”]|:\s")
# A time is the attack's only in a stretch that speaks of the attack.
_ATTACK_NEAR_WORDS = (
    "attack", "attacks", "strike", "strikes", "struck", "barrage", "fired", "launched", "explosions", "sirens", "hit",
    "missile", "missiles", "rocket", "rockets", "volley", "volleys", "salvo", "salvos", "impact", "impacts", "landed",
    "harmed",
)
_ATTACK_NEAR = re.compile(rf"\b(?:{'|'.join(_ATTACK_NEAR_WORDS)})\b", re.IGNORECASE)
_LABEL = re.compile(r"^(?P<label>(?:[A-Z][A-Z.'’-]*\s+){0,6}[A-Z][A-Z.'’-]+)\s*:\s+")
# A sentence that opens on another scene: a place ("In Jordan", "At the airport"), or a narrator's turn
# ("Elsewhere", "Meanwhile", "Separately"). It does not go on with the account of the sentence before it.
_NEW_SCENE = re.compile(r"\s*(?:(?:In|At|Across|Inside|Outside)\s+(?:the\s+)?[A-Z]|(?:Elsewhere|Meanwhile|Separately|"
                        r"Across\s+the\s+border|Farther|Further\s+(?:north|south|east|west))\b)")
# a live blog entry's time stamp: "12:40 BST", "09:55 GMT -", "6.48am:" (wherever a sentence starts with one: a
# page's entries may be lines of one paragraph)
# the last word of an institution's name ("Soroka Medical Center", "Saada General Hospital")
_INSTITUTION_HEADS = frozenset({"center", "centre", "hospital", "institute", "agency", "service", "ministry", "council",
                                "committee", "office", "network", "channel", "news", "university", "observatory",
                                "foundation", "organisation", "organization", "society", "crescent", "cross"})
# an unnamed source or official, and words that point back to one or add one more of them
_UNNAMED = re.compile(r"\b(?:officials?|sources?|diplomats?|officers?)\b", re.IGNORECASE)
_UNNAMED_BACK = re.compile(r"the\s+(?:officials?|sources?)")
_ANOTHER_UNNAMED = re.compile(r"\b(?:second|third|another|other)\s+(?:[a-z]+\s+){0,2}(?:officials?|sources?)\b",
                              re.IGNORECASE)
_STAMP = re.compile(r"^\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:GMT|BST|UTC|CET|CEST|EET|EEST|EST|EDT|local\s+time)?"
                    r"\s*[—–:-]?\s+")
_DATELINE = re.compile(
    r"^[A-Z][A-Z.'’-]{2,}(?:[ ,]+[A-Z][A-Za-z.'’-]+){0,3}\s*(?:\([^)]{1,40}\))?\s*[—–-]{1,2}\s+|" + _STAMP.pattern)
_CASUALTY_LEAD = re.compile(
    r"(?:\b(?:killing|wounding|injuring|killed|wounded|injured)|"
    r"\b(?:toll|number|tally|count|total|figure)\b[^.;]{0,80}?"
    r"\b(?:rose|risen|climbed|increased|grew|reached|jumped|stood|stands|is|was|now|to|at|of)|\btotal\s+of|"
    r"\b(?:rose|risen|raised|climbed|increased|grew|jumped|reached)(?:\s+\w+)?\s+to)\s+"
    r"(?:(?:at|to|of|now|about|nearly)\s+)?$",
    re.IGNORECASE,
)
# "up from 34", "one more than the 109", "put the figure at 50", "counted twenty-two": same slot as the last figure
_RESTATED = re.compile(
    r"(?:\b(?:up|down)\s+from|\bfrom\s+(?:a\s+previous\s+|an\s+earlier\s+)?|\bthan\s+(?:the\s+)?|"
    r"\b(?:put|placed|set)\s+(?:the\s+)?(?:number|figure|count|tally|total|toll)\s+at|\bcounted|"
    r"\b(?:tally|count|figure|number|total)\s*(?::|of|was|is|at)?)\s*$",
    re.IGNORECASE,
)
_QUOTES = re.compile(r"[“”\"]")
_QUOTE = re.compile(r"“[^”]{1,2000}?(?:”|(?=\n\s*\n“))|(?<![\w])\"[^\"]{1,2000}?\"")
_ORG_HEADS = frozenset({"ministry", "command", "agency", "directorate", "service", "administration", "office",
                        "department", "mission", "council"})
# head noun -> an organisation named with it: "the Kurdistan Region's interior ministry", "Ministry of Health"
_ORG_NAMED = {noun: re.compile(rf"(?:(?:the\s+)?(?:[A-Z][\w'’.-]*\s+){{1,6}}"
                               rf"(?:(?!(?:and|the|said|says|of|in|on|at|to|by|for|with|a|an)\b)[a-z-]+\s+){{0,2}}"
                               rf"(?i:{noun})\b"
                               rf"(?:\s+of\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){{0,2}})?"
                               r"(?:\s*\((?P<acronym>[A-Z][A-Za-z]{1,8})\))?"
                               rf"|\b{noun.capitalize()}\s+of\s+(?:the\s+)?[A-Z][\w'’-]*"
                               rf"(?:\s+(?:of\s+)?[A-Z][\w'’-]*){{0,3}})")
              for noun in _ORG_HEADS}
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_ONE_PRONOUNS = frozenset({"he", "she", "him", "her"})
_HARM_WORDS_ALL = frozenset({"killed", "dead", "died", "wounded", "injured", "hurt"})
# "he was killed", "she had been wounded", "killed him"
_PRONOUN_HARMED = re.compile(
    r"\b(?P<p>he|she)\s+(?:was|had\s+been|has\s+been|is|had)\s+(?:\w+ly\s+)?(?P<k>killed|dead|died|wounded|injured|hurt)\b"
    r"|\b(?P<k2>killed|wounded|injured)\s+(?P<p2>him|her)\b", re.IGNORECASE)
_POSSESSIVE_LEAD = re.compile(r"[\w-]+['’]s\s")
_PERSON_PRONOUN = re.compile(r"spokes|secretary|general|official\b")
_ORG_PRONOUN = re.compile(r"statement|ministry|command|agency|broadcaster|military|directorate|administration|"
                          r"mission|council|department|office|service")
# Right before a role word, what makes it a noun: "the strike", "Tuesday's strike", "its impact".
_NOUN_LEAD = re.compile(r"(?:\b(?:the|a|an|this|that|its|their|his|her|whose|every|each|latest|first)|['’]s)\s+$",
                        re.IGNORECASE)
_CONTRAST = re.compile(r"\bbut\b|;|\bwhile\b|\bwhereas\b|,\s*and\b")
_TRAILING_CREDIT_BEFORE = re.compile(r"[,”\"’]\s*$")
_FIGURE_AFTER = re.compile(r"\d")


def _credit_blocked(text: str, rel: int, f: Frame) -> bool:
    """Whether a speech frame after a figure does not credit it. A frame inside the sentence ("two died, and the
    ministry said three were hurt") credits only what follows a contrast or a new clause; a trailing credit ("...,
    and all the ships stayed on station, said Cmdr. X, a spokeswoman.") closes the whole sentence, clauses joined by
    "and" or "but" included, up to a semicolon."""
    start = min(f.verb_start, f.speaker_start)
    end = max(f.verb_end, f.speaker_end)
    trailing = bool(_TRAILING_CREDIT_BEFORE.search(text, 0, start)) and not _FIGURE_AFTER.search(text, end)
    if trailing:
        return ";" in text[rel:start]
    return bool(_CONTRAST.search(text, rel, f.speaker_start))
_OTHERS = re.compile(r"\s*others\s*")
_AT_PLACE = re.compile(r"\s+(?:(?P<on>on|onto|into)|at|in|against)\s+(?:the\s+)?")
_RELATIVE_FIGURE = re.compile(r"(?:up|down|from|than)\b", re.IGNORECASE)
_HYPHENATED = re.compile(r"\w+(?:-\w+)+")
_NO_REPORTS = re.compile(r"\bno\s+(?:immediate\s+)?reports?\s+of\s*$", re.IGNORECASE)
_SAME_DAY_RELATIVE = re.compile(r"\b(?:overnight|last\s+night|earlier\s+today|early\s+today)\b", re.IGNORECASE)
_OF_THE = re.compile(r"\s+of\s+(?:the|those|these|their|its|our)\s+")
# "11 of 103", "11 of a further 12", "11 of the 16": a part, when a number follows
_OF_NUMBER = re.compile(
    r"\s+(?:out\s+)?of\s+(?:the\s+|those\s+|these\s+|a\s+further\s+|another\s+|an\s+additional\s+)?")
# "..., all of which were shot down": the same count in a second role
_ALL_OF = re.compile(
    r"\s*,?\s*(?:and\s+)?(?:all|both|each)\s+(?:of\s+(?:which|them|these|those)\s+)?(?:(?:were|was|had\s+been|have\s+been|"
    r"being|then)\s+){1,2}(?:(?:successfully|reportedly|later|all)\s+)?", re.IGNORECASE)
# "missiles fired at Blei were shot down": a reduced relative and then the main verb
_MAIN_VERB = re.compile(r"(?:(?!\band\b|\bbut\b|\bthat\b|\bwhile\b)[^,;.]){0,60}?\s"
                        r"(?:were|was|had\s+been|have\s+been)\s+(?:(?:all|successfully|reportedly|later|then|either)\s+)?",
                        re.IGNORECASE)
# "a second salvo of 12", "two waves of seven and 12": counts of what was launched
_WAVE_OF = re.compile(r"\b(?:salvos?|salvoes|waves?|volleys?|barrages?|rounds?|batch(?:es)?|tranches?)\s+of\s+"
                      r"(?:\S+\s+(?:and|then)\s+)?$", re.IGNORECASE)
_NUMBER_OF = re.compile(r"\s+(?:the\s+)?(?:number|count|tally|total)\s+of\s+(?P<np>[^,;]{0,40})", re.IGNORECASE)
# a casualty verb right before a number, bounds allowed between ("killing at least 12", "wounded 12")
_VERB_BEFORE = re.compile(r"\b(?P<verb>killed|killing|wounded|wounding|injured|injuring|hurt|hurting)\s+"
                          r"(?:(?:at\s+least|more\s+than|nearly|about|some|around|up\s+to|as\s+many\s+as|another|"
                          r"an\s+estimated|all)\s+)?$", re.IGNORECASE)
_DEFENSIVE = re.compile(r"\b(?:surface-to-air|anti-aircraft|air[\s-]defen[cs]e|interceptor|anti-missile|"
                        r"patriot|iron\s+dome)\s+$", re.IGNORECASE)
# "All of them were shot down", "every one of them was intercepted": the last munition figure's whole count
_ALL_OF_THEM = re.compile(r"\b(?:all|every\s+one)\s+of\s+(?:them|these|those)\s+(?:were|was|had\s+been|have\s+been)\s+"
                          r"(?:(?:successfully|reportedly|later|then)\s+)?", re.IGNORECASE)
# between two coordinated counts: the first one's noun phrase, then "and" or a comma (bounds of the second allowed)
_COORDINATION_GAP = re.compile(
    r"(?P<np>\s+(?:[\w.’'-]+\s+){0,4}?[\w’'-]+)\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+as\s+well\s+as\s+|\s+plus\s+)"
    r"(?:(?:at\s+least|more\s+than|nearly|about|some|around|up\s+to|as\s+many\s+as|another|over)\s+)?",
    re.IGNORECASE)
# "President Volodymyr Zelensky", "Governor Serhii Lysak": a titled name, for "the president said" later
# "the city's military administration", "the regional council": an organisation named by the place it serves
_OWNED_BY_A_PLACE = re.compile(r"(?:the\s+)?(?P<kind>city|town|region|province|regional|provincial|municipal|"
                               r"country|national)"
                               r"(?:['’]s)?\s+(?P<rest>.+)", re.IGNORECASE)
_OWNER_TYPES = {"city": ("city",), "town": ("town", "city"), "municipal": ("city", "town"),
                "region": ("region",), "regional": ("region",), "province": ("region",), "provincial": ("region",),
                "country": ("country",), "national": ("country",)}
_DIRECTION = r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?"
_LOCATOR_BEFORE = re.compile(
    rf"(?:\b(?:kilomet(?:er|re)s?|km|miles?|met(?:er|re)s?)\s+(?:{_DIRECTION}\s+)?(?:of|from)|\b{_DIRECTION}\s+of)"
    r"\s+(?:the\s+)?(?:(?:capital|city|town|village|port)\s+(?:of\s+)?)?$", re.IGNORECASE)
_CONTAINER_BEFORE = re.compile(r"\b(?:in|of|from|across|around|near|outside|inside|within)\s+$", re.IGNORECASE)
_PHRASE_LEAD = re.compile(r".*\b(?:the|a|an|its|their|this|that|of|to|at)\s+", re.IGNORECASE | re.DOTALL)
_PARTICIPLE_RESULT = re.compile(r",\s*(?:killing|wounding|injuring|leaving)\s+(?:\w+\s+){0,3}$", re.IGNORECASE)
# where a negation's clause ends before a speaker: "no one was hurt, Qatari officials said"
_CLAUSE_END = re.compile(r"[;:]|\s(?:said|says|told|according)\b|,\s+(?=[A-Z]|(?:he|she|they|it)\s)")
_DENIED_BEFORE = re.compile(r"\b(?:not|nor|never|without|n['’]t)\s*$", re.IGNORECASE)
_STRIKE_NOUNS = frozenset({"strikes", "airstrikes", "air", "attacks", "shelling", "bombardment", "raids", "bombing",
                           "strike", "airstrike", "attack", "raid"})
_WAR_WORDS = frozenset({"war", "conflict", "fighting", "insurgency"})
# the war or conflict as the subject of a casualty verb: "Yemen's war has killed", "the fighting has left"
_WAR_TALLY = re.compile(
    r"\b(?:war|conflict|fighting|insurgency)\s+(?:has|have|had)\s+(?:so\s+far\s+|now\s+|already\s+)?"
    r"(?:killed|left|claimed|wounded|displaced)\s+(?:the\s+lives\s+of\s+)?(?:\w+\s+){0,3}$", re.IGNORECASE)
_HARM_WORDS = frozenset({"killed", "died", "wounded", "injured", "hurt"})
_STRIKE_NOUN = r"(?:air\s*strikes?|strikes?|attacks?|shelling|bombardments?|raids?|bombing)"
# "... were killed in Israeli strikes", "... killed by Russian shelling"
_BY_WHOSE_STRIKES = re.compile(
    rf"[^;:.]{{0,45}}?\b(?:killed|died|wounded|injured|hurt)\s+(?:\w+\s+){{0,3}}?(?:in|by)\s+(?:the\s+)?"
    rf"(?P<whose>[A-Z][\w’'-]*)\s+{_STRIKE_NOUN}\b")
# "Israeli strikes killed 610 people", "Russian shelling has killed four"
_WHOSE_STRIKES_KILLED = re.compile(
    rf"\b(?P<whose>[A-Z][\w’'-]*)\s+{_STRIKE_NOUN}\s+(?:\w+\s+){{0,2}}?(?:killed|wounded|injured)\s+"
    r"(?:at\s+least\s+|more\s+than\s+|some\s+|about\s+)?$")
# "overnight into Monday", "the night of July 7-8": a night named by its day, placed whenever it is reported
_ANCHORED_NIGHT = re.compile(r"\b(?:into|to)\s+\w+day\b|\bnight\s+of\s+\w", re.IGNORECASE)
_DIED_OF = re.compile(r"\b(?P<verb>died|succumbed)\s+(?:later\s+)?(?:of|from|to)\s+(?:his|her|their|its)\s+"
                      r"(?:\w+\s+)?(?:injuries|wounds|injury|wound)\b", re.IGNORECASE)
_UNHARMED_WORDS = frozenset({"unharmed", "unhurt", "uninjured"})
_UNHARMED = re.compile(r"(?P<np>(?:[\w'’.-]+\s+){0,5}?)(?:were|was|are|is|escaped|emerged|survived)\s+"
                       r"(?:\w+\s+){0,2}?(?P<w>unharmed|unhurt|uninjured)\b", re.IGNORECASE)
_INJURY_TOLL = re.compile(r"\b(?:injury|injuries|wounded|injured|casualty)\s+toll\b", re.IGNORECASE)
_OF_OWN = re.compile(r"\s+of\s+(?:their|its|our)\s+(?:own\s+)?", re.IGNORECASE)
_BE_ONLY = re.compile(r"\s+(?:were|was|had\s+been|have\s+been)\s+(?:\w+ly\s+)?")
_WHOLE_AFTER_PART = re.compile(
    r"\b(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|all|none)\s+(?:out\s+)?of\s+"
    r"(?:the\s+|those\s+|these\s+)?$", re.IGNORECASE)
_OF_THE_DEAD = re.compile(
    r"\s+of\s+(?:the|those)\s+(?P<noun>dead|killed|victims|wounded|injured)\s+(?:were|was|are|is)\s+(?P<pred>[^,;.]{1,40})",
    re.IGNORECASE)
_PASSIVE_BEFORE = re.compile(r"\b(?:were|was|been|are|is|being|be|got|get)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_NAME_AFTER_TITLE = r"\s+(?P<name>[A-Z][a-z]+(?:\s+(?:(?:al|el|bin|de|van|von)[-\s])?[A-Z][\w'’-]+){1,3})"
_TITLE_LEAD = r"(?:(?:Prime|Foreign|Defen[cs]e|Army|Deputy|CIA|FBI|State)\s+)?"


def _titled_person_pattern(titles: tuple[str, ...]) -> re.Pattern[str]:
    """A person named after a title ("CIA Director William Burns", "spokesman Omar Haddad"): the configured
    titles, with or without a capital."""
    words = [t for t in titles if t[:1].isalpha() and t.lower() not in _NOT_PERSON_TITLES]
    alts = "|".join(r"\s+".join(f"[{w[0].upper()}{w[0]}]{re.escape(w[1:])}" for w in t.split())
                    for t in sorted(words, key=len, reverse=True))
    return re.compile(rf"\b(?P<title>{_TITLE_LEAD}(?:{alts}))" + _NAME_AFTER_TITLE)


# configured titles that, capitalised, start other names ("Army Corps", "First Lady", "Senior Airman")
_NOT_PERSON_TITLES = frozenset({"army", "navy", "air force", "first", "senior", "acting", "head", "leader"})
_ROLE_RIGHT_BEFORE = re.compile(r"\b(?:fired|launched|shot|sent|hit|struck|targeted|intercepted|downed|"
                                r"struck\s+by|hit\s+by|attacked\s+with|targeted\s+with|targeted\s+by|attacked\s+by)\s+$",
                                re.IGNORECASE)
_WITH_MUNITION_BEFORE = re.compile(
    r"\b(?:hit|struck|targeted|attacked|rammed)\s+(?:[\w'’-]+\s+){0,4}?with\s+$",
    re.IGNORECASE)
_CASUALTY_RIGHT_BEFORE = re.compile(r"\b(?:killed|wounded|injured|hurt|killing|wounding|injuring|deaths?\s+of)\s+$",
                                    re.IGNORECASE)
_SAYS_AFTER = re.compile(r"\s+(?:(?:later|also|have|has|had)\s+)?(?:say|says|said|claim|claims|claimed|announced)\b",
                         re.IGNORECASE)
_FROM_COUNTRY = re.compile(r"\s+(?:who\s+(?:came|comes|was|is)\s+)?from\s+(?:the\s+)?"
                           r"(?P<country>(?-i:[A-Z])[\w-]*(?:\s+(?-i:[A-Z])[\w-]*)?)", re.IGNORECASE)
_OF_WHOLE = re.compile(r"\b(?:\w+\s+)?of\s+(?:the|its|their|his|her|all)\s+(?:[\w’'-]+['’]s\s+)?$", re.IGNORECASE)
# a munition noun used as a modifier: "a missile attack", "a drone strike", "a missile fragment"
_MODIFIED_NOUN = re.compile(
    r"\s+(?:attacks?|strikes?|barrages?|salvos?|fragments?|debris|launchers?|systems?|defen[cs]es?|sites?|bases?|"
    r"alerts?|warnings?|sirens?|programs?|programmes?|tests?|campaigns?|war|threats?|interceptors?|batter(?:y|ies)|"
    r"crews?|units?|squadrons?|boats?|parts?|pieces?|casings?|remains|wreckage|shrapnel|engines?|warheads?)\b",
    re.IGNORECASE)
_AND_NEXT = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+as\s+well\s+as\s+)", re.IGNORECASE)
_BREAK_MARK = re.compile(r"[;!?]|\.\s+[A-Z]")
_NEXT_WORD = re.compile(r"\s+([\w-]+)")
# people counted as missing are neither killed nor injured: "two children missing", "five remain unaccounted for"
_MISSING = re.compile(r"\s+(?:[a-z][\w-]*\s+){0,2}?"
                      r"(?:(?:were|are|was|is|remain|remained|still|reported|listed\s+as)\s+)*"
                      r"(?:missing|unaccounted\s+for)\b", re.IGNORECASE)
_DENIED = re.compile(r"\b(?:(?:without|no|not)\s+(?:any\s+|serious\s+|further\s+)?|"
                     r"(?:neither|none)(?:\s+of\s+them)?\s+(?:was|were|had\s+been|has\s+been)\s+(?:\w+\s+)?)$",
                     re.IGNORECASE)
_NEITHER_WORD = frozenset({"neither"})
# "two Danish soldiers were on the base and neither was injured": a zero for the people named before it
_NEITHER = re.compile(r"\bneither(?:\s+of\s+them)?\s+(?:was|were|had\s+been|has\s+been)\s+(?:\w+\s+)?"
                      r"(?P<cas>killed|injured|wounded|hurt|harmed)\b", re.IGNORECASE)
# "shot down 71 of them": a partitive of the munitions last named, right after its role verb
_OF_THEM = re.compile(r"\s+of\s+(?:them|these|those)\b")
_GAP_TO_FIGURE = re.compile(r"\s+(?:(?:at\s+least|more\s+than|nearly|about|some|around|up\s+to|as\s+many\s+as|"
                            r"an\s+estimated|only|just|all)\s+)?", re.IGNORECASE)
# a figure's parts after it: ", eight of them", "... and one"
_PART_AFTER_FIGURE = re.compile(r"\d[\w-]*\s*,\s*(?:[\w-]+\s+of\s+them\b.*)?(?:(?:and|only)\s+)*$|\bof\s+them\b"
                                r".*\band\s+(?:only\s+)?$|[\w-]+\s*,\s*$", re.IGNORECASE)
_NUMBER_WORD_START = r"(?:\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a|an)\b)"
_LIST_AFTER_TOLL = re.compile(
    rf"(?:\b(?P<verb>killed|dead|died|wounded|injured)|\b(?P<toll>toll)\b[^:;.]{{0,30}}?\d[\d,]*)\s*[,:—–]\s*"
    rf"(?={_NUMBER_WORD_START}|$)(?:[\w.'’-]++\s*+(?:,|\band\b)?+\s*+){{0,12}}$", re.IGNORECASE)
# what a number before or right after a munition noun may count instead of munitions
_NOT_MUNITION_NOUN = re.compile(
    r"\s*(?:[\w-]+\s+){0,3}?(?:interceptors?|launchers?|launch\s+(?:sites?|tubes?|pads?)|batter(?:y|ies)|systems?|"
    r"brigades?|regiments?|units?|crews?|factor(?:y|ies)|plants?|stockpiles?|depots?|warehouses?|storage)\b",
    re.IGNORECASE)
_NOT_MUNITION_AFTER = re.compile(r"[\s-]*(?:launchers?|launch\s+(?:sites?|tubes?|pads?)|batter(?:y|ies)|systems?|"
                                 r"brigades?|regiments?|units?|crews?|factor(?:y|ies)|plants?|stockpiles?|depots?)\b",
                                 re.IGNORECASE)
_OF_THEM_WERE = re.compile(r"\s+(?:of\s+(?:them|whom)\s+(?:(?:were|was|are|is)\s+)?|(?:were|was|are|is)\s+)"
                           r"(?-i:[A-Z])[\w'’-]+"
                           r"(?:\s+(?:nationals|citizens|fighters|members|soldiers|civilians|personnel))?\b",
                           re.IGNORECASE)
_LIST_OF_THE_DEAD = re.compile(
    r"(?:\b(?P<kind>killed|killing|wounded|wounding|injured|injuring)\s+(?:at\s+least\s+|about\s+|some\s+)?"
    r"[\w,]+\s+(?:people|persons)\s*[,:—–]|\b(?:the|those)\s+(?P<kind2>dead|killed|victims|wounded|injured)\s+"
    r"(?:included|include|were|comprised))\s*(?:[\w.'’-]++\s*+(?:,|\band\b)?+\s*+){0,12}$", re.IGNORECASE)
_LIST_AFTER_COLON = re.compile(
    r"\b(?P<verb>killed|injured|wounded|hurt|dead|died)(?:\s+[\w-]+){0,2}?\s*(?:[:—–]|,\s+(?:including|among\s+them))\s*"
    r"(?:[\w.'’-]++\s*+(?:,|\band\b)?+\s*+){0,12}$", re.IGNORECASE)
# people counted by age or sex, within a figure ("six women and four men", "two of them children")
_BREAKDOWN = re.compile(r"\b(?:killed|injured|wounded|hurt|dead|died|casualties|victims)\b[^:;.]{0,40}[:—–]\s*"
                        r"(?:[\w.'’-]++\s*+(?:,|\band\b)?+\s*+){0,12}$", re.IGNORECASE)
_WHO_AMONG = re.compile(r"\s*(?:[\w-]+\s+)?(?:women|men|children|boys|girls|adults|minors|teenagers|elderly|infants|"
                        r"babies)\b", re.IGNORECASE)
_COUNT_OF_MUNITION = re.compile(
    r"\b(?:number|count|tally|total)\s+of\s+(?P<noun>(?:[\w-]+\s+){0,2}?[\w-]+)\s+"
    r"(?:fired\s+|launched\s+)?(?:at|to|was|is|stood\s+at|as)\s+(?:about\s+|around\s+|some\s+|at\s+least\s+)?$",
    re.IGNORECASE)
_LAUNCHED_FROM = re.compile(r"\b(?:fired|launched|came|originated|shot)\s+from\b[^.;,]{0,50}$", re.IGNORECASE)
_NAME_SUFFIX = re.compile(r"(?:jr|sr|ii|iii|iv|[a-z])\.?", re.IGNORECASE)
_SUBCOUNT_BEFORE = re.compile(r"\b(?:including|among\s+them|among\s+whom|of\s+whom|of\s+them)\s+"
                              r"(?:at\s+least\s+|some\s+|about\s+)?$", re.IGNORECASE)
_APPOSITIVE_PART = re.compile(r"\s*,\s*(?:including|among\s+them|among\s+whom|of\s+whom)\b[^,;.]{1,60},", re.IGNORECASE)
_FIGURE_BEFORE = re.compile(r"\b(?:figure|number|count|tally|total|estimate)\s+(?:of|at|to|was|is|as)\s+"
                            r"(?:about\s+|around\s+|some\s+|at\s+least\s+|roughly\s+)?$", re.IGNORECASE)
_OR_BETWEEN = re.compile(r"\s+(?:or|and|nor)\s+(?:were\s+|was\s+)?")
_TOLL_WORD = re.compile(r"\b(?:toll|tally|count|figure|number|total)\b", re.IGNORECASE)
_DELTA_AFTER = re.compile(r"\s+(?:more|additional|new|further|extra)\b(?!\s+than\b)", re.IGNORECASE)
_DELTA_BEFORE = re.compile(r"\b(?:an\s+additional|a\s+further|an\s+extra|a\s+new)\s+$", re.IGNORECASE)
_RELATIVE_ROLE = re.compile(
    r"\s*,?\s*(?:that|which)\s+(?:(?:were|was|had|have|has|been|reportedly|actually|successfully)\s+){0,2}",
    re.IGNORECASE)
_ACRONYM = re.compile(r"\b([A-Z])\.(?:([A-Z])\.)+")
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:at\s+least\s+|more\s+than\s+)?$", re.IGNORECASE)
# After an actor's name: it did the attacking ("Iran fired", "the IRGC, which launched"), or it names the
# attack ("Iranian missiles"); before it: "by". _ACTOR_NOT: "Iran's foreign minister", "Iranian state TV".
_ACTOR_VERB = re.compile(
    r"(?:'s?|’s?)?\s*(?:\([^)]{1,30}\)\s*)?(?:,\s*which\s+)?"
    # "X or a group affiliated with it was responsible": the actor with a vaguer alternative
    r"(?:or\s+(?:an?\s+|one\s+of\s+its\s+)?(?:[\w’'-]+\s+){0,4}?(?:group|affiliate|affiliates|fronts?|proxy|proxies|"
    r"ally|allies|militia)(?:\s+(?:affiliated|linked|aligned)\s+with\s+it)?\s+)?"
    r"(?:[\w’'-]+\s+){0,3}?"
    r"(?:(?:had|has|have|then|later|also|reportedly|on\s+\w+)\s+)*"
    r"(?:fired|launched|struck|attacked|targeted|carried\s+(?:it\s+)?out|conducted|retaliated|claimed|"
    r"took\s+responsibility|hit\s+back|hit|unleashed|bombarded|rained|pounded|shelled|killed|crippled|disabled|sank|"
    r"(?:was|were|is|are)\s+(?:responsible|behind|to\s+blame))\b",
    re.IGNORECASE,
)
# "the work of X", "blamed X for the attack", "attributed the strike to X"
_ACTOR_BEFORE = re.compile(
    r"(?:\b(?:the\s+)?work\s+of|\bblamed|\bblames|\bblaming|\battributed\s+(?:the|it|this)\s+\w*\s*to|"
    r"\bresponsibility\s+(?:on|to)|\bpinned\s+(?:it|the\s+\w+)\s+on)\s+(?:the\s+)?$", re.IGNORECASE)
_ACTOR_FOR_PLURAL = re.compile(r"\s+for\s+(?:dozens|scores|hundreds|a\s+series|many|several|\w+\s+)?\s*(?:of\s+)?"
                               r"(?:\w+\s+)?(?:attacks|strikes|incidents)\b", re.IGNORECASE)
# "facilities used by X", "a militia backed by X": not who attacked
_NOT_BY = re.compile(r"\b(?:used|backed|supported|funded|armed|trained|run|controlled|operated|founded|led|"
                     r"sponsored|equipped|supplied|designated|sanctioned)\s+by\s+$", re.IGNORECASE)
# "denied", "rejected rumors tying X to": a denial names no one responsible
_DENIAL = re.compile(r"\b(?:denied|denies|deny|denying|rejected|rejects|rejecting|dismissed|dismisses|refuted|"
                     r"disavowed)\b", re.IGNORECASE)
_ACTOR_ADJ = re.compile(
    r"(?:'s|’s)?\s+(?:[\w.’'-]+\s+){0,4}?"
    r"(?:missiles|rockets|attacks?|strikes?|barrage|retaliation|counter-?attack|salvo|volley|bombardment)\b",
    re.IGNORECASE,
)
_BY_BEFORE = re.compile(r"\bby\s+$")
_ACTOR_NOT = re.compile(
    r"(?:'s?|’s?)?\s*(?:foreign|supreme|president|minister|state|government|leader|air\s+defen)", re.IGNORECASE)
_PARENTHETICAL = re.compile(r"\([^)]{0,60}\)")
_COORDINATED = re.compile(r"(?:\s*,)?\s+(?:and/or|and|or|&)\s+(?P<mods>(?:[\w’'-]+\s+){0,2}?)", re.IGNORECASE)
_NUMBER_WORD = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|several|some|few|hundreds?|"
    r"scores|tens|more|another)\b", re.IGNORECASE)
_UNATTRIBUTED = Attribution()
# Words without which a pattern above cannot match (checked on the sentence's word index first).
_BREAK_WORDS = frozenset({"while", "whereas", "but", "meanwhile", "most", "all", "some", "many", "none"})
_BACKREF_NOUNS = frozenset({"base", "airbase", "installation", "airfield", "airport", "center", "centre", "facility",
                            "complex", "bunker", "building", "hospital", "compound", "plant", "depot", "headquarters",
                            "ship", "vessel", "tanker", "freighter", "carrier", "city", "town"})
_HYPOTHETICAL_WORDS = frozenset({"could", "would", "might", "may", "threatened", "threatening", "if", "case",
                                 "capable", "since", "readied", "prepared", "year", "annually", "decade", "years",
                                 "fighting", "war", "conflict", "hostilities"})
_CLAIM_CUES = frozenset({"quantity", "place", "actor"})  # indexed patterns that can start a claim
_NEG_CUE_WORDS = frozenset({"no", "not", "none", "neither", "denied", "denies", "deny", "denying", "zero", "without",
                            "didn", "failed", "nobody", "unharmed", "unhurt", "uninjured"})
_OUTLET_ITSELF = re.compile(r"\bcorrespondent\b|\breporter\b", re.IGNORECASE)


def _may_break(text: str, ix: SentenceIndex) -> bool:
    return ";" in text or "-" in text or "—" in text or "–" in text or ix.has_word(_BREAK_WORDS)


@dataclass(frozen=True, slots=True)
class Head:
    cls: str  # munition | people | target
    end: int  # offset in sentence where the counted noun ends
    word: str
    mixed: bool = False  # a munition noun coordinated with another kind under one number ("30 drones and missiles")


class _Scope:
    """A sentence's time expressions (found on first need) and background state (see `_other_event`)."""

    __slots__ = ("paragraph", "inherited", "carries", "prior", "causes", "may_mark", "_marks", "_text", "_pub",
                 "_event", "_words")

    def __init__(self, paragraph: int, inherited: bool, prior: bool, causes: bool, may_mark: bool, text: str,
                 pub: date, event: date, words: frozenset[str] | None) -> None:
        self.paragraph = paragraph
        self.inherited = inherited  # an earlier sentence of the paragraph opened with a time before the event
        self.carries = inherited  # what the next sentence of the paragraph inherits
        self.prior = prior  # the sentence has a word of _PRIOR_LEAD or _AFTER_THE_ATTACK
        self.causes = causes  # the sentence has a word of _NON_ATTACK_CAUSE
        self.may_mark = may_mark  # the sentence has a word a time mark needs
        self._marks: tuple[TimeMark, ...] | None = None if may_mark else ()
        self._text, self._pub, self._event, self._words = text, pub, event, words

    @property
    def marks(self) -> tuple[TimeMark, ...]:
        if self._marks is None:
            self._marks = tuple(time_marks(self._text, self._pub, self._event, self._words))
        return self._marks


@dataclass
class _Context:
    """What the extractor remembers while reading one article."""

    munition: str | None = None
    base: PlaceMention | None = None  # the last base named, for "the base"
    last_place: dict[str, PlaceMention] = field(default_factory=dict)  # place type -> the last of it named
    last_target: PlaceMention | None = None  # the last place found attacked, for "struck it"
    last_named: PlaceMention | None = None  # the last place that can be attacked named at all
    last_figure: Claim | None = None  # the last numeric claim, for "up from 34"
    partitive: set[int] = field(default_factory=set)  # ids of claims made by "two of which ..."
    # whose people the last people noun or casualty figure counted ("troops" -> the story's default party,
    # "people" -> None): what an elliptic figure ("11 were treated for concussion") refers back to
    _people_party: str | None = None
    _people_from: tuple[str, SentenceIndex] | None = None  # the sentence whose people noun is read on first need

    @property
    def people_party(self) -> str | None:
        return self._people_party

    @people_party.setter
    def people_party(self, party: str | None) -> None:
        self._people_party, self._people_from = party, None
    scope: _Scope | None = None  # the current sentence's time marks (set per sentence)
    published_day: date = date.min  # the article's publication day, else the story's event day
    # who said what is found at an offset of the article (set per sentence by `extract`)
    attribute: Callable[[int, bool], Attribution | None] = lambda _pos, _figure: None


class _Budget:
    """The time one document's extraction may take; `check` raises BudgetError, naming the document and how far
    extraction got, once it is spent. None = no limit."""

    def __init__(self, article: Article, seconds: float | None) -> None:
        self.article = article
        self.seconds = seconds
        self.began = time.monotonic()
        self.deadline = None if seconds is None else self.began + seconds

    def check(self, step: str, done: int, of: int) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            a = self.article
            raise BudgetError(
                f"extraction stopped after {time.monotonic() - self.began:.1f} s, over the per-document budget of "
                f"{self.seconds:g} s ([ingest] max_extract_s), while {step} (sentence {done} of {of}, "
                f"{len(a.text):,} characters); the document is left out and the run goes on",
                input=a.path or a.url or a.article_id, stage="extract")


class ClaimExtractor:
    """Compiled once per story vocabulary; `extract(article)` is pure. `budget_s`: the time one document's
    extraction may take before it is abandoned with a BudgetError (None = no limit)."""

    def __init__(self, vocab: Vocabulary, *, budget_s: float | None = None) -> None:
        self.v = vocab
        self.budget_s = budget_s
        self.quantities = QuantityFinder(vocab)
        self.version = vocab.version
        # The patterns tried only where the sentence index says a phrase of theirs can start, each with its
        # phrases (tests/extractors/test_index.py checks that this finds what a scan of the text finds).
        self.gated: dict[str, tuple[re.Pattern[str], Sequence[str]]] = {
            **{name: (vocab.re[name], phrases) for name, phrases in word_lists(vocab).items()},
            "quantity": (self.quantities.rx, [*self.quantities.first_words, DIGIT]),
            "according": (ACCORDING, ACCORDING_WORDS),
            "time_block": (_TIME_BLOCK_WORD, _TIME_BLOCK_WORDS),
            "attack_near": (_ATTACK_NEAR, _ATTACK_NEAR_WORDS),
            "target_trigger": (_TARGET_TRIGGER, _TARGET_TRIGGER_PHRASES),
        }
        self.gates = Gates.build({name: phrases for name, (_, phrases) in self.gated.items()})
        self._not_before_ends = tuple({p.split()[-1].lower() for p in vocab.not_before if p.split()})
        self._event_day = date.fromisoformat(vocab.story.event_date[:10])
        self._window = vocab.story.window()
        self._title_words = frozenset(w for t in vocab.titles for w in t.lower().rstrip(".").split())
        self._titled_person = _titled_person_pattern(vocab.titles)
        # the story's only key place of a type: what "the ship" means before any ship is named
        by_type: dict[str, list[str]] = {}
        for name in vocab.story.places:
            place = vocab.places.get(norm_key(name))
            if place is not None:
                by_type.setdefault(place.type, []).append(place.canonical)
        self._key_place = {t: names[0] for t, names in by_type.items() if len(set(names)) == 1}
        dp = vocab.story.default_party
        self._home_side = dp if dp and dp not in ("civilian", "coalition") else ""  # the attacked side
        negated = [*vocab.negated_people, *vocab.people, *vocab.forces]
        self._negation = negation_pattern(negated)
        self._negated_head = re.compile(phrase_pattern(negated) + "|nobody|no-one|noone", re.IGNORECASE)
        self._more_people = re.compile(
            rf"\s*,?\s*(?:or|and|nor)\s+(?:[\w.'’-]+\s+){{0,2}}?(?P<head>{phrase_pattern(negated)})\b", re.IGNORECASE)

    # ---- article level -------------------------------------------------------------------
    def extract(self, article: Article) -> list[Claim]:
        """The article's claims about the story (none from paragraphs that tell of another event)."""
        return self.extract_report(article)[0]

    def extract_report(self, article: Article, *, separate: bool = True) -> tuple[list[Claim], EventDecision]:
        """The article's claims and which event it reports (extractors/events.py). `separate` False keeps the
        claims of paragraphs dated to another event too (a reviewer said the report is the story's)."""
        text = article.text
        sentences = split_sentences(text)
        pub = _published_or_none(article.published)
        units = blocks(text, sentences)
        budget = _Budget(article, self.budget_s)
        # one index per sentence, on its original text (see _claims)
        indexes: list[SentenceIndex] = []
        for n, s in enumerate(sentences):
            if not n % 256:
                budget.check("indexing", n, len(sentences))
            indexes.append(SentenceIndex(s.text, self.gates))
        by_para = paragraph_evidence(units, self.v, pub, indexes)
        skip = other_paragraphs(by_para) if separate else frozenset()
        claims = self._claims(article, sentences, indexes, budget,
                              frozenset(i for i, u in enumerate(units) if u.paragraph in skip))
        title = article.title or ""
        title_ev = (title_evidence(title, self.v, pub, self._event_day) if title else [])
        decision = decide(title_evidence=title_ev, by_paragraph=by_para,
                          other_evidence=[*attacker_evidence(units, self.v), *office_evidence(units, self.v),
                                          *weapon_evidence(claims, self.v.story.munitions)],
                          published=pub, window=self._window)
        return claims, decision

    def _claims(self, article: Article, sentences: list[Sentence], indexes: list[SentenceIndex], budget: _Budget,
                skip: frozenset[int]) -> list[Claim]:
        """The claims of every sentence but those numbered in `skip`. `indexes`: one per sentence, on its original
        text; the analysis text only blanks quote marks and datelines, so its words are a subset at the same
        offsets."""
        text = article.text
        quotes = _Quotes(_quote_spans(text), [s.start for s in sentences])
        if not self._about_an_attack_of_the_story(sentences, indexes):
            return []
        frames = self._resolve_frames(sentences, indexes, budget)
        continued = self._continued(sentences, frames)
        labels = self._transcript_labels(sentences)
        clean = _analysis_text(text, sentences)
        claims: list[Claim] = []
        ctx = _Context(published_day=_published_day(article.published, self._event_day))
        outlet = norm_key(article.outlet) if article.outlet else ""
        for i, s in enumerate(sentences):
            if not i % 16:
                budget.check("reading claims", i, len(sentences))
            if i in skip:
                continue
            view = Sentence(s.start, s.end, clean[s.start : s.end], s.paragraph)

            def attribute(pos: int, figure: bool, i: int = i, s: Sentence = s) -> Attribution | None:
                att = (self._attribute(pos, i, sentences, frames, quotes) or labels.get(s.paragraph)
                       or (continued[i] if figure else None))
                return self._not_the_outlet(att, outlet)

            ctx.attribute = attribute
            claims += self._sentence_claims(article, view, ctx, indexes[i])
        return _dedupe(claims)

    def _about_an_attack_of_the_story(self, sentences: list[Sentence], indexes: list[SentenceIndex]) -> bool:
        """Whether the article can report the story at all: one of its paragraphs names a munition or an attack
        together with one of the story's places or actors. News about a plague, a protest, a helicopter crash or a
        space launch yields no claims for the story."""
        v = self.v
        keys = set(v.story.places)
        if not keys and not v.actors:
            return True  # a story without places or actors to recognise it by: no gate
        para, attack, anchor = -1, False, False
        for s, ix in zip(sentences, indexes, strict=True):
            if s.paragraph != para:
                para, attack, anchor = s.paragraph, False, False
            if not attack and (ix.search("munition", v.re["munition"], s.text)
                               or ix.search("attack", v.re["attack"], s.text)):
                attack = True
            if not anchor:
                if v.actors and any(self._actor_ok(m) for m in ix.finditer("actor", v.re["actor"], s.text)):
                    anchor = True
                else:
                    for m in ix.finditer("place", v.re["place"], s.text):
                        name = v.places[norm_key(m.group())].canonical
                        if name in keys or v.story_place.get(name) in keys:
                            anchor = True
                            break
            if attack and anchor:
                return True
        return False

    def _actor_ok(self, m: re.Match[str]) -> bool:
        """An actor's mention, unless it is an acronym alias written otherwise ("us" is not "US")."""
        word = m.group()
        return not self.v.actor_acronyms or word.isupper() or not any(
            word.lower() == a.lower() for a in self.v.actor_acronyms)

    def _resolve_frames(self, sentences: list[Sentence], indexes: list[SentenceIndex], budget: _Budget | None = None
                        ) -> list[list[Frame]]:
        """Speech frames per sentence, with pronouns resolved to the last person / organisation named."""
        last: dict[str, Attribution | None] = {"person": None, "org": None, "any": None, "speaker": None,
                                               "unnamed": None}
        out: list[list[Frame]] = []
        names: dict[str, str] = {}  # surname -> full name, filled on first need
        titles: dict[str, Attribution] = {}  # "president" -> the person last named "President X"

        def context(i: int) -> str:
            """The article's first sentence, then the paragraph's sentences before sentence i (nearest last)."""
            para = [x.text for x in sentences[max(0, i - 4) : i] if x.paragraph == sentences[i].paragraph]
            return " ".join([sentences[0].text, *para] if i else para)

        def note(att: Attribution) -> None:
            last["any"] = att
            if _UNNAMED.search(att.surface or ""):
                last["unnamed"] = att
            last["person" if self._is_person(att) else "org"] = att

        for n, (s, ix) in enumerate(zip(sentences, indexes, strict=True)):
            if budget is not None and not n % 64:
                budget.check("reading speech frames", n, len(sentences))
            # a paragraph's dateline ("DUBAI, United Arab Emirates (AP) — President X ..., saying ...") is not the
            # sentence's subject: the frames are read from after it
            first = n == 0 or sentences[n - 1].paragraph != s.paragraph
            dateline = _DATELINE.match(s.text) if first else _STAMP.match(s.text) if s.text[:1].isdigit() else None
            cut = dateline.end() if dateline else 0
            found = [(m.start(), m.end(), m.group()) for m in ix.finditer("speaker", self.v.re["speaker"], s.text)
                     if m.start() >= cut]
            mentions = [(start, a) for start, _, surface in found
                        if (a := canonical_speaker(surface, self.v)) is not None]
            if cut:  # read from after the dateline (no word index for the cut text), offsets moved back
                frames = [replace(f, verb_start=f.verb_start + cut, verb_end=f.verb_end + cut,
                                  speaker_start=f.speaker_start + cut, speaker_end=f.speaker_end + cut)
                          for f in find_frames(s.text[cut:], self.v, [(a - cut, b - cut, w) for a, b, w in found])]
            else:
                frames = find_frames(s.text, self.v, found, ix)
            resolved = []
            for f in frames:
                for _, a in [m for m in mentions if m[0] < f.speaker_start]:
                    note(a)
                mentions = [m for m in mentions if m[0] >= f.speaker_start]
                att = f.attribution
                if att is None:
                    pron = s.text[f.speaker_start : f.speaker_end].lower()
                    rest = " ".join(pron.split()[1:]) if pron.startswith("the ") or _POSSESSIVE_LEAD.match(pron) else ""
                    titled = (titles.get(rest) or titles.get(rest.split()[-1])) if rest else None
                    if titled is not None:  # "the president said": the person last named with that title
                        base = titled
                    elif pron.startswith("the same"):  # "the same officials said": whoever spoke last
                        base = last["speaker"] or last["any"]
                    elif _UNNAMED_BACK.fullmatch(pron):  # "the source said": the unnamed source last cited
                        base = last["unnamed"] or last["any"]
                    elif pron in ("he", "she") or _PERSON_PRONOUN.search(pron):
                        base = last["person"] or last["any"]
                    elif pron == "it":  # "It said ...": the organisation that spoke last, else the last one named
                        spoke = last["speaker"]
                        base = (spoke if spoke is not None and not self._is_person(spoke) else None) or last["org"] \
                            or last["any"]
                    elif _ORG_PRONOUN.search(pron):
                        # "the ministry said": the ministry named last, else the organisation that spoke last
                        named = self._org_named_before(pron.split()[-1], sentences, len(out), f.speaker_start)
                        if named is None and len(pron.split()) >= 3:
                            # "the regional administration", nobody named so: the organisation as written
                            words = s.text[f.speaker_start : f.speaker_end].split()[1:]
                            own = Attribution(" ".join(words), " ".join(words), None, None, f.hedge)
                            named = (self._owned_by_last_place(own, sentences, indexes, len(out), f.speaker_start)
                                     if _OWNED_BY_A_PLACE.match(own.speaker or "") else own)
                        base = named or last["org"] or last["any"]
                    else:
                        base = last["any"]
                    surface = s.text[f.speaker_start : f.speaker_end]
                    att = (self._as_listed(Attribution(base.speaker, surface, base.organisation, base.side, f.hedge),
                                           s.text, context(n)) if base else None)
                else:
                    if att.speaker and " " not in att.speaker and att.organisation is None \
                            and not is_group(att.speaker):
                        # "Menendez said": the name used before; "the group said": the group named before; "the
                        # army said", none named: the attacked side's
                        att = self._full_name(att, sentences, names) or (
                            self._home_service(att) if att.speaker[:1].islower() else None)
                    elif att.speaker and att.organisation is None and _OWNED_BY_A_PLACE.match(att.speaker):
                        att = self._owned_by_last_place(att, sentences, indexes, len(out), f.speaker_start)
                    elif att.speaker and att.organisation is None and att.side is None and self._home_side:
                        # "the Air Force said" in a report on an attack on Ukraine: the attacked side's, if listed
                        att = self._home_service(att) or att
                    if att is not None:
                        att = self._as_listed(att, s.text, context(n))
                        again = last["unnamed"]
                        if again is not None and _ANOTHER_UNNAMED.search(att.surface or "") and not \
                                self._parties(att.surface or ""):
                            # "a second security source told Rudaw": one more of the unnamed sources cited before
                            att = Attribution(again.speaker, att.surface, again.organisation, again.side, att.hedge)
                        note(att)
                if att is not None:
                    last["speaker"] = att
                resolved.append(Frame(f.verb_start, f.verb_end, f.hedge, att, f.speaker_start, f.speaker_end))
            for _, a in mentions:
                note(a)
            if not ix.exact or not ix.words.isdisjoint(self._title_words):
                last_frame = max((f.speaker_start for f in resolved), default=-1)
                for m in self._titled_person.finditer(s.text):
                    name = " ".join(w for w in m.group("name").split())
                    title = " ".join(m.group("title").lower().split())
                    titles[title] = canonical_speaker(name, self.v) or Attribution(name, name, None, None, "said")
                    titles.setdefault(title.split()[-1], titles[title])
                    if m.start() > last_frame and titles[title].speaker:
                        # "CIA Director X spoke in Dallas. Iran fired 330 drones, he said.": the person last named
                        note(titles[title])
            out.append(resolved)
        return out

    def _home_service(self, att: Attribution) -> Attribution | None:
        """A service with no side ("the Air Force", "the army") as the attacked side's listed one, if any."""
        if not self._home_side or not att.speaker:
            return None
        home = canonical_speaker(f"{self._home_side} {att.speaker}", self.v, att.hedge)
        if home is not None:
            return Attribution(home.speaker, att.surface, home.organisation, home.side, att.hedge)
        sp = resolve_organisation(f"{self._home_side} {att.speaker}", self.v)
        return None if sp is None else Attribution(sp.canonical, att.surface, sp.organisation, sp.side, att.hedge)

    def _as_listed(self, att: Attribution, sentence: str, earlier: str = "") -> Attribution:
        """An organisation written its own way as the listed one it means ("Jordan's interior ministry"), by its
        head words and the marks of whose it is; a name with no mark takes the side its sentence names, then the one
        `earlier` text names last (the paragraph so far, the article's first lines), then the attacked side
        (`extractors.organisations`)."""
        if not att.speaker or norm_key(att.speaker) in self.v.speakers:
            return att
        hints = marks_in(sentence, self.v) + marks_in(earlier, self.v)
        if self._home_side:
            hints += (frozenset({self._home_side.lower()}),)
        sp = resolve_organisation(att.speaker, self.v, hints)
        return att if sp is None else Attribution(sp.canonical, att.surface, sp.organisation, sp.side, att.hedge)

    def _org_named_before(self, noun: str, sentences: list[Sentence], i: int, before: int) -> Attribution | None:
        """The organisation with this head noun named last before sentence i's offset `before` (within six
        sentences): "The Kurdistan Region's interior ministry issued a statement. ... the ministry said"."""
        if noun not in _ORG_HEADS:
            return None
        rx = _ORG_NAMED[noun]
        for k in range(i, max(-1, i - 12), -1):
            text = sentences[k].text if k < i else sentences[k].text[:before]
            if noun not in text.lower():
                continue
            found = [m for m in rx.finditer(text) if m.group().split()[0].lower() not in ("in", "on", "at", "by")]
            if found:
                m = found[-1]
                name = _LEADING_THE.sub("", m.group().split("(")[0]).strip()
                bare = name[: -len(noun)].strip() if name.lower().endswith(noun) else ""
                for cand in (m.groupdict().get("acronym"), name, bare):
                    listed = canonical_speaker(cand, self.v, "said") if cand else None
                    if listed is not None:
                        return listed
                return Attribution(name, name, name, None, "said")
        return None

    def _owned_by_last_place(self, att: Attribution, sentences: list[Sentence], indexes: list[SentenceIndex],
                             i: int, before: int) -> Attribution:
        """An organisation named by the kind of place it serves ("the city's military administration") as the
        listed speaker of the nearest place of that kind named before it that has one ("Kyiv's military
        administration"); else as it was."""
        m = _OWNED_BY_A_PLACE.match(att.speaker or "")
        assert m is not None
        kinds = _OWNER_TYPES[m.group("kind").lower()]
        if kinds == ("country",):  # "the country's air force": the attacked side's
            home = canonical_speaker(f"{self._home_side} {m.group('rest')}", self.v, att.hedge) \
                if self._home_side else None
            return Attribution(home.speaker, att.surface, home.organisation, home.side, att.hedge) if home else att
        rest, tried = m.group("rest"), set()
        for k in range(i, -1, -1):
            s = sentences[k]
            places = [p for p in find_places(s.text, self.v, indexes[k])
                      if p.known and p.type in kinds and (k < i or p.start < before)]
            # the nearest place of that kind whose organisation is listed: "the city" after a list of cities
            for name in dict.fromkeys(p.canonical for p in reversed(places)):
                if name in tried:
                    continue
                tried.add(name)
                for cand in (f"{name}'s {rest}", f"{name} {rest}", f"{name} {m.group('kind')} {rest}"):
                    listed = canonical_speaker(cand, self.v, att.hedge)
                    if listed is not None:
                        return Attribution(listed.speaker, att.surface, listed.organisation, listed.side, att.hedge)
        return att

    def _full_name(self, att: Attribution, sentences: list[Sentence], names: dict[str, str]) -> Attribution | None:
        """A speaker named by surname alone, as the full name the article used for them ("Menendez" -> "Bob
        Menendez"), or a listed speaker's; None when the article names nobody with that surname."""
        surname = att.speaker or ""
        key = surname.lower()
        if key not in names:
            names[key] = ""
            pattern = re.compile(rf"((?:[A-Z][\w.'’-]*\s+){{1,3}}){re.escape(surname)}\b")
            for x in sentences:
                if surname not in x.text:
                    continue
                for m in pattern.finditer(x.text):
                    words = [w for w in m.group(1).split() if w.lower().rstrip(".") not in self._title_words]
                    if words and words[-1][:1].isupper() and words[-1].lower() not in ("the", "a", "an"):
                        names[key] = " ".join([*words[-2:], surname])
                        break
                if names[key]:
                    break
            if not names[key] and surname[:1].isupper() and (att.surface or "").strip() == surname:
                # "Soroka said" after "the Soroka Medical Center": an organisation by the first word of its name
                longer = re.compile(rf"\b{re.escape(surname)}((?:\s+[A-Z][\w'’-]*){{1,4}})")
                for x in sentences:
                    m = longer.search(x.text) if surname in x.text else None
                    if m and m.group(1).split()[-1].lower() in _INSTITUTION_HEADS:
                        names[key] = surname + m.group(1)
                        break
        full = names[key]
        if not full:
            return None
        listed = canonical_speaker(full, self.v, att.hedge)
        if listed is None and full.split()[-1].lower() in _INSTITUTION_HEADS:
            return Attribution(full, att.surface, full, att.side, att.hedge)
        return listed or Attribution(full, att.surface, None, att.side, att.hedge)

    def _transcript_labels(self, sentences: list[Sentence]) -> dict[int, Attribution]:
        """Transcript speaker labels ("SEC. ESPER: ...") attribute their whole paragraph."""
        labels: dict[int, Attribution] = {}
        current: Attribution | None = None
        seen_para = -1
        names: dict[str, str] = {}
        labelled: dict[str, Attribution] = {}  # surname -> the speaker a fuller label named
        for s in sentences:
            if s.paragraph == seen_para:
                continue
            seen_para = s.paragraph
            m = _LABEL.match(s.text)
            if not m:
                if current is not None:  # an unlabelled paragraph continues the last speaker's answer
                    labels[s.paragraph] = current
                continue
            current = None
            if m.group("label") in ("Q", "QUESTION", "UPDATE"):
                continue
            label = m.group("label").title()
            # "LT. GEN. KENNETH F. MCKENZIE JR.": without suffixes and middle initials
            words = [w for w in re.split(r"\s+", label) if w and not _NAME_SUFFIX.fullmatch(w)]
            label = " ".join(words) or label
            for cand in (label, " ".join(words[-2:]), words[-1]):
                att = canonical_speaker(cand, self.v, "said")
                if att:
                    current = labels[s.paragraph] = replace(att, surface=m.group("label"))
                    break
            else:
                # an unlisted speaker ("MR. KIRBY:"): the full name the transcript gives elsewhere, else the label
                # without its titles
                named = [w for w in words if w.lower().rstrip(".") not in self._title_words]
                if named:
                    att = (labelled.get(named[-1].lower()) if len(named) == 1 else None) or self._full_name(
                        Attribution(named[-1], m.group("label"), None, None, "said"), sentences, names)
                    if att is None and len(named) >= 2:
                        full = " ".join(named)
                        att = canonical_speaker(full, self.v, "said") or Attribution(full, m.group("label"), None,
                                                                                       None, "said")
                        labelled[named[-1].lower()] = att  # "MR. KIRBY:" later is the same person
                    if att is not None:
                        current = labels[s.paragraph] = att
        return labels

    def _is_person(self, att: Attribution) -> bool:
        sp = lookup_speaker(att.surface or "", self.v)
        if sp is not None:
            return sp.is_person
        return att.organisation is None and " " in (att.speaker or "") and att.speaker != "US officials"

    def _not_the_outlet(self, att: Attribution | None, outlet: str) -> Attribution | None:
        """An outlet quoting its own correspondent speaks in its own voice (`outlet`: its norm_key, or "")."""
        if att is None or att.speaker is None:
            return att
        if _OUTLET_ITSELF.search(att.surface or ""):
            return None
        if outlet:
            speaker = norm_key(att.speaker)
            if speaker and (speaker in outlet or outlet in speaker):
                return None
        return att

    def _attribute(self, pos: int, i: int, sentences: list[Sentence], frames: list[list[Frame]],
                   quotes: _Quotes) -> Attribution | None:
        """The attribution of a claim whose words start at article offset `pos`, in sentence i."""
        s = sentences[i]
        k = quotes.containing(pos)
        if k is not None:
            qs, qe = quotes.spans[k]
            got = _quote_speaker(qs, qe, sentences, frames, quotes.sentence_starts)
            if got is None and k and s.paragraph == quotes.paragraph_of(quotes.spans[k - 1][1], sentences):
                # a quote that goes on after its credit ('"We fired 15," said X. "Ten hit."'): the same speaker
                got = _quote_speaker(*quotes.spans[k - 1], sentences, frames, quotes.sentence_starts)
            if got is not None:
                return got
        rel = pos - s.start
        local = [f for f in frames[i] if f.attribution is not None
                 and not (f.speaker_start <= rel < f.speaker_end)]
        before = [f for f in local if f.verb_start <= rel]
        if before:
            return before[-1].attribution
        after = [f for f in local if f.verb_start > rel and not _credit_blocked(s.text, rel, f)]
        return after[0].attribution if after else None

    @staticmethod
    def _continued(sentences: list[Sentence], frames: list[list[Frame]]) -> list[Attribution | None]:
        """Per sentence: the speaker whose account it goes on with. A sentence with no speech frame of its own, in
        the paragraph of a sentence that credits a speaker, goes on with that speaker's account ("X said 38 were
        killed. Two adults died at the hospital."); the nearest earlier sentence of the paragraph with any frame
        decides. One pass, so a paragraph of thousands of lines (a table dump) costs what its lines cost."""
        out: list[Attribution | None] = []
        para, carried = None, None
        for s, found in zip(sentences, frames, strict=True):
            if s.paragraph != para:
                para, carried = s.paragraph, None
            if carried is not None and not found and _NEW_SCENE.match(s.text):
                carried = None  # "In Jordan, ...", "Elsewhere, ...": the narration moves on, not the account
            out.append(carried)
            if found:
                credited = [f for f in found if f.attribution is not None]
                carried = credited[-1].attribution if credited else None
        return out

    # ---- sentence level ------------------------------------------------------------------
    def _sentence_claims(self, article: Article, s: Sentence, ctx: _Context, ix: SentenceIndex) -> list[Claim]:
        text = s.text
        ctx.scope = self._scope(article, s, ix, ctx)
        named = self._last_munition(text, ix)
        whole = self._all_of_them(article, s, ctx, ix)
        if whole:
            return whole
        if not self._may_claim(text, ctx, ix):
            if named:
                ctx.munition = named
            return []
        places = self._places(text, ctx, ix)
        out: list[Claim] = []
        qs = [q for q in self.quantities.find(text, ix) if not any(p.start <= q.start < p.end for p in places)]
        if not ix.exact or (("a" in ix.words or "an" in ix.words) and ("people" in ix.at or "munition" in ix.at)):
            qs = sorted([*qs, *self._indefinite_ones(text, qs, ix)], key=lambda q: q.start)
        breaks = [m.start() for m in _BREAK.finditer(text)] if _may_break(text, ix) else []
        # quantity index -> (kind, munition, place) its partitive decided
        forced: dict[int, tuple[str, str, PlaceMention | None]] = {}
        for idx, q in enumerate(qs):
            if self._other_event(text, q.start, ix, ctx) or self._hypothetical(text, q.start, ix) \
                    or _MISSING.match(text, q.end):
                continue
            prev_end = qs[idx - 1].end if idx else 0
            nxt = qs[idx + 1] if idx + 1 < len(qs) else None
            next_start = nxt.start if nxt else len(text)
            seg = (max([prev_end] + [b for b in breaks if b <= q.start]),
                   min([next_start] + [b for b in breaks if b >= q.end]))
            if idx in forced:
                kind, munition, place = forced.pop(idx)
                claim = self._claim(ctx, article, s, q, kind, munition=munition, place=place)
            elif nxt is not None and (part := self._partitive(text, q, nxt, qs[idx + 2] if idx + 2 < len(qs) else None,
                                                              breaks, places, ctx, ix)):
                kind, munition, place, whole_kind, whole_place = part
                claim = self._claim(ctx, article, s, q, kind, munition=munition, place=place)
                forced[idx + 1] = (whole_kind, munition, whole_place)
            else:
                claim = self._quantity_claim(article, s, q, nxt, seg, places, out, ctx, ix)
                if claim is not None and claim.kind.startswith("munitions") and claim.value is not None:
                    echo = self._second_role(article, s, q, claim, seg, ctx, ix)
                    if echo is not None:
                        out.append(echo)
            if claim is not None:
                out.append(claim)
                ctx.last_figure = claim
                if claim.munition:
                    ctx.munition = claim.munition
                if claim.kind in ("killed", "injured"):
                    ctx.people_party = claim.party
        if (not ix.exact or "people" in ix.at) and not any(c.kind in ("killed", "injured") for c in out):
            ctx._people_from = (text, ix)  # read when an elliptic figure needs it
        if named and not any(c.munition for c in out):
            ctx.munition = named  # "The rockets were fired at the base. None were intercepted."
        if ix.exact and not ix.words.isdisjoint(_ONE_PRONOUNS) and not ix.words.isdisjoint(_HARM_WORDS_ALL):
            out += self._pronoun_ones(article, s, ctx, ix, out)
        out += self._negations(article, s, ctx, ix)
        out += self._targets(article, s, places, out, ix, ctx)
        out += self._responsibility(article, s, ix, ctx)
        t = self._event_time(article, s, ix, ctx)
        if t:
            out.append(t)
        if ctx.scope is not None and ctx.scope.may_mark and any(c.kind in ("killed", "injured") for c in out):
            out = [c for c in out if not (c.kind in ("killed", "injured") and self._dated_before(text, c, ctx))]
        if ":" in text and sum(1 for c in out if c.kind.startswith("munitions")) > 1:
            # "Seventy-six missiles struck it: 57 Tomahawks and 19 JASSMs": the list breaks the figure down
            out = [c for c in out if not (c.kind.startswith("munitions") and c.value is not None
                                          and self._in_breakdown(text, c, out))]
        if any(c.value is not None and c.value.text.lower() in ("a", "an") for c in out):
            # "the toll rose to 12 after a boy died": the one is part of the sentence's larger figure
            out = [c for c in out if not (c.value is not None and c.value.text.lower() in ("a", "an") and not c.party
                                          and any(d.kind == c.kind and d.value is not None and d.value.low > 1
                                                  for d in out))]
        return out

    def _partitive(self, text: str, part: Quantity, whole: Quantity, after_whole: Quantity | None,
                   breaks: list[int], places: list[PlaceMention], ctx: _Context,
                   ix: SentenceIndex) -> tuple[str, str, PlaceMention | None, str, PlaceMention | None] | None:
        """"three of the 12 missiles failed": (the part's kind, the munition, the part's place, the whole's kind).
        The whole is what was launched unless a relative clause gives its role ("two of the 11 missiles that hit
        the base failed to explode": hit 11, failed 2). None when `part` is not such a partitive."""
        m = _OF_NUMBER.match(text, part.end)
        if m is None or m.end() != whole.start:
            return None
        head = self._head(text, whole, after_whole, ix)
        if head is not None and head.cls != "munition":
            return None
        if head is not None:
            munition, pos = ("mixed" if head.mixed else self.v.munitions[norm_key(head.word)]), head.end
        elif ctx.munition is not None:
            munition, pos = ctx.munition, whole.end
        else:
            return None
        role = self.v.re["role"]
        whole_kind, rel_end = "munitions_launched", None
        rel = _RELATIVE_ROLE.match(text, pos)
        if rel and (r := role.match(text, rel.end())):
            whole_kind, pos = self.v.roles[norm_key(r.group())], r.end()
            rel_end = pos
        elif (r := role.match(text, pos + len(text[pos:]) - len(text[pos:].lstrip()))) and \
                self.v.roles[norm_key(r.group())] == "munitions_launched":
            pos = r.end()  # "two of the 16 missiles fired failed": a reduced relative
        hi = min([after_whole.start if after_whole else len(text)] + [b for b in breaks if b >= pos])
        r = ix.search("role", role, text, pos, hi)
        if r is None or r.start() - pos > 60:
            return None
        whole_place = self._place_in(places, rel_end, r.start(), text) if rel_end is not None else None
        kind = _subject_role(self.v.roles[norm_key(r.group())], r)
        return kind, munition, self._place_in(places, r.end(), hi, text), whole_kind, whole_place

    def _note_people(self, text: str, ctx: _Context, ix: SentenceIndex) -> None:
        """Remember whose people the sentence's last people noun names, for elliptic figures after it."""
        found = list(ix.finditer("people", self.v.re["people"], text))
        if not found:
            return
        m = found[-1]
        np = text[max(0, m.start() - 30) : m.end()]
        np = np[max(np.rfind(","), np.rfind(";"), np.rfind(" and "), np.rfind(" of ")) + 1 :]
        ctx.people_party = (self._party(np, last=True)
                            or (self.v.story.default_party if self.v.re["forces"].fullmatch(m.group()) else None))

    def _pronoun_ones(self, article: Article, s: Sentence, ctx: _Context, ix: SentenceIndex,
                      found: list[Claim]) -> list[Claim]:
        """One person named by a pronoun: "he was killed", "the Houthis had killed him" (a person of the people
        named before; not when the sentence already counts its dead or wounded)."""
        out: list[Claim] = []
        for m in _PRONOUN_HARMED.finditer(s.text):
            pg = "p" if m.group("p") else "p2"
            kind = "killed" if (m.group("k") or m.group("k2")).lower() in ("killed", "dead", "died") else "injured"
            if any(c.kind == kind for c in found) or self._other_event(s.text, m.start(), ix, ctx) \
                    or self._hypothetical(s.text, m.start(), ix):
                continue
            word = m.group(pg)
            span = (m.start(pg), m.end(pg))
            out.append(self._claim(ctx, article, s, None, kind, span=span, value=Interval(1, 1, "exact", word),
                                   party=self._people_party(ctx)))
        return out

    def _people_party(self, ctx: _Context) -> str | None:
        """The party of the last people noun named (read from its sentence only when a figure needs it)."""
        if ctx._people_from is not None:
            text, ix = ctx._people_from
            self._note_people(text, ctx, ix)
        return ctx.people_party

    def _second_role(self, article: Article, s: Sentence, q: Quantity, claim: Claim, seg: tuple[int, int],
                     ctx: _Context, ix: SentenceIndex) -> Claim | None:
        """The same count in a second role: "seven missiles ..., all of which were shot down" (launched 7,
        intercepted 7); "All 18 missiles fired at Blei were shot down" (launched 18 at Blei, intercepted 18)."""
        text, role = s.text, self.v.re["role"]
        after = ix.search("role", role, text, q.end, min(len(text), q.end + 160))
        if after is None:
            return None
        first = self.v.roles[norm_key(after.group())]
        if claim.kind == "munitions_launched" and first == "munitions_launched":
            # "missiles fired at X were shot down": a main verb after the reduced relative
            main = _MAIN_VERB.match(text, after.end())
            r = role.match(text, main.end()) if main else None
            if r is None:
                alls = _ALL_OF.match(text, text.find(",", after.end()) if "," in text[after.end() :] else len(text))
                r = role.match(text, alls.end()) if alls else None
        else:
            alls = _ALL_OF.search(text, q.end, min(len(text), seg[1] + 80))
            r = role.match(text, alls.end()) if alls else None
        if r is None:
            return None
        kind = self.v.roles[norm_key(r.group())]
        if kind == claim.kind:
            return None
        return self._claim(ctx, article, s, q, kind, munition=claim.munition, subject=claim.subject,
                           subject_surface=claim.subject_surface)

    def _all_of_them(self, article: Article, s: Sentence, ctx: _Context, ix: SentenceIndex) -> list[Claim]:
        """"All of them were shot down": the last munition figure's whole count, in the role the sentence gives."""
        last = ctx.last_figure
        if (last is None or not last.kind.startswith("munitions") or last.value is None
                or ("all" not in ix.words and "every" not in ix.words and ix.exact)):
            return []
        out = []
        for m in _ALL_OF_THEM.finditer(s.text):
            role = self.v.re["role"].match(s.text, m.end())
            kind = self.v.roles[norm_key(role.group())] if role else None
            if kind and kind != last.kind and not self._other_event(s.text, m.start(), ix, ctx):
                out.append(self._claim(ctx, article, s, None, kind, munition=last.munition, span=m.span(),
                                       value=last.value))
        return out

    def _last_munition(self, text: str, ix: SentenceIndex) -> str | None:
        """The kind of the last munition noun of the sentence, if any (what "none of them" or "nine of them" count)."""
        if ix.exact and "munition" not in ix.at:
            return None
        found = list(ix.finditer("munition", self.v.re["munition"], text))
        return self.v.munitions[norm_key(found[-1].group())] if found else None

    def _may_claim(self, text: str, ctx: _Context, ix: SentenceIndex) -> bool:
        """Whether any rule below can find a claim in the sentence or change the context (a base named):
        it needs a number or quantifier, a place, an actor, a negation or a time word."""
        return bool(not ix.exact or not _CLAIM_CUES.isdisjoint(ix.at) or ix.has_word(UNLISTED_WORDS)
                    or (("a" in ix.words or "an" in ix.words) and ("people" in ix.at or "munition" in ix.at))
                    or (bool(ctx.last_place) and ix.has_word(_BACKREF_NOUNS)) or ix.has_word(_NEG_CUE_WORDS)
                    or may_have_time(ix.words, text)
                    or (not ix.words.isdisjoint(_ONE_PRONOUNS) and not ix.words.isdisjoint(_HARM_WORDS_ALL)))

    def _places(self, text: str, ctx: _Context, ix: SentenceIndex) -> list[PlaceMention]:
        """Places named in the sentence, plus back-references ("the base", "the hospital", "the ship") resolved to
        the last place of that kind named."""
        places = find_places(text, self.v, ix)
        if places and (" of " in text or " from " in text):
            # "the base, 160 kilometres west of Baghdad": a place that locates another is not attacked
            places = [p for p in places if not _LOCATOR_BEFORE.search(text, max(0, p.start - 60), p.start)]
        merged = list(places)
        backrefs = _BACKREF.finditer(text) if (ctx.last_place or places or self._key_place) and ix.has_word(
            _BACKREF_NOUNS) else ()
        for m in backrefs:
            if any(p.start <= m.start() < p.end or m.start() <= p.start < m.end() for p in places):
                continue
            noun = norm_key(m.group("noun")).replace(" ", "")
            if noun in ("city", "town") and _CONTAINER_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                continue  # "a facility in the city": the city holds what was hit
            types = _BACKREF_TYPES.get(noun, _FACILITY_TYPES)
            # the nearest place of that kind named before it: earlier in this sentence, else before
            here = [p for p in places if p.end <= m.start() and p.known and p.type in types]
            ref = here[-1] if here else next((ctx.last_place[t] for t in types if t in ctx.last_place), None)
            if ref is None:
                key = next((self._key_place[t] for t in types if t in self._key_place), None)
                if key is not None:
                    ref = PlaceMention(m.start(), m.end(), m.group(), key, self.v.places[norm_key(key)].type, True)
            if ref is not None:
                merged.append(PlaceMention(m.start(), m.end(), m.group(), ref.canonical, ref.type, ref.known))
        for p in places:
            if p.known and p.type in self.v.place_types:
                ctx.last_place[p.type] = p
                ctx.last_named = p
                if p.type == "base":
                    ctx.base = p
        return sorted(merged, key=lambda p: p.start)

    def _quantity_claim(self, article: Article, s: Sentence, q: Quantity, nxt: Quantity | None,
                        seg: tuple[int, int], places: list[PlaceMention], out: list[Claim],
                        ctx: _Context, ix: SentenceIndex) -> Claim | None:
        claim = self._quantity_claim_of(article, s, q, nxt, seg, places, out, ctx, ix)
        if claim is not None and claim.kind == "injured" and _NOT_INJURY.search(s.text, q.end, seg[1] + 30):
            return None
        if (claim is not None and claim.kind in ("killed", "injured")
                and (_DELTA_AFTER.match(s.text, q.end) or _DELTA_BEFORE.search(s.text, max(0, q.start - 16), q.start))
                and not any(c.kind in ("killed", "injured") and c.kind != claim.kind
                            and c.evidence.start < s.start + q.start for c in out)):
            # "nine more were diagnosed", "an additional 9 troops": a change, not a total (but "ten killed, with
            # 170 more injured" adds another kind)
            return None
        return claim

    def _quantity_claim_of(self, article: Article, s: Sentence, q: Quantity, nxt: Quantity | None,
                           seg: tuple[int, int], places: list[PlaceMention], out: list[Claim],
                           ctx: _Context, ix: SentenceIndex) -> Claim | None:
        v, text = self.v, s.text
        seg_lo, seg_hi = seg
        head = self._head(text, q, nxt, ix)
        dead = _OF_THE_DEAD.match(text, q.end)
        if dead is not None and (party := self._party(dead.group("pred"))):
            # "eight of the dead were Iranians": the dead of one side
            kind = "injured" if dead.group("noun").lower() in ("wounded", "injured") else "killed"
            return self._claim(ctx, article, s, q, kind, party=party)
        if nxt is not None and (head is None or head.end > nxt.start) and (of := _OF_NUMBER.match(text, q.end)) \
                and of.end() == nxt.start:
            # "three of the 20 crew members were killed", "two of the five were hurt": the part is the casualty
            # count, the whole is everyone
            whole = self._head(text, nxt, None, ix)
            if whole is None or whole.cls == "people":
                end = whole.end if whole is not None else nxt.end
                cas = v.re["casualty"].search(text, end, min(len(text), end + 40))
                if cas and v.casualties[norm_key(cas.group())] != "both" and \
                        not _BREAK_MARK.search(text, end, cas.start()) and _BE_ONLY.fullmatch(text, end, cas.start()):
                    party = self._party(text[nxt.end : end])
                    return self._claim(ctx, article, s, q, v.casualties[norm_key(cas.group())], party=party)
        if (head is None or head.cls == "people") and _WHOLE_AFTER_PART.search(text, max(0, q.start - 30), q.start) \
                and (m_be := _BE_ONLY.match(text, head.end if head is not None else q.end)) \
                and v.re["casualty"].match(text, m_be.end()):
            # the whole of "two of the five were hurt": counted by its part ("of the 11 people killed" is not)
            return None
        if head is not None and head.cls == "munition" and (
                _NOT_MUNITION_NOUN.search(text, q.end, head.end - len(head.word))
                or _NOT_MUNITION_AFTER.match(text, head.end)):
            # "a dozen interceptors against incoming missiles", "three cruise missile launchers": what counts is not
            # the munition
            return None
        if head is not None and head.cls == "munition":
            kind = self._coordinated_role(text, q, out) or self._role(text, seg_lo, q.start, head.end, seg_hi, ix)
            if kind is None:
                return None
            munition = "mixed" if head.mixed else v.munitions[norm_key(head.word)]
            place = self._place_in(places, head.end, seg_hi, text)
            if place is None and kind == "munitions_hit":
                place = self._hit_place(text, q, head.end, seg_hi, places, ctx)
            elif place is None and kind == "munitions_launched" and (
                    passive := _PASSIVE_TARGETED.search(text, max(0, q.start - 60), q.start)):
                # "the ship was targeted with a drone boat": what the passive's subject names
                lo = max(text.rfind(";", 0, passive.start()), text.rfind(":", 0, passive.start())) + 1
                before = [p for p in places if lo <= p.start and p.end <= passive.start()
                          and p.type in self.v.place_types]
                place = before[-1] if before else None
            return self._claim(ctx, article, s, q, kind, munition=munition, place=place)
        if head is not None and head.cls == "target" and head.word.lower() == "targets":
            role = self._role(text, seg_lo, q.start, head.end, seg_hi, ix)
            if role == "munitions_intercepted":  # "about a dozen targets were destroyed over the capital"
                return self._claim(ctx, article, s, q, role, munition="mixed")
        if head is not None and head.cls == "target":
            if (self._attack_context(text, ix) and q.value.low <= 100
                    and not _FROM_BEFORE.search(text[max(0, q.start - 25) : q.start])):
                return self._claim(ctx, article, s, q, "targets_count")
            return None
        if head is not None and head.cls == "people" and _OF_WHOLE.search(text, max(0, q.start - 30), q.start) \
                and not v.re["casualty"].match(text, head.end + len(text[head.end:]) - len(text[head.end:].lstrip())):
            # "three of the ship's 20 crew": 20 is everyone aboard, not a casualty count ("nine of the 11 people
            # killed" is one)
            return None
        if head is not None and head.cls == "people" and (
                _SUBCOUNT_BEFORE.search(text, max(0, q.start - 30), q.start) or _AMONG_THE.match(text, head.end)) \
                and not self._party(text[q.end : head.end]):
            # "nine civilians, including four children", "seven children were among the wounded": a part of the
            # figure, no side of its own
            return None
        if head is not None and head.cls == "people":
            after = text[head.end : seg_hi]
            appos = _APPOSITIVE_PART.match(text, head.end)
            if appos and not v.re["casualty"].search(after[:60]):
                after = text[appos.end() : appos.end() + 80]  # "nine civilians, including four children, were killed"
            right_before = _VERB_BEFORE.search(text, max(seg_lo, q.start - 30), q.start)
            verb = v.re["casualty"].fullmatch(right_before.group("verb")) if right_before else None
            cas = [(m.start(), v.casualties[norm_key(m.group())]) for m in v.re["casualty"].finditer(after)]
            # "21 crew members were evacuated without injury": a denied harm does not count them
            cas = [c for c in cas if c[1] != "both" and c[0] < 60 and not _DENIED.search(after, 0, c[0])]
            if verb and v.casualties[norm_key(verb.group())] != "both":
                # "killed three soldiers and wounded 12 others": the verb that governs this number
                cas = [(0, v.casualties[norm_key(verb.group())])]
            if not cas and " of them" in text[max(0, q.start - 100) : q.end + 14]:
                # "Nine people were wounded, eight of them contractors and one a US service member": parts of the
                # figure before them take its kind
                lo_ = max(0, q.start - 100, text.rfind(";", 0, q.start) + 1, text.rfind(":", 0, q.start) + 1)
                kinds_ = [v.casualties[norm_key(m.group())] for m in v.re["casualty"].finditer(text, lo_, q.start)]
                if kinds_ and kinds_[-1] != "both" and _PART_AFTER_FIGURE.search(text, lo_, q.start):
                    cas = [(0, kinds_[-1])]
            if _WHO_AMONG.fullmatch(text, q.end, head.end) and not self._party(text[q.end : head.end]) \
                    and _BREAKDOWN.search(text, max(0, q.start - 120), q.start):
                return None  # "10 dead: six women and four men": who the dead were, not a count of its own
            if not cas and (lst := _LIST_AFTER_COLON.search(text, max(0, q.start - 120), q.start)):
                # "Nine others were injured: eight contractors and one U.S. service member"
                kind = v.casualties.get(norm_key(lst.group("verb")))
                if kind and kind != "both":
                    cas = [(0, kind)]
            if not cas and (lst := _LIST_AFTER_TOLL.search(text, max(0, q.start - 150), q.start)):
                # "13 people were killed, seven Guards and six Syrians", "a toll of 16: eight Iranians, five Syrians"
                word = (lst.group("verb") or "toll").lower()
                cas = [(0, "injured" if word in ("wounded", "injured") else "killed")]
            if not cas and (lst := _LIST_OF_THE_DEAD.search(text, max(0, q.start - 150), q.start)) \
                    and self._party(text[q.end : head.end]):
                # "the strike killed 16 people, eight Iranians, five Syrians and a Lebanese", "the dead included eight
                # Iranians and two Syrians": each side's part of the figure
                word = (lst.group("kind") or lst.group("kind2")).lower()
                cas = [(0, "injured" if word.startswith(("wound", "injur")) else "killed")]
            if not cas and nxt is not None and _AND_NEXT.fullmatch(text, head.end, nxt.start):
                # "Two Filipino sailors and a Vietnamese seafarer died": subjects that share one verb
                shared = v.re["casualty"].search(text, nxt.end, min(len(text), nxt.end + 90))
                if shared and v.casualties[norm_key(shared.group())] != "both" and not _BREAK_MARK.search(
                        text, nxt.end, shared.start()):
                    cas = [(0, v.casualties[norm_key(shared.group())])]
            if not cas:
                before = text[seg_lo : q.start]
                cas = [(0, v.casualties[norm_key(m.group())]) for m in v.re["casualty"].finditer(before)
                       if v.casualties[norm_key(m.group())] != "both" and q.start - seg_lo - m.end() < 25]
            if not cas:
                return None
            np = text[q.end : head.end]
            last = ctx.last_figure
            # "80 Americans killed and 200 others wounded": more of the same group; but "a civilian contractor was
            # killed and nine others hurt", "six other people" name no side
            group = (last is not None and _OTHERS.fullmatch(np) is not None and last.party not in (None, "civilian")
                     and last.value is not None and last.value.low > 1)
            prev_party = last.party if group and last is not None else None
            party = (self._party(np) or self._party(after[: cas[0][0]]) or self._origin(text, head.end) or prev_party
                     or self._speakers_own(np, ctx, s, q)
                     or (self.v.story.default_party if ix.may("forces", q.end, head.end)
                         and self.v.re["forces"].search(np) else None))
            return self._claim(ctx, article, s, q, cas[0][1], party=party)
        return self._elliptic(article, s, q, seg, places, out, ctx)

    def _elliptic(self, article: Article, s: Sentence, q: Quantity, seg: tuple[int, int],
                  places: list[PlaceMention], out: list[Claim], ctx: _Context) -> Claim | None:
        """Counts whose noun is left out: "11 hit Al Asad", "two of which did not explode", "200 wounded",
        "five on Erbil", "the toll rose to 80", "up from 34"."""
        v, text = self.v, s.text
        seg_lo, seg_hi = seg
        tail = text[q.end : seg_hi]
        lead = _ELLIPTIC.match(tail)
        rest = tail[lead.end() :] if lead else tail
        munition_claims = [c for c in out if c.kind.startswith("munitions")]
        role = v.re["role"].match(rest)
        if role and (ctx.munition or munition_claims):
            munition = munition_claims[-1].munition if munition_claims else ctx.munition
            place = self._place_in(places, q.end, seg_hi, text)
            partitive = bool(_PARTITIVE.match(tail))
            if place is None and partitive and munition_claims and munition_claims[-1].subject:
                antecedent = munition_claims[-1]
                c = self._claim(ctx, article, s, q, v.roles[norm_key(role.group())], munition=munition,
                                subject=antecedent.subject, subject_surface=antecedent.subject_surface)
            else:
                c = self._claim(ctx, article, s, q, v.roles[norm_key(role.group())], munition=munition, place=place)
            if partitive:
                ctx.partitive.add(id(c))
            return c
        if _OF_THEM.match(tail) and (ctx.munition or munition_claims):
            # "air defences shot down 71 of them": the role right before a partitive of the munitions last named
            lo = max(seg_lo, q.start - 40)
            roles = [m for m in v.re["role"].finditer(text, lo, q.start)
                     if _GAP_TO_FIGURE.fullmatch(text, m.end(), q.start)]
            role = roles[-1] if roles else None
            if role:
                munition = munition_claims[-1].munition if munition_claims else ctx.munition
                c = self._claim(ctx, article, s, q, v.roles[norm_key(role.group())], munition=munition,
                                place=self._place_in(places, q.end, seg_hi, text))
                ctx.partitive.add(id(c))
                return c
        cas = v.re["casualty"].match(rest)
        if cas and v.casualties[norm_key(cas.group())] != "both":
            party = self._party(tail[: lead.end()] if lead else "") or self._people_party(ctx)
            return self._claim(ctx, article, s, q, v.casualties[norm_key(cas.group())], party=party)
        who = _OF_THEM_WERE.match(tail)
        last = ctx.last_figure
        if who and last is not None and last.kind in ("killed", "injured") and (party := self._party(who.group())) \
                and 0 <= s.start - article.text.rfind(last.evidence.sentence, 0, s.start + 1) < 400:
            # "Thirteen were killed. Seven of them were Iranian nationals": a side's part of the last figure
            return self._claim(ctx, article, s, q, last.kind, party=party)
        at_place = _AT_PLACE.match(tail)
        if at_place and munition_claims:
            place = self._place_in(places, q.end, seg_hi, text)
            if place is not None:
                # "17 fell on Al Asad, two of which failed, and five on Erbil": parallel to the last count
                # that named a place and was not itself a part of another count
                model = next((c for c in reversed(munition_claims) if c.subject and id(c) not in ctx.partitive),
                             munition_claims[-1])
                kind = "munitions_hit" if at_place.group("on") else model.kind
                return self._claim(ctx, article, s, q, kind, munition=model.munition, place=place)
        count_of = _COUNT_OF_MUNITION.search(text, max(0, q.start - 70), q.start)
        if count_of and (mun := v.re["munition"].fullmatch(count_of.group("noun").strip())):
            # "put the number of rockets at about 14", "the count of missiles rose to 22"
            return self._claim(ctx, article, s, q, "munitions_launched", munition=v.munitions[norm_key(mun.group())])
        if (ctx.munition or munition_claims) and _WAVE_OF.search(text, max(0, q.start - 40), q.start):
            munition = munition_claims[-1].munition if munition_claims else ctx.munition
            return self._claim(ctx, article, s, q, "munitions_launched", munition=munition)
        window = text[max(0, q.start - 120) : q.start]
        if _CASUALTY_LEAD.search(window):
            # "died of their injuries, raising the toll to 15": the cause of a death is not what the toll counts
            window = _DIED_OF.sub(lambda m: m.group("verb") + " " * (len(m.group()) - len(m.group("verb"))), window)
            kinds = [v.casualties[norm_key(m.group())] for m in v.re["casualty"].finditer(window)]
            kinds = [k for k in kinds if k != "both"]
            if not kinds:
                kinds = [v.casualties[norm_key(m.group())] for m in v.re["casualty"].finditer(text, q.end, q.end + 80)]
                kinds = [k for k in kinds if k != "both"][:1]
            if not kinds and ctx.last_figure is not None and ctx.last_figure.kind in ("killed", "injured"):
                kinds = [ctx.last_figure.kind]
            if not kinds and (bare := _TOLL_WORD.search(window)) and bare.group().lower() == "toll" \
                    and not _INJURY_TOLL.search(window):
                kinds = ["killed"]  # "the toll rose to 16", "gave a final toll of 16": a toll is of the dead
            if kinds:
                # "the U.S. death toll rose to 3": a party word in the toll's own phrase, after the last clause break
                own = window[max(window.rfind(","), window.rfind(";"), window.rfind(":"), window.rfind(" that "),
                                 window.rfind(" said ")) + 1 :]
                after = _NUMBER_OF.match(text, q.end)  # "raised to 110 the number of U.S. service members"
                np_after = after.group("np") if after else ""
                toll_m = _TOLL_WORD.search(own)
                toll = toll_m is not None  # "the death toll rose to 42": a toll, not elliptic people
                # a toll's side is a word of its own phrase ("the U.S. death toll"), not the subject's ("Ukraine's
                # police raised the death toll")
                whose = own[_phrase_start(own, toll_m.start()) : toll_m.start()] if toll_m else own
                if toll_m is not None and toll_m.group().lower().endswith("toll") and not _INJURY_TOLL.search(
                        own, max(0, toll_m.start() - 20), toll_m.end()):
                    kinds = ["killed"]  # "the toll had reached 50": a toll without a word of its own is of the dead
                party = (self._party(whose, last=True) or self._party(np_after)
                         or (self.v.story.default_party if self.v.re["forces"].search(own + " " + np_after) else None)
                         or (self._restated_party(ctx, kinds[-1]) if toll else self._people_party(ctx)))
                return self._claim(ctx, article, s, q, kinds[-1], party=party)
        last = ctx.last_figure
        restated = _RESTATED.search(text[max(0, q.start - 40) : q.start]) if last is not None else None
        if restated and (own := _OWN_NOUN.match(text, q.end)) and not self._counted_noun(own.group("noun")):
            restated = None
        if last is not None and last.value is not None and restated:
            kind = last.kind
            relative = _RELATIVE_FIGURE.match(restated.group().strip())
            if kind.startswith("munitions") and not relative:
                kind = "munitions_launched"  # "counted 22", "put the number at 13": a total
                return self._claim(ctx, article, s, q, kind, munition=last.munition)
            return self._claim(ctx, article, s, q, kind, munition=last.munition, party=last.party,
                               subject=last.subject if last.kind != "munitions_launched" else None,
                               subject_surface=last.subject_surface)
        return None

    # ---- helpers -------------------------------------------------------------------------
    def _claim(self, ctx: _Context, article: Article, s: Sentence, q: Quantity | None, kind: str, *,
               munition: str | None = None, party: str | None = None, place: PlaceMention | None = None,
               span: tuple[int, int] | None = None, value: Interval | None = None, subject: str | None = None,
               subject_surface: str | None = None, known: bool = True, when: TimeSpan | None = None,
               attribute_at: int | None = None) -> Claim:
        if q is not None:
            span, value = (q.start, q.end), q.value
        assert span is not None
        if place is not None:
            subject, subject_surface, known = (self.v.story_place.get(place.canonical, place.canonical),
                                               place.surface, place.known)
        if value is not None:
            value = Interval(value.low, value.high, value.qualifier,
                             _words(article.text[s.start + span[0] : s.start + span[1]]))
        start = s.start + span[0]
        return Claim(
            kind=kind,
            evidence=Evidence(article.article_id, article.text[s.start : s.end], s.start, start, s.start + span[1]),
            extractor_version=self.version,
            value=value,
            munition=munition,
            party=party,
            subject=subject,
            subject_surface=subject_surface,
            subject_known=known,
            when=when,
            attribution=ctx.attribute(start if attribute_at is None else s.start + attribute_at, value is not None)
            or _UNATTRIBUTED,
        )

    def _head(self, text: str, q: Quantity, nxt: Quantity | None, ix: SentenceIndex) -> Head | None:
        """The noun a quantity counts, if it follows within a short noun phrase."""
        v = self.v
        start = q.end
        # "11 of the 16 missiles": count the noun after the second number
        m = _OF_THE.match(text, start)
        mn = _OF_NUMBER.match(text, start)
        limit = nxt.start - start if nxt is not None else 60  # a noun after the next number is that number's
        if mn and nxt is not None and nxt.start == mn.end():
            start = nxt.end
            limit = 60
        elif m:
            start = m.end() - 1
        window = text[start : start + 60]
        window_n = _ACRONYM.sub(lambda x: x.group().replace(".", "_"), window) if "." in window else window
        best: Head | None = None
        best_start = 0
        for cls, key in (("munition", "munition"), ("people", "people"), ("target", "target_noun")):
            if not ix.may(key, start, start + 60):
                continue
            for hm in v.re[key].finditer(window_n):
                if hm.start() >= limit:
                    break
                between = _HYPHENATED.sub("X", window_n[: hm.start()])
                if between == "-":
                    pass  # "22-missile barrage"
                elif between.strip() and (len(between.split()) > 4 or _STOP_BETWEEN.search(between)
                                          or (len(between) > 3 and self._has_verb(between))):
                    break
                # the noun that starts first wins; at the same start, the longer ("aerial targets", not "targets")
                if best is None or start + hm.start() < best_start or (
                        start + hm.start() == best_start and start + hm.end() > best.end):
                    best_start, end = start + hm.start(), start + hm.end()
                    while cls == "people" and (more := _NEXT_WORD.match(text, end)) and v.re["people"].fullmatch(
                            more.group(1)):
                        end = more.end()  # "civilian contractors", "crew members": the last noun heads the phrase
                    mixed = cls == "munition" and self._coordinated_munition(text, end)
                    best = Head(cls, end, window[hm.start() : hm.end()], mixed)
                break
        if best and best.cls == "people" and ix.may("munition", start, best.end) and v.re["munition"].search(
                text[start : best.end]):
            return None
        if best and best.cls == "munition" and _DEFENSIVE.search(text, max(0, best.end - len(best.word) - 30),
                                                                  best.end - len(best.word)):
            return None  # "40 surface-to-air missiles", "a dozen interceptor missiles": the defenders' own
        return best

    def _dated_before(self, text: str, c: Claim, ctx: _Context) -> bool:
        """The casualty verb after a figure is dated before the event ("dozens of people died on April 7", "a
        contractor was killed, at K-1, in December 2019"): the deaths of another day."""
        pos = c.evidence.end - c.evidence.sentence_start
        verb = self.v.re["casualty"].search(text, pos, min(len(text), pos + 70))
        if verb is None or ";" in text[pos : verb.start()]:
            return False
        sc = ctx.scope
        assert sc is not None
        return any(verb.end() <= m.start <= verb.end() + 45 and ";" not in text[verb.end() : m.start]
                   and before_event(m, self._event_day) for m in sc.marks)

    @staticmethod
    def _in_breakdown(text: str, c: Claim, out: list[Claim]) -> bool:
        """The figure is an item of a list after a colon that follows another munition figure of the sentence."""
        pos = c.evidence.start - c.evidence.sentence_start
        colon = text.rfind(":", 0, pos)
        if colon < 0 or ";" in text[colon:pos]:
            return False
        # an item with a place of its own or another role ("22 were fired: 17 fell on X") is a claim of its own
        return c.subject is None and any(
            d is not c and d.kind == c.kind and d.value is not None and d.evidence.end - d.evidence.sentence_start
            <= colon and d.value.low > c.value.low for d in out)  # type: ignore[union-attr]

    def _indefinite_ones(self, text: str, qs: list[Quantity], ix: SentenceIndex) -> list[Quantity]:
        """"a man was killed", "an Iranian ballistic missile slammed into ...": one, when the indefinite article
        heads a singular person or munition noun that is the subject of a casualty or role verb (not "a missile
        attack", "a drone strike")."""
        out = []
        v = self.v
        # where a person or munition noun can start: an article with none in its next 45 characters is skipped
        starts = sorted([*ix.positions("people"), *ix.positions("munition")]) if ix.exact else None
        for m in _INDEFINITE.finditer(text):
            if starts is not None:
                k = bisect_right(starts, m.end())
                if k == len(starts) or starts[k] > m.end() + 45:
                    continue
            if any(q.start <= m.start() < q.end for q in qs) or _PART_OF.search(text, max(0, m.start() - 25),
                                                                                  m.start()):
                continue  # "part of a missile", "debris from a drone"
            if _DENIED_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                continue  # "not a single American was hurt": a negation, read by _negations
            hi = min(len(text), m.end() + 45)
            mun = ix.search("munition", v.re["munition"], text, m.end(), hi)
            ppl = ix.search("people", v.re["people"], text, m.end(), hi)
            if mun is None and ppl is None:
                continue
            head = mun if ppl is None or (mun is not None and mun.start() <= ppl.start()) else ppl
            window = text[m.end() : hi]
            hs, he, is_munition = head.start() - m.end(), head.end() - m.end(), head is mun
            between = window[:hs]
            if len(between.split()) > 3 or _STOP_BETWEEN.search(between) or self._has_verb(between):
                continue
            noun = window[hs:he]
            if noun.lower().endswith("s"):
                continue
            np_end = m.end() + he
            if not is_munition:
                # "a civilian contractor", "an American soldier": the people noun after a people word used as an
                # adjective is the head
                for _ in range(2):
                    nxt_ppl = ix.search("people", v.re["people"], text, np_end, min(len(text), np_end + 25))
                    if nxt_ppl is None or text[np_end : nxt_ppl.start()].strip():
                        break
                    np_end = nxt_ppl.end()
            if is_munition and (_MODIFIED_NOUN.match(text, np_end) or text.rstrip().endswith("?")):
                continue  # "a missile attack", "a missile fragment", a reporter's question
            if not is_munition and _LIST_AFTER_COLON.search(text, max(0, m.start() - 120), m.start()):
                # "six others wounded, among them an American soldier"
                out.append(Quantity(m.start(), m.end(), Interval(1, 1, "exact", m.group())))
                continue
            if is_munition and ((_ROLE_RIGHT_BEFORE.search(text, max(0, m.start() - 25), m.start()) and
                                 v.re["role"].search(text, max(0, m.start() - 25), m.start()))
                                or _WITH_MUNITION_BEFORE.search(text, max(0, m.start() - 40), m.start())):
                # "fired an anti-ship ballistic missile at the ship", "was struck by a drone", "hit it with a drone
                # boat", "the ship was targeted with a drone boat"
                out.append(Quantity(m.start(), m.end(), Interval(1, 1, "exact", m.group())))
                continue
            if not is_munition and _CASUALTY_RIGHT_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                # "the Houthis killed a crew member": the verb's object
                out.append(Quantity(m.start(), m.end(), Interval(1, 1, "exact", m.group())))
                continue
            verb = _VERB_AFTER.match(text, np_end)
            if verb is None:
                continue
            rest = text[verb.end() : verb.end() + 30]
            if not ((v.re["role"].match(rest) if is_munition else None) or v.re["casualty"].match(rest)
                    or (is_munition and _IMPACT_VERB.match(rest))):
                continue
            out.append(Quantity(m.start(), m.end(), Interval(1, 1, "exact", m.group())))
        return out

    def _counted_noun(self, noun: str) -> bool:
        """A noun a figure of ours can count: a munition, people, a casualty word or a target noun."""
        v = self.v
        return any(v.re[k].fullmatch(noun) for k in ("munition", "people", "casualty", "target_noun"))

    def _coordinated_role(self, text: str, q: Quantity, out: list[Claim]) -> str | None:
        """The role of the count this one is coordinated with ("destroyed 80 drones and six missiles launched
        from Iran": six were destroyed too)."""
        prev = next((c for c in reversed(out) if c.kind.startswith("munitions") and c.value is not None), None)
        if prev is None:
            return None
        gap = text[prev.evidence.end - prev.evidence.sentence_start : q.start]
        m = _COORDINATION_GAP.fullmatch(gap)
        if m is None or not self.v.re["munition"].search(m.group("np")) or self._has_verb(m.group("np")):
            return None
        nums = [c for c in out if c.kind.startswith("munitions") and c.value is not None]
        start = prev.evidence.start - prev.evidence.sentence_start
        if len(nums) >= 2 and _OF_NUMBER_BEFORE.search(text, max(0, start - 8), start):
            # "destroyed 87 of 122 missiles and 27 of 36 drones": the part before the whole sets the role
            return nums[-2].kind
        return prev.kind

    def _has_verb(self, words: str) -> bool:
        """A role, casualty or speech verb among the words between a number and a noun: "one fell inside the base"
        does not count bases."""
        return bool(self.v.re["role"].search(words) or self.v.re["casualty"].search(words)
                    or self.v.re["speech_verb"].search(words))

    def _coordinated_munition(self, text: str, end: int) -> bool:
        """The munition noun ending at `end` is joined to a noun of another kind without a number of its own:
        "30 drones and missiles", "200 missiles, rockets and drones"."""
        m = _COORDINATED.match(text, end)
        if not m or _NUMBER_WORD.search(m.group("mods")):
            return False
        other = self.v.re["munition"].match(text, m.end())
        return bool(other) and self.v.munitions[norm_key(other.group())] != self.v.munitions.get(
            norm_key(text[max(0, end - 40) : end].split()[-1]))

    def _role(self, text: str, seg_lo: int, q_start: int, head_end: int, seg_hi: int, ix: SentenceIndex) -> str | None:
        """What a munition count counts: the role verb nearest before it, else after it; launched when the
        sentence speaks of an attack but names no role for this count; None when it speaks of none. A role word
        after a determiner or a possessive is a noun ("played down the strike, saying 15 missiles were launched"),
        not the verb of the count."""
        if _HIT_X_WITH.search(text, max(0, q_start - 90), q_start):
            return "munitions_hit"  # "struck the centre of Sumy, a city in the north-east, with two missiles"
        v = self.v
        role, attack = v.re["role"], v.re["attack"]
        before = [m for m in ix.finditer("role", role, text, seg_lo, q_start)
                  if not _NOUN_LEAD.search(text, 0, m.start())]
        if before and q_start - before[-1].end() <= 40:
            return v.roles[norm_key(before[-1].group())]
        after = ix.search("role", role, text, head_end, seg_hi)
        if after is not None and _NOUN_LEAD.search(text, 0, after.start()):
            after = None
        if after and after.start() - head_end <= 60:
            return _subject_role(v.roles[norm_key(after.group())], after)
        if after is None and " and " in text[head_end : head_end + 45]:
            # "87 missiles and 27 drones were shot down": coordinated subjects share the verb after the last
            later = ix.search("role", role, text, head_end, min(len(text), head_end + 60))
            if later and _SHARED_VERB_GAP.fullmatch(text, head_end, later.start()):
                return _subject_role(v.roles[norm_key(later.group())], later)
        if (ix.search("role", role, text) or ix.search("attack", attack, text, 0, seg_lo)
                or ix.search("attack", attack, text, seg_hi)
                or _FIGURE_BEFORE.search(text, max(0, q_start - 50), q_start)):
            return "munitions_launched"  # "gave a figure of 103 cruise missiles": the count of the attack
        return None

    @staticmethod
    def _restated_party(ctx: _Context, kind: str) -> str | None:
        """A toll or figure named again ("the Pentagon had put the figure at 50") counts the last figure's people."""
        last = ctx.last_figure
        return last.party if last is not None and last.kind == kind else None

    def _hit_place(self, text: str, q: Quantity, head_end: int, seg_hi: int, places: list[PlaceMention],
                   ctx: _Context) -> PlaceMention | None:
        """Where a hit count without a place after it landed: the subject of a passive ("Barzah was struck by 76
        missiles"), or the place last named as attacked for "struck it"."""
        passive = _PASSIVE_HIT.search(text, max(0, q.start - 60), q.start)
        if passive:
            # the subject of the passive: the first place of its sentence part ("X in Damascus was struck by")
            lo = max(text.rfind(";", 0, passive.start()), text.rfind(":", 0, passive.start())) + 1
            before = [p for p in places if lo <= p.start and p.end <= passive.start() and p.type in self.v.place_types]
            return before[0] if before else ctx.last_target or ctx.last_named or self._only_key_place()
        r = self.v.re["role"].search(text, head_end, seg_hi)
        if (r is not None and _HIT_IT.match(text, r.end())) or _HIT_IT_WITH.search(text, max(0, q.start - 30),
                                                                                   q.start):
            # "struck it", "hit it with a drone boat"
            return ctx.last_target or ctx.last_named or self._only_key_place()
        with_ = _HIT_X_WITH.search(text, max(0, q.start - 90), q.start)
        if with_:
            # "hit the Tutor with an unmanned boat": the verb's object
            inside = [p for p in places if with_.start("obj") <= p.start < with_.end("obj")
                      and p.type in self.v.place_types]
            return inside[0] if inside else None
        if not places:
            # "we're tracking 10 impacts" in a report of an attack on one place: that place
            return self._only_key_place()
        return None

    def _only_key_place(self) -> PlaceMention | None:
        """The story's one key place, when it has only one: what "it" was before anything is named."""
        names = set(self._key_place.values())
        if len(names) != 1 or len(self.v.story.places) != 1:
            return None
        name = names.pop()
        return PlaceMention(0, 0, name, name, self.v.places[norm_key(name)].type, True)

    def _place_in(self, places: list[PlaceMention], lo: int, hi: int, text: str) -> PlaceMention | None:
        inside = [p for p in places if lo <= p.start < hi and p.type in self.v.place_types
                  and not self._after_not_before(text, p.start)]
        names = {p.canonical for p in inside}
        return inside[0] if len(names) == 1 else None

    def _after_not_before(self, text: str, start: int) -> bool:
        """The place at `start` follows a phrase that makes it a source or an aside ("from", "west of")."""
        window = text[max(0, start - 30) : start]
        # the phrase ends with one of its last words right before the place (or before "the"): skip the
        # pattern when none of them occurs in the window
        low = window.lower()
        if not any(w in low for w in self._not_before_ends):
            return False
        return bool(self.v.re["not_before"].search(window))

    def _party(self, text: str, last: bool = False) -> str | None:
        found = self._parties(text)
        if not found:
            return None
        return found[-1] if last else found[0]

    def _speakers_own(self, np: str, ctx: _Context, s: Sentence, q: Quantity) -> str | None:
        """ "The Guards said seven of their members were killed": the speaker's own people, of the speaker's side."""
        if not _OF_OWN.match(np):
            return None
        att = ctx.attribute(s.start + q.start, True) if ctx.attribute is not None else None
        side = att.side if att is not None else None
        if not side:
            return None
        return self.v.parties.get(norm_key(side) + "'s") or self.v.parties.get(norm_key(side))

    def _origin(self, text: str, pos: int) -> str | None:
        """The side of people named by where they come from: "a crew member from the Philippines"."""
        m = _FROM_COUNTRY.match(text, pos)
        if m is None:
            return None
        country = norm_key(m.group("country"))
        return self.v.parties.get(country + "'s") or self.v.parties.get(country + "'") or self.v.parties.get(country)

    def _parties(self, text: str) -> list[str]:
        """Party words in the text, in order, each party once (see `_parties_in`)."""
        return list(_parties_in(self.v, text))


    def _clause(self, text: str, pos: int) -> tuple[int, int]:
        """The clause around `pos`: from the end of the last clause boundary before it to the next one."""
        lo, hi = 0, len(text)
        for a, b in _clause_spans(text):
            if b <= pos:
                lo = b
            elif a >= pos:
                hi = a
                break
        return lo, hi

    def _by_another_actor(self, text: str, pos: int) -> bool:
        """The figure counts the work of someone the story does not name as its attacker: "610 people were killed
        in Israeli strikes" in a story of Iran's attack, "Russian shelling killed four" in one of Ukraine's."""
        hard = text.rfind(";", 0, pos) + 1
        for m in (_BY_WHOSE_STRIKES.match(text, pos, min(len(text), pos + 70)),
                  _WHOSE_STRIKES_KILLED.search(text, max(hard, pos - 60), pos)):
            if m is None:
                continue
            whose = norm_key(m.group("whose"))
            if whose in self.v.parties and whose not in self.v.actors:
                return True
        return False

    def _other_event(self, text: str, pos: int, ix: SentenceIndex, ctx: _Context) -> bool:
        """The clause at `pos` speaks of another event: its own time expression dates it before the story's event
        (or after it, for an attack somewhere the story does not name), or the sentence opens with such a time
        ("In 2019, ..."), or the paragraph did and nothing since has brought the story back."""
        sc = ctx.scope
        if (not ix.exact or (not ix.words.isdisjoint(_STRIKE_NOUNS) and not ix.words.isdisjoint(_HARM_WORDS))) \
                and self._by_another_actor(text, pos):
            return True
        if (not ix.exact or not ix.words.isdisjoint(_WAR_WORDS)) and _WAR_TALLY.search(text, max(0, pos - 80), pos):
            return True  # "the war has killed more than 10,000 people": a tally of the whole war
        if sc is not None and not sc.may_mark and not sc.prior and not sc.causes:
            return sc.inherited
        lo, hi = self._clause(text, pos)
        if ((sc is None or sc.prior) and self._prior_cause(text, lo, pos)) or (
                (sc is None or sc.causes) and self._other_cause(text, lo, hi, pos)):
            return True
        if sc is None or not sc.marks:
            return bool(sc and sc.inherited)
        own = [m for m in sc.marks if lo <= m.start < hi]
        if not own and lo and _CLAUSE_LEAD.search(text, max(0, lo - 16), lo):
            # "in March 2021, when ten rockets struck": a clause that hangs on the time before it
            plo = max(lo - 80, text.rfind(";", 0, lo) + 1)
            own = [m for m in sc.marks if plo <= m.start < lo][-1:]
        if own:
            return any(self._mark_is_other(m, text, lo, hi, ix) for m in own)
        front = sc.marks[0]
        if front.start <= 30 and front.end <= pos and ";" not in text[front.end : pos]:
            return self._mark_is_other(front, text, *self._clause(text, front.start), ix)
        return sc.inherited

    @staticmethod
    def _prior_cause(text: str, lo: int, pos: int) -> bool:
        """The clause is what the attack answered or followed at a distance ("in retaliation for the killing of
        ...", "days after a drone strike killed ..."), or the sentence opens with a time after the attack and
        tells of something other than a statement about it ("Hours after the attack, air defences shot down a
        passenger jet, killing 176")."""
        if lo and _PRIOR_LEAD.search(text, max(0, lo - 40), lo):
            return True
        if lo:
            # "two days after U.S. bombers hit Fordow and Natanz with 14 bombs": the lead before a clause that a
            # coordination ("and Natanz") split, up to the next comma or semicolon
            leads = list(_PRIOR_LEAD_IN.finditer(text, max(0, lo - 150), lo))
            if leads and not _PRIOR_END.search(text, leads[-1].end(), pos):
                return True
        m = _AFTER_THE_ATTACK.match(text)
        return bool(m and m.end() <= pos and not _SPEECH_IN.search(text, m.end()))

    def _other_cause(self, text: str, lo: int, hi: int, pos: int) -> bool:
        """People died of something that is not an attack: "a stampede in which 56 people died", "killed in a
        helicopter crash" (the clause, or the 60 characters before the figure without crossing a semicolon)."""
        hard = text.rfind(";", 0, pos) + 1
        start = min(lo, max(hard, pos - 60))
        if _PARTICIPLE_RESULT.search(text, max(0, pos - 40), pos):
            start = hard  # "two gunmen opened fire at a stop in Jaffa, killing six": the main clause is the cause
        return bool(_NON_ATTACK_CAUSE.search(text, start, hi))

    def _mark_is_other(self, mark: TimeMark, text: str, lo: int, hi: int, ix: SentenceIndex) -> bool:
        event = self._event_day
        if before_event(mark, event):
            return True
        if not after_event(mark, event):
            return False
        # later: another event only if the clause tells of an attack on a place the story does not name
        v = self.v
        if not (ix.search("attack", v.re["attack"], text, lo, hi) or ix.search("role", v.re["role"], text, lo, hi)):
            return False
        named = {v.places[norm_key(m.group())].canonical for m in ix.finditer("place", v.re["place"], text, lo, hi)}
        return bool(named) and not (named & set(v.story.places))

    def _scope(self, article: Article, s: Sentence, ix: SentenceIndex, ctx: _Context) -> _Scope:
        """The sentence's time marks (found when first needed), and whether its paragraph is background from an
        earlier sentence on."""
        prev = ctx.scope
        inherited = bool(prev and prev.paragraph == s.paragraph and prev.carries)
        words = ix.words
        exact = ix.exact
        if exact and words.isdisjoint(_SCOPE_WORDS) and "19" not in s.text and "20" not in s.text:
            # nothing here can date a clause or name another cause: the paragraph's state carries on
            return _Scope(s.paragraph, inherited, False, False, False, s.text, ctx.published_day, self._event_day,
                          words)
        prior = not exact or not words.isdisjoint(_PRIOR_WORDS)
        causes = not exact or not words.isdisjoint(_CAUSE_WORDS)
        may_mark = not exact or may_have_marks(words, s.text)
        pub = ctx.published_day
        sc = _Scope(s.paragraph, inherited, prior, causes, may_mark, s.text, pub, self._event_day,
                    words if exact else None)
        if not may_mark:
            return sc
        if inherited:
            marks = sc.marks
            front = marks[0] if marks else None
            if front is not None and front.start <= 30:  # a fronted time sets the scene for what follows
                sc.carries = self._mark_is_other(front, s.text, *self._clause(s.text, front.start), ix)
            elif marks and not any(before_event(m, self._event_day) for m in marks):
                sc.carries = False  # the sentence brings its own, story-compatible time
        else:
            # only a fronted time can start a background paragraph: read the sentence's opening words
            head = s.text[:60]
            lead = ([m for m in time_marks(head, pub, self._event_day) if m.start <= 30]
                    if _HEAD_TIME_CUE.search(head, 0, 40) else [])
            if lead:
                sc.carries = self._mark_is_other(lead[0], s.text, *self._clause(s.text, lead[0].start), ix)
        return sc

    def _hypothetical(self, text: str, pos: int, ix: SentenceIndex) -> bool:
        if not ix.has_word(_HYPOTHETICAL_WORDS):
            return False
        lo, hi = self._clause(text, pos)
        return bool(_HYPOTHETICAL.search(text, lo, hi) or _GENERIC_PERIOD.search(text))

    def _attack_context(self, text: str, ix: SentenceIndex) -> bool:
        return bool(ix.search("attack", self.v.re["attack"], text) or ix.search("role", self.v.re["role"], text))

    def _negations(self, article: Article, s: Sentence, ctx: _Context, ix: SentenceIndex) -> list[Claim]:
        out: list[Claim] = []
        v = self.v
        if not ix.has_word(_NEG_CUE_WORDS) or not _NEG_CUE.search(s.text):
            return out
        taken: list[tuple[int, int]] = []
        for rx in (self._negation, _NEG2):
            for m in rx.finditer(s.text):
                if any(a < m.end("head" if m.group("head") else "head0") and m.start("head" if m.group("head")
                                                                                      else "head0") < b
                       for a, b in taken):
                    continue  # "caused no casualties": the head was read already
                head = (m.group("head") or m.groupdict().get("head0") or "").lower()
                np_words = m.group("np") or ""
                rest = m.groupdict().get("rest") or ""
                if _UNSURE.search(np_words) or _NO_REPORTS.search(s.text[max(0, m.start() - 25) : m.start() + 3]):
                    continue
                if m.group().lower().startswith("none") and head in ("casualties", "casualty", "injuries", "deaths",
                                                                      "fatalities"):
                    continue  # "none of the injuries was critical" qualifies injuries, it does not deny them
                head_end = m.end("head") if m.group("head") else m.end("head0")
                more = self._more_people.match(s.text, head_end) if m.group("head") else None
                if more:  # "No American or Iraqi troops": the head is the last noun of the coordination
                    np_words, head, head_end = s.text[m.end("np") : more.start("head")], more.group("head").lower(), \
                        more.end("head")
                    rest = s.text[head_end : head_end + 45]
                    rest = rest[: min((rest.find(c) for c in ".;" if c in rest), default=len(rest))]
                rest_start = head_end if more else (m.start("rest") if rest else head_end)
                taken.append((m.start("head") if m.group("head") else m.start("head0"), head_end))
                if self._negated_head.fullmatch(head):
                    cms = list(v.re["casualty"].finditer(rest[:55]))
                    if not cms:
                        continue
                    kinds = []
                    for cm in cms[:2]:  # "were hurt or harmed", "killed or wounded"
                        if cm is not cms[0] and not _OR_BETWEEN.fullmatch(rest, cms[0].end(), cm.start()):
                            break
                        word = norm_key(cm.group())
                        kinds += {"killed": ["killed"], "injured": ["injured"], "both": ["killed", "injured"]}[
                            v.casualties[word]]
                    kinds = list(dict.fromkeys(kinds))
                elif head in ("casualties", "casualty"):
                    kinds = ["killed", "injured"]
                elif head in ("injuries", "injury"):
                    kinds = ["injured"]
                else:
                    kinds = ["killed"]
                also = _AND_CASUALTY.match(s.text, head_end)
                if also:
                    other = v.casualties.get(norm_key(also.group("other")), "both")
                    kinds = list(dict.fromkeys([*kinds, *(["killed", "injured"] if other == "both" else [other])]))
                    head_end = also.end()
                if self._other_event(s.text, m.start(), ix, ctx) or self._hypothetical(s.text, m.start(), ix):
                    continue
                np = np_words + " " + head
                # "no casualties among civilians or troops"; not "no one was hurt, Qatari officials said"
                parties = self._parties(np) or self._parties(_CLAUSE_END.split(rest[:45], 1)[0])
                parties = parties or [v.story.default_party]
                end = head_end
                if rest and head not in ("casualties", "casualty", "injuries", "deaths", "fatalities") and not also:
                    cm2 = v.re["casualty"].search(rest[:40])
                    end = rest_start + cm2.end() if cm2 else end
                out += self._zeros(ctx, article, s, parties, kinds, (m.start(), end))
        for m in _NEG_OBJECT.finditer(s.text):
            if self._other_event(s.text, m.start(), ix, ctx) or self._hypothetical(s.text, m.start(), ix):
                continue
            verb = norm_key(m.group("verb"))
            kind = v.casualties.get(verb) or ("injured" if verb.startswith("hurt") else
                                              "both" if verb.startswith("harm") else None)
            if kind is None:
                continue
            kinds = ["killed", "injured"] if kind == "both" else [kind]
            parties = self._parties(m.group("np") or "") or [v.story.default_party]
            out += self._zeros(ctx, article, s, parties, kinds, m.span())
        for m in _NOT_ANY.finditer(s.text):
            if self._other_event(s.text, m.start(), ix, ctx) or self._hypothetical(s.text, m.start(), ix):
                continue
            verbs = [x.lower() for x in (m.group("verb"), m.group("verb2"), m.group("verb3"), m.group("verb4")) if x]
            kinds = list(dict.fromkeys(k for x in verbs for k in _VERB_KINDS.get(x, ("injured",))))
            parties = self._parties(m.group("np") or m.group("np2") or "") or [v.story.default_party]
            out += self._zeros(ctx, article, s, parties, kinds, m.span())
        for m in _NEITHER.finditer(s.text) if ix.has_word(_NEITHER_WORD) else ():
            if self._other_event(s.text, m.start(), ix, ctx) or self._hypothetical(s.text, m.start(), ix):
                continue
            kind = v.casualties.get(norm_key(m.group("cas")), "injured")
            kinds = ["killed", "injured"] if kind == "both" else [kind]
            party = self._party(s.text[: m.start()], last=True) or v.story.default_party
            out += self._zeros(ctx, article, s, [party], kinds, m.span())
        for m in _UNHARMED.finditer(s.text) if not ix.words.isdisjoint(_UNHARMED_WORDS) else ():
            # "the crew were rescued unharmed", "all 21 escaped unhurt"
            if self._other_event(s.text, m.start(), ix, ctx) or self._hypothetical(s.text, m.start(), ix):
                continue
            word = m.group("w").lower()
            kinds = ["killed", "injured"] if word == "unharmed" else ["injured"]
            parties = self._parties(m.group("np")) or [v.story.default_party]
            out += self._zeros(ctx, article, s, parties, kinds, (m.start("w"), m.end("w")))
        for m in _NEG_MUNITION.finditer(s.text):
            role = v.roles.get(norm_key(m.group("role") or m.group("role2") or ""))
            if (m.group("role") or "").lower() in ("used", "involved", "deployed"):
                role = "munitions_launched"
            if role is None and ((m.group("role2") or "").lower().startswith(("intercept", "shoot")) or m.group("role3")
                                 or m.group("role4") or (m.group("role") or "").lower() in ("engaged", "stopped")):
                role = "munitions_intercepted"
            noun = m.group("mun") or m.group("mun2") or m.group("mun3") or ""
            munition = v.munitions.get(norm_key(noun).rstrip("s")) or v.munitions.get(norm_key(noun)) or ctx.munition
            if role and munition:
                zero = Interval(0, 0, "exact", "")
                out.append(self._claim(ctx, article, s, None, role, munition=munition, span=m.span(), value=zero))
        return out

    def _zeros(self, ctx: _Context, article: Article, s: Sentence, parties: list[str | None], kinds: list[str],
               span: tuple[int, int]) -> list[Claim]:
        zero = Interval(0, 0, "exact", "")
        return [self._claim(ctx, article, s, None, k, party=party, span=span, value=zero)
                for party in parties for k in kinds]

    def _targets(self, article: Article, s: Sentence, places: list[PlaceMention], counts: list[Claim],
                 ix: SentenceIndex, ctx: _Context) -> list[Claim]:
        """Places named as attacked: the object of an attack word in their clause, or the subject of a
        passive ("Al Asad was hit"), or listed with such a place ("at Al-Assad and Irbil")."""
        text = s.text
        out: list[Claim] = []
        hit_ends: list[int] = []
        clauses = ";" in text or "." in text or ix.has_word(_TARGET_CLAUSE_WORDS)
        passive = ix.has_word(_PASSIVE_WORDS)
        for p in places:
            if p.type not in self.v.place_types:
                continue
            if self._after_not_before(text, p.start):
                continue
            if self._other_event(text, p.start, ix, ctx):
                continue
            if self.v.re["actor"].fullmatch(p.surface):
                continue  # "as Tehran retaliated": the attacker, not a target
            if _LAUNCHED_FROM.search(text, max(0, p.start - 60), p.start):
                continue  # "fired from an area north of the village of X": where it came from
            lo = max([m.end() for m in _TARGET_CLAUSE.finditer(text[: p.start])] or [0]) if clauses else 0
            b0 = max(lo, p.start - 160)
            if not (ix.may("target_trigger", b0, p.start) and _TARGET_TRIGGER.search(text[b0 : p.start])
                    or passive and _PASSIVE_TARGET.match(text, p.end)
                    or hit_ends and _LISTED.fullmatch(text, hit_ends[-1], p.start)
                    or any(c.subject == p.canonical and c.kind.startswith("munitions") for c in counts)):
                continue
            hit_ends.append(p.end)
            out.append(self._claim(ctx, article, s, None, "target", place=p, span=(p.start, p.end)))
            ctx.last_target = p
        return out

    def _responsibility(self, article: Article, s: Sentence, ix: SentenceIndex, ctx: _Context) -> list[Claim]:
        out = []
        text = s.text
        for m in ix.finditer("actor", self.v.re["actor"], text):
            if not self._actor_ok(m):
                continue
            after = text[m.end() : m.end() + 110]
            before = text[max(0, m.start() - 40) : m.start()]
            by = _BY_BEFORE.search(before[-6:]) and not _NOT_BY.search(before)
            blamed = _ACTOR_BEFORE.search(before) and not _ACTOR_FOR_PLURAL.match(text, m.end())
            if not (_ACTOR_VERB.match(after) or _ACTOR_ADJ.match(after) or by or blamed):
                continue
            if _ACTOR_FOR_PLURAL.match(text, m.end()):
                continue  # "blamed X for dozens of rocket attacks": a record, not this attack
            if _ACTOR_NOT.match(after):
                continue
            lo, hi = self._clause(text, m.start())
            if _DENIAL.search(text, max(0, lo - 60), m.start()):
                continue
            if self._other_event(text, m.start(), ix, ctx) or self._hypothetical(text, m.start(), ix):
                continue
            actor = self.v.actors[norm_key(m.group())]
            says = _SAYS_AFTER.match(after)  # "The Houthis say they hit it": the actor claims it
            out.append(self._claim(ctx, article, s, None, "responsibility", span=m.span(), subject=actor,
                                   subject_surface=m.group(), attribute_at=m.end() + says.end() if says else None))
        return out

    def _event_time(self, article: Article, s: Sentence, ix: SentenceIndex, ctx: _Context) -> Claim | None:
        st = self.v.story
        if (ix.exact and not may_have_time(ix.words, s.text)) or not TIME_CUE.search(s.text):
            return None
        # statement dates ("said on Wednesday") and parentheticals ("(2245 GMT Tuesday)") are not the event's time
        text = s.text
        if ix.has_word(STATEMENT_VERBS) and (ix.has_word(WEEKDAY_WORDS) or any(w[:3] in MONTH_PREFIXES
                                                                               for w in ix.words)):
            text = STATEMENT_DATE.sub(lambda m: " " * len(m.group()), text)
        if "(" in text:
            text = _PARENTHETICAL.sub(lambda m: " " * len(m.group()), text)
        # the stretches between blocking words and marks (words and marks never overlap: merge two scans)
        blocks = sorted([*((m.start(), m.end()) for m in ix.finditer("time_block", _TIME_BLOCK_WORD, text)),
                         *((m.start(), m.end()) for m in _TIME_BLOCK_MARK.finditer(text))])
        cuts = [0, *(x for span in blocks for x in span), len(text)]
        got = None
        hypothetical = ix.has_word(_HYPOTHETICAL_WORDS)
        for lo, hi in zip(cuts[::2], cuts[1::2], strict=True):
            if not ix.may("attack_near", lo, hi):
                continue
            piece = text[lo:hi]
            if (not _ATTACK_NEAR.search(piece) or self._other_event(text, lo, ix, ctx)
                    or (hypothetical and _HYPOTHETICAL.search(piece))):
                continue
            found = find_time(piece, article.published, st.event_date, st.timezone, st.writer_timezones, ix.words)
            if found:
                got = (found[0], found[1] + lo, found[2] + lo)
                break
        if got is None:
            return None
        span, a, b = got
        # "overnight" / "last night" in a report published after the event day (a reprint, a late story)
        # cannot be placed: it would move the event to the wrong night
        if (_SAME_DAY_RELATIVE.search(span.text) and not _ANCHORED_NIGHT.search(span.text)
                and (article.published or "")[:10] > st.event_date):
            return None
        # only times within a day of the event count as the event's time
        if not (span.start[:10] <= _shift(st.event_date, 1) and span.end[:10] >= _shift(st.event_date, -1)):
            return None
        return self._claim(ctx, article, s, None, "event_time", span=(a, b), when=span)


def _words(text: str) -> str:
    """The claimed words as written, without quote marks and line breaks ('"tens" of' -> 'tens of')."""
    return " ".join(_QUOTES.sub("", text).split())


@lru_cache(maxsize=4096)
def _parties_in(vocab: Vocabulary, text: str) -> tuple[str, ...]:
    """Party words in the text, in order, each party once: a dictionary lookup per word and pair of words (what the
    party pattern would match; "us" counts only as "US")."""
    parties = vocab.parties
    words = _PARTY_TOKEN.findall(text)
    found: list[str] = []
    i = 0
    while i < len(words):
        low = words[i].lower()
        if "-" in low:
            low = low.replace("-", " ")
        if i + 1 < len(words) and (two := parties.get(f"{low} {words[i + 1].lower()}")):
            found.append(two)
            i += 2
            continue
        p = parties.get(low) or parties.get(low.rstrip(".")) if low != "us" or words[i] == "US" else None
        if p:
            found.append(p)
        i += 1
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=256)
def _clause_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The clause boundaries of a sentence, found once (the extractor is shared by threads: no state on it)."""
    return tuple(m.span() for m in _CLAUSE.finditer(text))


def _phrase_start(text: str, end: int) -> int:
    """Where the noun phrase ending at `end` starts: after the last determiner or verb-like word before it
    ("police raised the U.S. death toll" -> "the U.S. death")."""
    m = _PHRASE_LEAD.search(text, max(0, end - 40), end)
    return m.end() if m else max(0, end - 40)


def _subject_role(kind: str, verb: re.Match[str]) -> str:
    """The role a verb gives the munitions that are its subject: "destroyed" intercepts what it has as object
    ("air defences destroyed 71 missiles") or what it is said of ("30 were destroyed") but is a hit for missiles
    that destroyed something."""
    if kind != "munitions_intercepted" or verb.group().lower() != "destroyed":
        return kind
    passive = _PASSIVE_BEFORE.search(verb.string, max(0, verb.start() - 30), verb.start())
    return kind if passive else "munitions_hit"


def _published_or_none(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def _published_day(published: str | None, fallback: date) -> date:
    return _published_or_none(published) or fallback


def _shift(d: str, days: int) -> str:
    return (date.fromisoformat(d) + timedelta(days=days)).isoformat()


def _analysis_text(text: str, sentences: list[Sentence]) -> str:
    """The text the claim rules read: quote marks and datelines blanked, offsets kept."""
    chars = list(_QUOTES.sub(" ", text))
    seen: set[int] = set()
    for s in sentences:
        if s.paragraph in seen:
            m = _STAMP.match(s.text) if s.text[:1].isdigit() else None
        else:
            seen.add(s.paragraph)
            m = _DATELINE.match(s.text)
        if m:
            chars[s.start : s.start + m.end()] = " " * m.end()
    return "".join(chars)


def _quote_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    if '"' not in text and "“" not in text:
        return spans
    for m in _QUOTE.finditer(text):
        spans.append((m.start(), m.end()))
    return spans


@dataclass(frozen=True, slots=True)
class _Quotes:
    """An article's quoted spans, in order, with its sentences' starts: which quote holds an offset and which
    paragraph an offset is in are found by bisection, so a transcript of thousands of quotes stays linear."""

    spans: list[tuple[int, int]]
    sentence_starts: list[int]
    quote_starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "quote_starts", [qs for qs, _ in self.spans])

    def containing(self, pos: int) -> int | None:
        """The index of the quote with qs < pos < qe (quotes do not overlap), or None."""
        k = bisect_left(self.quote_starts, pos) - 1
        return k if k >= 0 and self.spans[k][0] < pos < self.spans[k][1] else None

    def paragraph_of(self, pos: int, sentences: list[Sentence]) -> int | None:
        """The paragraph of the first sentence with start <= pos <= end + 1."""
        lo = max(0, bisect_right(self.sentence_starts, pos) - 2)
        return next((x.paragraph for x in sentences[lo:] if x.start <= pos <= x.end + 1), None)


def _quote_speaker(qs: int, qe: int, sentences: list[Sentence], frames: list[list[Frame]],
                   starts: list[int]) -> Attribution | None:
    """A quote's speaker: the frame right after it closes, else the frame that introduces it. Only the sentences
    that can hold qs or qe are looked at (`starts`: the sentences' starts, in order)."""
    lo, hi = max(0, bisect_right(starts, qs) - 2), bisect_right(starts, qe)
    for i in range(lo, hi):
        s = sentences[i]
        if s.start <= qe <= s.end + 1:
            for f in frames[i]:
                if f.attribution and 0 <= s.start + f.verb_start - qe <= 40:
                    return f.attribution
            for f in frames[i]:
                if f.attribution and 0 <= s.start + f.speaker_start - qe <= 40:
                    return f.attribution
        if s.start <= qs <= s.end:
            intro = [f for f in frames[i] if f.attribution and 0 <= qs - (s.start + f.verb_end) <= 60]
            if intro:
                return intro[-1].attribution
    return None


def _dedupe(claims: list[Claim]) -> list[Claim]:
    """One claim per fact per article: repeated mentions of the same figure by the same speaker."""
    seen: set[tuple] = set()
    out = []
    for c in claims:
        key = (c.kind, c.munition, c.party, c.subject, c.value.low if c.value else None,
               c.value.high if c.value else None, c.when.start[:10] if c.when else None, c.attribution.speaker)
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    return out


def extract_claims(article: Article, vocab: Vocabulary) -> list[Claim]:
    return ClaimExtractor(vocab).extract(article)
