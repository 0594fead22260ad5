"""Reported figures from sentences: value, range, qualifier, unit, measure, subject, location, source.

Rules follow docs/figures.md. Input is plain text plus the entity spans of the same text (from
spaCy in the pipeline, or hand-made in tests), so everything here runs without a model.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from transforms import numbers
from transforms.lexicon import Lexicon
from transforms.sentences import split_sentences

# ---------------------------------------------------------------- the number phrase
_QUALIFIERS = [
    ("at_least", r"at least|no fewer than|no less than|a minimum of|not less than"),
    ("more_than", r"more than|upwards of|in excess of|well over|just over|a little over|over|above|"
                  r"more the"),
    ("nearly", r"nearly|almost|close to|just under|just shy of|a little under"),
    ("about", r"about|some|around|roughly|approximately|approx\.|an estimated|estimated|"
              r"an approximate|about an estimated|perhaps|maybe"),
    ("up_to", r"up to|as many as|at most|as much as|less than|fewer than|under|below|no more than"),
]
QUAL_RE = "|".join(f"(?P<q_{name}>{pat})" for name, pat in _QUALIFIERS)
_VAGUE = r"tens of thousands|hundreds of thousands|dozens|scores|hundreds|thousands|millions"
_SCALE = r"(?:\s*(?:million|billion|trillion|thousand)\b|(?:bn|mn|mln|tn)\b)"
# "m", "k" and "b" are scales only after a currency sign: "100m" in sport is metres.
_NUM = (rf"(?:(?:[$£€]\s?|US\$\s?|A\$|C\$)(?:{numbers.DIGITS}(?:{_SCALE}|(?:m|k|b)\b)?)"
        rf"|{numbers.DIGITS}{_SCALE}?|(?:a\s+)?dozen|{numbers.WORD_NUMBER}(?:\s+(?:million|billion))?)")
_FRACTION = r"(?:(?:one|a|two|three|four)[- ](?:half|thirds?|quarters?|fifths?)|half)(?=\s+of\b)"
FRACTIONS = {"half": 50.0, "third": 100 / 3, "quarter": 25.0, "fifth": 20.0}
PHRASE_RE = re.compile(
    rf"(?<![\w$£€/.\-])(?:(?:{QUAL_RE})\s+(?:a\s+(?=\d))?)?"
    rf"(?:between\s+(?P<lo>{_NUM})\s+and\s+(?P<hi>{_NUM})"
    rf"|(?P<frac>{_FRACTION})"
    rf"|(?P<vague>{_VAGUE})"
    rf"|(?P<num>{_NUM})(?:\s*(?:-|–|to)\s*(?P<num2>{_NUM}|{numbers.DIGITS}(?:m|k|b)\b))?)"
    rf"(?P<unit>\s*%|\s+percent\b|\s+per\s?cent\b|\s+percentage points?\b)?"
    rf"(?P<post>\s+or more\b|\s+or so\b|-plus\b|\+)?"
    rf"(?:(?![\w/]|\.\d|,\d)|(?=(?-i:[A-Z][a-z]{{2,}})))",  # "1,300Israelis": digits glued to the next word
    re.IGNORECASE,
)

_MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_BEFORE_DATE = re.compile(rf"\b(?:{_MONTHS})\.?\s*$", re.IGNORECASE)
_AFTER_DATE = re.compile(rf"^(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b", re.IGNORECASE)
_AFTER_TIME = re.compile(r"^\s*(?:a\.?m\.?|p\.?m\.?|o'clock|gmt|utc|et|bst|local time|hrs)\b|^:\d", re.I)
_DURATION_UNITS = (r"seconds?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|months?|years?|decades?|"
                   r"centuries|century|weekends?|semesters?|terms?|generations?|innings|laps?|rounds?|"
                   r"miles?|kilometers?|kilometres?|km|meters?|metres?|feet|foot|yards?|inches|acres?|"
                   r"square (?:miles?|kilometers?|kilometres?)|"
                   r"degrees?|mph|goals?|points?|runs?|wickets?|sets?|games?|matches|seats?|votes?|"
                   r"words?|pages?|episodes?|times|fold|gb|mb|mhz|ghz|megapixels?|am|pm")
_AFTER_DURATION = re.compile(rf"^[\s-]+(?:(?:more|other|long|straight|consecutive|full|whole|"
                             rf"additional|extra|previous|past|last|next|short|successive)\s+)?(?:{_DURATION_UNITS})\b",
                             re.IGNORECASE)
_AFTER_AGE = re.compile(r"^[\s-]*(?:-|\s)?(?:year|month|week|day)s?[\s-]*old\b|^\s*years? of age\b", re.I)
_BEFORE_AGE = re.compile(r"\b(?:aged|age|ages|ages of|age of)\s*$", re.IGNORECASE)
_BEFORE_ID = re.compile(
    r"\b(?:resolution|route|highway|flight|article|chapter|section|gate|unit|room|level|tier|phase|"
    r"grade|category|no\.|number|#|page|pg\.|p\.|pp\.|vol\.|volume|issue|platform|bus|line|"
    r"version|model|channel|track|act|clause|paragraph|series|season|episode|stage|game|week|day|"
    r"year|class|code|zone|district|ward|precinct|building|block|apartment|floor|terminal|row|"
    r"psalm|verse|interstate|exit|pier|box|lot|bay|batch|file|form|sector|division|brigade|battalion|"
    r"regiment|fleet|squadron|corps|camp|area|kilometer|km|mile|top|covid|g|f|su|mig|ak|m)\s*$",
    re.IGNORECASE,
)
_SCORE_CONTEXT = re.compile(r"\b(?:won|beat|beaten|lost|drew|defeated|victory|win|defeat|draw|lead|"
                            r"trail(?:ed|ing)?|score|scored|scoreline|margin|thrashed|edged)\b", re.I)
_SUPERLATIVE_ONE = re.compile(r"^\s+(?:of|another|more|day|time|side|way|thing|point|after|by|"
                              r"or|another|else|in|year|hand|member of)\b", re.IGNORECASE)

# ---------------------------------------------------------------- tokens and clauses
TOKEN_RE = re.compile(r"(?:[A-Za-z]\.){2,}|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[\w’'\-]+|[^\w\s]")
_CLAUSE_BREAK = {",", ";", ":", "(", ")", "—", "–", "\"", "“", "”"}
_CLAUSE_WORDS = {"which", "who", "whom", "that", "when", "while", "whereas", "although", "though",
                 "because", "where", "but", "during", "after", "before", "since", "until", "as"}

ATTRIBUTION_VERBS = {
    "said", "says", "say", "reported", "reports", "report", "told", "tells", "estimated", "estimates",
    "estimate", "announced", "announces", "stated", "states", "confirmed", "confirms", "claimed",
    "claims", "added", "adds", "noted", "notes", "wrote", "writes", "tweeted", "posted", "counted",
    "recorded", "documented", "tallied", "put", "puts", "cited", "citing", "according", "indicated",
    "showed", "shows", "declared", "acknowledged", "insisted", "warned", "denied", "denies",
    "disputed", "saying", "stating", "reporting", "announcing", "assessed", "assesses", "concluded", "recounted",
}
_PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "this", "that", "officials"}
HEDGES = {"could", "may", "might", "feared", "fears", "believed", "likely", "possibly", "potentially",
          "reportedly", "unconfirmed", "expected", "projected", "presumed", "suspected", "probably", "perhaps",
          "thought", "assumed", "unverified", "allegedly", "purportedly"}
DENIALS = {"denied", "denies", "deny", "denying", "rejected", "disputed", "disputes", "dismissed",
           "refuted", "false"}
_AUX = {"has", "have", "had", "is", "was", "are", "were", "also", "later", "earlier", "previously",
        "separately", "now", "then", "has", "had", "would", "will", "on", "monday", "tuesday",
        "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday", "today", "last", "night",
        "week", "in", "a", "statement", "subsequently", "initially", "first", "repeatedly", "again",
        "publicly", "privately", "officially", "recently", "late"}
_NP_INNER = {"of", "in", "for", "to", "at", "on", "and", "the", "'s", "’s", "-"}
_DETERMINERS = {"the", "a", "an", "some", "its", "his", "her", "their", "our", "this", "these", "those"}
_PLACE_ANAPHORS = {"enclave", "strip", "territory"}
_REL_PLACE_PREPS = {"in", "at", "on", "across", "near", "into", "inside", "throughout", "from", "to",
                    "against", "around", "outside", "of"}


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    label: str
    text: str
    canonical: str


@dataclass
class Figure:
    start: int
    end: int
    text: str
    value: float
    value_max: float | None
    qualifier: str
    unit: str
    measure: str
    subject: str | None
    location: str | None
    source: str | None
    source_text: str | None
    modality: str
    sentence: str
    sentence_start: int
    measure_text: str | None = None
    location_region: str | None = None
    scope: str = "unknown"
    period_start: object = None      # datetime.date
    event_date: object = None        # datetime.date
    part_of: int | None = None       # index of the total among the same article's figures
    population: str | None = None
    decided_by: str = "rules.legacy"

    def figure_id(self, article_id: str, field_name: str) -> str:
        return hashlib.sha256(f"{article_id}|{field_name}|{self.start}|{self.end}".encode()).hexdigest()[:32]


@dataclass
class _Tok:
    text: str
    low: str
    start: int
    end: int


def _tokens(sentence: str, offset: int) -> list[_Tok]:
    return [_Tok(m.group(0), m.group(0).lower(), m.start() + offset, m.end() + offset)
            for m in TOKEN_RE.finditer(sentence)]


# ---------------------------------------------------------------- candidates
@dataclass
class _Cand:
    start: int
    end: int
    text: str
    value: float
    value_max: float | None
    qualifier: str
    unit: str | None
    spelled: bool
    vague: bool
    currency: str | None


def _qualifier(m: re.Match) -> str:
    for name, _ in _QUALIFIERS:
        if m.group(f"q_{name}"):
            return name
    return "exact"


def _currency(num_text: str, after: str) -> str | None:
    t = num_text.strip().lower()
    if t.startswith(("$", "us$")):
        return "usd"
    if t.startswith("£"):
        return "gbp"
    if t.startswith("€"):
        return "eur"
    if t.startswith("a$"):
        return "aud"
    if t.startswith("c$"):
        return "cad"
    m = re.match(r"^\s+(?:(australian|canadian|hong kong|new zealand|singapore|us|u\.s\.)\s+)?"
                 r"(dollars?|pounds|euros|shekels|sterling)\b", after, re.I)
    if m:
        country = (m.group(1) or "").lower()
        word = m.group(2).lower()
        if word.startswith("dollar"):
            return {"australian": "aud", "canadian": "cad", "hong kong": "hkd", "new zealand": "nzd",
                    "singapore": "sgd"}.get(country, "usd")
        return {"pounds": "gbp", "sterling": "gbp", "euros": "eur", "shekels": "ils"}[word]
    return None


def _is_spelled(num_text: str) -> bool:
    return not re.search(r"\d", num_text)


# Cheap test before the big phrase pattern: most sentences hold no number at all.
_ANY_NUMBER = re.compile(r"\d|\b(?:" + "|".join(list(numbers.UNITS) + list(numbers.TENS))
                         + r"|dozens?|scores|hundreds|thousands|millions|half|thirds?|quarters?|fifths?)\b",
                         re.IGNORECASE)


def find_candidates(sentence: str) -> list[_Cand]:
    out: list[_Cand] = []
    if not _ANY_NUMBER.search(sentence):
        return out
    for m in PHRASE_RE.finditer(sentence):
        before, after = sentence[:m.start()], sentence[m.end():]
        text = m.group(0)
        qual = _qualifier(m)
        value_max = None
        if m.group("frac"):
            words = re.split(r"[- ]", m.group("frac").lower())
            count = 1.0 if len(words) == 1 or words[0] in ("one", "a") else float(numbers.UNITS[words[0]])
            value = round(count * FRACTIONS[words[-1].rstrip("s")], 2)
            out.append(_Cand(m.start(), m.end(), text, value, None, qual, "percent", False, False, None))
            continue
        if m.group("vague"):
            vague_txt = m.group("vague").lower()
            if vague_txt in ("scores", "millions") and not re.match(
                    r"^(?:\s+(?:of\s|hostage|people|palestinians|israelis|civilians|were|have|had|more|fled|killed)"
                    r"|,\s+(?:possibly|perhaps|maybe|if not)\b)", after, re.I):
                continue
            value, spelled, vague = float(numbers.VAGUE[vague_txt]), True, True
            num_text = vague_txt
            if qual == "exact":
                qual = "at_least"
        elif m.group("lo"):
            lo, hi = numbers.parse_number(m.group("lo")), numbers.parse_number(m.group("hi"))
            if lo is None or hi is None or hi <= lo or re.match(r"0\d", m.group("lo") + " ") \
                    or re.match(r"0\d", m.group("hi")):
                continue  # "between 2200 and 0700": clock times, not a range
            value, value_max = lo, hi
            num_text = m.group("lo")
            spelled, vague = _is_spelled(num_text), False
        else:
            num_text = m.group("num")
            value = numbers.parse_number(num_text)
            if value is None:
                continue
            spelled, vague = _is_spelled(num_text), False
            if m.group("num2"):
                hi = numbers.parse_number(m.group("num2"))
                sep = sentence[m.start("num") + len(num_text):m.start("num2")].strip()
                if hi is None:
                    continue
                if sep in ("-", "–") and value <= 20 and hi <= 20 and (
                        _SCORE_CONTEXT.search(sentence)
                        or re.search(r"\d\s*[-–]\s*\d+\s*$", before) or re.match(r"^\s+\d+\s*[-–]\s*\d", after)):
                    continue  # a sports score: "won 2-1", "3-6 6-4 7-6"
                if re.match(r"^\s+(?:of\s+)?(?i:" + _MONTHS + r")\b", after):
                    continue  # "from 14 to 17 February": days of a month
                scale2 = re.search(r"(?:million|billion|trillion|thousand|bn|mn|m|k)$", m.group("num2").lower())
                if scale2 and not re.search(r"[a-z]$", num_text.lower()):
                    value = numbers.apply_scale(value, scale2.group(0))  # "$10-25m": both ends in millions
                if sep == "to" and re.search(r"\bfrom\s+(?:\S+\s+){0,3}$", before, re.I):
                    # "rose from 20 to 30": two figures, not a range
                    first_end = m.start("num") + len(num_text)
                    out.extend(find_candidates_at(sentence, m.start(), first_end))
                    out.extend(find_candidates_at(sentence, m.start("num2"), m.end()))
                    continue
                if hi > value:
                    value_max = hi
                else:
                    # "2-1" with hi <= lo is not a range: keep the first number only
                    text = sentence[m.start():m.start("num") + len(num_text)]
                    after = sentence[m.start() + len(text):]
        if m.group("post"):
            post = m.group("post").strip().lower()
            if post in ("or more", "-plus", "+"):
                qual = "at_least" if post == "or more" else "more_than"
            elif post == "or so":
                qual = "about"
        unit = "percent" if m.group("unit") else None
        currency = _currency(num_text, after)
        if currency:
            unit = currency
        cand = _Cand(m.start(), m.start() + len(text), text, value, value_max, qual, unit,
                     spelled, vague, currency)
        if _excluded(sentence, cand, num_text):
            continue
        out.append(cand)
    return out


def find_candidates_at(sentence: str, start: int, end: int) -> list[_Cand]:
    sub = sentence[start:end]
    found = []
    for c in find_candidates(sub):
        c.start += start
        c.end += start
        found.append(c)
    # context-dependent exclusions were judged on the fragment; re-judge on the sentence
    return [c for c in found if not _excluded(sentence, c, sentence[c.start:c.end])]


def _excluded(sentence: str, c: _Cand, num_text: str) -> bool:
    before = sentence[:c.start]
    after = sentence[c.end:]
    core = re.sub(rf"^(?:{QUAL_RE})\s+", "", c.text, flags=re.I).strip()
    if c.unit in ("percent",) or c.currency:
        return False
    # dates, times, years
    if _BEFORE_DATE.search(before) or _AFTER_DATE.match(after):
        return True
    if _AFTER_TIME.match(after) or re.match(r"^\d{1,2}[:.]\d{2}\b", core):
        return True
    if c.value_max and re.fullmatch(r"(?:1[89]|20)\d\d", f"{c.value:.0f}") and 1800 <= c.value_max <= 2100:
        return True  # "2000-2005": years
    if re.fullmatch(r"(?:1[89]|20)\d\d", core.replace(",", "")) and "," not in core:
        if not re.match(r"^\s+(?:people|palestinians|israelis|civilians|children|troops|soldiers|"
                        r"hostages|residents|persons|deaths|dead)\b", after, re.I):
            return True
    if re.fullmatch(r"(?:1[89]|20)\d0s", core + after[:1]) or after.startswith("s"):
        return True
    # ordinals, ages, durations, identifiers
    if re.match(r"^(?:st|nd|rd|th)\b", after, re.I):
        return True
    if _AFTER_AGE.match(after) or _BEFORE_AGE.search(before) \
            or re.search(r"\b(?:I am|I'm|he is|she is|turns|turned|turning)\s*$", before):
        return True
    if re.search(r"\b[A-Z][\w'.-]+,\s*$", before) and re.match(r"^\s*,|^[A-Z]", after) \
            and re.fullmatch(r"\d{1,3}", core) and int(core) <= 120:
        return True  # "Name, 34, of Kibbutz Be'eri", "Mr. Netanyahu, 73, now": an age
    if _AFTER_DURATION.match(after):
        return True
    if _BEFORE_ID.search(before) and c.qualifier == "exact":
        return True
    if re.fullmatch(r"0\d+", core):
        return True  # "007": an identifier
    name = re.search(r"\b([A-Z][\w-]*)\s+$", before)
    if (c.qualifier == "exact" and re.fullmatch(r"\d{1,4}", core) and not c.value_max and name
            and name.group(1).lower() not in _FUNCTION_WORDS and not re.fullmatch(_MONTHS, name.group(1), re.I)
            and not _counts_something(after)):
        return True  # "Halo 2", "PlayStation 3", "Route 232", "Note 12": a name with a number
    if re.search(r"\bone\s+(?:in|out of)\s*$", before, re.IGNORECASE):
        return True  # "one in five": a ratio
    if re.search(r"[/\\]$", before) or after.startswith("/"):
        return True
    if re.match(r"^[-–]\w", after) and not re.match(r"^[-–](?:plus|strong)\b", after):
        return True  # "six-day", "two-state", "F-16": compounds, not counts
    if c.spelled and not c.vague:
        return not _spelled_counts(core, after, before)
    if c.vague and re.match(r"^\s+of\s+(?:(?:miles|years|kilometers|kilometres|dollars|pounds|times|"
                            r"pages|words|hours|days|feet|tons|gallons|litres|liters|rounds)\b)", after, re.I):
        return True
    return False


# Words that end the noun phrase after a number: verbs, auxiliaries, prepositions, conjunctions.
_NP_STOP = {
    "were", "was", "are", "is", "have", "has", "had", "been", "be", "being", "will", "would", "could", "may",
    "might", "must", "should", "can", "did", "do", "does", "who", "which", "that", "whom", "whose", "and", "or",
    "but", "in", "on", "at", "to", "from", "by", "with", "without", "into", "for", "since", "during", "after",
    "before", "as", "than", "while", "when", "where", "because", "said", "says", "say", "according", "among",
    "including", "across", "near", "inside", "outside", "over", "under", "about", "per", "a", "an", "the",
    "this", "that", "these", "those", "it", "its", "their", "his", "her", "our", "still", "also", "now",
    "reportedly", "so", "far", "already", "more", "less",
}
_MODIFIERS = {"more", "other", "additional", "further", "young", "innocent", "unarmed", "civilian", "foreign",
              "elderly", "armed", "local", "senior", "medical", "aid", "health", "security", "rescue", "emergency",
              "new", "such", "separate", "total", "u.s.", "u.n.", "un", "us", "american", "israeli", "palestinian"}


@dataclass
class _NounInfo:
    k: int | None = None          # index of the head noun among the words
    nationality: str | None = None
    adj_measure: str | None = None  # "dozens of dead militants": the measure carried by an adjective
    known: bool = False           # the head is in the reviewed noun lists (not a guessed plural)
    coordinated: int | None = None  # "Israelis and Palestinians": index of the second head


_ADJ_MEASURES = {"dead", "wounded", "injured", "missing", "slain", "displaced", "kidnapped", "abducted"}
_ADJ_SUFFIX = re.compile(r"(?:al|ial|ian|ese|ic|ish|ive|ous|ary|ful|less|ern)$")


def _noun_scan(words: list[str]) -> _NounInfo:
    """The head noun among the words after a number, skipping up to three modifiers
    ("Palestinian", "medical", "U.N.", "Hamas", "dead"); stops at verbs, prepositions and the like,
    so 'two Palestinian attackers opened fire' finds 'attackers'."""
    lex = Lexicon.default()
    info = _NounInfo()
    lows = [w.lower().strip(".,") for w in words[:6]]
    for k, low in enumerate(lows):
        if not low or not re.match(r"[a-z]", low):
            break
        nxt = lows[k + 1] if k + 1 < len(lows) else ""
        nxt_is_noun = bool(nxt) and (lex.is_person_noun(nxt) or bool(lex.measure_noun(nxt)) or lex.is_thing_noun(nxt)
                                     or nxt in _MODIFIERS or bool(lex.nationality_plural(nxt)))
        if lex.nationality_plural(low):
            nat = lex.nationality_plural(low)
            if nxt_is_noun and not (low.endswith("s") and low == nat.lower() and nxt not in _MODIFIERS
                                    and not lex.measure_noun(nxt)):
                info.nationality = info.nationality or nat
                continue
            if low == nat.lower() or low.endswith("s") or not nxt or nxt in _NP_STOP:
                info.k, info.known = k, True  # "Palestinians", "one Israeli civilian was": the head itself
                break
            info.nationality = info.nationality or nat
            continue
        if low in _ADJ_MEASURES and nxt_is_noun and not lex.measure_noun(nxt):
            info.adj_measure = lex.measure_of(low)
            continue
        if lex.is_person_noun(low) or lex.is_thing_noun(low) or lex.measure_noun(low):
            info.k, info.known = k, True
            break
        if low in _NP_STOP or k >= 3:
            break
        if lex.measure_of(low) and not lex.is_noun_only(low):
            break  # a verb: "57,910 injured" is handled as a measure, not a noun
        capital = words[k][:1].isupper()
        if not (capital or low in _MODIFIERS or _ADJ_SUFFIX.search(low) or "-" in low
                or (nxt and (lex.is_person_noun(nxt) or lex.is_thing_noun(nxt) or bool(lex.measure_noun(nxt))))):
            break  # an unknown word that is not modifier-like ends the phrase
    if info.k is None:
        # an unknown plural right after the number: "30 student groups", "82 percent of respondents"
        for k, low in enumerate(lows[:3]):
            if words[k][:1].isupper() and low not in _NP_STOP:
                continue  # "hundreds of X accounts"
            if low in _NP_STOP or not re.fullmatch(r"[a-z][a-z'-]+", low):
                break
            if low.endswith("s") and not low.endswith(("ss", "us", "is")) and len(low) > 3 \
                    and low not in lex.measure_words:
                info.k = k
                break
    if info.k is not None and info.k + 2 < len(lows) and lows[info.k + 1] == "and":
        other = lows[info.k + 2]
        if lex.is_person_noun(other) or lex.is_thing_noun(other) or lex.nationality_plural(other):
            info.coordinated = info.k + 2
    return info


_FUNCTION_WORDS = {"at", "about", "only", "with", "of", "in", "on", "for", "to", "by", "from", "some", "around",
                   "and", "but", "nearly", "over", "under", "all", "another", "the", "a", "an", "just", "almost",
                   "roughly", "approximately", "than", "killed", "killing", "wounded", "injured", "freed", "held",
                   "are", "were", "was", "is", "had", "have", "has", "least", "most", "among", "including"}


def _counts_something(after: str) -> bool:
    """The words after a number name what it counts (a reviewed noun, maybe after modifiers)."""
    words = re.findall(r"[A-Za-z][\w.'’-]*", after[:80])
    info = _noun_scan(words)
    return info.k is not None and info.known


def _spelled_counts(core: str, after: str, before: str) -> bool:
    """A spelled-out number is a figure only when it counts people, measure nouns or things."""
    word = core.lower()
    lex = Lexicon.default()
    if word in ("one", "a dozen") and re.match(r"^\s+(?:of|another|more|day|time|side|way|thing|"
                                               r"point|after|by|or|else|in|hand|last|who|that)\b", after, re.I):
        return False
    if re.match(r"^\s+of\s+(?:the|them|those|whom|its|his|her|their)\b", after, re.I):
        return word != "one"  # "two of the hostages", "five of them"
    words = re.findall(r"[A-Za-z][\w.'’-]*", after[:80])
    info = _noun_scan(words)
    if info.k is not None and info.known and words[info.k][:1].isupper() \
            and not Lexicon.default().nationality_plural(words[info.k].lower()):
        return False  # "Six Nations": a name
    if info.k is not None and info.known:
        # spelled-out numbers count only reviewed nouns: "the five Israel-Hamas conflicts" is not a figure
        return word != "one" or lex.is_person_noun(words[info.k].lower().strip(".,"))
    if word == "one":
        return False
    # "four were still missing", "eight others": a measure within a few words
    lows = [w.lower() for w in words[:6]]
    if lows and lows[0] in ("were", "was", "have", "had", "are", "others", "more", "remain", "remained"):
        return lows[0] == "others" or any(lex.measure_of(w) not in (None, "other") for w in lows[1:5])
    # "killing three", "wounding eight": a measure verb right before the number
    prev = re.findall(r"[A-Za-z]+", before[-30:])
    return bool(prev and lex.measure_of(prev[-1].lower()) not in (None, "other"))


# ---------------------------------------------------------------- main
def extract_figures(text: str, entities: list[Entity] | None = None,
                    sentences: list[tuple[int, int]] | None = None, parses: dict | None = None,
                    published=None) -> list[Figure]:
    """Figures in `text` (a title or a body); offsets index `text`."""
    entities = sorted(entities or [], key=lambda e: e.start)
    spans = sentences if sentences is not None else split_sentences(text)
    figures: list[Figure] = []
    prev_places: list[str] = []
    prev_par_end = -1
    for s_start, s_end in spans:
        sentence = text[s_start:s_end]
        if "\n" in text[prev_par_end + 1:s_start] if prev_par_end >= 0 else False:
            prev_places = []
        sent_ents = [e for e in entities if e.start >= s_start and e.end <= s_end]
        found = _sentence_figures(sentence, s_start, sent_ents, prev_places)
        figures.extend(found)
        places = _places(sent_ents)
        prev_places = places if places else prev_places
        prev_par_end = s_end
    return figures


def _places(ents: list[Entity]) -> list[str]:
    seen: list[str] = []
    for e in ents:
        if e.label in ("GPE", "LOC", "FAC") and e.canonical not in seen:
            seen.append(e.canonical)
    return seen


def _sentence_figures(sentence: str, offset: int, ents: list[Entity], prev_places: list[str]) -> list[Figure]:
    cands = find_candidates(sentence)
    if not cands:
        return []
    lex = Lexicon.default()
    toks = _tokens(sentence, offset)
    attributions = _attributions(sentence, offset, toks, ents)
    out: list[Figure] = []
    for c in cands:
        abs_start, abs_end = c.start + offset, c.end + offset
        i0 = next((i for i, t in enumerate(toks) if t.end > abs_start), len(toks))
        i1 = next((i for i, t in enumerate(toks) if t.start >= abs_end), len(toks))
        counted = _counted_noun(toks, i1, c)
        measure, measure_text = _measure(toks, i0, i1, counted, out, c)
        subject = _subject(counted, out, toks, i1, c)
        person = bool(subject) and lex.is_person_noun(subject.split()[-1])
        thing = bool(subject) and lex.is_thing_noun(subject.split()[-1])
        if thing and measure in PEOPLE_MEASURES:
            measure, measure_text = "other", None  # "launched 4,000 rockets in attacks that killed": not a toll
        unit = c.unit or ("people" if person or (subject in (None, "people") and measure not in
                                                 ("other", "damaged", "population")) else "count")
        if measure == "population":
            unit = c.unit or "people"
            subject = subject or "people"
        if c.unit == "percent" and subject is None:
            subject = None
        if unit == "people" and subject is None:
            subject = "people"
        src_text, src, src_span = _pick_source(attributions, abs_start, abs_end, toks, i0)
        location = _location(toks, i0, i1, ents, src_span, prev_places, sentence, offset)
        modality = _modality(toks, i0, i1)
        out.append(Figure(
            start=abs_start, end=abs_end, text=c.text, value=c.value, value_max=c.value_max,
            qualifier=c.qualifier, unit=unit, measure=measure, subject=subject, location=location,
            source=src, source_text=src_text, modality=modality, sentence=sentence,
            sentence_start=offset, measure_text=measure_text))
    return out


@dataclass
class _Counted:
    noun: str | None = None
    idx: int | None = None        # token index of the head noun
    nationality: str | None = None
    adj_measure: str | None = None
    subject_text: str | None = None  # "Israelis and Palestinians" when heads are coordinated


def _counted_noun(toks: list[_Tok], i1: int, c: _Cand) -> _Counted:
    """Head noun after the number: '22,600 Palestinians', '1,200 Israeli deaths', '60% of the enclave's infrastructure'."""
    j = i1
    if j < len(toks) and toks[j].low == "of":
        # "60% of the enclave's infrastructure", "dozens of people", "two of the hostages"
        j += 1
        if j < len(toks) and toks[j].low in ("them", "those", "whom"):
            return _Counted(idx=j)
        while j < len(toks) and toks[j].low in _DETERMINERS:
            j += 1
        if j + 1 < len(toks) and toks[j + 1].low in ("'s", "’s"):
            j += 2  # a possessor: "the enclave's infrastructure"
        elif j < len(toks) and toks[j].low.endswith(("'s", "’s")):
            j += 1
    words: list[str] = []
    for t in toks[j:j + 7]:
        if t.text in _CLAUSE_BREAK or t.text in (".", "?", "!") or re.match(r"\d", t.text):
            break
        words.append(t.text)
    info = _noun_scan(words)
    if info.k is None:
        return _Counted(nationality=info.nationality, adj_measure=info.adj_measure)
    out = _Counted(toks[j + info.k].text, j + info.k, info.nationality, info.adj_measure)
    if info.coordinated is not None:
        out.subject_text = f"{_subject_word(toks[j + info.k].text)} and {_subject_word(toks[j + info.coordinated].text)}"
        out.idx = j + info.coordinated
    return out


