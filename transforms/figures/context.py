"""One sentence as the figure rules see it: its text, word tokens, entities and (when the NLP stage
parsed it) its dependency parse, with the small helpers the rules share."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from transforms.figures.model import Entity
from transforms.figures.words import words
from transforms.nlp_types import SentenceParse

TOKEN_RE = re.compile(r"(?:[A-Za-z]\.){2,}|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[\w’'\-]+|[^\w\s]")
CLAUSE_BREAK = {",", ";", ":", "(", ")", "—", "–", "\"", "“", "”"}
PLACE_LABELS = ("GPE", "LOC", "FAC")


@dataclass(slots=True)
class Tok:
    text: str
    low: str
    start: int   # offsets into the field
    end: int


@dataclass(slots=True)
class PTok:
    """A parsed token: offsets into the field, Penn tag, universal POS, dependency label, head index."""
    i: int
    text: str
    low: str
    start: int
    end: int
    tag: str
    pos: str
    dep: str
    head: int


class Parse:
    def __init__(self, sp: SentenceParse, field_text: str):
        self.toks = [PTok(i, field_text[s:e], field_text[s:e].lower(), s, e, t, p, d, h)
                     for i, (s, e, t, p, d, h) in enumerate(zip(sp.tok_start, sp.tok_end, sp.tag, sp.pos, sp.dep,
                                                                sp.head, strict=True))]
        self.kids: list[list[int]] = [[] for _ in self.toks]
        for t in self.toks:
            if t.head != t.i:
                self.kids[t.head].append(t.i)

    def covering(self, start: int, end: int) -> list[int]:
        return [t.i for t in self.toks if t.end > start and t.start < end]

    def span_head(self, idxs: list[int]) -> int | None:
        """The token of a span whose head lies outside it (the span's syntactic head)."""
        inside = set(idxs)
        outside = [i for i in idxs if self.toks[i].head not in inside or self.toks[i].head == i]
        return outside[-1] if outside else (idxs[-1] if idxs else None)

    def head(self, i: int) -> PTok:
        return self.toks[self.toks[i].head]

    def children(self, i: int, *deps: str) -> list[PTok]:
        return [self.toks[k] for k in self.kids[i] if not deps or self.toks[k].dep in deps]

    def ancestors(self, i: int) -> list[PTok]:
        out, seen = [], {i}
        while self.toks[i].head != i and self.toks[i].head not in seen:
            i = self.toks[i].head
            seen.add(i)
            out.append(self.toks[i])
        return out

    def subtree(self, i: int, skip: tuple[str, ...] = ()) -> list[int]:
        out, todo = [], [i]
        while todo:
            k = todo.pop()
            out.append(k)
            todo.extend(c for c in self.kids[k] if self.toks[c].dep not in skip)
        return sorted(out)

    def own_clause(self, i: int) -> bool:
        """A coordinated verb with its own subject and auxiliary after ", and": a clause of its own ("260 may have died
        there, and 108 bodies were recovered from Be'eri"), which shares no place, tense or hedge with the
        verb before it, unlike "2,778 killed and 10,000 wounded"."""
        t = self.toks[i]
        if t.dep != "conj" or not self.children(i, "aux", "auxpass") or not self.children(i, "nsubj", "nsubjpass"):
            return False  # "strikes killed 248, and have wounded 1,900": one subject, one clause
        cc = [c.i for c in self.children(t.head, "cc") if c.i < i]
        return bool(cc) and cc[-1] > 0 and self.toks[cc[-1] - 1].text in (",", ";", "—", "–")

    def is_passive(self, i: int) -> bool:
        return bool(self.children(i, "auxpass", "nsubjpass")) or (
            self.toks[i].tag == "VBN" and self.toks[i].dep in ("acl", "amod", "conj", "advcl", "relcl")
            and not self.children(i, "dobj", "nsubj", "aux"))


@dataclass
class Sentence:
    text: str
    offset: int                  # of the sentence in its field
    ents: list[Entity]
    parse: Parse | None

    @cached_property
    def toks(self) -> list[Tok]:
        # built on first use: most sentences hold no figure and no attribution, and never need them
        return [Tok(m.group(0), m.group(0).lower(), m.start() + self.offset, m.end() + self.offset)
                for m in TOKEN_RE.finditer(self.text)]

    def tok_range(self, start: int, end: int) -> tuple[int, int]:
        """Word-token indices [i0, i1) of a field span."""
        i0 = next((i for i, t in enumerate(self.toks) if t.end > start), len(self.toks))
        i1 = next((i for i, t in enumerate(self.toks) if t.start >= end), len(self.toks))
        return i0, i1

    def places(self) -> list[Entity]:
        return [e for e in self.ents if e.label in PLACE_LABELS]

    def span_text(self, a: int, b: int) -> str:
        """Text of word tokens a..b inclusive."""
        return self.text[self.toks[a].start - self.offset:self.toks[b].end - self.offset]


CLAUSE_WORDS = frozenset({"which", "who", "whom", "that", "when", "while", "whereas", "although", "though",
                          "because", "where", "but", "during", "after", "before", "since", "until", "as"})
LOCATION_CLAUSE_WORDS = frozenset({"which", "who", "whom", "that", "when", "while", "whereas", "although",
                                   "though", "because", "where", "but"})


def clause_bounds(toks: list[Tok], i0: int, i1: int, stop: frozenset[str] = CLAUSE_WORDS) -> tuple[int, int]:
    a = i0
    while a > 0 and toks[a - 1].text not in CLAUSE_BREAK and toks[a - 1].low not in stop:
        a -= 1
    b = i1
    while b < len(toks) and toks[b].text not in CLAUSE_BREAK and toks[b].low not in stop:
        b += 1
    return a, b


def word_list(name: str) -> frozenset[str]:
    return words(name)
