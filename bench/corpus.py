"""Synthetic corpus for the scale benchmark: reproducible news reports of several missile and rocket attacks.

One job: write N reports as `.md` files with TOML front matter (title, outlet, published, url, byline) into a
self-contained project folder (a copy of seeds/ and its own crosscheck.toml, like tests/support.make_project),
so the whole pipeline can run on them offline.

Events are data (`EVENTS`): each names its story, places with the spellings reporters use, munition nouns,
actors, and accounts (who said which figures, and on which day after the event). The first event is the
bundled story iran-2020; the others become new stories by configuration only: a story TOML file, plus
gazetteer and speaker rows appended to the copied reference tables (`write_event_config`).

Report i depends only on (seed, i): `report(i, seed)` gives the same text every time, whatever N is, so
`write_reports(..., start=N, count=N // 100)` adds 1 % new reports to an existing corpus.

Noise, each counted in the `Manifest` the writer returns:
- place spellings (Al Asad / Al-Assad / Ain al-Asad / Ayn al-Asad ..., Erbil / Irbil / Arbil / Hawler);
- figures as numerals, number words, bounds ("at least", "more than", "about", "nearly", "up to") and vague
  quantifiers ("more than a dozen", "dozens of", "tens of", "several");
- attributions to different speakers, each by one of its aliases, with different speech verbs;
- negations ("No Americans were harmed", "There were no Iraqi casualties");
- wire copy: agency originals with datelines ("BAGHDAD (AP) —", "(Reuters) -"), reprinted verbatim or trimmed
  by other outlets under the agency's byline;
- off-topic filler sentences, many with numbers that are not claims (oil prices, troop levels, vote counts);
- publication dates spread over each story's window, event times in several styles.

    python -m bench.corpus DIR [--articles 10000] [--seed 7]   # write a project folder and print its manifest
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from core.config import PROJECT_ROOT

Figure = int | str  # an exact count, or a vague phrase from the vocabulary's quantifier table


@dataclass(frozen=True, slots=True)
class Place:
    canonical: str
    spellings: tuple[str, ...]  # as reporters write it; the first is the canonical one
    suffixes: tuple[str, ...] = ("",)  # " air base", ...


@dataclass(frozen=True, slots=True)
class Account:
    """What one speaker said, and from which day after the event it can be reported."""

    speaker: tuple[str, ...]  # surfaces: "Defense Secretary Mark Esper", "Esper", ...
    day: int
    launched: Figure | None = None
    hit: tuple[tuple[str, Figure], ...] = ()  # (place canonical, figure)
    failed: Figure | None = None
    killed: tuple[tuple[str, Figure], ...] = ()  # (party adjective, figure)
    injured: tuple[tuple[str, Figure], ...] = ()
    negation: str | None = None  # a sentence, {spk} for the speaker
    hedge: str = "said"


@dataclass(frozen=True, slots=True)
class Event:
    story: str
    title: str
    date: datetime  # local time of the attack, with its zone
    window_days: int  # reports are published from the event day up to this many days later
    weight: float  # share of the corpus
    munitions: tuple[str, ...]  # plural nouns
    places: tuple[Place, ...]
    actors: tuple[str, ...]
    times: tuple[str, ...]  # ways of saying when it happened
    dateline: str  # city of the wire datelines
    accounts: tuple[Account, ...]
    background: tuple[str, ...]  # sentences about the context (some about other events)
    story_toml: str | None = None  # None: the story already exists in seeds/
    gazetteer_rows: tuple[str, ...] = ()
    speaker_rows: tuple[str, ...] = ()


AL_ASAD = Place("Al Asad", ("Al Asad", "Al-Asad", "Al-Assad", "Al Assad", "Ain al-Asad", "Ain Al Asad", "Ayn al-Asad",
                            "Ain Assad"), (" air base", " airbase", " Air Base", ""))
ERBIL = Place("Erbil", ("Erbil", "Irbil", "Arbil", "Hawler"))
TAJI = Place("Camp Taji", ("Camp Taji", "Taji", "Al-Taji"), ("", " base", " military base"))
ERBIL_AIRPORT = Place("Erbil International Airport", ("Erbil International Airport", "Erbil airport", "Irbil airport",
                                                      "Arbil airport"))

IRAN_2020 = Event(
    story="iran-2020",
    title="Iranian missile strike on Al Asad and Erbil, January 2020",
    date=datetime(2020, 1, 8, 1, 30, tzinfo=timezone(timedelta(hours=3))),
    window_days=45,
    weight=0.6,
    munitions=("ballistic missiles", "missiles", "ballistic missiles", "projectiles"),
    places=(AL_ASAD, ERBIL),
    actors=("Iran", "Iran's Revolutionary Guard", "the IRGC", "Tehran", "Iranian forces"),
    times=("at about 1:30 a.m. local time on Wednesday", "early Wednesday", "late Tuesday",
           "shortly after 1:20 a.m. on Jan. 8", "at 5:30 p.m. Eastern time on Tuesday", "overnight"),
    dateline="BAGHDAD",
    accounts=(
        Account(("the Pentagon", "Pentagon spokesman Jonathan Hoffman", "the Department of Defense", "DoD"), 0,
                launched="more than a dozen"),
        Account(("a U.S. official", "a US defense official", "U.S. officials"), 0, launched=15,
                hit=(("Al Asad", 10), ("Erbil", 1)), failed=4),
        Account(("Defense Secretary Mark Esper", "Esper", "Mark Esper"), 1, launched=16,
                hit=(("Al Asad", 11), ("Erbil", 1)), failed=4),
        Account(("Iraq's Joint Operations Command", "the Iraqi military", "Iraqi Joint Operations Command"), 0,
                launched=22, hit=(("Al Asad", 17), ("Erbil", 5)),
                negation="There were no Iraqi casualties, {spk} said."),
        Account(("IRGC commander Amir Ali Hajizadeh", "Hajizadeh"), 1, launched=13, hedge="claimed"),
        Account(("Iranian state television", "state TV", "Press TV", "Iranian state media"), 0,
                launched="tens of", killed=(("American", 80),), injured=(("American", 200),), hedge="claimed"),
        Account(("President Donald Trump", "Trump", "the president"), 0,
                negation="No Americans were harmed in the attack, {spk} said."),
        Account(("U.S. Central Command", "CENTCOM"), 8, injured=(("U.S.", 11),)),
        Account(("Pentagon spokesman Jonathan Hoffman", "Hoffman"), 16, injured=(("U.S.", 34),)),
        Account(("the Pentagon", "the Department of Defense"), 20, injured=(("U.S.", 50),)),
        Account(("the Pentagon", "defense officials"), 22, injured=(("U.S.", 64),)),
        Account(("the Pentagon", "the Department of Defense"), 33, injured=(("U.S.", 109),)),
        Account(("the Pentagon", "DoD"), 44, injured=(("U.S.", 110),)),
    ),
    background=(
        "The strike was retaliation for the U.S. drone strike that killed Gen. Qassem Soleimani in Baghdad on Jan. 3.",
        "Al Asad, in Anbar province, lies roughly 180 kilometers west of Baghdad.",
        "Hours earlier, a stampede at Soleimani's funeral in Kerman killed more than 50 people.",
        "Iraq's parliament voted on Sunday to urge the government to expel foreign troops.",
    ),
)

TAJI_2020 = Event(
    story="taji-2020",
    title="Rocket attack on Camp Taji, March 2020 (synthetic benchmark story)",
    date=datetime(2020, 3, 11, 19, 35, tzinfo=timezone(timedelta(hours=3))),
    window_days=30,
    weight=0.2,
    munitions=("rockets", "Katyusha rockets", "107mm rockets", "rockets"),
    places=(TAJI,),
    actors=("Kataib Hezbollah", "an Iran-backed militia", "Iran-backed militias"),
    times=("at about 7:35 p.m. local time on Wednesday", "on Wednesday evening", "late Wednesday",
           "shortly after nightfall on March 11"),
    dateline="BAGHDAD",
    accounts=(
        Account(("Operation Inherent Resolve", "coalition spokesman Col. Myles Caggins", "the coalition"), 0,
                launched="more than 15", killed=(("coalition", 3),), injured=(("coalition", 12),)),
        Account(("a U.S. official", "U.S. officials"), 0, launched=30, hit=(("Camp Taji", 18),)),
        Account(("Defense Secretary Mark Esper", "Esper"), 1, killed=(("American", 2),), injured=(("U.S.", 14),)),
        Account(("the Iraqi military", "Iraq's Joint Operations Command"), 0, launched=10, hedge="said",
                negation="No Iraqi soldiers were harmed, {spk} said."),
        Account(("the Pentagon", "defense officials"), 3, injured=(("U.S.", 5),)),
    ),
    background=(
        "Camp Taji, north of Baghdad, hosts U.S. and coalition trainers.",
        "Tensions have run high since Iran's missile strike on Al Asad in January.",
        "It was the 22nd attack on bases hosting U.S. troops since October.",
    ),
    story_toml="""id = "taji-2020"
