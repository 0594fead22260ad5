"""Canonical entity names: the reviewed alias table, then folding within one article.

"Blinken", "Secretary Blinken" and "Antony Blinken" become "Antony Blinken"; "Türkiye" and
"Turkey" one name; "US", "U.S." and "United States" one name.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from transforms.lexicon import Lexicon

# Labels that name who or what is mentioned; numeric labels belong to core.figures.
KEEP_LABELS = {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
               "LANGUAGE"}
TITLES = [
    "secretary of state", "secretary-general", "secretary general", "secretary", "president",
    "vice president", "prime minister", "foreign minister", "defense minister", "defence minister",
    "finance minister", "minister", "pm", "fm", "mr", "mrs", "ms", "miss", "dr", "gen", "general",
    "lt", "col", "colonel", "sgt", "capt", "captain", "adm", "admiral", "maj", "major", "sen",
    "senator", "rep", "representative", "gov", "governor", "king", "queen", "prince", "princess",
    "sheikh", "sheik", "ayatollah", "chancellor", "ambassador", "spokesman", "spokeswoman", "judge",
    "justice", "chief", "commander", "lord", "lady", "sir", "dame", "pope", "rabbi", "imam", "prof",
    "professor", "speaker", "leader", "emir", "crown prince", "israeli", "us", "u.s.", "american",
    "palestinian", "turkish", "iranian", "egyptian", "jordanian", "qatari", "french", "british",
]
_TITLE_RE = re.compile(r"^(?:(?:" + "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))
                       + r")\.?\s+)+", re.IGNORECASE)
IGNORE = "IGNORE"  # alias-table label for words NER mistakes for entities ("State" in "Secretary of State")
_POSSESSIVE_RE = re.compile(r"(?:'s|’s|'|’)$")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    label: str
    ent_id: str = ""   # set by the alias entity ruler when it matched


@dataclass(frozen=True)
class CanonicalMention:
    start: int
    end: int
    text: str
    label: str
    entity: str


def surface(text: str) -> str:
    """The name without possessive, surrounding punctuation or a leading 'the'."""
    t = text.strip().strip("\"“”'‘’.,;:()[]")
    t = _POSSESSIVE_RE.sub("", t)
    t = re.sub(r"^the\s+", "", t, flags=re.IGNORECASE)
    return " ".join(t.split())


def strip_titles(name: str) -> str:
    stripped = _TITLE_RE.sub("", name).strip()
    return stripped or name


_ACRONYM_RE = re.compile(r"^(?:[A-Z]\.?&?){2,6}$")
_MINOR_WORDS = {"of", "the", "and", "for", "&", "de", "du", "des", "la", "le", "on", "in"}


def initials(name: str) -> str:
    """The capitals an organisation's name would abbreviate to ("Council of Mortgage Lenders": CML)."""
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w'-]*|&", name) if w.lower() not in _MINOR_WORDS).upper()


def canonicalize(mentions: list[Mention], lexicon: Lexicon | None = None) -> list[CanonicalMention | None]:
    """Canonical names for the mentions of one article (title and body together), aligned with the
    input; None for mentions that are not kept (numeric labels, empty after trimming)."""
    lex = lexicon or Lexicon.default()
    kept = [m for m in mentions if m.label in KEEP_LABELS and surface(m.text) and not m.text.endswith("-")
            and (lex.entity_alias(surface(m.text)) or ("", ""))[1] != IGNORE]
    # Full person names used in this article, by their last word: "Blinken" -> "Antony Blinken".
    full_by_last: dict[str, Counter] = {}
    first_pass: list[tuple[Mention, str, str]] = []
    for m in kept:
        name = surface(m.text)
        label = m.label
        alias = lex.entity_alias(name) or (lex.entity_alias(m.ent_id) if m.ent_id else None)
        if alias:
            first_pass.append((m, alias[0], alias[1]))
            if alias[1] == "PERSON" and len(alias[0].split()) >= 2:
                full_by_last.setdefault(alias[0].split()[-1].casefold(), Counter())[alias[0]] += 1
            continue
        if label == "PERSON":
            name = strip_titles(name)
            alias = lex.entity_alias(name)
            if alias:
                first_pass.append((m, alias[0], alias[1]))
                continue
            parts = name.split()
            if len(parts) >= 2:
                full_by_last.setdefault(parts[-1].casefold(), Counter())[name] += 1
        first_pass.append((m, name, label))

    # "International Energy Agency (IEA)" ... "the IEA": an organisation's initials fold onto the one name of
    # this article they spell (words like "of" and "and" do not count: "Council of Mortgage Lenders", CML)
    long_by_initials: dict[str, set[str]] = {}
    for _, name, label in first_pass:
        if label == "ORG" and len(name.split()) >= 2:
            long_by_initials.setdefault(initials(name), set()).add(name)
    resolved: dict[int, CanonicalMention] = {}
    for m, name, label in first_pass:
        if label == "ORG" and _ACRONYM_RE.match(name):
            full = long_by_initials.get(name.replace("&", "").replace(".", "").upper(), set())
            if len(full) == 1:
                name = next(iter(full))
        if label == "PERSON" and len(name.split()) == 1:
            full = full_by_last.get(name.casefold())
            if full:
                # the most used full name; ties go to the longest, then alphabetical, for determinism
                name = sorted(full.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]
        resolved[id(m)] = CanonicalMention(m.start, m.end, m.text, m.label, name)
    return [resolved.get(id(m)) for m in mentions]
