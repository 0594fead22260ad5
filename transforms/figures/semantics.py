"""What kind of count a figure is and how it lines up with others (docs/figures.md, "Scope and dates",
"Subsets", "Population"): scope, period_start, event_date, part_of and population."""
from __future__ import annotations

import csv
import datetime as dt
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from transforms.figures.model import Figure
from transforms.figures.words import words
from transforms.lexicon import SEEDS_DIR, Lexicon

if TYPE_CHECKING:
    from transforms.figures.context import Parse
    from transforms.figures.syntax import Phrase

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
_NUMWORD = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|few|several)"
# a running total without doubt: "since", "so far", the toll rising
_RUNNING = re.compile(
    r"\b(?:since\b|so far\b|to date\b|thus far\b|as of\b|cumulative|"
    r"(?:death |casualty )?toll (?:has |had |is |was )?(?:now |already )?(?:risen|rose|climbed|reached|stands|stood|"
    r"jumped|surpassed|passed|exceeded|hovered|grew|increased|topped|neared|mounted|soared)|toll (?:to|of|at)\b|"
    r"(?:has|have|had)\s+(?:now\s+)?(?:risen|climbed|grown|increased|jumped|reached)(?:\s+to)?\b)",
    re.IGNORECASE)
# weaker: "in total", "overall", "during the war"
_TOTAL = re.compile(
    r"\b(?:in total\b|overall\b|total of\b|in all\b|all told\b|"
    r"(?:in|during|throughout|over the course of) (?:the|this) (?:war|conflict|fighting|offensive|"
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
    rf"\b(?:oct(?:ober|\.)? 7|7 october)(?:'s)? (?:attack|assault|massacre|rampage|incursion)|"
    # "in the Jenin airstrike", "in the Al-Ahli hospital blast": one event named by its place (singular)
    r"\b(?:in|during|by|after|from|at) the (?-i:[A-Z][\w'’.-]+ )+(?:[a-z]+ )?(?:air ?strike|strike|attack|blast|"
    r"explosion|bombing|raid|massacre|shooting|stabbing|ambush|shelling|shootout)\b|"
    # one gathering or building on one day: "killed at the festival", "died in the hospital blast"
    r"\b(?:killed|died|dead|wounded|injured|slain|murdered) (?:by (?:[\w'-]+ ){1,3})?(?:at|in|around|near) "
    r"(?:the site of )?(?:the|a|an) (?:[\w'-]+ ){0,2}"
    r"(?:festival|concert|party|rave|wedding|funeral|rally|market|checkpoint|hospital|stadium)\b", re.IGNORECASE)
# a stated window narrower than the running total
_WINDOW = re.compile(
    rf"\b(?:in|over|during|within) (?:just |only )?the (?:past|last|previous|preceding) (?:{_NUMWORD} )?"
    r"(?:hours?|days?|nights?|weeks?|months?|weekend)\b|"
    r"\b(?:overnight|last (?:week|night|month|weekend|year)|this (?:week|month|weekend|year)|in a single day|"
    r"in one day|"
    r"yesterday|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|(?:19|20)\d\d|"
    r"in the (?:first|second|third|fourth|last) (?:quarter|half)|"
    r"in (?:january|february|march|april|may|june|july|august|september|october|november|december))\b",
    re.IGNORECASE)
_PERFECT = re.compile(r"\b(?:have|has|had)\s+(?:now\s+|so far\s+|since\s+|already\s+|reportedly\s+|likely\s+)?"
                      r"(?:been\s+)?(?:killed|died|wounded|injured|displaced|arrested|detained|kidnapped|abducted|"
                      r"released|freed|damaged|destroyed|fled|taken)\b|\b(?:have|has|had)\s+(?:killed|wounded|"
                      r"injured|displaced)\b", re.IGNORECASE)
EVENT_MEASURES = {"killed", "injured", "kidnapped", "released", "displaced", "arrested", "damaged", "evacuated"}


_PAST_YEAR = re.compile(r"\b(?:in|during|of|the)\s+((?:19|20)\d\d)\b", re.IGNORECASE)