title = "Rocket attack on Camp Taji, March 2020 (synthetic benchmark story)"
event_date = "2020-03-11"
timezone = "+03:00"
writer_timezones = ["+03:00", "-04:00"]
window_days = [-2, 60]
seeds = []
corpus = ["corpus/taji-2020"]
default_party = "US"
query_terms = ["Camp Taji", "Taji rockets"]
places = ["Camp Taji"]
other_event_terms = ["in January", "Al Asad", "Soleimani", "since October"]

[actors]
"Kataib Hezbollah" = ["Kataib Hezbollah", "Kata'ib Hizballah", "Iran-backed militia", "Iran-backed militias"]

[sources]
gdelt = false
wikipedia = false
factcheck = false
""",
    gazetteer_rows=("Camp Taji,Al-Taji,base,Iraq,Baghdad",),
)

ERBIL_2021 = Event(
    story="erbil-2021",
    title="Rocket attack on Erbil airport, February 2021 (synthetic benchmark story)",
    date=datetime(2021, 2, 15, 21, 30, tzinfo=timezone(timedelta(hours=3))),
    window_days=30,
    weight=0.2,
    munitions=("rockets", "107mm rockets", "rockets"),
    places=(ERBIL_AIRPORT, ERBIL),
    actors=("Awliya al-Dam", "a little-known group calling itself Guardians of Blood", "Saraya Awliya al-Dam"),
    times=("at about 9:30 p.m. local time on Monday", "on Monday night", "late Monday", "shortly before 9:30 p.m."),
    dateline="ERBIL, Iraq",
    accounts=(
        Account(("the Kurdistan Regional Government", "Kurdish officials", "KRG"), 0, launched=3,
                hit=(("Erbil International Airport", 3),), killed=(("civilian", 1),), injured=(("civilian", 5),)),
        Account(("coalition spokesman Col. Wayne Marotto", "Marotto", "the coalition"), 0, launched=14,
                hit=(("Erbil International Airport", 3),), killed=(("civilian", 1),),
                injured=(("coalition", 9),)),
        Account(("a U.S. official", "U.S. officials"), 1, injured=(("American", 1),)),
        Account(("Iraqi officials", "an Iraqi official"), 0, launched="several",
                negation="There were no Iraqi casualties, {spk} said."),
    ),
    background=(
        "Erbil airport also hosts coalition forces fighting the Islamic State group.",
        "Rockets have repeatedly targeted the U.S. Embassy in Baghdad's Green Zone.",
        "The Kurdistan region has about 6 million residents.",
    ),
    story_toml="""id = "erbil-2021"
