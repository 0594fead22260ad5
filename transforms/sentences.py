"""Sentence spans for news text, rule-based so figures do not need spaCy's parser.

Splits after . ! ? (with closing quotes or brackets) when the next word starts a sentence,
except after known abbreviations and initials; always splits at paragraph breaks; splits
sentences glued without a space ("conflict.The Committee").
"""
from __future__ import annotations

import re

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "sgt", "capt", "cmdr", "adm", "maj", "gov",
    "sen", "rep", "rev", "st", "mt", "ft", "jr", "sr", "inc", "corp", "co", "ltd", "no", "nos", "vs",
    "etc", "approx", "est", "dept", "univ", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "u.s", "u.n", "u.k", "e.u", "a.m", "p.m", "d.c", "i.e", "e.g", "al",
    "pres", "gov't", "sec", "amb", "msgr", "fr", "pg", "pp", "vol", "fig", "op", "ed",
}
_END_RE = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|[.!?]+[\"'”’)\]]*(?=\s*$)")
_GLUED_RE = re.compile(r"(?<=[a-z]{3}[.!?])(?=[A-Z][a-z])")


_LAST_WORD = re.compile(r"([\w.']+)$")

# A number token: a digit, or a number word. Kept here, not taken from transforms.numbers, so a
# change to how figures read numbers never changes which sentences the NLP stage parses.
NUMBER_TOKEN = re.compile(
    r"\d|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|"
    r"thousands?|millions?|billions?|trillions?|dozens?|scores|half|thirds?|quarters?|fifths?)\b",
    re.IGNORECASE)


def _is_abbreviation(text: str, dot: int) -> bool:
    m = _LAST_WORD.search(text, max(0, dot - 40), dot)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    if word in ABBREVIATIONS:
        return True
    return bool(re.fullmatch(r"[a-z]", word) or re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))


def split_sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for pm in re.finditer(r"[^\n]+", text):
        par, base = pm.group(0), pm.start()
        cuts = [0]
        for m in _END_RE.finditer(par):
            if par[m.start()] == "." and _is_abbreviation(par, m.start()):
                continue
            cuts.append(m.end())
        cuts.extend(m.start() for m in _GLUED_RE.finditer(par))
        cuts = sorted(set(cuts + [len(par)]))
        for a, b in zip(cuts, cuts[1:], strict=False):
            seg = par[a:b]
            lead = len(seg) - len(seg.lstrip())
            seg = seg.strip()
            if seg:
                spans.append((base + a + lead, base + a + lead + len(seg)))
    return spans


def number_sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences that hold a number token."""
    return [(a, b) for a, b in split_sentences(text) if NUMBER_TOKEN.search(text, a, b)]