def scope(f: Figure, clause: str, parse: Parse | None = None, ph: Phrase | None = None,
          published: dt.date | None = None,
          sentence: str | None = None) -> tuple[str, str]:
    """(scope, rule name). The order is the product's judgement: a running-total cue, then one named
    event, then a stated window, then an ongoing campaign, then the tense (docs/figures.md). `sentence`:
    the whole sentence, read for a running total or a tense when the parse gives the figure no verb."""
    kind, text = (None, clause)
    verb = ph.governor if parse is not None and ph is not None else None  # the figure's own verb, if parsed
    if verb is not None:
        kind, text = event_kind(parse, ph)
    alternatives = f.decided_by == "measure.alternatives"  # "killed or taken hostage": still a count of events
    if f.unit not in ("people", "count") or f.measure in ("other", "population") and not alternatives:
        if f.measure == "other" and kind == "one" and _violent(parse, ph) and (f.unit == "count" or (
                f.unit == "people" and ph.via == "nsubj"
                and (f.subject or "").lower().rsplit(" ", 1)[-1] in words("armed_group"))):
            return "incident", "scope.counted_in_one_event"  # "fired 4,000 rockets in the attack", "200 gunmen"
        if f.measure == "other" and f.unit in ("people", "count") and verb is not None \
                and parse.toks[verb].low in _ATTACK_VERBS:
            # what an attack hit or who carried it out: one event when the text names it, else unknown
            if kind == "one" or _DAY.search(sentence or clause) or _when_clause(parse, verb) or any(
                    m.low in ("after", "since") for m in parse.children(verb, "mark")):  # "the day after Hamas
                # overran 20 towns": the event a window is counted from
                return "incident", "scope.counted_in_one_event"
            return "unknown", "scope.attack_undated"
        return "other", "scope.not_an_event_count"
    if f.measure in ("hostages", "missing"):
        return "other", "scope.state"
    years = [int(y) for y in _PAST_YEAR.findall(clause)]
    if years and published and all(y < published.year for y in years):
        return "period", "scope.past_year"  # "the 2021 conflict resulted in 250 deaths"
    if verb is not None and _opens_a_window(parse, verb, ph.anchor):
        return "incident", "scope.since_event"
    if _RUNNING.search(text):
        return "cumulative", "scope.running_total"
    if kind == "one":
        return "incident", "scope.one_event"
    if _WINDOW.search(text):
        return "period", "scope.stated_window"
    if parse is not None and ph is not None and _restricted_group(parse, ph):
        return "incident", "scope.restricted_group"
    if kind == "ongoing":
        return "cumulative", "scope.ongoing_campaign"
    if kind == "action":
        return "incident", "scope.completed_action"
    if _TOTAL.search(text):
        return "cumulative", "scope.running_total"
    if kind is None and (text is not clause or sentence):
        if _RUNNING.search(clause) or verb is None and _RUNNING.search(sentence or ""):
            return "cumulative", "scope.running_total"
        if _WINDOW.search(clause):
            return "period", "scope.stated_window"
    if (parse is None or kind is None) and _INCIDENT.search(clause):
        return "incident", "scope.one_event"
    if f.measure == "displaced" and not _PERFECT.search(clause):
        return "other", "scope.state"
    # the sentence's tense, except for a clause of its own: "..., and 108 bodies were recovered" does not
    # take the "have died" of the clause before it
    if _PERFECT.search(clause) or _PERFECT.search(text) or kind is None and not (
            verb is not None and parse.own_clause(verb)) and _PERFECT.search(sentence or ""):
        return "cumulative", "scope.perfect_tense"
    return "unknown", "scope.unknown"


_ATTACK_VERBS = {"struck", "strike", "strikes", "striking", "hit", "hits", "hitting", "fired", "firing", "fires",
                 "launched", "launching", "infiltrated", "overran", "overrunning", "stormed", "storming", "swept",
                 "entered", "attacked", "attacking", "bombed", "bombing", "shelled", "shelling", "targeted",
                 "targeting", "raided", "raiding"}