title = "Rocket attack on Erbil airport, February 2021 (synthetic benchmark story)"
event_date = "2021-02-15"
timezone = "+03:00"
writer_timezones = ["+03:00", "-05:00"]
window_days = [-2, 60]
seeds = []
corpus = ["corpus/erbil-2021"]
default_party = "US"
query_terms = ["Erbil rockets", "Erbil airport"]
places = ["Erbil International Airport", "Erbil"]
other_event_terms = ["Green Zone", "repeatedly", "Islamic State"]

[actors]
"Awliya al-Dam" = ["Awliya al-Dam", "Saraya Awliya al-Dam", "Guardians of Blood"]

[sources]
gdelt = false
wikipedia = false
factcheck = false
""",
    gazetteer_rows=(
        "Erbil International Airport,Erbil International Airport,airport,Iraq,Kurdistan Region",
        "Erbil International Airport,Erbil airport,airport,Iraq,Kurdistan Region",
        "Erbil International Airport,Irbil airport,airport,Iraq,Kurdistan Region",
        "Erbil International Airport,Arbil airport,airport,Iraq,Kurdistan Region",
    ),
    speaker_rows=(
        "Wayne Marotto,Wayne Marotto,Operation Inherent Resolve,coalition,person",
        "Wayne Marotto,Marotto,Operation Inherent Resolve,coalition,person",
    ),
)

EVENTS: tuple[Event, ...] = (IRAN_2020, TAJI_2020, ERBIL_2021)

INDEPENDENT = ("CNN", "NBC News", "ABC News", "NPR", "Politico", "The Hill", "Military Times", "Stars and Stripes",
               "The New York Times", "BBC News", "Al Jazeera", "Al Arabiya English", "Kurdistan 24", "Rudaw",
               "Press TV", "Tehran Times", "Tasnim News Agency")
WIRES = (("Associated Press", "AP", "{city} (AP) — "), ("Reuters", "Reuters", "{city} (Reuters) - "),
         ("Agence France-Presse", "AFP", "{city} (AFP) - "))
REPRINTERS = ("Star Tribune", "Arkansas Democrat-Gazette", "The Seattle Times", "Chicago Tribune",
              "Houston Chronicle", "Yahoo News", "U.S. News & World Report", "The Independent")
REPORTERS = ("Lena Forsyth", "Hamid Rashed", "Kevin Marsh", "Ellen Dodd", "Lara Seidel", "Omar Haddad",
             "Dana Whitfield", "Sami Karim", "Ruth Ostrander", "Yusuf Demir")

FILLER = (
    "Oil prices jumped {p}% in early Asian trading before paring gains.",
    "The base hosts about {k},500 U.S. and coalition troops.",
    "At least {s} airlines rerouted flights away from Iraqi and Iranian airspace.",
    "The Dow Jones Industrial Average fell {d} points in early trading before recovering.",
    "Gold rose {p}% to ${g},590 an ounce.",
    "Temperatures in Baghdad dropped to {s} degrees Celsius overnight.",
    "Iraq's parliament passed the measure by {v} votes to none.",
    "There are roughly 5,200 American troops in Iraq under a 2014 agreement.",
    "The State Department has about {k}0 staff at its Erbil consulate.",
    "Schools in the province will reopen on Sunday, officials said.",
    "Shares of defense contractors rose by as much as {p} percent.",
    "Traffic on the main highway was light, with {s} checkpoints reported closed.",
)

UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
BOUNDS = ("at least", "more than", "about", "nearly", "up to")
SPEECH = {"said": ("said", "told reporters", "said in a statement", "confirmed"),
          "claimed": ("claimed", "said", "reported")}
CONTEXT = (
    "Officials said damage assessments were still under way.",
    "Commercial satellite images taken after the attack showed damaged hangars and living quarters.",
    "Troops had taken shelter in bunkers after receiving an early warning, officials said.",
    "Lawmakers in Washington demanded a briefing on the intelligence behind the attack.",
    "Analysts said the attack appeared calibrated to avoid a wider war.",
    "\"We are still assessing the damage,\" a spokesman said, declining to give further details.",
    "Residents near the base described hearing a series of loud explosions and seeing flashes in the sky.",
    "The embassy urged American citizens to leave the country immediately.",
    "Diplomats from several European countries called for restraint on both sides.",
    "The attack came as the government was negotiating the future of foreign forces in the country.",
)
NOISE_KINDS = ("place_variant", "number_word", "bound", "vague", "negation", "wire_original", "reprint_verbatim",
               "reprint_trimmed", "filler", "speaker", "event_time", "responsibility")


def number_word(n: int) -> str:
    """0..99 as English words ("twenty-two"); larger numbers as numerals with thousands separators."""
    if n < 20:
        return UNITS[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else "-" + UNITS[n % 10])
    return f"{n:,}"


@dataclass(frozen=True, slots=True)
class Report:
    """One generated report: where it goes, its metadata, its body, and the noise it carries."""

    index: int
    story: str
    filename: str
    title: str
    outlet: str
    published: str  # ISO 8601, UTC
    url: str
    byline: str | None
    body: str
    kind: str  # original | wire | reprint_verbatim | reprint_trimmed
    noise: tuple[str, ...] = ()  # one entry per noise occurrence (NOISE_KINDS)
    spellings: tuple[str, ...] = ()  # place spellings used

    def markdown(self) -> str:
        """The file: TOML front matter, then the body."""
        meta = {"title": self.title, "outlet": self.outlet, "published": self.published, "url": self.url}
        if self.byline:
            meta["byline"] = self.byline
        front = "\n".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items())
        return f"+++\n{front}\n+++\n{self.body}\n"


class _Writer:
    """Builds one report body, recording the noise it uses."""

    def __init__(self, rng: random.Random, event: Event) -> None:
        self.rng = rng
        self.event = event
        self.noise: list[str] = []
        self.spellings: list[str] = []

    def place(self, canonical: str | None = None) -> str:
        places = [p for p in self.event.places if canonical is None or p.canonical == canonical]
        p = self.rng.choice(places or list(self.event.places))
        name = self.rng.choice(p.spellings)
        if name != p.spellings[0]:
            self.noise.append("place_variant")
        self.spellings.append(name)
        return name + self.rng.choice(p.suffixes)

    def figure(self, fig: Figure, *, start: bool = False) -> str:
        """A figure as written: numeral, number word, bound or vague phrase."""
        rng = self.rng
        if isinstance(fig, str):
            self.noise.append("vague")
            text = fig
        else:
            r = rng.random()
            if r < 0.2 and fig >= 5:
                self.noise.append("bound")
                bound = rng.choice(BOUNDS)
                n = {"more than": fig - 1, "nearly": fig + 1}.get(bound, fig)
                text = f"{bound} {n:,}" if n >= 100 or rng.random() < 0.7 else f"{bound} {number_word(n)}"
            elif r < 0.45 and fig < 100 or start:
                self.noise.append("number_word")
                text = number_word(fig)
            else:
                text = f"{fig:,}"
        return text[:1].upper() + text[1:] if start else text

    def speaker(self, account: Account) -> tuple[str, str]:
        self.noise.append("speaker")
        return self.rng.choice(account.speaker), self.rng.choice(SPEECH.get(account.hedge, ("said",)))

    def sentences(self, account: Account) -> list[str]:
        """The account's figures, one sentence each, attributed in varied ways."""
        rng, ev = self.rng, self.event
        out: list[str] = []
        if account.launched is not None:
            spk, verb = self.speaker(account)
            q, mun, actor = self.figure(account.launched), rng.choice(ev.munitions), rng.choice(ev.actors)
            out.append(rng.choice((
                f"{_cap(actor)} fired {q} {mun} at {self.place()}, {spk} {verb}.",
                f"According to {spk}, {actor} launched {q} {mun} {rng.choice(ev.times)}.",
                f"{_cap(spk)} {verb} that {q} {mun} were fired in the attack.",
                f"In all, {q} {mun} were launched, {spk} {verb}.",
            )))
        for canonical, fig in account.hit:
            spk, verb = self.speaker(account)
            q = self.figure(fig, start=True)
            out.append(rng.choice((
                f"{q} of them hit {self.place(canonical)}, {spk} {verb}.",
                f"{q} struck {self.place(canonical)}, according to {spk}.",
            )))
        if account.failed is not None:
            spk, verb = self.speaker(account)
            q = self.figure(account.failed)
            out.append(f"{_cap(spk)} {verb} {q} {rng.choice(ev.munitions)} failed in flight.")
        for party, fig in account.killed:
            spk, verb = self.speaker(account)
            q, people = self.figure(fig), self.people(party)
            out.append(rng.choice((
                f"{_cap(spk)} {verb} {q} {party} {people} were killed.",
                f"{self.figure(fig, start=True)} {party} {people} died in the attack, {spk} {verb}.",
            )))
        for party, fig in account.injured:
            spk, verb = self.speaker(account)
            q, people = self.figure(fig), self.people(party)
            out.append(rng.choice((
                f"{_cap(spk)} {verb} {q} {party} {people} were injured.",
                f"{self.figure(fig, start=True)} {party} {people} were diagnosed with traumatic brain injuries, "
                f"{spk} {verb}." if party != "civilian" else f"{_cap(spk)} {verb} {q} {party} {people} were hurt.",
                f"{_cap(spk)} {verb} {q} {party} {people} were wounded.",
            )))
        if account.negation:
            spk, _ = self.speaker(account)
            self.noise.append("negation")
            out.append(account.negation.format(spk=spk))
        return out

    def people(self, party: str) -> str:
        if party == "civilian":
            return self.rng.choice(("contractors", "workers"))
        return self.rng.choice(("troops", "service members", "personnel", "soldiers"))

    def filler(self) -> str:
        self.noise.append("filler")
        rng = self.rng
        return rng.choice(FILLER).format(p=rng.randint(2, 9), k=rng.randint(2, 9), s=rng.randint(3, 12),
                                         d=rng.randint(100, 400), g=rng.randint(1, 2), v=rng.randint(150, 180))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _pick_event(rng: random.Random) -> Event:
    return rng.choices(EVENTS, weights=[e.weight for e in EVENTS])[0]


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-").replace("--", "-")


