"""What kind of count a figure is and how it lines up with others (docs/figures.md, "Scope and dates",
"Subsets", "Population"): scope, period_start, event_date, part_of and population."""
from __future__ import annotations

import csv
import datetime as dt
import re
from functools import lru_cache

from transforms.figures.model import Figure
from transforms.lexicon import SEEDS_DIR, Lexicon

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
          "nov": 11, "dec": 12}
_MONTH = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|" \
         r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
DAY_EXPR = re.compile(
    rf"\b(?:{_MONTH}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>(?:19|20)\d\d))?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH.replace('mon', 'mon2')}(?:,?\s+(?P<y2>(?:19|20)\d\d))?"
    rf"|(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:'s)?"
    rf"|(?P<rel>yesterday|today|tonight|this morning|this afternoon|this evening|last night|overnight))\b",
    re.IGNORECASE)


def resolve_day(m: re.Match, published: dt.date | None) -> dt.date | None:
    """A day expression resolved against the article's date (docs/figures.md, event_date)."""
    g = m.groupdict()
    if g["mon"] or g["mon2"]:
        mon = MONTHS[(g["mon"] or g["mon2"]).lower()[:3]]
        day = int(g["d1"] or g["d2"])
        year = g["y1"] or g["y2"]
        try:
            if year:
                return dt.date(int(year), mon, day)
            if published is None:
                return None
            d = dt.date(published.year, mon, day)
            return d if d <= published else dt.date(published.year - 1, mon, day)
        except ValueError:
            return None
    if published is None:
        return None
    if g["wd"]:
        back = (published.weekday() - WEEKDAYS.index(g["wd"].lower())) % 7
        return published - dt.timedelta(days=back)
    rel = g["rel"].lower()
    if rel in ("yesterday", "last night", "overnight"):
        return published - dt.timedelta(days=1)
    return published


# ---------------------------------------------------------------- scope
_CUMULATIVE = re.compile(
    r"\b(?:since\b|so far\b|to date\b|in total\b|overall\b|total of\b|in all\b|all told\b|cumulative|"
    r"(?:death )?toll (?:has |had )?(?:risen|rose|climbed|reached|stands|stood|jumped|surpassed|passed|exceeded|now)|"
    r"toll (?:to|of)\b|(?:in|during|throughout|over the course of) (?:the|this) (?:war|conflict|fighting|offensive|"
    r"campaign|bombardment|hostilities)|(?:the|israel's|its) (?:war|bombardment|campaign|offensive|retaliation|"
    r"siege|assault on gaza)\b|war (?:began|started|broke out))", re.IGNORECASE)
_INCIDENT_NOUNS = (r"(?:air)?strikes?|attack|blast|explosion|raid|bombing|shelling|ambush|incursion|massacre|"
                   r"shooting|stabbing|rampage|crash|collapse|fire|earthquake|storm|ramming|rocket attack|"
                   r"missile strike|assault|onslaught|shootout|clash|clashes|bombing|hit|strike on|attack on")
_INCIDENT = re.compile(
    rf"\b(?:in|during|by|after|from|at) (?:the |a |an |that |this |its |last |sunday's |monday's |tuesday's |"
    rf"wednesday's |thursday's |friday's |saturday's |oct\. 7 |october 7 |hamas'?s? |israel's |israeli |"
    rf"(?:[a-z]+'s )?)*(?:{_INCIDENT_NOUNS})\b|"
    rf"\b(?:the|a|an|that|this|its|one|which) (?:[\w.'-]+ ){{0,3}}(?:{_INCIDENT_NOUNS}) (?:that |which )?"
    rf"(?:killed|wounded|injured|left|claimed)\b|"
    rf"\b(?:oct(?:ober|\.)? 7|7 october)(?:'s)? (?:attack|assault|massacre|rampage|incursion)", re.IGNORECASE)
_PERIOD = re.compile(
    r"\b(?:in|over|during|within) the (?:past|last|previous) (?:(?:24|48|72) hours|(?:day|night|weekend|week)|"
    r"(?:two|three|few|four|five|six|seven|2|3|4|5|6|7) days)\b|\b(?:overnight|last (?:week|night|month|year)|"
    r"this (?:week|month|year)|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|in a single day|"
    r"yesterday|in (?:19|20)\d\d|in the (?:first|second|third|fourth|last) (?:quarter|half)|"
    r"in (?:january|february|march|april|may|june|july|august|september|october|november|december))\b",
    re.IGNORECASE)
