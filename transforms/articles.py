"""One raw document to one article row, or to the reason it is not an article (pure: no database)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from transforms import clean, dates
from transforms.language import detect_language
from transforms.outlets import canonical_outlet, tidy

# A batch record's own fields that win over what its text says.
RECORD_FIELDS = ("title", "date", "outlet", "url", "byline", "section", "credits")


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
    # Who published it: canonical outlet (seeds/outlet_aliases.csv) and the rest as the document says.
    outlet: str | None = None
    outlet_text: str | None = None
    byline: str | None = None
    section: str | None = None
    url: str | None = None
    dateline_place: str | None = None
    credits: str | None = None


def _field(record: dict[str, Any] | None, name: str) -> str | None:
    if not record:
        return None
    value = record.get(name)
    return None if value is None else tidy(str(value))


def build_article(raw_text: str, ingested: dt.date, record: dict[str, Any] | None = None) -> ArticleBuild | str:
    """The article, or a sentence saying why this document is not one. Never raises: a failure of
    the cleaner on one document becomes its reason, so one bad file cannot stop a batch.

    `record` holds a batch record's own fields (title, date, outlet, url, byline, section, credits);
    each one given wins over what the text says, and a date from it has date_source 'record'.
    """
    try:
        title = _field(record, "title")
        # The one-argument call when there is no record title: callers (and tests) may wrap clean_article.
        c = clean.clean_article(raw_text, known_title=title) if title else clean.clean_article(raw_text)
        if c.reject_reason:
            return c.reject_reason
        evidence = list(c.date_evidence)
        refused = None
        record_date = _field(record, "date")
        if record_date:
            ev = dates.parse_record_date(record_date)
            if ev:
                evidence.insert(0, ev)
            else:
                refused = (f"record date '{record_date}' is not a date in a known form "
                           f"({dates.RECORD_DATE_FORMS}) or is ambiguous")
        published, date_source, note = dates.resolve_published_date(evidence, ingested)
        if refused:  # said first, like other refused evidence; the text's own evidence still counts
            note = "; ".join(x for x in (refused, note) if x)
        language = detect_language(((c.title or "") + "\n" + c.body).strip())
        outlet_text = _field(record, "outlet") or c.outlet_text
        url = _field(record, "url") or c.url
        return ArticleBuild(c.title, published, date_source, note, c.body, c.n_words, language,
                            clean.body_fingerprint(c.body), c.source_format, len(c.removed),
                            outlet=canonical_outlet(outlet_text, url), outlet_text=outlet_text,
                            byline=clean.tidy_byline(_field(record, "byline")) or c.byline,
                            section=_field(record, "section") or c.section, url=url,
                            dateline_place=c.dateline_place,
                            credits=_field(record, "credits") or c.credits)
    except Exception as exc:
        return (f"The cleaner failed on this document ({type(exc).__name__}: {str(exc)[:300]}); "
                "it is retried when the extractor version changes.")
