"""The reviewed vocabularies in seeds/*.csv, loaded once: measures, subjects, nationalities, aliases."""
from __future__ import annotations

import csv
import hashlib
import re
from functools import lru_cache
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
SEED_FILES = ("measure_vocabulary.csv", "subject_nouns.csv", "nationalities.csv",
              "source_aliases.csv", "entity_aliases.csv", "outlet_aliases.csv")
SOURCE_NOUNS = {
    "ministry", "authorities", "authority", "officials", "official", "police", "military", "army",
    "forces", "spokesman", "spokeswoman", "spokesperson", "agency", "office", "government", "health",
    "group", "groups", "statement", "report", "data", "figures", "tally", "count", "service", "services",
    "department", "council", "committee", "organization", "organisation", "command", "wing", "media",
    "ministries", "leaders", "leader", "sources", "source", "minister", "president", "secretary",
    "rescuers", "paramedics", "doctors", "hospital", "hospitals", "workers", "medics", "analysts",
    "experts", "investigators", "diplomats", "prosecutors", "monitors", "observatory", "network",
    "newspaper", "broadcaster", "channel", "outlet", "survey", "poll", "study", "researchers", "residents",
    "witnesses", "staff", "aid", "relief", "rights", "crescent", "cross", "civil", "defense", "defence",
    "emergency", "foreign", "interior", "intelligence", "security", "border", "public", "embassy",
    "agencies", "spokespeople", "correspondent", "reporters", "journalists", "tracker", "monitor",
}
# "spokeswoman for the Gaza health ministry" is attributed to the ministry.
_ROLE_PREFIX = re.compile(r"^(?:a |an |the )?(?:senior |top |chief |deputy )?(?:(?:israeli|palestinian|u\.?s\.?|"
                          r"un|u\.n\.) )?(?:spokes(?:wo)?man|spokesperson|spokespeople|official|officials|"
                          r"representative|director|head|chief|paramedic|doctor|medic|member|members|"
                          r"minister|officer|source|sources) (?:for|of|at|from|with|in) (?:the )?")


def _read(name: str, seeds_dir: Path) -> list[dict[str, str]]:
    with (seeds_dir / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def seeds_fingerprint(seeds_dir: Path = SEEDS_DIR) -> str:
    h = hashlib.sha256()
    for name in SEED_FILES:
        h.update(name.encode())
        h.update((seeds_dir / name).read_bytes())
    return h.hexdigest()


def fold(text: str) -> str:
    """Key for alias lookups: case, curly apostrophes, a leading 'the' and outer punctuation folded."""
    t = text.replace("’", "'").replace("‘", "'").strip(" .,;:\"“”").casefold()
    t = re.sub(r"^the\s+", "", t)
    return " ".join(t.split())


class Lexicon:
    def __init__(self, seeds_dir: Path = SEEDS_DIR):
        self.measures: dict[str, str] = {}
        self.noun_only: set[str] = set()
        self.phrases: dict[str, str] = {}
        for r in _read("measure_vocabulary.csv", seeds_dir):
            term = r["term"].strip().lower()
            if r["kind"] == "phrase":
                self.phrases[term] = r["measure"]
            else:
                self.measures[term] = r["measure"]
                if r["kind"] == "noun":
                    self.noun_only.add(term)
        self.measure_words = set(self.measures)
        nouns = _read("subject_nouns.csv", seeds_dir)
        self.person_nouns = {r["term"].lower() for r in nouns if r["kind"] == "person"}
        self.thing_nouns = {r["term"].lower() for r in nouns if r["kind"] == "thing"}
        nat_rows = _read("nationalities.csv", seeds_dir)
        self.nationalities = {r["plural"].lower(): r["plural"] for r in nat_rows}
        self.nationalities.update({r["adjective"].lower(): r["plural"] for r in nat_rows})
        self.source_exact: dict[str, str] = {}
        self.source_patterns: list[tuple[re.Pattern, str]] = []
        for r in _read("source_aliases.csv", seeds_dir):
            if r["match"] == "regex":
                self.source_patterns.append((re.compile(r["alias"], re.IGNORECASE), r["source"]))
            else:
                self.source_exact[fold(r["alias"])] = r["source"]
        self.entity_aliases: dict[str, tuple[str, str]] = {}
        self.entity_alias_rows = _read("entity_aliases.csv", seeds_dir)
        for r in self.entity_alias_rows:
            self.entity_aliases[fold(r["alias"])] = (r["entity"], r["label"])

    @staticmethod
    @lru_cache(maxsize=1)
    def default() -> "Lexicon":
        return Lexicon()

    # measures -----------------------------------------------------------------
    def measure_of(self, word: str) -> str | None:
        """The measure a word names; inflected forms of a listed verb count too ("slaughtering" for
        "slaughter", "murders" for "murder")."""
        w = word.lower()
        found = self.measures.get(w)
        if found or len(w) < 5:
            return found
        for stem in (w[:-3], w[:-3] + "e", w[:-2], w[:-1]) if w.endswith(("ing", "ed")) else \
                ((w[:-1],) if w.endswith("s") and not w.endswith("ss") else ()):
            kind = self.measures.get(stem)
            if kind and stem not in self.noun_only:
                return kind
        return None

    def measure_noun(self, word: str) -> str | None:
        w = word.lower()
        if w in self.noun_only or w in ("wounded", "injured", "dead", "missing", "hostages", "hostage"):
            return self.measures.get(w)
        return None

    def is_noun_only(self, word: str) -> bool:
        return word.lower() in self.noun_only

    # subjects -----------------------------------------------------------------
    def is_person_noun(self, word: str) -> bool:
        w = word.lower().strip(".,")
        return w in self.person_nouns or w in self.nationalities

    def is_thing_noun(self, word: str) -> bool:
        return word.lower().strip(".,") in self.thing_nouns

    def nationality_plural(self, word: str) -> str | None:
        return self.nationalities.get(word.lower())

    def is_source_noun(self, word: str) -> bool:
        return word.lower() in SOURCE_NOUNS

    # aliases ------------------------------------------------------------------
    def source_canonical(self, text: str) -> str | None:
        key = fold(text)
        stripped = _ROLE_PREFIX.sub("", key)
        if stripped != key and stripped:
            inner = self.source_canonical(stripped)
            if inner:
                return inner
        if key in self.source_exact:
            return self.source_exact[key]
        for rx, name in self.source_patterns:
            if rx.search(key):
                return name
        ent = self.entity_aliases.get(key)
        if ent:
            return ent[0]
        return None

    def entity_alias(self, text: str) -> tuple[str, str] | None:
        return self.entity_aliases.get(fold(text))