_PERFECT = re.compile(r"\b(?:have|has)\s+(?:now\s+|so far\s+|since\s+|already\s+|reportedly\s+)?(?:been\s+)?"
                      r"(?:killed|died|wounded|injured|displaced|arrested|detained|kidnapped|abducted|released|freed|"
                      r"damaged|destroyed|fled)\b|\b(?:have|has)\s+(?:killed|wounded|injured|displaced)\b",
                      re.IGNORECASE)
EVENT_MEASURES = {"killed", "injured", "kidnapped", "released", "displaced", "arrested", "damaged", "evacuated"}


_PAST_YEAR = re.compile(r"\b(?:in|during|of|the)\s+((?:19|20)\d\d)\b", re.IGNORECASE)


def scope(f: Figure, clause: str, parse=None, ph=None, published: dt.date | None = None) -> tuple[str, str]:
    """(scope, rule name) from the parse of the figure's clause when there is one, then from the
    words of its clause."""
    if f.unit in ("people", "count") and f.measure not in ("other", "population"):
        years = [int(y) for y in _PAST_YEAR.findall(clause)]
        if years and published and all(y < published.year for y in years):
            return "period", "scope.past_year"  # "the 2021 conflict resulted in 250 deaths"
    if parse is not None:
        found = scope_from_parse(f, parse, ph)
        if found:
            return found
    if f.unit not in ("people", "count") or f.measure in ("other", "population"):
        return "other", "scope.not_an_event_count"
    if f.measure in ("hostages", "missing"):
        return "other", "scope.state"
    if _CUMULATIVE.search(clause):
        return "cumulative", "scope.running_total"
    if _INCIDENT.search(clause):
        return "incident", "scope.one_event"
    if _PERIOD.search(clause):
        return "period", "scope.stated_window"
    if f.measure == "displaced" and not _PERFECT.search(clause):
        return "other", "scope.state"
    if _PERFECT.search(clause) or re.search(r"\bhad\s+(?:been\s+)?(?:killed|wounded|injured)\b", clause, re.I):
        return "cumulative", "scope.perfect_tense"
    return "unknown", "scope.unknown"


EVENT_NOUNS = {"attack", "festival", "hit", "swap", "exchange", "deal", "strike", "airstrike", "air strike", "blast", "explosion", "raid", "bombing", "shelling",
               "ambush", "incursion", "massacre", "rampage", "shooting", "stabbing", "assault", "crash", "collapse",
               "fire", "earthquake", "storm", "ramming", "shootout", "clash", "bombardment", "barrage", "infiltration",
               "invasion", "onslaught", "operation", "hit", "missile", "rocket", "incident", "violence"}
ONGOING_NOUNS = {"bombardment", "campaign", "war", "offensive", "siege", "retaliation", "conflict", "fighting",
                 "hostilities", "strikes", "airstrikes", "attacks", "bombings", "raids", "violence"}
_CUE_CUMULATIVE = re.compile(r"\b(?:since|so far|to date|in total|overall|in all|all told|cumulative|"
                             r"toll (?:has |had )?(?:risen|rose|climbed|reached|stands|stood|jumped|surpassed|"
                             r"passed|exceeded|now|to|of))\b", re.IGNORECASE)