def _role(rng: random.Random) -> str:
    """What report i is: an independent report, a wire original, or a reprint of an earlier wire original."""
    r = rng.random()
    return "original" if r < 0.62 else "wire" if r < 0.8 else "reprint_verbatim" if r < 0.9 else "reprint_trimmed"


def report(index: int, seed: int = 7) -> Report:
    """Report `index` of the corpus of `seed`: the same every time, whatever the corpus size."""
    rng = random.Random(_key(index, seed))
    role = _role(rng)
    if role.startswith("reprint"):
        original = _wire_before(index, seed, rng)
        if original is not None:
            return _reprint(index, original, rng, role)
        role = "original"
    event = _pick_event(rng)
    w = _Writer(rng, event)
    day = min(int(rng.expovariate(1 / 6)), event.window_days)
    published = event.date + timedelta(days=day, hours=rng.uniform(1.5, 20))
    accounts = [a for a in event.accounts if a.day <= day] or [event.accounts[0]]
    chosen = rng.sample(accounts, k=min(len(accounts), rng.randint(1, 3)))
    fresh = [a for a in accounts if a.day >= day - 3]
    if fresh and rng.random() < 0.6 and fresh[-1] not in chosen:
        chosen.insert(0, fresh[-1])  # lead with the latest figure when there is one
    actor, mun = rng.choice(event.actors), rng.choice(event.munitions)
    places = " and ".join(dict.fromkeys(w.place(p.canonical) for p in event.places))
    when = rng.choice(event.times)
    w.noise.append("event_time")
    outlet, byline, prefix = rng.choice(INDEPENDENT), f"By {rng.choice(REPORTERS)}", ""
    if role == "wire":
        outlet, short, dateline = rng.choice(WIRES)
        byline, prefix = outlet, dateline.format(city=event.dateline)
        w.noise.append("wire_original")
    lead = rng.choice((
        f"{prefix}{_cap(actor)} fired a barrage of {mun} at {places} {when}, officials said.",
        f"{prefix}{_cap(mun)} slammed into {places} {when} in an attack blamed on {actor}.",
        f"{prefix}An attack {when} on {places} drew conflicting accounts of the damage and the toll.",
    ))
    paragraphs = [lead]
    for account in chosen:
        sents = w.sentences(account)
        if rng.random() < 0.35:
            sents.insert(rng.randrange(len(sents) + 1), w.filler())
        paragraphs.append(" ".join(sents))
    if rng.random() < 0.5:
        w.noise.append("responsibility")
        paragraphs.append(f"{_cap(rng.choice(event.actors))} claimed responsibility for the attack.")
    paragraphs.extend(rng.sample(event.background, k=rng.randint(1, 2)))
    paragraphs.extend(rng.sample(CONTEXT, k=rng.randint(2, 4)))
    for _ in range(rng.randint(1, 3)):
        paragraphs.insert(rng.randint(2, len(paragraphs)), " ".join(w.filler() for _ in range(rng.randint(1, 2))))
    paragraphs.append(rng.choice((
        "Neither side gave evidence for its figures, and independent verification was not possible.",
        "The accounts could not be independently verified.",
        f"{outlet} could not immediately confirm the figures.",
    )))
    title = rng.choice((
        f"{_cap(mun)} hit {w.place()} as accounts of the toll differ",
        f"What we know about the attack on {w.place()}",
        f"Officials give new figures on the {w.place()} attack",
    ))
    stamp = published.astimezone(UTC)
    return Report(
        index=index, story=event.story, filename=f"r{index:06d}-{_slug(outlet)}.md", title=title, outlet=outlet,
        published=stamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        url=f"https://bench.example/{_slug(outlet)}/{event.story}/{index}", byline=byline,
        body="\n\n".join(paragraphs), kind=role, noise=tuple(w.noise), spellings=tuple(w.spellings))