def _subject_word(word: str) -> str:
    lex = Lexicon.default()
    low = word.lower()
    nat = lex.nationality_plural(low)
    if nat and (low.endswith("s") or low == nat.lower()):
        return nat
    return word if word[:1].isupper() else low


PEOPLE_MEASURES = {"killed", "injured", "hostages", "kidnapped", "released", "displaced", "arrested", "missing",
                   "evacuated"}
_BE = {"is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "remain", "remained", "remains"}
_KIDNAP_VERBS = re.compile(r"\b(?:tak(?:e|es|en|ing)|took|seiz(?:e|ed|ing)|captur(?:e|ed|ing)|abduct\w*|kidnap\w*)\b")


def _measure(toks, i0, i1, counted: _Counted, prior: list[Figure], c) -> tuple[str, str | None]:
    lex = Lexicon.default()
    noun = counted.noun
    # 1. a measure verb right before the phrase: "killed 248", "killing at least three", "wounded over 1,900"
    k = i0 - 1
    steps = 0
    while k >= 0 and steps < 4:
        t = toks[k]
        if t.low == "of" and k > 0 and toks[k - 1].low in ("toll", "tally"):
            return "killed", toks[k - 1].text  # "a death toll of 1,300"
        if t.low == "of" and k > 0 and toks[k - 1].low == "total":
            k -= 2  # "killing a total of about 687"
            continue
        if t.text in _CLAUSE_BREAK or t.text in (".", "!", "?") or t.low in ("and", "or", "but", "of"):
            break
        if k > 0 and f"{toks[k - 1].low} {t.low}" in lex.phrases:
            return lex.phrases[f"{toks[k - 1].low} {t.low}"], f"{toks[k - 1].text} {t.text}"  # "shot dead"
        m = lex.measure_of(t.low)
        if m and m != "other" and not lex.is_noun_only(t.low):
            if k >= 2 and toks[k - 1].low in ("and", "or"):
                other = lex.measure_of(toks[k - 2].low)
                if other and other != m and other != "other":
                    return "other", f"{toks[k - 2].text} {toks[k - 1].text} {t.text}"  # "killing and wounding"
            if m == "hostages" and t.low in ("held", "holding", "holds"):
                return "hostages", t.text
            return m, t.text
        if t.low in ("taking", "took", "taken", "take", "takes"):
            after = " ".join(x.low for x in toks[i1:i1 + 4])
            if "hostage" in after or "captive" in after:
                return "kidnapped", t.text
        if t.low in ("toll", "tally") and k > 0:
            return ("killed", t.text) if toks[k - 1].low in ("death", "casualty", "civilian") or t.low == "toll" \
                else ("other", None)
        if t.low in ("rose", "climbed", "risen", "reached", "stood", "stands", "jumped", "hit", "to", "at",
                     "has", "have", "had", "been", "so", "far", "since", "now", "already", "also", "by",
                     "a", "an", "the", "total", "nearly", "reportedly", "then", "were", "was"):
            k -= 1
            continue
        steps += 1
        k -= 1
    # 2. "including 66 children", "15 of them": the measure of the figure they qualify
    window = " ".join(t.low for t in toks[max(0, i0 - 3):i0])
    after_words = " ".join(t.low for t in toks[i1:i1 + 2])
    listed = re.search(r"\b(?:including|among them|among whom|of whom|mostly|most of them|of them)\b", window) \
        or after_words.startswith(("of them", "of whom", "of those"))
    if listed and prior:
        return prior[-1].measure, prior[-1].measure_text
    # 3. the noun counted is a measure ("fatalities", "hostages", "deaths", "wounded") unless a
    #    predicate says what happened to them: "22 hostages that Hamas says have been killed"
    words = _after_window(toks, (counted.idx + 1) if counted.idx is not None else i1)
    low = [t.low for t in words]
    before_text = " ".join(t.low for t in toks[max(0, i0 - 5):i0])
    if noun and lex.measure_noun(noun.lower()):
        noun_measure = lex.measure_noun(noun.lower())
        if noun.lower() == "lives" and re.search(r"\bsav(?:e|ed|es|ing)\b", before_text):
            return "other", None  # "saved 200 lives"
        if noun.lower() in ("hostage", "captive") and _KIDNAP_VERBS.search(before_text):
            return "kidnapped", noun
        for n, t in enumerate(words):
            m = lex.measure_of(t.low)
            if m and m not in ("other", noun_measure) and not t.text[:1].isupper() and n > 0 \
                    and any(w in _BE for w in low[:n]):
                return m, t.text
        return noun_measure, noun
    # 4. a measure word after the noun phrase: "22,600 Palestinians have since been killed", "57,910 injured"
    joined = " ".join(low)
    if re.search(r"\b(?:from|out of|fled|left|leave|flee|fleeing) (?:their|his|her) homes?\b", joined):
        return "displaced", "homes"  # "forced 300,000 Palestinians from their homes"
    for n, t in enumerate(words):
        if t.text[:1].isupper() and n > 0:
            continue  # part of a name: "... Agency for Palestine Refugees"
        if t.low in ("taken", "taking", "took") and "hostage" in low[n + 1:n + 3]:
            return "kidnapped", t.text
        if t.low in ("hostage", "hostages", "captive", "captives") and _KIDNAP_VERBS.search(before_text):
            return "kidnapped", t.text  # "took nearly 200 people hostage"
        if n + 1 < len(words) and f"{t.low} {words[n + 1].low}" in lex.phrases:
            return lex.phrases[f"{t.low} {words[n + 1].low}"], f"{t.text} {words[n + 1].text}"
        m = lex.measure_of(t.low)
        if m and m != "other":
            if _agentive(toks, t):
                break  # "hundreds of terrorists ... slaughtered 1,300": they did it, they were not counted
            if noun and m in PEOPLE_MEASURES and lex.is_thing_noun(noun):
                break  # "hundreds of accounts sharing images of dead bodies"
            if n + 2 < len(words) and low[n + 1] in ("and", "or"):
                m2 = lex.measure_of(low[n + 2])
                if m2 and m2 not in ("other", m):
                    return "other", f"{t.text} {words[n + 1].text} {words[n + 2].text}"  # "dead or missing"
            return m, t.text
    if counted.adj_measure:
        return counted.adj_measure, None
    # 4b. a list hanging from a clause: "Other foreign nationals have been killed, including four people"
    if listed and "including" in window:
        inc = max(i for i in range(max(0, i0 - 3), i0) if toks[i].low == "including")
        for t in reversed(toks[max(0, inc - 6):inc]):
            m = lex.measure_of(t.low)
            if m and m != "other" and not lex.is_noun_only(t.low):
                return m, t.text
    # 4c. a conjunct of the figure before it: "killed 1,300 in Israel and more than 1,350 in Gaza",
    #     "including four from France, 18 from Thailand and 10 Nepalese"
    if prior and i0 > 0 and toks[i0 - 1].low in ("and", ",", "or", "plus"):
        return prior[-1].measure, prior[-1].measure_text
    # 5. population of a place: "a territory of 2.3 million", "home to 2 million", "population of 9 million"
    pre = " ".join(t.low for t in toks[max(0, i0 - 4):i0])
    if noun is None or noun.lower() in ("people", "residents", "inhabitants"):
        if re.search(r"\b(?:population|territory|enclave|strip|city|country|nation|home)\s+(?:of|to)$", pre) \
                or re.search(r"\bpopulation\b", pre):
            return "population", None
    return "other", None


_OBJECT_START = {"more", "some", "about", "nearly", "over", "around", "almost", "roughly", "dozens", "hundreds",
                 "thousands", "scores", "at least", "up to", "as many"}


def _agentive(toks: list[_Tok], verb: _Tok) -> bool:
    """An active measure verb with its own object ('terrorists ... slaughtered more than 1,300'):
    the counted group did it and was not counted by it. Passives ('were killed') never are."""
    k = next(i for i, t in enumerate(toks) if t is verb)
    if k > 0 and (toks[k - 1].low in _BE or toks[k - 1].low in ("all", "also", "reportedly")):
        return False
    nxt = [t.low for t in toks[k + 1:k + 3]]
    if not nxt:
        return False
    lex = Lexicon.default()
    first = nxt[0]
    pair = " ".join(nxt[:2])
    if first in ("the", "a", "an") and len(nxt) > 1:
        first = nxt[1]  # "killed the hostages"
    return bool(re.match(r"\d", first)) or first in numbers.UNITS or first in numbers.TENS \
        or first in _OBJECT_START or pair in _OBJECT_START or lex.is_person_noun(first)


_SUBORDINATORS = {"after", "before", "when", "while", "because", "if", "although", "though", "until", "whereas",
                  "but", "unless", "whether"}


def _after_window(toks: list[_Tok], start: int, size: int = 12) -> list[_Tok]:
    """Words after the counted phrase, up to the clause end; skips a parenthesis and an
    ', including ... ,' aside, so '2,215 Palestinians, including 724 children, had been killed' works."""
    words: list[_Tok] = []
    k = start
    used = 0
    while k < len(toks) and used < size and len(words) < 3 * size:
        t = toks[k]
        if t.text == "(":
            close = next((j for j in range(k + 1, min(k + 40, len(toks))) if toks[j].text == ")"), None)
            if close is None:
                break
            k = close + 1
            continue
        if t.text == "," and k + 1 < len(toks) and toks[k + 1].low in ("had", "has", "have", "were", "was", "are"):
            k += 1  # "scores, possibly hundreds, had been killed": the aside closes before the verb
            continue
        if t.text == "," and k + 1 < len(toks) and toks[k + 1].low in ("including", "among", "mostly", "many",
                                                                       "most", "mainly", "nearly", "almost",
                                                                       "possibly", "perhaps", "maybe", "if"):
            close = next((j for j in range(k + 2, min(k + 20, len(toks))) if toks[j].text == ","), None)
            if close is None:
                break
            k = close + 1
            continue
        if t.low == "including" or t.text in ("—", "–"):
            close_marks = (",",) if t.low == "including" else ("—", "–")
            close = next((j for j in range(k + 1, min(k + 20, len(toks))) if toks[j].text in close_marks), None)
            if close is None:
                break
            k = close + 1
            continue
        if t.text in _CLAUSE_BREAK or t.text in (".", "?", "!") or re.match(r"\d", t.text) \
                or t.low in _SUBORDINATORS:
            break
        words.append(t)
        used += not t.text[:1].isupper()  # capitalised name parts do not use up the window
        k += 1
    return words


def _subject(counted: _Counted, prior: list[Figure], toks, i1, c) -> str | None:
    lex = Lexicon.default()
    noun, nationality = counted.noun, counted.nationality
    if counted.subject_text:
        return counted.subject_text
    if noun is None and i1 < len(toks) and toks[i1].low == "of" and prior:
        return prior[-1].subject  # "15 of them"
    if noun:
        low = noun.lower()
        if lex.measure_noun(low):
            if nationality:
                return nationality
            # "22,600 Palestinians have been killed and 57,910 injured": the subject is shared
            if prior and prior[-1].unit == "people" and low in ("injured", "wounded", "dead", "missing"):
                return prior[-1].subject
            return "people"
        if low in ("others", "other"):
            return "people"
        return _subject_word(noun)
    if nationality:
        return nationality
    if c.unit == "percent" or c.currency:
        return None
    if prior and prior[-1].unit == "people":
        return prior[-1].subject
    return None


def _modality(toks, i0, i1) -> str:
    """Hedge and denial cues in the figure's own clause (a 'feared invasion' in the clause
    before does not hedge the toll that follows)."""
    a, b = _clause_bounds(toks, i0, i1)
    if a > 0 and toks[a - 1].low == "that":
        a, _ = _clause_bounds(toks, a - 1, a)  # "denied that 500 were killed": the governing clause counts
    before = [t.low for t in toks[max(a, i0 - 8):i0]]
    after = [t.low for t in toks[i1:min(b, i1 + 7)]]
    window = before + after
    if any(w in DENIALS for w in window):
        return "denied"
    if any(w in HEDGES for w in window):
        return "hedged"
    joined = " ".join(after)
    if re.search(r"\breported (?:killed|dead|missing|wounded|injured)\b", joined):
        return "hedged"
    return "asserted"


# ---------------------------------------------------------------- attribution
@dataclass
class _Attribution:
    text: str
    canonical: str | None
    start: int
    end: int
    verb_at: int          # absolute offset of the verb
    kind: str             # according | citing | pre | post


_NP_ADJ = {"senior", "top", "former", "local", "military", "defense", "defence", "foreign", "humanitarian",
           "medical", "regional", "federal", "state", "interior", "chief", "deputy", "acting", "civil", "government",
           "rescue", "emergency", "palestinian", "israeli", "american", "international", "independent", "armed",
           "political", "military's"}


def _np_backward(toks: list[_Tok], k: int) -> tuple[int, int] | None:
    """Token range of the noun phrase that ends at token k (inclusive), scanning left."""
    lex = Lexicon.default()
    j = k
    while j >= 0 and toks[j].low in _AUX:
        j -= 1
    end = j
    start = None
    if j >= 0 and toks[j].low in ("there", "here"):
        j -= 1  # "the health ministry there said": keep 'there' in the phrase
    while j >= 0:
        t = toks[j]
        if t.text in _CLAUSE_BREAK or t.text in (".", "!", "?"):
            break
        if t.text[:1].isupper() or t.low in ("'s", "’s") or lex.is_source_noun(t.low) \
                or (t.low in _NP_ADJ and start is not None) \
                or re.fullmatch(r"[\w.]+-(?:run|led|controlled|based|affiliated|backed)", t.low):
            start = j
            j -= 1
            continue
        if t.low in _NP_INNER and start is not None and j > 0:
            prev = toks[j - 1]
            if prev.text[:1].isupper() or lex.is_source_noun(prev.low) or prev.low in ("'s", "’s"):
                start = j
                j -= 1
                continue
        if t.low in _DETERMINERS and start is not None:
            start = j
        if t.low in _PRONOUNS and start is None:
            return (j, j)
        break
    if start is None or end < start:
        return None
    return start, end


def _np_forward(toks: list[_Tok], k: int) -> tuple[int, int] | None:
    lex = Lexicon.default()
    j = k
    end = None
    while j < len(toks):
        t = toks[j]
        if t.text in _CLAUSE_BREAK or t.text in (".", "!", "?"):
            break
        if t.low in ("that", "which", "who", "on", "late", "earlier") and end is not None:
            break
        if t.low in ("on",) and end is None:
            break
        end = j
        j += 1
        if j - k > 12:
            break
    if end is None:
        return None
    return k, end


def _span_text(sentence: str, offset: int, toks: list[_Tok], a: int, b: int) -> str:
    return sentence[toks[a].start - offset:toks[b].end - offset]


_TIME_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
               "yesterday", "on", "late", "earlier", "in", "last", "this", "that"}