def scope_from_parse(f: Figure, parse, ph) -> tuple[str, str] | None:
    """Scope read from the clause the figure's event verb heads: an event noun as its agent, its
    antecedent or the phrase it happened in ("the explosion killed", "an attack that killed",
    "killed in an explosion") makes one incident; an ongoing campaign, "since" or a perfect tense a
    running total."""
    if f.unit not in ("people", "count") or f.measure in ("other", "population"):
        return "other", "scope.not_an_event_count"
    if f.measure in ("hostages", "missing"):
        return "other", "scope.state"
    if ph is None or ph.governor is None:
        return None
    g = parse.toks[ph.governor]
    clause = [parse.toks[k] for k in parse.subtree(g.i, skip=("relcl",))]
    text = " ".join(t.text for t in clause)
    if _CUE_CUMULATIVE.search(text):
        return "cumulative", "scope.running_total"

    def event(t) -> str | None:
        compound = " ".join(c.low for c in parse.children(t.i, "compound") if c.i < t.i)
        word = f"{compound} {t.low}".strip()
        specific = any(c.low in ("the", "that", "this", "those", "these") or c.dep == "poss"
                       for c in parse.children(t.i, "det", "poss"))
        if t.low in ONGOING_NOUNS and not t.low.endswith("ing") and not (specific and t.low.endswith("s")
                                                                        and t.low not in ("hostilities",)):
            return "ongoing"
        if specific and t.low.rstrip("s") in EVENT_NOUNS | {"strike", "airstrike", "raid", "attack", "bombing"}:
            return "one"  # "the strikes", "Tuesday's attacks": particular events
        if t.low in EVENT_NOUNS or word.split()[-1] in EVENT_NOUNS:
            return "one"
        return None

    anchors = []
    speech = {"said", "says", "say", "reported", "told", "according", "announced", "estimated", "added"}
    verbs = [g]
    for a in parse.ancestors(g.i)[:3]:  # the event may be named by the clause the figure's verb hangs from
        if a.low in speech:
            break
        verbs.append(a)
    for v in verbs:
        anchors += parse.children(v.i, "nsubj", "nsubjpass", "dobj")
        anchors += [parse.toks[o] for a in parse.children(v.i, "agent") for o in parse.kids[a.i]]
        if v.dep in ("relcl", "acl"):
            anchors.append(parse.head(v.i))  # "an attack that killed", "the violence that ended up killing"
        for p in parse.children(v.i, "prep"):
            if p.low in ("in", "during", "by", "from", "after", "at", "amid"):
                anchors += parse.children(p.i, "pobj")
        for c in parse.children(v.i, "advcl"):  # "... when Israeli airstrikes hit the vehicles"
            if any(m.low in ("when", "as", "after") for m in parse.children(c.i, "mark")):
                anchors += parse.children(c.i, "nsubj") + [c]
    if g.dep == "advcl" and g.tag == "VBG":  # ", killing at least 200": the event of the clause before
        h = parse.head(g.i)
        anchors += parse.children(h.i, "nsubj", "dobj") + [h]
    kinds = [event(t) for t in anchors]
    if "ongoing" in kinds and "one" not in kinds:
        return "cumulative", "scope.ongoing_campaign"
    if "one" in kinds:
        return "incident", "scope.one_event"
    return None


_SINCE = re.compile(r"\bsince\s+(?:the\s+)?(?:(?:hamas\s+)?(?:attack|assault|war|fighting)\s+(?:on|began|of)\s+)?",
                    re.IGNORECASE)


def period_start(clause: str, published: dt.date | None) -> dt.date | None:
    """"since Oct. 7" -> the latest 7 October on or before the article's date."""
    for m in _SINCE.finditer(clause):
        d = DAY_EXPR.match(clause, m.end())
        if d and not d.group("rel"):
            return resolve_day(d, published)
    return None


_SPEECH_DAY = re.compile(r"\b(?:said|says|told|reported|announced|added|stated|confirmed|tweeted|wrote)\s+"
                         r"(?:on\s+|late\s+|early\s+)?$|^\s*(?:,\s*)?(?:said|says|told|reported|announced)\b",
                         re.IGNORECASE)


def event_date(sentence: str, at: int, published: dt.date | None, scope_: str = "unknown") -> dt.date | None:
    """The day the counted event happened (or the "as of" day of a total) when the sentence names it:
    the day expression nearest the figure (at: its offset in the sentence). The day someone spoke
    ("the ministry said Monday") and the start of a "since" window are not it; a running total takes
    only an "as of" day ("had risen to 1,300 by Monday")."""
    best: tuple[int, dt.date] | None = None
    for m in DAY_EXPR.finditer(sentence):
        before, after = sentence[:m.start()], sentence[m.end():]
        if re.search(r"\bsince\s+(?:the\s+)?$", before, re.I) or _SPEECH_DAY.search(before) \
                or re.match(r"^\s*(?:,\s*)?(?:said|says|told|announced|reported)\b", after, re.I):
            continue
        if re.match(r"^\s*(?:\d{1,2}:\d\d|a\.m\.|p\.m\.)", after) and not m.group("wd"):
            continue
        if scope_ == "cumulative" and not re.search(r"\b(?:as of|by|through|until|on)\s+$", before, re.I):
            continue
        d = resolve_day(m, published)
        if d:
            dist = abs(m.start() - at)
            if best is None or dist < best[0]:
                best = (dist, d)
    return best[1] if best else None


