"""Places: a place entity to its short canonical name and region through the reviewed seeds/places.csv."""
from __future__ import annotations

import csv
from functools import lru_cache

from transforms.lexicon import SEEDS_DIR, Lexicon, fold


@lru_cache(maxsize=2)
def _table() -> dict[str, tuple[str, str]]:
    with (SEEDS_DIR / "places.csv").open(encoding="utf-8", newline="") as fh:
        return {fold(r["alias"]): (r["place"], r["region"]) for r in csv.DictReader(fh)}


def place(name: str | None) -> tuple[str | None, str | None]:
    """(canonical place, region) of a place as written or as the entity aliases name it; a place the
    table does not list keeps its name and has no region."""
    if not name:
        return None, None
    table = _table()
    key = fold(name)
    if key in table:
        return table[key]
    alias = Lexicon.default().entity_alias(name)
    if alias and fold(alias[0]) in table:
        return table[fold(alias[0])]
    parts = [table.get(fold(p)) for p in name.split(" and ")]
    if len(parts) == 2 and all(parts) and parts[0][1] == parts[1][1]:
        return f"{parts[0][0]} and {parts[1][0]}", parts[0][1]  # "Khan Younis and Rafah": both in Gaza
    return (alias[0] if alias else name), None


def known_place(name: str) -> bool:
    return fold(name) in _table()