def _inverted_np(toks: list[_Tok], i: int) -> tuple[int, int] | None:
    """', said Adrienne Watson, a spokeswoman.': the name after the verb, when it ends the clause."""
    n = len(toks)
    if i + 1 >= n or toks[i + 1].low in _TIME_WORDS:
        return None
    if not (toks[i + 1].text[:1].isupper() or toks[i + 1].low in _DETERMINERS):
        return None
    span = _np_forward(toks, i + 1)
    if span is None:
        return None
    a, b = span
    if any(re.match(r"\d", t.text) for t in toks[a:b + 1]) or b - a > 8:
        return None
    if b + 1 < n and toks[b + 1].text not in (",", ".", "!", "?", ";"):
        return None
    return span


def _attributions(sentence: str, offset: int, toks: list[_Tok], ents: list[Entity]) -> list[_Attribution]:
    found: list[_Attribution] = []
    n = len(toks)
    for i, t in enumerate(toks):
        low = t.low
        span = None
        kind = None
        if low == "according" and i + 1 < n and toks[i + 1].low == "to":
            span, kind = _np_forward(toks, i + 2), "according"
        elif low in ("citing", "cited"):
            span, kind = _np_forward(toks, i + 1), "citing"
        elif low in ATTRIBUTION_VERBS or (low in ("think", "thinks", "believe", "believes")
                                          and i > 0 and toks[i - 1].low not in _BE):
            if i > 0 and toks[i - 1].text == ",":
                span = _inverted_np(toks, i)
                kind = "post"
                if span is None:
                    # "Ata Abu Mdegem, the mayor of Rahat, said": skip the appositive back to the name
                    prev_comma = next((j for j in range(i - 2, max(-1, i - 25), -1) if toks[j].text == ","), None)
                    if prev_comma is not None and prev_comma > 0:
                        span, kind = _np_backward(toks, prev_comma - 1), "pre"
            else:
                span = _np_backward(toks, i - 1)
                kind = "pre"
                if span is not None:
                    # ", the Gaza health ministry says." at the end of the sentence
                    rest = [x.text for x in toks[i + 1:]]
                    if all(x in (".", "!", "?", "\"", "”", "'") for x in rest) or (rest and rest[0] in (",", ".")):
                        if span[0] > 0 and toks[span[0] - 1].text in (",", "\"", "”"):
                            kind = "post"
        if span is None:
            continue
        a, b = span
        text = _trim_source(_span_text(sentence, offset, toks, a, b))
        if not text:
            continue
        found.append(_Attribution(text, _canonical_source(text, ents, toks[a].start, toks[b].end),
                                  toks[a].start, toks[b].end, t.start, kind))
    return found