_DAY = re.compile(r"\b(?:on|last|this)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|"
                  r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)[’']s\b|\bon\s+oct\.?\s+\d", re.I)


def _opens_a_window(parse: Parse, verb: int, number: int) -> bool:
    """"in the days since an attack on Israel killed 1,400 people": the count is the event a "since"
    clause starts from, not a running total (unlike "1,400 have been killed since the attack"). The
    "since" comes before the number."""
    if any(c.low == "since" and c.i < number for c in parse.children(verb, "mark")) or (
            parse.toks[verb].dep == "pcomp" and parse.head(verb).low == "since" and parse.toks[verb].head < number):
        return True
    # the parser may leave "since" objectless, right before the clause or its subject
    starts = [parse.subtree(verb)[0]] + [parse.subtree(c.i)[0] for c in parse.children(verb, "nsubj", "nsubjpass")]
    return any(0 < k <= number and parse.toks[k - 1].low == "since" and not parse.children(k - 1, "pobj", "pcomp")
               for k in starts)


def _when_clause(parse: Parse, verb: int) -> bool:
    return any(m.low == "when" for m in parse.children(verb, "advmod", "mark"))


def _restricted_group(parse: Parse, ph: Phrase) -> bool:
    """"killed 70 Palestinians who were (or had been) trying to flee": the victims are those doing one
    thing at one time (a relative clause in the progressive), so the count is of one event, not a running
    total. "killed 70 and injured 200 who were trying to flee": the clause covers both coordinated objects."""
    nps = [ph.np]
    if ph.governor is not None and ph.via in ("dobj", "nsubjpass"):
        g = parse.toks[ph.governor]
        verbs = [parse.head(g.i)] if g.dep == "conj" else []
        verbs += parse.children(g.i, "conj")
        nps += [o.i for v in verbs if v.tag.startswith("VB") for o in parse.children(v.i, ph.via)]
    for np in nps:
        for c in parse.children(np, "relcl", "acl"):
            aux = [k.low for k in parse.children(c.i, "aux")]
            if c.tag == "VBG" and (set(aux) & {"were", "was"} or "been" in aux):
                return True
    return False


EVENT_NOUNS = {"attack", "festival", "hit", "swap", "exchange", "deal", "strike", "airstrike", "air strike", "blast",
               "explosion", "raid", "bombing", "shelling", "ambush", "incursion", "massacre", "rampage", "shooting",
               "stabbing", "assault", "crash", "collapse", "fire", "earthquake", "storm", "ramming", "shootout",
               "clash", "barrage", "infiltration", "invasion", "onslaught", "operation", "missile", "rocket",
               "incident", "firefight", "gunfight", "breakout", "sinking", "derailment", "stampede", "flood"}
ONGOING_NOUNS = {"bombardment", "campaign", "war", "offensive", "siege", "retaliation", "conflict", "fighting",
                 "hostilities", "strikes", "airstrikes", "attacks", "bombings", "raids", "violence", "clashes",
                 "shelling", "crackdown", "occupation", "insurgency", "epidemic", "pandemic", "famine"}
PLURAL_EVENTS = {"strikes", "airstrikes", "attacks", "bombings", "raids", "explosions", "blasts", "shootings",
                 "clashes"}
SPEECH = {"said", "says", "say", "reported", "told", "according", "announced", "estimated", "added", "stated",
          "confirmed", "reports", "report", "believe", "believed", "claimed", "saying"}
_DATE_WORDS = set(WEEKDAYS) | {w + "'s" for w in WEEKDAYS} | {"oct.", "october", "7", "weekend", "saturday’s"}
_EVENT_PREPS = ("in", "during", "by", "from", "after", "at", "amid", "following", "inside", "near", "on")


def _specific(parse, t) -> bool:
    """"the strikes", "Tuesday's attacks", "the Oct. 7 attacks": particular events, not a campaign."""
    for c in parse.children(t.i, "det", "poss", "compound", "nummod", "npadvmod", "amod"):
        if c.low in ("the", "that", "this", "those", "these") or c.low in _DATE_WORDS or c.dep == "poss" and \
                c.low.rstrip("'s’") in WEEKDAYS:
            return True
    return False


def _noun_kind(parse, t, via: str = "", completed: bool = False) -> str | None:
    """What an anchor noun says about the count: one event, an ongoing campaign, or a specific venue.
    `completed`: the verb is a simple past ("were killed in attacks", not "have been killed")."""
    low = t.low
    if low in PLURAL_EVENTS:
        if _specific(parse, t) or completed and low == "attacks":
            return "one"  # "killed in Hamas's attacks over the weekend": one coordinated assault
        # "attacks that killed 1,200" (a completed set of attacks) vs "strikes that have killed 3,000"
        rel = [c for c in parse.children(t.i, "relcl") if c.tag == "VBD"
               and not parse.children(c.i, "aux")]
        return "one" if rel and low == "attacks" else "ongoing"
    if low in ONGOING_NOUNS:
        return "ongoing"
    compound = [c.low for c in parse.children(t.i, "compound") if c.i < t.i]
    if low in EVENT_NOUNS or (compound and f"{compound[-1]} {low}" in EVENT_NOUNS):
        return "one"
    if via == "at" and t.pos in ("NOUN",) and t.tag == "NN" and any(
            c.low in ("the", "a", "an", "that") or c.dep == "poss" for c in parse.children(t.i, "det", "poss")):
        return "place"  # "killed at the festival", "at a bus stop": one place, one event
    return None


_VIOLENT = {"attack", "attacks", "strike", "strikes", "airstrike", "airstrikes", "raid", "raids", "bombing",
            "bombings", "explosion", "blast", "shelling", "assault", "massacre", "rampage", "incursion", "invasion",
            "barrage", "infiltration", "ambush", "shooting", "firefight", "onslaught", "breakout", "killing",
            "killed", "fired", "overran", "stormed"}


def _violent(parse, ph) -> bool:
    """The figure's sentence tells of violence ("fired 4,000 rockets in the attack"), not of a deal."""
    return any(t.low in _VIOLENT for t in parse.toks)


def event_kind(parse: Parse, ph: Phrase) -> tuple[str | None, str]:
    """The kind of event the figure's verb belongs to ("one", "action", "ongoing" or None) and the text
    of its clause (with the modifiers it shares with a coordinated verb), read level by level from the
    figure's own verb up to the reporting verb: the nearest level that names an event decides."""
    g = parse.toks[ph.governor]
    own = [g]
    if g.dep == "conj" and not parse.own_clause(g.i):
        own.append(parse.head(g.i))  # "2,778 killed and 10,000 wounded": the first verb's "since ..." counts too
    idx = set()
    for v in own:  # a coordinated clause is another figure's (its own "since" or window is not ours)
        idx.update(parse.subtree(v.i, skip=("relcl", "conj")))
    text = " ".join(parse.toks[k].text for k in sorted(idx))
    shared = [c for c in parse.children(g.i, "conj") if c.tag in ("VBN", "VBD")]  # "72 were killed and dozens
    # wounded in attacks": the modifiers of the last conjunct are the first one's too
    levels = [own + shared]
    for a in parse.ancestors(g.i)[:3]:
        if a.low in SPEECH:
            break
        levels.append([a])
    for level in levels:
        kinds: list[str] = []
        for v in level:
            anchors = [(t, "") for t in parse.children(v.i, "nsubj", "nsubjpass", "dobj")]
            anchors += [(parse.toks[o], "") for a in parse.children(v.i, "agent") for o in parse.kids[a.i]]
            if v.dep in ("relcl", "acl"):
                h = parse.head(v.i)
                anchors.append((h, ""))  # "an attack that killed"
                if h.dep == "pobj":     # "a blast at a hospital that killed": the noun the place belongs to
                    anchors.append((parse.head(parse.head(h.i).i), ""))
                if any(c.low == "where" for c in parse.children(v.i, "advmod")):
                    anchors += [(o, "") for p in parse.children(h.i, "prep") for o in parse.children(p.i, "pobj")]
                    anchors.append((h, "at"))  # "a rave where 260 were killed"
            for p in parse.children(v.i, "prep", "advcl"):
                if p.low in _EVENT_PREPS or p.low == "following":
                    for o in parse.children(p.i, "pobj", "dobj"):
                        anchors.append((o, p.low))
                        if o.low in ("one", "some", "each"):  # "in one of the strikes"
                            anchors += [(x, p.low) for q in parse.children(o.i, "prep") if q.low == "of"
                                        for x in parse.children(q.i, "pobj")]
            for c in parse.children(v.i, "advcl"):
                if any(m.low in ("when", "after") for m in parse.children(c.i, "mark", "advmod")) and c.tag in (
                        "VBD", "VBN") or c.tag == "VBP" and v.tag in ("VBD", "VBN"):
                    kinds.append("one")  # "killed when airstrikes hit the cars": one moment
            if v.tag == "VBD" and v.dep in ("relcl", "advcl") and _when_clause(parse, v.i):
                kinds.append("one")  # "on Oct. 7, when gunmen entered Israel and killed 1,300": one occasion
            if v.dep == "advcl" and v.tag == "VBG":  # ", killing at least 200": the action of the clause before
                h = parse.head(v.i)
                while h.tag == "VBG" and h.head != h.i and h.dep in ("pcomp", "advcl", "xcomp", "conj"):
                    h = parse.head(h.i)
                    if h.dep == "prep":
                        h = parse.head(h.i)
                if h.low in words("be"):  # "... is among the casualties of Oct. 7, when militants stormed
                    # Israel, killing 1,300": the parser hangs the participle on the copula, not on the event
                    h = next((t for t in reversed(parse.toks[h.i + 1:v.i]) if t.tag == "VBD"
                              and t.dep in ("relcl", "advcl", "conj", "ccomp")), h)
                simple_past = h.tag == "VBD" and not parse.children(h.i, "aux")
                # "after Hamas launched attacks last weekend, killing 1,200": the attacks are done, one assault
                kinds += [k for k in (_noun_kind(parse, t, "", simple_past) for t in parse.children(h.i, "nsubj",
                                                                                                      "dobj")) if k]
                # "has responded with a bombing campaign, killing 680": the means names the event
                kinds += [k for k in (_noun_kind(parse, o, p.low, simple_past) for p in parse.children(h.i, "prep")
                                      if p.low in ("with", "through") for o in parse.children(p.i, "pobj")) if k]
                if simple_past:
                    kinds.append("action")
                    if _when_clause(parse, h.i):
                        kinds.append("one")
                elif h.tag in ("VBP", "VBZ") and h.low not in words("be") or h.tag == "VBN" and any(
                        a.low in ("has", "have") for a in parse.children(h.i, "aux")):
                    kinds.append("ongoing")  # "warplanes pound Gaza, killing ...", "Israel has pounded Gaza, killing"
            tense = parse.head(v.i) if v.dep == "conj" and not parse.children(v.i, "aux", "auxpass") else v
            completed = tense.tag == "VBD" and not parse.children(tense.i, "aux") or tense.tag == "VBN" and any(
                a.low in ("was", "were") for a in parse.children(tense.i, "auxpass")) and not any(
                a.low in ("have", "has", "had") for a in parse.children(tense.i, "aux"))
            kinds += [k for k in (_noun_kind(parse, t, via, completed) for t, via in anchors) if k]
            if v is g and ph.via == "dobj" and v.tag == "VBD" and not parse.children(v.i, "aux") and any(
                    s.pos in ("PROPN", "NOUN") and _noun_kind(parse, s) is None for s in parse.children(v.i, "nsubj")):
                kinds.append("action")  # "Hamas fighters killed 700 Israelis": a completed act by an agent
        if "one" in kinds:
            return "one", text
        if "ongoing" in kinds:
            return "ongoing", text
        if "place" in kinds or "action" in kinds:
            return ("one" if "place" in kinds else "action"), text
    return None, text


_SINCE = re.compile(r"\bsince\s+(?:the\s+)?(?:(?:hamas\s+)?(?:attack|assault|war|fighting)\s+(?:on|began|of)\s+)?",
                    re.IGNORECASE)


def period_start(clause: str, published: dt.date | None) -> dt.date | None:
    """"since Oct. 7" -> the latest 7 October on or before the article's date; also the day of the event
    a "since" names within a few words ("since the assault began on Saturday morning", "since the start
    of Israel's military campaign on Oct. 7")."""
    for m in _SINCE.finditer(clause):
        d = DAY_EXPR.match(clause, m.end())
        if d is None:
            span = re.match(r"[^,.;:()—–]{0,80}", clause[m.end():]).group(0)
            for w in re.finditer(r"\b(?:on|of)\s+", span):  # the first "on"/"of" a day follows
                d = DAY_EXPR.match(clause, m.end() + w.end())
                if d:
                    break
        if d and not d.group("rel"):
            return resolve_day(d, published)
    return None


_SINCE_ADVERB = re.compile(r"\b(?:have|has|had)\s+since\b|\bsince\s+then\b", re.IGNORECASE)


def since_then(sentence: str) -> bool:
    """"At least 22,600 have since been killed": the window a sentence before opened."""
    return bool(_SINCE_ADVERB.search(sentence))


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
        if re.search(r"\bsince\s+(?:the\s+)?(?:\w+(?:'s|’s|')\s+)?$", before, re.I) or _SPEECH_DAY.search(before) \
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


def population(f: Figure, nationality: str | None, words_before: str | None = None) -> tuple[str | None, str]:
    """(population, rule) from the subject's group (or that of the words before it: "U.N. workers"), the
    location's region and the nationality; the first row of seeds/populations.csv that fits wins
    (docs/figures.md, "Population")."""
    if f.unit != "people" or not f.subject or nationality == "mixed":
        return None, "population.none"
    lex = Lexicon.default()
    groups, rules = _population_rules()
    subject = f.subject.lower()
    nat = lex.nationality_plural(subject)
    if nat and (subject.endswith("s") or subject == nat.lower()) and subject not in groups:
        group, nationality = "general", nationality or nat
    else:
        group = groups.get(words_before or "") or groups.get(subject) or groups.get(subject.split()[-1])
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