def _key(index: int, seed: int) -> str:
    return f"crosscheck-bench:{seed}:{index}"


def _wire_before(index: int, seed: int, rng: random.Random) -> Report | None:
    """A wire original among the 400 reports before `index` (roles are read without generating reports)."""
    for _ in range(50):
        if index == 0:
            return None
        j = rng.randrange(max(0, index - 400), index)
        if _role(random.Random(_key(j, seed))) == "wire":
            return report(j, seed)
    return None


def _reprint(index: int, original: Report, rng: random.Random, role: str) -> Report:
    """Another outlet's copy of an earlier wire original: verbatim, or trimmed to its first paragraphs."""
    paragraphs = original.body.split("\n\n")
    if role == "reprint_trimmed" and len(paragraphs) > 3:
        paragraphs = paragraphs[: rng.randint(3, len(paragraphs) - 1)]
    else:
        role = "reprint_verbatim"
    outlet = rng.choice(REPRINTERS)
    published = datetime.fromisoformat(original.published.replace("Z", "+00:00")) + timedelta(
        minutes=rng.randint(20, 600))
    return Report(
        index=index, story=original.story, filename=f"r{index:06d}-{_slug(outlet)}.md",
        title=original.title if rng.random() < 0.5 else original.title + f" | {outlet}", outlet=outlet,
        published=published.strftime("%Y-%m-%dT%H:%M:%SZ"),
        url=f"https://bench.example/{_slug(outlet)}/{original.story}/{index}",
        byline=f"By {rng.choice(REPORTERS)}, {original.outlet}", body="\n\n".join(paragraphs), kind=role,
        noise=(role,), spellings=original.spellings)


