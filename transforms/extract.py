"""One article's figures from its text, its stored entity mentions and the parses of its number sentences.

Runs without spaCy: the NLP stage stored everything the figure rules read.
"""
from __future__ import annotations

import datetime as dt

from transforms.figures import Entity, Figure, extract_figures
from transforms.nlp_types import SentenceParse


def article_figures(title: str, body: str, mentions: list[tuple[str, Entity]], parses: list[SentenceParse],
                    published: dt.date | None = None, outlet: str | None = None) -> list[tuple[str, Figure]]:
    """Figures of the title, then the body; offsets stay relative to their own field."""
    found: list[tuple[str, Figure]] = []
    for field, text in (("title", title), ("body", body)):
        if not text:
            continue
        ents = [e for f, e in mentions if f == field]
        field_parses = {p.start: p for p in parses if p.field == field}
        found.extend((field, f) for f in extract_figures(text, ents, parses=field_parses, published=published,
                                                          outlet=outlet))
    return found