def _trim_source(text: str) -> str:
    text = text.strip(" ,\"“”'")
    text = re.sub(r"^(?:the|a|an|some)\s+", "", text, flags=re.I)
    text = re.sub(r"^(?:(?:latest|new|official|preliminary)\s+)?(?:figures|data|numbers|statistics|tallies|"
                  r"a tally|a count|a statement|a report|reports|estimates)\s+(?:from|by|of|released by|"
                  r"published by|issued by)\s+(?:the\s+)?", "", text, flags=re.I)
    return text.strip(" ,")


def _canonical_source(text: str, ents: list[Entity], start: int, end: int) -> str | None:
    lex = Lexicon.default()
    if text.lower() in _PRONOUNS:
        return None
    canon = lex.source_canonical(text)
    if canon:
        return canon
    inside = [e for e in ents if e.start >= start and e.end <= end and e.label in ("PERSON", "ORG", "GPE", "NORP")]
    if len(inside) == 1 and (inside[0].end - inside[0].start) >= len(text) - 4:
        return inside[0].canonical
    if inside and inside[-1].label == "PERSON" and inside[-1].end >= end - 1:
        return inside[-1].canonical  # "British Prime Minister Rishi Sunak" is attributed to the person
    return text


def _pick_source(attrs: list[_Attribution], start: int, end: int, toks, i0) -> tuple[str | None, str | None, tuple[int, int] | None]:
    if not attrs:
        return None, None, None
    explicit = [a for a in attrs if a.kind in ("according", "citing")]
    if explicit:
        a = min(explicit, key=lambda x: abs(x.start - start))
        return a.text, a.canonical, (a.start, a.end)
    pre = [a for a in attrs if a.verb_at < start]
    if pre:
        a = max(pre, key=lambda x: x.verb_at)
        return a.text, a.canonical, (a.start, a.end)
    post = [a for a in attrs if a.kind in ("post", "pre") and a.verb_at > end]
    if post:
        a = min(post, key=lambda x: x.verb_at)
        return a.text, a.canonical, (a.start, a.end)
    return None, None, None


