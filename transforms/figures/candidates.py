"""Number phrases in a sentence, and the rules that say which of them are not figures.

A candidate is a number as news writes it (digits, scale words, spelled out, vague plurals,
ranges, money, percentages) with its qualifier. `not_a_figure` applies the ordered, named rules of
docs/figures.md ("Not figures"); the first that fires says why a number is not a figure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from transforms import numbers
from transforms.figures.words import alternation, currencies, words
from transforms.lexicon import Lexicon

_QUALIFIERS = [
    ("at_least", r"at least|no fewer than|no less than|a minimum of|not less than"),
    ("more_than", r"more than|upwards of|in excess of|well over|just over|a little over|over|above|"
                  r"more the"),
    ("nearly", r"nearly|almost|close to|just under|just shy of|a little under"),
    ("about", r"about|some|around|roughly|approximately|approx\.|an estimated|estimated at|estimated|"
              r"an approximate|about an estimated|perhaps|maybe"),
    ("up_to", r"up to|as many as|at most|as much as|less than|fewer than|under|below|no more than"),
]
QUAL_RE = "|".join(f"(?P<q_{name}>{pat})" for name, pat in _QUALIFIERS)
_VAGUE = r"tens of thousands|hundreds of thousands|dozens|scores|hundreds|thousands|millions|billions"
_SCALE = r"(?:\s*(?:million|billion|trillion|thousand)\b|(?:bn|mn|mln|tn)\b)"
_SYMBOLS = r"US\$|A\$|C\$|NZ\$|HK\$|[$£€¥₪₹]"
# "m", "k" and "b" are scales only after a currency sign: "100m" in sport is metres.
# Currency names come from seeds/currencies.csv (longest first, so "swiss francs" wins over "francs").
_CURRENCY_WORD = r"(?:\s+(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in
                                        sorted(currencies()[1], key=len, reverse=True)) + r")\b)"
_NUM = (rf"(?:(?:{_SYMBOLS})\s?(?:{numbers.DIGITS}(?:{_SCALE}|(?:m|k|b)\b)?)"
        rf"|{numbers.DIGITS}(?:m|k|b)\b(?={_CURRENCY_WORD})"  # "68m euros"
        rf"|{numbers.DIGITS}{_SCALE}?|(?:a\s+|{numbers.WORD_NUMBER}\s+)?dozen\b"
        rf"|{numbers.WORD_NUMBER}(?:\s+(?:million|billion))?)")
PHRASE_RE = re.compile(
    rf"(?<![\w$£€¥₪₹/.:\-])(?:(?:{QUAL_RE})\s+(?:a\s+(?=\d))?)?"
    rf"(?:between\s+(?P<lo>{_NUM})\s+and\s+(?P<hi>{_NUM})"
    rf"|(?P<vague>{_VAGUE})"
    rf"|(?P<num>{_NUM})(?:(?P<unit1>\s*%|\s+percent\b|\s+per\s?cent\b)?\s*(?:-|–|to)\s*"
    rf"(?P<num2>{_NUM}|{numbers.DIGITS}(?:m|k|b)\b))?)"
    rf"(?P<unit>\s*%|\s+percent\b|\s+per\s?cent\b|\s+percentage points?\b)?"
    rf"(?P<money>{_CURRENCY_WORD})?"
    rf"(?P<post>\s+or more\b|\s+or so\b|-plus\b|\+)?"
    rf"(?:(?![\w/]|\.\d|,\d)|(?=(?-i:[A-Z][a-z]{{2,}})))",  # "1,300Israelis": digits glued to the next word
    re.IGNORECASE,
)
# Cheap test before the big phrase pattern: most sentences hold no number at all. A set of words is
# three times faster than a regex alternation of them (the figure stage runs it on every sentence).
_DIGIT = re.compile(r"\d")
WORD_RE = re.compile(r"\w+")
_NUMBER_WORDS = frozenset([*numbers.UNITS, *numbers.TENS, "dozen", "dozens", "scores", "hundreds", "thousands",
                           "millions", "billions"])


def has_word(sentence: str, vocabulary: frozenset[str]) -> bool:
    """Whether a whole word of the sentence (case-insensitive) is in the vocabulary."""
    return not vocabulary.isdisjoint(WORD_RE.findall(sentence.lower()))


def any_number(sentence: str) -> bool:
    return bool(_DIGIT.search(sentence)) or has_word(sentence, _NUMBER_WORDS)

MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")


_SYMBOL_PREFIX = re.compile(r"^(?:[A-Za-z]{1,2})?[$£€¥₪₹]\s?")


@dataclass
class Candidate:
    start: int                 # offsets into the sentence
    end: int
    text: str
    value: float
    value_max: float | None
    qualifier: str
    unit: str | None           # percent, a currency code, or None (decided later: people or count)
    spelled: bool
    vague: bool
    currency: str | None
    doubtful: bool = False     # a spelled-out number before a noun the lists do not know: kept only if the
    #                            parse shows it counts the victims of a measure ("four sailors were killed")


def _qualifier(m: re.Match) -> str:
    for name, _ in _QUALIFIERS:
        if m.group(f"q_{name}"):
            return name
    return "exact"


def currency_of(num_text: str, money_word: str | None) -> str | None:
    symbols, names = currencies()
    t = num_text.strip().lower()
    for sym in sorted(symbols, key=len, reverse=True):
        if t.startswith(sym):
            return symbols[sym]
    if money_word:
        w = " ".join(money_word.lower().split())
        for name in sorted(names, key=len, reverse=True):
            if w.endswith(name):
                return names[name]
    return None


def _spelled(num_text: str) -> bool:
    return not re.search(r"\d", num_text)


def find_candidates(sentence: str, keep_doubtful: bool = False) -> list[Candidate]:
    out: list[Candidate] = []
    if not any_number(sentence):
        return out
    for m in PHRASE_RE.finditer(sentence):
        before, after = sentence[:m.start()], sentence[m.end():]
        text = m.group(0)
        qual = _qualifier(m)
        value_max = None
        if m.group("vague"):
            vague_txt = m.group("vague").lower()
            if vague_txt in ("scores", "millions", "billions") and not re.match(
                    r"^(?:\s+(?:of\s|hostage|people|palestinians|israelis|civilians|were|have|had|more|fled|killed)"
                    r"|,\s+(?:possibly|perhaps|maybe|if not)\b)", after, re.I):
                continue
            value, spelled, vague = float(numbers.VAGUE.get(vague_txt, 2_000_000_000)), True, True
            num_text = vague_txt
            if qual == "exact":
                qual = "at_least"
        elif m.group("lo"):
            lo, hi = (numbers.parse_number(_SYMBOL_PREFIX.sub("", m.group(g))) for g in ("lo", "hi"))
            if lo is None or hi is None or hi <= lo or re.match(r"0\d", m.group("lo") + " ") \
                    or re.match(r"0\d", m.group("hi")):
                continue  # "between 2200 and 0700": clock times, not a range
            value, value_max = lo, hi
            num_text = m.group("lo")
            spelled, vague = _spelled(num_text), False
        else:
            num_text = m.group("num")
            value = numbers.parse_number(_SYMBOL_PREFIX.sub("", num_text))
            if value is None:
                continue
            spelled, vague = _spelled(num_text), False
            if m.group("num2"):
                hi = numbers.parse_number(_SYMBOL_PREFIX.sub("", m.group("num2")))
                first_end = m.end("unit1") if m.group("unit1") else m.start("num") + len(num_text)
                sep = sentence[first_end:m.start("num2")].strip()
                if hi is None:
                    continue
                if m.group("unit1") and (not m.group("unit") or re.search(r"\b(?:by|of)\s+$", before, re.I)) or (
                        re.fullmatch(r"(?:1[89]|20)\d\d", num_text) and not 1800 <= hi <= 2100):
                    # "rose 5% to $1.13bn", "down 4% in 2004 to 789m euros": two figures (or a year and one)
                    out.extend(find_candidates_at(sentence, m.start(), first_end))
                    out.extend(find_candidates_at(sentence, m.start("num2"), m.end()))
                    continue
                if sep in ("-", "–") and hi <= 200 and value <= 200 and re.search(r"\b[A-Z][\w'’.-]*\s+$", before) \
                        and re.match(r"^\s+[A-Z]", after):
                    continue  # "Borders 19-20 Ulster": a score between two sides
                if sep in ("-", "–") and value <= 20 and hi <= 20 and (
                        re.search(r"\b(?:won|beat|beaten|lost|drew|defeated|victory|win|defeat|draw|lead|"
                                  r"trail(?:ed|ing)?|score|scored|scoreline|margin|thrashed|edged)\b", sentence, re.I)
                        or re.search(r"\d\s*[-–]\s*\d+\s*\(?\s*$", before)
                        or re.match(r"^\s+\(?\d+\s*[-–/]\s*\d", after)):
                    continue  # a sports score: "won 2-1", "3-6 6-4 7-6", "6-7 (3-7) 6-3"
                if sep in ("-", "–") and value == 0 and hi <= 20 and not (m.group("unit") or m.group("money")):
                    continue  # "from 0-2 down": a score; no range starts at nothing
                if sep in ("-", "–") and {value, hi} <= {0, 15, 30, 40} and value != hi and re.search(
                        r"\b(?:serves?|serving|served|set|sets|deuce|break points?|aces?|love|game)\b", sentence, re.I):
                    continue  # tennis points: "to go 15-40 and two set points up"
                if re.match(r"^\s+(?:of\s+)?(?i:" + MONTHS + r")\b", after):
                    continue  # "from 14 to 17 February": days of a month
                scale2 = re.search(r"(?:million|billion|trillion|thousand|bn|mn|m|k)$", m.group("num2").lower())
                if scale2 and not re.search(r"[a-z]$", num_text.lower()):
                    value = numbers.apply_scale(value, scale2.group(0))  # "$10-25m": both ends in millions
                if sep == "to" and (re.search(r"\bfrom\s+(?:\S+\s+){0,3}$", before, re.I) or re.search(
                        r"\b(?:fell|rose|dropped|climbed|gained|lost|slipped|jumped|tumbled|edged|shed|added|"
                        r"up|down|increased|decreased|declined|grew|surged|plunged|slumped|soared)\s+(?:by\s+)?$",
                        before, re.I)):
                    # "rose from 20 to 30", "fell $28.63 to $38.65": a change and a level, not a range
                    out.extend(find_candidates_at(sentence, m.start(), first_end))
                    out.extend(find_candidates_at(sentence, m.start("num2"), m.end()))
                    continue
                if hi > value:
                    value_max = hi
                else:
                    # "2-1" with hi <= lo is not a range: keep the first number only
                    text = sentence[m.start():first_end]
                    after = sentence[m.start() + len(text):]
        if m.group("post"):
            post = m.group("post").strip().lower()
            if post in ("or more", "-plus", "+"):
                qual = "at_least" if post == "or more" else "more_than"
            elif post == "or so":
                qual = "about"
        unit = "percent" if m.group("unit") else None
        currency = currency_of(num_text, m.group("money"))
        if currency:
            unit = currency
        cand = Candidate(m.start(), m.start() + len(text), text, value, value_max, qual, unit, spelled, vague,
                         currency)
        why = not_a_figure(sentence, cand)
        if why is None:
            out.append(cand)
        elif keep_doubtful and why == "not.spelled_without_count" and re.match(r"^\s+[a-z]+s\b", after):
            cand.doubtful = True
            out.append(cand)
    for m in _PENCE_RE.finditer(sentence):  # "shares closed at 458.5p": pence, glued to the number
        value = numbers.parse_number(m.group("num"))
        if value is None or value in _VIDEO_LINES or any(c.start < m.end() and m.start() < c.end for c in out):
            continue
        cand = Candidate(m.start(), m.end(), m.group(0), value, None, _qualifier(m), "gbx", False, False, "gbx")
        if not_a_figure(sentence, cand) is None:
            out.append(cand)
    return sorted(out, key=lambda c: c.start)


_PENCE_RE = re.compile(rf"(?<![\w$£€¥₪₹/.:\-])(?:(?:{QUAL_RE})\s+)?"
                       rf"(?P<num>\d{{1,3}}(?:,\d{{3}})*(?:\.\d+)?)p\b(?!\.\d)", re.IGNORECASE)
_VIDEO_LINES = {480.0, 576.0, 720.0, 1080.0, 1440.0, 2160.0}  # "1080p": a picture format, not pence


def find_candidates_at(sentence: str, start: int, end: int) -> list[Candidate]:
    found = []
    for c in find_candidates(sentence[start:end]):
        c.start += start
        c.end += start
        found.append(c)
    # context-dependent exclusions were judged on the fragment; judge again on the sentence
    return [c for c in found if not_a_figure(sentence, c) is None]


# ---------------------------------------------------------------- not figures (docs/figures.md)
def _core(c: Candidate) -> str:
    return re.sub(rf"^(?:{QUAL_RE})\s+(?:a\s+)?", "", c.text, flags=re.I).strip()  # "Under a 2001 law": 2001


def _re(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


_BEFORE_DATE = _re(rf"\b(?:{MONTHS})\.?\s*$")
_AFTER_DATE = _re(rf"^(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})\b")
_AFTER_TIME = _re(r"^\s*(?:a\.?m\.?|p\.?m\.?|o'clock|gmt|utc|et|bst|local time|hrs)\b|^:\d")


def _lazy(fn):
    cache = {}

    def get():
        if "v" not in cache:
            cache["v"] = fn()
        return cache["v"]
    return get


_AFTER_DURATION = _lazy(lambda: _re(
    r"^(?:\s+(?:or|to)\s+(?:\d+|[a-z]+))?"  # "20 or 30 years": both ends of the duration
    r"[\s-]+(?:(?:more|other|long|straight|consecutive|full|whole|additional|extra|previous|past|last|next|short|"
    r"wonderful|difficult|hard|tough|happy|great|good|bad|few|busy|"
    rf"successive|square|cubic)\s+)?(?:{alternation('duration_unit')}|{alternation('measurement_unit')}|"
    rf"{alternation('count_not_figure')})\b"))
_BEFORE_ID = _lazy(lambda: _re(rf"(?:^|[\s(])(?:{alternation('identifier_word')})\s*$"))
_SPORT_ALWAYS = {"goals", "goal", "tries", "try", "wickets", "wicket", "caps", "cap", "medals", "medal", "titles",
                 "title", "birdies", "touchdowns", "rebounds", "assists", "innings", "overs", "centuries", "podiums",
                 "laps", "strokes", "holes", "frames", "fouls", "bookings", "corners", "rubbers", "appearances"}
_SPORT_CONTEXT = _re(r"\b(?:won|win|wins|beat|beaten|lost|drew|defeat(?:ed)?|victory|victories|score[ds]?|scoring|"
                     r"season|played|league|championship|champions?|cup|tournament|final|semi-final|quarter-final|"
                     r"match|coach|manager|striker|midfielder|goalkeeper|captain|squad|seeded|olympics?|grand slam|"
                     r"premiership|test series|rugby|football|tennis|cricket|golf|athletics|sprint|medal|table|"
                     r"standings|unbeaten|relegation|promotion|par|clear at the top|kicked|penalty|penalties|try|"
                     r"tries|conversion|innings|bowled|batting|world records?|ranking|rankings|davis cup|serve|"
                     r"unforced|baseline|(?:opening|first|second|third|fourth|fifth|final|deciding) set|"
                     r"(?:break|set|match) points?|tie-?breaks?|bench)\b")
_AGE_BEFORE = _re(r"\b(?:aged|age|ages|ages of|age of|age (?:to|at|from)|"
                  r"(?:died|dies|dead|death|retired|retire[sd]?)\s+(?:at|aged)(?:\s+the\s+age\s+of)?)\s*$")
_AGE_AFTER = _re(r"^[\s-]*(?:-|\s)?(?:year|month|week|day)s?[\s-]*old\b|^\s*years? of age\b")
_SOURCE_COUNT_AFTER = _re(
    r"^\s+(?:(?:other|more|senior|top|local|western|arab|american|israeli|palestinian|u\.s\.|us|u\.n\.|un|"
    r"european|diplomatic|military|security|government|administration|intelligence|health|hospital|medical|"
    r"egyptian|qatari|former|current)\s+){0,3}"
    r"(?:officials?|sources?|witnesses|diplomats|people|persons|analysts|experts|officers|aides|lawmakers|"
    r"residents|members|advisers|advisors|doctors|staffers)\b"
    r"(?:\s+(?:said|say|says|told|familiar|close to|briefed|with (?:direct )?knowledge|who (?:spoke|asked|"
    r"requested|were|was|are|is) not|who (?:spoke|asked|insisted|requested|declined)|speaking|interviewed by|"
    r"involved in the|knowledgeable))")
_SOURCE_COUNT_BEFORE = _re(r"(?:according to|interviews? with|spoke with|speaking with|talked to|talked with|"
                           r"interviewed|citing|cited)\s+(?:at least\s+|more than\s+)?$")
_SAMPLE_BEFORE = _re(r"\b(?:(?:survey|poll|study|questionnaire|sample)\s+of|surveyed|polled)\s+"
                     r"(?:some\s+|about\s+|more than\s+|nearly\s+|almost\s+)?$")
# "based on 8,000 telephone interviews", "1,000 respondents": how many were asked
_SAMPLE_NOUNS = _re(r"^\s+(?:(?:telephone|phone|online|face-to-face|in-depth|adult|british|american|uk|us)\s+)?"
                    r"(?:interviews|respondents|interviewees)\b")
_SAMPLE_AFTER = _re(r"^\s+(?:(?!(?:were|was|are|is|have|had|been|being)\b)[a-z]+\s+){0,2}?(?:interviewed|surveyed|"
                    r"polled)\b(?!\s+by\s+(?:the\s+)?(?:police|detectives|officers|investigators))")
_SET_DETERMINER = _re(r"\b(?:the|these|those|its|their|his|her|our|both)\s+$")


def _rule_date(s: str, c: Candidate, core: str, before: str, after: str) -> bool:
    if re.fullmatch(r"\d{1,2}", core) and re.match(
            rf"^\s*(?:,|and|or|to|-)\s*\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\b", after, re.I):
        return True  # "Tests on 25 June, 2 and 9 July": days of a month in a list
    return bool(_BEFORE_DATE.search(before) or _AFTER_DATE.match(after))


def _rule_time(s, c, core, before, after) -> bool:
    if re.fullmatch(r"(?:[01]\d|2[0-3])[0-5]\d", core) and re.search(r"\b(?:at|from|until|by)\s+$", before) \
            and re.match(r"^\s*(?:[.,;)]|$|and\b|to\b|on\b)", after):
        return True  # "due at the stadium at 1330": a 24-hour clock time
    return bool(_AFTER_TIME.match(after) or re.fullmatch(r"\d{1,2}[:.]\d{2}", core))  # not "14.27 million"


def _rule_year(s, c, core, before, after) -> bool:
    if c.value_max and re.fullmatch(r"(?:1[89]|20)\d\d", f"{c.value:.0f}") and 1800 <= c.value_max <= 2100:
        return True  # "2000-2005"
    if re.fullmatch(r"(?:1[89]|20)\d\d", core.replace(",", "")) and "," not in core:
        return not re.match(r"^\s+(?:people|palestinians|israelis|civilians|children|troops|soldiers|"
                            r"hostages|residents|persons|deaths|dead|jobs|workers|homes|votes)\b", after, re.I)
    if re.fullmatch(r"\d{1,2}", core) and re.search(r"\b(?:1[89]|20)\d\d[-–/]$", before):
        return True  # "back in 2000-1": the end of a span of years
    if re.fullmatch(r"\d{1,4}", core) and re.match(r"^\s*(?:A\.?D\.?|B\.?C\.?E?|C\.?E\.?)(?!\w)", after):
        return True  # "190 A.D."
    if re.fullmatch(r"1\d\d\d", core) and re.search(r"\b(?:in|from|since|until|till|during|circa)\s+$", before, re.I) \
            and not re.match(r"^\s+[a-z]", after):
        return True  # "the sextant from 1731": an older year
    if re.fullmatch(r"[1-9]0", core) and after.startswith(("'s", "’s")) and c.qualifier == "exact":
        return True  # "70's and 80's music": decades
    return bool(re.fullmatch(r"(?:1[89]|20)\d0s", core + after[:1]) or after.startswith("s"))


def _rule_ordinal(s, c, core, before, after) -> bool:
    return bool(re.match(r"^(?:st|nd|rd|th)\b", after, re.I))


def _rule_age(s, c, core, before, after) -> bool:
    if _AGE_AFTER.match(after) or _AGE_BEFORE.search(before) \
            or re.search(r"\b(?:I am|I'm|he is|she is|turns|turned|turning|turn)\s*$", before):
        return True
    small = re.fullmatch(r"\d{1,3}", core) and int(core) <= 120
    was_when = re.search(r"\b(?:[Hh]e|[Ss]he|I|[A-Z][a-z]+)\s+(?:was|is)\s+$", before) \
        and re.match(r"^\s+when\b", after)
    now_aged = re.search(r",\s*now\s+$", before) and re.match(r"^\s*[,)]", after)
    if small and (was_when or now_aged):
        return True  # "she was 22 when she retired", "Agassi, now 34, has ..."
    if small and re.search(r"\bwho\s+(?:is|was|turns|turned|will be)\s+$", before) \
            and re.match(r"^\s*(?:[.,;]|$|and\b|at\b|on\b|in\b|next\b|this\b)", after):
        return True  # "The veteran lock, who is 36 at the end of February"
    if small and re.search(r"\b(?:[Hh]e|[Ss]he|I)(?:\s+(?:was|is|turned|turns)|'s|’s)\s+$", before) \
            and re.match(r"^\s*(?:[.,;]|$|and\b)", after):
        return True  # "by the time he was 40,", "She's 17, has an amazing voice"
    if small and re.search(r"\b(?:said|says|added|told)\s+[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)?,\s*$", before) \
            and re.match(r"^\s*(?:[.,;]|$)", after):
        return True  # '"We are a tribute band," said Hynde, 53.' 
    if re.search(r"(?:^|[.!?][\"”’']?\s+|\")(?:At|at)\s+$", before) and re.match(r"^\s*(?:,|I\b|I'm\b|he\b|she\b)",
                                                                                  after) and re.fullmatch(
            r"\d{1,3}", core) and int(core) <= 120:
        return True  # "At 23, Henson has the world at his feet"
    if small and re.search(r"\b(?:[Hh]e|[Ss]he|I)\s+(?:will|would|'ll|'d)\s+(?:be|have been|turn)\s+$", before) \
            and re.match(r"^\s*(?:[.,;]|$)", after):
        return True  # "..., when she will be 34."
    if small and re.search(r"\b(?:children|people|those|kids|youngsters|adults|anyone|players|pupils|women|men)\s+"
                           r"(?:aged\s+)?$", before, re.I) and re.match(r"(?:under|over)\s", c.text, re.I):
        return True  # "parents of children under 18"
    if small and c.qualifier == "exact" and re.search(
            r"\b(?:became|become|becomes|becoming|elected|appointed|married|retired|retiring|joined|debuted|"
            r"turned professional|left school)\b[^.;]{0,50}\bat\s+$|\band\s+[^.;,]{0,40}\bat\s+$", before) \
            and re.search(r"\b(?:became|become|becoming|elected|appointed|married|retired|joined|debuted)\b", before) \
            and re.match(r"^\s*(?:[.,;]|$|and\b)", after):
        return True  # "became an MP at 27 and Leader of the Opposition at 36"
    if small and re.search(r"\b(?:kids|children|boys|girls|youngsters|teenagers|a man|a woman|a boy|a girl)\s+of\s+"
                           r"(?:\d{1,2}\s*(?:,|and|or)\s*)*$", before, re.I):
        return True  # "kids of 15, 16, 17"
    if small and re.search(r"\bages?\s+(?:of\s+)?(?:between\s+)?\d{1,3}\s*(?:and|to|or|-|–)\s*$", before, re.I):
        return True  # "between the ages of 10 and 17"
    if small and re.search(r"\bage\b[^.,;]{0,40}\b(?:from|to|of|at)\s+$", before, re.I):
        return True  # "raise the pension age for council workers from 60 to 65"
    if small and re.search(r"\b[A-Z][\w'’-]+,\s*\d{1,3},\s+and\s+[A-Z][\w'’-]+,\s*$", before):
        return True  # "their two children Emily, 16, and Pelham, 14 were pleased"
    if small and re.match(r"^\s*,", after):  # "the prince, 20, apologised", "a woman, 45,"
        m = re.search(r"\b(\w+),\s*$", before)
        if m and m.group(1).lower() in words("age_person"):
            return True
    # "Name, 34, of Kibbutz Be'eri", "Mr. Netanyahu, 73, now": an age; also a full name closing the clause
    # ("on holiday with Eileen Lee, 24.")
    return bool(small and (re.search(r"\b[A-Z][\w'.-]+,\s*$", before) and re.match(r"^\s*,|^[A-Z]", after)
                           or re.search(r"\b[A-Z][a-z][\w'’-]*\s+[A-Z][a-z][\w'’-]*,\s*$", before)
                           and re.match(r"^\s*(?:[.;)]|$)", after)))


def _rule_duration_or_measurement(s, c, core, before, after) -> bool:
    return bool(_AFTER_DURATION().match(after))


def _rule_identifier(s, c, core, before, after) -> bool:
    if _BEFORE_ID().search(before) and c.qualifier == "exact":
        return True
    if re.fullmatch(r"0\d+", core) or before.endswith(("&#", "'", "’")) or re.match(r"^\.[A-Za-z]", after):
        return True  # "007", a character reference "&#233;", a file name "7610.theme.zip", a code "'771"
    if c.qualifier == "exact" and re.search(r"\b[A-Z][\w-]*\s+$", before) and re.fullmatch(r"\d{1,3}\.\d{1,2}", core) \
            and not re.match(r"^\s*(?:%|per ?cent|million|billion|bn|m\b)", after, re.I):
        return True  # a version: "Opera 8.0"
    if c.qualifier == "exact" and re.fullmatch(r"\d{3,5}", core) and (
            after.startswith(("'s", "’s")) or re.search(r"\b(?:the|their|its|his|her|your|my|our|a|an)\s+$", before,
                                                       re.I) and re.match(r"^\s+[a-z]+[^s\W]\b", after)
            and not counts_something(after)):
        return True  # a model number: "their 7610 phone", "the 7610's functions"
    if c.qualifier == "exact" and re.fullmatch(r"\d{3,5}", core) and re.match(r"^\s+[A-Z][a-z]+[^s\W]\b", after) \
            and re.search(r"\b(?:the|their|its|his|her|a|an)\s+$", before, re.I) \
            and not Lexicon.default().nationality_plural(after.split()[0].lower()):
        return True  # "its 787 Dreamliner": a name after the number, not a plural it counts
    if c.qualifier == "exact" and re.fullmatch(r"\d{1,2}", core) and re.match(r"^\s+Nations\b", after):
        return True  # "the RBS 6 Nations"
    if c.qualifier == "exact" and re.fullmatch(r"\d{2,5}", core) and re.match(r"^\s+(?:certificate|rating)\b", after):
        return True  # "an 18 certificate"
    if c.qualifier == "exact" and re.fullmatch(r"\d{3,5}", core) and re.search(r"\b[A-Z][\w-]*(?:'s|’s)\s+$", before) \
            and not counts_something(after) and not re.match(r"^\s+[a-z]+s\b", after):
        return True  # "Sharp's 902 3G mobile phone": a model number
    if re.search(r"\b\d+\s+$", before) and re.fullmatch(r"\d{3}[-–]\d{1,3}", c.text):
        return True  # "10 737-800 planes": the model of the ten
    if c.qualifier == "exact" and re.fullmatch(r"\d{1,4}[A-Za-z]?", core) and re.match(
            r"^\s+(?:[A-Z][\w'’-]*\s+){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Boulevard|Square|Place|Drive|Terrace|"
            r"Crescent|Gardens)\b", after):
        return True  # an address: "10 Downing Street"
    name = re.search(r"\b([A-Z][\w-]*)\s+(?:\d{1,4}\s*(?:,|and|or)\s*)*$", before)  # "Halo 2", "Windows 95, 98"
    return bool(c.qualifier == "exact" and re.fullmatch(r"\d{1,4}", core) and not c.value_max and name
                and name.group(1).lower() not in words("function_word")
                and not re.fullmatch(MONTHS, name.group(1), re.I) and not counts_something(after))  # "Halo 2"


def _rule_list_number(s, c, core, before, after) -> bool:
    if re.search(r"\b[A-Z][\w'’-]+\s+\(\s*$", before) and after.startswith(")") and re.fullmatch(r"\d{1,4}", core):
        return True  # "Alan Shearer (250)": a statistic beside a name, not a count of the text's own
    if re.fullmatch(r"\d{1,3}", core) and re.match(r"^\s+[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3}\s+\([A-Z]", after):
        return True  # "1 Roger Federer (Switzerland) 2 Andy Roddick (US)": a numbered list
    if re.match(r"^\s+[A-Z]\.?\s+[A-Z][\w'’-]+\s+\([A-Z]", after) and c.qualifier == "exact":
        return True  # "3,803  S Mathieson (Cheshire)": a result beside a name in a list
    return bool(not before.strip() and re.match(r"^[.)]\s", after) or re.search(r"\(\s*$", before)
                and after.startswith(")") and re.fullmatch(r"\d{1,2}", core))


def _rule_ratio(s, c, core, before, after) -> bool:
    if re.match(r"^\s+times\s+(?:that|as|more|less|the|higher|lower|bigger|larger|greater)\b", after, re.I):
        return True  # "10 times that": a multiplier
    if re.search(r"\b(?:per|for every|every)\s+$", before, re.I) and c.qualifier == "exact":
        return True  # "7.5 connections per 100 people": the denominator of a rate
    return bool(re.search(r"\b(?:one|times)\s+(?:in|out of)\s*$", before, re.I) or re.search(r"[/\\]$", before)
                or after.startswith("/") or re.match(r"^\s+in\s+(?:every\s+)?(?:\d|one|two|three|four|"
                                                    r"five|six|seven|eight|nine|ten)\b", after, re.I)
                and c.spelled and c.value <= 10)


def _rule_compound(s, c, core, before, after) -> bool:
    return bool(re.match(r"^[-–]\w", after) and not re.match(r"^[-–](?:plus|strong)\b", after))  # "six-day", "F-16"


_NOUN_PHRASE_END = {"in", "of", "for", "to", "with", "by", "at", "from", "that", "who", "which", "than", "on", "as",
                    "and", "or", "but", "since", "after", "before", "last", "this", "over"}


def _rule_sport_count(s, c, core, before, after) -> bool:
    after = re.sub(r"^\s*(?:or|to|and|-|–)\s*\d+", "", after)  # "a 30 or 40 point victory"
    if re.search(r"\b(?:goal|try|points?|wicket|run|medal|title)s?\s+(?:tally|haul|count|total)\s+(?:\w+\s+)?$",
                 before, re.I):
        return True  # "took his goal tally past 150"
    if re.search(r"\bown\s+$", before) and core in ("22", "10"):
        return True  # "in his own 22": the line on a rugby pitch
    if re.search(r"\blast\s+$", before, re.I) and core.lower() in ("four", "eight", "16", "32", "64") \
            and re.match(r"^\s*(?:[.,;]|$|(?:in|of|after|and|with|at|stage|round|was|were|is|are|tie|draw)\b)", after):
        return True  # "reach the last 16 in Melbourne": a round of a tournament
    if re.search(r"\b(?:a|an)\s+$", before, re.I) and re.search(r"\b(?:par|birdies?|bogeys?|eagles?)\b", s, re.I) \
            and not c.unit:
        return True  # "finished with a 72 to be two over par": a round of golf
    nxt = re.findall(r"[A-Za-z]+", re.sub(r"^\s+of\s+(?:the\s+|their\s+|his\s+|her\s+|its\s+)?(?:[\w'’]+\s+)?"
                                          r"(?:(?:last|first|next|past|previous|remaining|opening|final)\s+)?"
                                          r"(?:\d+\s+)?", " ", after[:60]))[:4]
    nxt = [w.lower() for w in nxt]
    if any(w in _SPORT_ALWAYS for w in nxt[:2]):
        return True
    # the head of the phrase after the number, past modifiers: "15 league games", "24 clean sheets",
    # "200 league and cup goals", "three of the four grand slam titles"
    head = []
    for k, w in enumerate(nxt):
        if w in _NOUN_PHRASE_END and not (w == "and" and k + 1 < len(nxt) and nxt[k + 1] in ("cup", "league")):
            break
        head.append(w)
    if any(w in _SPORT_ALWAYS for w in head):
        return True
    return bool(head and any(w in words("sport_count") for w in head) and _SPORT_CONTEXT.search(s))


def _rule_rank(s, c, core, before, after) -> bool:
    """"ranked 106 in the world", "slipped to 64 in the world", "world number 3", "No 1": a rank."""
    return bool(c.qualifier == "exact" and (
        re.search(r"\b(?:ranked|ranking|seeded|seed|number|No\.?|world)\s+$", before, re.I)
        or re.search(r"\b(?:numbers?|Nos?\.?)\s+\d+\s*(?:,|and|or|to)\s+$", before, re.I)  # "at number 11 and 12"
        or re.match(r"^\s+in\s+the\s+(?:world|rankings?|standings|table|charts?)\b", after, re.I)))


def _rule_source_count(s, c, core, before, after) -> bool:
    """"three officials said", "two people familiar with the talks": how the writer knows, not a count."""
    if c.qualifier not in ("exact", "at_least", "more_than") or c.unit:
        return False
    if _SAMPLE_BEFORE.search(before) or _SAMPLE_AFTER.match(after) or _SAMPLE_NOUNS.match(after):
        return True  # "a survey of 2,000 adults", "the 2,000 users interviewed": the people asked
    return bool(_SOURCE_COUNT_AFTER.match(after) or (_SOURCE_COUNT_BEFORE.search(before) and re.match(
        r"^\s+(?:\w+\s+)?(?:officials?|sources?|witnesses|diplomats|people|residents|analysts|experts)\b", after,
        re.I)))


def _rule_known_set(s, c, core, before, after) -> bool:
    """"the two leaders", "its four shareholders": a spelled-out number that names a set."""
    if not c.spelled or c.vague or c.value > 20 or not _SET_DETERMINER.search(before):
        return False
    return not re.match(r"^\s+(?:\w+\s+){0,2}?(?:killed|dead|wounded|injured|missing|freed|released|kidnapped|"
                        r"abducted|held|taken|detained|arrested|hostages?)\b", after, re.I)


def _rule_vague_of_units(s, c, core, before, after) -> bool:
    return bool(c.vague and re.match(r"^\s+of\s+(?:(?:miles|years|kilometers|kilometres|dollars|pounds|times|"
                                     r"pages|words|hours|days|feet|tons|gallons|litres|liters|rounds)\b)", after, re.I))


def _rule_spelled_without_count(s, c, core, before, after) -> bool:
    if c.spelled and re.search(r"\b(?:million|billion|trillion)$", core, re.I):
        return False  # "seven million households": no one writes a scale for a pair of sides
    return c.spelled and not c.vague and not spelled_counts(core, after, before)


_SUPERLATIVE_ONE = _re(r"^\s+(?:of|another|more|day|time|side|way|thing|point|after|by|or|else|in|year|hand|"
                       r"member of)\b")

# Ordered: the first that fires names the reason. Money and percentages are always figures.
NOT_FIGURE_RULES = [
    ("not.date", _rule_date), ("not.time", _rule_time), ("not.year", _rule_year), ("not.ordinal", _rule_ordinal),
    ("not.age", _rule_age), ("not.duration_or_measurement", _rule_duration_or_measurement),
    ("not.identifier", _rule_identifier), ("not.list_number", _rule_list_number), ("not.ratio", _rule_ratio),
    ("not.compound", _rule_compound), ("not.sport_count", _rule_sport_count), ("not.rank", _rule_rank),
    ("not.source_count", _rule_source_count), ("not.known_set", _rule_known_set),
    ("not.spelled_without_count", _rule_spelled_without_count), ("not.vague_of_units", _rule_vague_of_units),
]


def not_a_figure(sentence: str, c: Candidate) -> str | None:
    """The name of the first rule saying this number is not a figure, or None."""
    if c.unit == "percent" or c.currency:
        return None
    before, after, core = sentence[:c.start], sentence[c.end:], _core(c)
    for name, rule in NOT_FIGURE_RULES:
        if rule(sentence, c, core, before, after):
            return name
    return None


# ---------------------------------------------------------------- what a number counts (text only)
@dataclass
class NounInfo:
    k: int | None = None          # index of the head noun among the words
    nationality: str | None = None
    adj_measure: str | None = None  # "dozens of dead militants": the measure carried by an adjective
    known: bool = False           # the head is in the reviewed noun lists (not a guessed plural)
    coordinated: int | None = None  # "Israelis and Palestinians": index of the second head


_ADJ_SUFFIX = re.compile(r"(?:al|ial|ian|ese|ic|ish|ive|ous|ary|ful|less|ern)$")


def noun_scan(tokens: list[str]) -> NounInfo:
    """The head noun among the words after a number, skipping up to three modifiers
    ("Palestinian", "medical", "U.N.", "Hamas", "dead"); stops at verbs, prepositions and the like,
    so 'two Palestinian attackers opened fire' finds 'attackers'."""
    lex = Lexicon.default()
    np_stop, modifiers = words("np_stop"), words("modifier")
    info = NounInfo()
    lows = [w.lower().strip(".,") for w in tokens[:6]]
    for k, low in enumerate(lows):
        if not low or not re.match(r"[a-z]", low):
            break
        nxt = lows[k + 1] if k + 1 < len(lows) else ""
        nxt_is_noun = bool(nxt) and (lex.is_person_noun(nxt) or bool(lex.measure_noun(nxt)) or lex.is_thing_noun(nxt)
                                     or nxt in modifiers or bool(lex.nationality_plural(nxt)))
        if lex.nationality_plural(low):
            nat = lex.nationality_plural(low)
            if nxt_is_noun and not (low.endswith("s") and low == nat.lower() and nxt not in modifiers
                                    and not lex.measure_noun(nxt)):
                info.nationality = info.nationality or nat
                continue
            if low == nat.lower() or low.endswith("s") or not nxt or nxt in np_stop:
                info.k, info.known = k, True  # "Palestinians", "one Israeli civilian was": the head itself
                break
            info.nationality = info.nationality or nat
            continue
        if low in words("adj_measure") and nxt_is_noun and not lex.measure_noun(nxt):
            info.adj_measure = lex.measure_of(low)
            continue
        if lex.is_person_noun(low) or lex.is_thing_noun(low) or lex.measure_noun(low):
            info.k, info.known = k, True
            break
        if low in np_stop or k >= 3:
            break
        if lex.measure_of(low) and not lex.is_noun_only(low):
            break  # a verb: "57,910 injured" is handled as a measure, not a noun
        capital = tokens[k][:1].isupper()
        if not (capital or low in modifiers or _ADJ_SUFFIX.search(low) or "-" in low
                or (nxt and (lex.is_person_noun(nxt) or lex.is_thing_noun(nxt) or bool(lex.measure_noun(nxt))))):
            break  # an unknown word that is not modifier-like ends the phrase
    if info.k is None:
        # an unknown plural right after the number: "30 student groups", "82 percent of respondents"
        for k, low in enumerate(lows[:3]):
            if tokens[k][:1].isupper() and low not in np_stop:
                continue  # "hundreds of X accounts"
            if low in np_stop or not re.fullmatch(r"[a-z][a-z'-]+", low):
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


def counts_something(after: str) -> bool:
    """The words after a number name what it counts (a reviewed noun, maybe after modifiers)."""
    info = noun_scan(re.findall(r"[A-Za-z][\w.'’-]*", after[:80]))
    return info.k is not None and info.known


def spelled_counts(core: str, after: str, before: str) -> bool:
    """A spelled-out number is a figure only when it counts people, measure nouns or things."""
    word = core.lower()
    lex = Lexicon.default()
    if word in ("one", "a dozen") and re.match(r"^\s+(?:of|another|more|day|time|side|way|thing|"
                                               r"point|after|by|or|else|in|hand|last|who|that)\b", after, re.I):
        return False
    if re.match(r"^\s+of\s+(?:the|them|those|whom|its|his|her|their)\b", after, re.I):
        return word != "one"  # "two of the hostages", "five of them"
    if re.match(r"^\s+out\s+of\s+\d[\d,]*\s+[a-z]+s\b", after) and word != "one":
        return True  # "fell in seven out of 10 regions": a count of regions
    toks = re.findall(r"[A-Za-z][\w.'’-]*", after[:80])
    info = noun_scan(toks)
    if info.k is not None and info.known and toks[info.k][:1].isupper() \
            and not lex.nationality_plural(toks[info.k].lower().strip(".,")):
        return False  # "Six Nations": a name
    if info.k is not None and info.known:
        # spelled-out numbers count only reviewed nouns: "the five Israel-Hamas conflicts" is not a figure
        return word != "one" or lex.is_person_noun(toks[info.k].lower().strip(".,"))
    if word == "one":
        return False
    # "four were still missing", "eight others": a measure within a few words
    lows = [w.lower().rstrip(".,") for w in toks[:6]]  # "nine were injured.": the word, not its full stop
    if lows and lows[0] in ("were", "was", "have", "had", "are", "others", "more", "remain", "remained"):
        return lows[0] == "others" or any(lex.measure_of(w) not in (None, "other") for w in lows[1:5])
    # "killing three", "wounding eight": a measure verb right before the number
    prev = re.findall(r"[A-Za-z]+", before[-30:])
    return bool(prev and lex.measure_of(prev[-1].lower()) not in (None, "other"))