def reports(count: int, seed: int = 7, start: int = 0) -> Iterator[Report]:
    """Reports start .. start + count - 1."""
    for i in range(start, start + count):
        yield report(i, seed)


@dataclass
class Manifest:
    """What a write produced: files per story and kind, noise counts, place spellings, bytes."""

    files: int = 0
    bytes: int = 0
    by_story: Counter = field(default_factory=Counter)
    by_kind: Counter = field(default_factory=Counter)
    noise: Counter = field(default_factory=Counter)
    spellings: Counter = field(default_factory=Counter)
    paths: list[Path] = field(default_factory=list)

    def add(self, r: Report, path: Path, size: int) -> None:
        self.files += 1
        self.bytes += size
        self.by_story[r.story] += 1
        self.by_kind[r.kind] += 1
        self.noise.update(r.noise)
        self.spellings.update(r.spellings)
        self.paths.append(path)

    def summary(self) -> str:
        parts = [f"{self.files:,} files ({self.bytes / 1e6:.1f} MB, mean {self.bytes / max(1, self.files):,.0f} B)",
                 "stories: " + ", ".join(f"{k} {v:,}" for k, v in sorted(self.by_story.items())),
                 "kinds: " + ", ".join(f"{k} {v:,}" for k, v in sorted(self.by_kind.items())),
                 "noise: " + ", ".join(f"{k} {self.noise[k]:,}" for k in NOISE_KINDS if self.noise[k]),
                 f"place spellings: {len(self.spellings)} distinct"]
        return "\n".join(parts)


