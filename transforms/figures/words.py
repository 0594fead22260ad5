"""The reviewed word lists the figure rules read: seeds/figure_words.csv (list, term) and
seeds/currencies.csv (term, ISO code), loaded once. Vocabularies of measures, nouns, nationalities,
sources and places come from transforms.lexicon."""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from transforms.lexicon import SEEDS_DIR

FIGURE_WORDS = "figure_words.csv"
CURRENCIES = "currencies.csv"


@lru_cache(maxsize=4)
def _lists(seeds_dir: Path = SEEDS_DIR) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    with (seeds_dir / FIGURE_WORDS).open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            out.setdefault(r["list"], set()).add(r["term"].strip().lower())
    return {k: frozenset(v) for k, v in out.items()}


def words(name: str) -> frozenset[str]:
    """The terms of one list of seeds/figure_words.csv (an unknown list is an error, not empty)."""
    return _lists()[name]


def alternation(name: str) -> str:
    """A regex alternation of a list, longest first, each term escaped."""
    return "|".join(re.escape(w) for w in sorted(words(name), key=len, reverse=True))


@lru_cache(maxsize=4)
def currencies(seeds_dir: Path = SEEDS_DIR) -> tuple[dict[str, str], dict[str, str]]:
    """(symbol -> code, word -> code)."""
    symbols, names = {}, {}
    with (seeds_dir / CURRENCIES).open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            (symbols if r["kind"] == "symbol" else names)[r["term"].strip().lower()] = r["code"]
    return symbols, names
