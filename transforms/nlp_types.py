"""What the NLP stage hands the figure stage: a parsed sentence as plain lists (stored in DuckDB)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SentenceParse:
    field: str
    start: int                 # offsets into the field
    end: int
    tok_start: list[int]
    tok_end: list[int]
    tag: list[str]
    pos: list[str]
    dep: list[str]
    head: list[int]            # index of each token's head within the sentence

    # Between processes and to and from DuckDB a parse travels packed: each list as one space-joined
    # string (tags and labels hold no spaces). Pickling, loading into polars and reading back lists of
    # Python objects cost ~10x more per token than spaCy's own output; DuckDB splits the strings itself
    # (string_split, array_to_string), so the stored columns stay lists.
    def packed(self) -> tuple:
        j = " ".join
        return (self.field, self.start, self.end, j(map(str, self.tok_start)), j(map(str, self.tok_end)),
                j(self.tag), j(self.pos), j(self.dep), j(map(str, self.head)))

    @classmethod
    def unpack(cls, field: str, start: int, end: int, tok_start: str, tok_end: str, tag: str, pos: str, dep: str,
               head: str) -> SentenceParse:
        return cls(field, start, end, _ints(tok_start), _ints(tok_end), _strs(tag), _strs(pos), _strs(dep),
                   _ints(head))


def _ints(s: str) -> list[int]:
    return list(map(int, s.split(" "))) if s else []


def _strs(s: str) -> list[str]:
    return s.split(" ") if s else []