def write_reports(seeds_dir: Path, count: int, seed: int = 7, start: int = 0) -> Manifest:
    """Write reports start .. start + count - 1 into seeds_dir/corpus/<story>/ as .md files."""
    out = Manifest()
    for r in reports(count, seed, start):
        folder = seeds_dir / "corpus" / r.story
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / r.filename
        text = r.markdown()
        path.write_text(text, encoding="utf-8")
        out.add(r, path, len(text.encode("utf-8")))
    return out


def write_event_config(seeds_dir: Path, events: Sequence[Event] = EVENTS) -> list[str]:
    """Configuration for events that are new stories: story TOML files, gazetteer and speaker rows. Returns
    every story id, in order."""
    for ev in events:
        if ev.story_toml is not None:
            (seeds_dir / "stories" / f"{ev.story}.toml").write_text(ev.story_toml, encoding="utf-8")
        for name, rows in (("gazetteer.csv", ev.gazetteer_rows), ("speakers.csv", ev.speaker_rows)):
            if rows:
                path = seeds_dir / name
                text = path.read_text(encoding="utf-8")
                path.write_text(text.rstrip("\n") + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return [ev.story for ev in events]


def make_project(root: Path, articles: int, seed: int = 7, *, events: Sequence[Event] = EVENTS,
                 db_name: str = "bench.duckdb") -> tuple[Path, Manifest]:
    """A self-contained project folder (as tests/support.make_project): a copy of seeds/ with the events'
    configuration and `articles` generated reports, and a crosscheck.toml with online sources off.
    Returns (path of crosscheck.toml, manifest)."""
    root.mkdir(parents=True, exist_ok=True)
    seeds = root / "seeds"
    shutil.copytree(PROJECT_ROOT / "seeds", seeds)
    stories = write_event_config(seeds, events)
    manifest = write_reports(seeds, articles, seed)
    config = root / "crosscheck.toml"
    config.write_text(
        f'[warehouse]\npath = "var/{db_name}"\n[seeds]\ndir = "seeds"\nstories = {json.dumps(stories)}\n'
        '[sources]\nonline = false\n[reports]\ndir = "var/reports"\n', encoding="utf-8")
    return config, manifest


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path, help="project folder to create (must not exist)")
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    config, manifest = make_project(args.dir, args.articles, args.seed)
    print(f"{config}\n{manifest.summary()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
