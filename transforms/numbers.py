"""Numbers as news writes them: digits with separators, scale words, spelled-out words, vague plurals.

Hand-written on purpose: the grammar is small, and the product needs spans and the
vague-plural convention of docs/figures.md, which general number parsers do not give.
"""
from __future__ import annotations

import re

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000}
SHORT_SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000, "bn": 1_000_000_000,
                "b": 1_000_000_000, "tn": 1_000_000_000_000}
# Vague plurals: the smallest quantity each implies (docs/figures.md), read as "at least".
VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2_000, "tens of thousands": 20_000,
         "hundreds of thousands": 200_000, "millions": 2_000_000}

_UNIT_WORDS = "|".join(sorted(list(UNITS) + list(TENS), key=len, reverse=True))
WORD_NUMBER = (rf"(?:(?:{_UNIT_WORDS})(?:[- ](?:{'|'.join(UNITS)}))?"
               rf"(?:\s+(?:hundred|thousand|million|billion)"
               rf"(?:\s+(?:and\s+)?(?:{_UNIT_WORDS})(?:[- ](?:{'|'.join(UNITS)}))?)?)*)")
DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"


def parse_digits(text: str) -> float:
    return float(text.replace(",", ""))


def parse_words(text: str) -> float | None:
    """'twenty-two' → 22, 'one hundred and fifty' → 150, 'a dozen' → 12, 'two dozen' → 24, 'two million' → 2e6."""
    t = text.lower().replace("-", " ").replace(" and ", " ").strip()
    if t in ("a dozen", "dozen"):
        return 12.0
    total, current = 0, 0
    seen = False
    for w in t.split():
        if w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w == "dozen":  # "two dozen" -> 24
            current = (current or 1) * 12
        elif w in SCALES:
            total += (current or 1) * SCALES[w]
            current = 0
        elif w == "a" and not seen:
            current = 1
        else:
            return None
        seen = True
    return float(total + current) if seen else None


def apply_scale(value: float, scale: str | None) -> float:
    if not scale:
        return value
    s = scale.lower().strip()
    if s in SCALES:
        return value * SCALES[s]
    if s in SHORT_SCALES:
        return value * SHORT_SCALES[s]
    return value


def parse_number(text: str) -> float | None:
    """Any single number expression: '22,600', '2.3 million', '$1.2bn', 'nine', 'hundreds'."""
    t = text.strip().lower().lstrip("$£€").strip()
    if t in VAGUE:
        return float(VAGUE[t])
    m = re.fullmatch(rf"({DIGITS})\s*([a-z]+)?", t)
    if m:
        scale = m.group(2)
        if scale and scale not in SCALES and scale not in SHORT_SCALES:
            return None
        return apply_scale(parse_digits(m.group(1)), scale)
    m = re.fullmatch(r"(.+?)\s+(million|billion|trillion)", t)
    if m and re.fullmatch(DIGITS, m.group(1)):
        return apply_scale(parse_digits(m.group(1)), m.group(2))
    return parse_words(t)
