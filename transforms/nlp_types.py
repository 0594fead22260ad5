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
