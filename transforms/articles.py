"""One raw document to one article row, or to the reason it is not an article (pure: no database)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from transforms import clean, dates
from transforms.language import detect_language


@dataclass(frozen=True)
class ArticleBuild:
    title: str | None
    published_date: dt.date | None
    date_source: str
    date_note: str | None
    body: str
    n_words: int
    language: str
    body_sha256: str
    source_format: str
    boilerplate_lines: int
    outlet: str | None = None
    outlet_text: str | None = None
    byline: str | None = None
    section: str | None = None
    url: str | None = None
    dateline_place: str | None = None
    credits: str | None = None


def build_article(raw_text: str, ingested: dt.date, record: dict | None = None) -> ArticleBuild | str:
    """The article, or a sentence saying why this document is not one. Never raises: a failure of
    the cleaner on one document becomes its reason, so one bad file cannot stop a batch."""
    try:
        c = clean.clean_article(raw_text)
        if c.reject_reason:
            return c.reject_reason
        published, date_source, note = dates.resolve_published_date(c.date_evidence, ingested)
        language = detect_language(((c.title or "") + "\n" + c.body).strip())
        return ArticleBuild(c.title, published, date_source, note, c.body, c.n_words, language,
                            clean.body_fingerprint(c.body), c.source_format, len(c.removed))
    except Exception as exc:
        return (f"The cleaner failed on this document ({type(exc).__name__}: {str(exc)[:300]}); "
                "it is retried when the extractor version changes.")
