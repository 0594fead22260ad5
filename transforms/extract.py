"""One article's entity mentions and figures from the NER mentions of its title and body."""
from __future__ import annotations

from dataclasses import dataclass

from transforms.entities import CanonicalMention, Mention, canonicalize
from transforms.figures import Entity, Figure, extract_figures


@dataclass(frozen=True)
class ArticleExtraction:
    mentions: list[tuple[str, CanonicalMention]]   # (field, mention)
    figures: list[tuple[str, Figure]]              # (field, figure)


def extract_article(title: str, body: str, title_mentions: list[Mention],
                    body_mentions: list[Mention]) -> ArticleExtraction:
    """Canonical names are decided over title and body together, so a surname in the body folds
    onto the full name in the title; offsets stay relative to their own field."""
    tagged = [("title", m) for m in title_mentions] + [("body", m) for m in body_mentions]
    canon = canonicalize([m for _, m in tagged])
    mentions: list[tuple[str, CanonicalMention]] = []
    seen: set[tuple[str, int, int]] = set()
    ents: dict[str, list[Entity]] = {"title": [], "body": []}
    for (field, _), c in zip(tagged, canon):
        if c is None or (field, c.start, c.end) in seen:
            continue
        seen.add((field, c.start, c.end))
        mentions.append((field, c))
        ents[field].append(Entity(c.start, c.end, c.label, c.text, c.entity))
    found: list[tuple[str, Figure]] = []
    for field, text in (("title", title), ("body", body)):
        if text:
            found.extend((field, f) for f in extract_figures(text, ents[field]))
    return ArticleExtraction(mentions, found)