# ---------------------------------------------------------------- location
# For locations, prepositions such as 'during' or 'since' stay inside the clause.
_LOCATION_CLAUSE_WORDS = {"which", "who", "whom", "that", "when", "while", "whereas", "although", "though",
                          "because", "where", "but"}


def _clause_bounds(toks: list[_Tok], i0: int, i1: int, words: set[str] = _CLAUSE_WORDS) -> tuple[int, int]:
    a = i0
    while a > 0 and toks[a - 1].text not in _CLAUSE_BREAK and toks[a - 1].low not in words:
        a -= 1
    b = i1
    while b < len(toks) and toks[b].text not in _CLAUSE_BREAK and toks[b].low not in words:
        b += 1
    return a, b


_LOCATIVE = {"in", "into", "at", "across", "inside", "throughout", "near", "on", "to", "against", "within",
             "around", "outside", "toward", "towards"}
_PLACE_MODIFIERS = {"the", "a", "an", "northern", "southern", "eastern", "western", "central", "north", "south",
                    "east", "west", "occupied", "besieged", "israeli", "palestinian", "neighboring", "neighbouring"}


def _location(toks, i0, i1, ents: list[Entity], src_span, prev_places, sentence, offset) -> str | None:
    """The place a figure is about: a place in its own clause (preferring 'in/into/at X'), the
    antecedent of a relative clause, the place in its source, or the one place the sentence names."""
    places = [e for e in ents if e.label in ("GPE", "LOC", "FAC")]
    anaphor = any(t.low in _PLACE_ANAPHORS for t in toks[max(0, i0 - 6):min(len(toks), i1 + 6)])
    if not places:
        return prev_places[-1] if prev_places and anaphor else None
    index = {t.start: n for n, t in enumerate(toks)}

    def tok_of(e: Entity) -> int:
        return index.get(e.start, next((n for n, t in enumerate(toks) if t.start >= e.start), len(toks) - 1))

    def locative(e: Entity) -> bool:
        k = tok_of(e) - 1
        while k >= 0 and toks[k].low in _PLACE_MODIFIERS:
            k -= 1
        return k >= 0 and toks[k].low in _LOCATIVE

    def possessive_agent(e: Entity) -> bool:
        k = tok_of(e)
        end = next((n for n in range(k, len(toks)) if toks[n].end >= e.end), k)
        return end + 1 < len(toks) and toks[end + 1].low in ("'s", "’s") or e.text.endswith(("'s", "’s"))

    def in_source(e: Entity) -> bool:
        return bool(src_span and e.start >= src_span[0] and e.end <= src_span[1])

    fig_at = toks[i0].start

    def nearest(cands: list[Entity]) -> Entity:
        # closest first; on a tie the place after the figure ("1,350 people in Gaza") wins
        return min(cands, key=lambda e: (abs(e.start - fig_at), e.start < fig_at))

    others = [e for e in places if not in_source(e)]
    a, b = _clause_bounds(toks, i0, i1, _LOCATION_CLAUSE_WORDS)
    c_start, c_end = toks[a].start if a < len(toks) else 0, toks[b - 1].end if b > 0 else 0
    own = [e for e in others if e.start >= c_start and e.end <= c_end and not possessive_agent(e)]
    if own:
        loc = [e for e in own if locative(e)]
        right_after = [e for e in loc if 0 <= tok_of(e) - i1 <= 4]
        if right_after:
            return right_after[0].canonical  # "more than 1,350 people in Gaza"
        return nearest(loc or own).canonical
    if a > 0 and toks[a - 1].low in ("that", "which", "who", "where", "whom") or (a < len(toks) and toks[a].low in (
            "that", "which", "who", "where")):
        # "a blast at a Gaza hospital that killed hundreds": the relative clause's antecedent
        rel = a - 1 if a > 0 and toks[a - 1].low in ("that", "which", "who", "where", "whom") else a
        prev = [e for e in others if e.end <= toks[rel].start and rel - tok_of(e) <= 4]
        if prev:
            return prev[-1].canonical
    if anaphor and prev_places and not own:
        loc_sentence = [e for e in others if locative(e)]
        if not loc_sentence:
            return prev_places[-1]
    src_places = [e for e in places if in_source(e)]
    if src_places:
        return src_places[0].canonical
    loc_sentence = [e for e in others if locative(e)]
    if len({e.canonical for e in loc_sentence}) == 1:
        return loc_sentence[0].canonical
    if len({e.canonical for e in others}) == 1:
        return others[0].canonical
    # ", killing at least three people": a participle attaches to the event named just before it
    if a > 0 and toks[a].low.endswith("ing"):
        before = [e for e in others if e.end <= fig_at]
        loc_before = [e for e in before if locative(e)]
        if loc_before or before:
            return (loc_before or before)[-1].canonical
    return None