# ---------------------------------------------------------------- subsets
_SUBSET_BEFORE = re.compile(r"\b(?:including|among them|among whom|of whom|of which|among those|among the dead|"
                            r"of them|mostly|mainly)\s*(?:at least\s+|more than\s+|about\s+|nearly\s+|some\s+)?$",
                            re.IGNORECASE)
_SUBSET_AFTER = re.compile(r"^\s+(?:\w+\s+)?(?:of|among)\s+(?:them|whom|those|these|the (?:dead|victims|killed|"
                           r"wounded|injured|hostages|fatalities|casualties|deaths|captives|people killed|"
                           r"total|abductees|missing))\b|^\s+(?:of\s+)?(?:the\s+)?(?:dead|victims|killed) were\b",
                           re.IGNORECASE)


def part_of(f: Figure, before: str, after: str, prior: list[Figure], same_sentence: int) -> int | None:
    """Index (among prior) of the total this figure is a subset of: "including 2,100 children",
    "4,000 of the dead were fighters", "hundreds of them women"."""
    if f.unit != "people" and not (f.unit == "count" and f.measure in EVENT_MEASURES):
        return None
    if not (_SUBSET_BEFORE.search(before[-40:]) or _SUBSET_AFTER.match(after[:60])):
        return None
    for k in range(len(prior) - 1, -1, -1):
        p = prior[k]
        if p.unit not in ("people", "count") or p.part_of is not None and k >= len(prior) - same_sentence:
            continue
        if p.value < f.value and p.value_max is None:
            continue
        if f.measure not in (p.measure, "other") and p.measure != "other":
            continue
        return k
    return None


# ---------------------------------------------------------------- population
@lru_cache(maxsize=2)
def _population_rules() -> tuple[dict[str, str], list[dict]]:
    with (SEEDS_DIR / "population_groups.csv").open(encoding="utf-8", newline="") as fh:
        groups = {r["term"].lower(): r["group"] for r in csv.DictReader(fh)}
    with (SEEDS_DIR / "populations.csv").open(encoding="utf-8", newline="") as fh:
        rules = list(csv.DictReader(fh))
    return groups, rules


def _fits(cell: str, value: str | None) -> bool:
    if not cell:
        return True
    options = cell.split("|")
    if value is None:
        return "none" in options
    return value in options


def population(f: Figure, nationality: str | None) -> tuple[str | None, str]:
    """(population, rule) from the subject's group, the location's region and the nationality; the
    first row of seeds/populations.csv that fits wins (docs/figures.md, "Population")."""
    if f.unit != "people" or not f.subject or nationality == "mixed":
        return None, "population.none"
    lex = Lexicon.default()
    groups, rules = _population_rules()
    subject = f.subject.lower()
    nat = lex.nationality_plural(subject)
    if nat and (subject.endswith("s") or subject == nat.lower()) and subject not in groups:
        group, nationality = "general", nationality or nat
    else:
        group = groups.get(subject) or groups.get(subject.split()[-1])
        if nat and not nationality:
            nationality = nat
    # a named place without a known region is somewhere else, not "no place"
    region = f.location_region or ("elsewhere" if f.location else None)
    for n, r in enumerate(rules):
        if group is None or not _fits(r["group"], group) or not _fits(r["region"], region) \
                or not _fits(r["nationality"], nationality) or not _fits(r["measure"], f.measure):
            continue
        return r["population"], f"population.row{n + 2}"
    plurals = {p for p in lex.nationalities.values()}
    if nationality in plurals:
        return nationality, "population.nationality"
    return None, "population.none"
