"""What the figure rules take in (entity spans) and give out (figures)."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    label: str
    text: str
    canonical: str


@dataclass
class Figure:
    start: int
    end: int
    text: str
    value: float
    value_max: float | None
    qualifier: str
    unit: str
    measure: str
    subject: str | None
    location: str | None
    source: str | None
    source_text: str | None
    modality: str
    sentence: str
    sentence_start: int
    measure_text: str | None = None
    location_region: str | None = None
    scope: str = "unknown"
    period_start: dt.date | None = None
    event_date: dt.date | None = None
    part_of: int | None = None       # index of the total among the same text's figures
    population: str | None = None
    decided_by: str = "measure.none"
    scope_rule: str = ""             # which scope rule decided (for the evaluator; not stored)
    nationality: str | None = None   # the nationality its phrase carried (for figures sharing it; not stored)

    def figure_id(self, article_id: str, field_name: str) -> str:
        return hashlib.sha256(f"{article_id}|{field_name}|{self.start}|{self.end}".encode()).hexdigest()[:32]
