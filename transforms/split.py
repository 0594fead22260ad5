"""One decoded .txt to the export documents it holds (news-database downloads put dozens in one file).

Only whole-line markers split: Nexis ends every document with an "End of Document" line, Factiva
with a "Document <id>" line, and old LexisNexis text exports start every document with
"N of M DOCUMENTS". A search-results cover page before the first document becomes its own first
part (the cleaner rejects it as a cover page). Parts are exact slices of the text, so
"".join(parts) == text and every part cleans exactly as the same document downloaded alone.
"""
from __future__ import annotations

import re

from transforms.clean import _COVER_MARKERS, _DB_DATE_LINE, _WORDS_LINE

# Whole lines only: an article that mentions "end of document" in a sentence is not split.
_END_MARKER = re.compile(r"^[ \t\f]*(?:end of document|document [a-z0-9]{16,})[ \t\f\r]*(?:\n|\Z)",
                         re.IGNORECASE | re.MULTILINE)
_START_MARKER = re.compile(r"^[ \t\f]*\d{1,6} of \d{1,6} DOCUMENTS?[ \t\f\r]*$", re.MULTILINE)
_NUMBERED_ENTRY = re.compile(r"^\d{1,4}\.\s+\S")


def split_documents(text: str) -> list[str]:
    """The export documents of `text` in order, or [text] when it holds at most one."""
    cuts = {m.end() for m in _END_MARKER.finditer(text)}
    starts = [m.start() for m in _START_MARKER.finditer(text)]
    if len(starts) >= 2:
        cuts.update(starts)
    cuts = sorted(c for c in cuts if 0 < c < len(text))
    parts: list[str] = []
    prev = 0
    for c in [*cuts, len(text)]:
        piece = text[prev:c]
        prev = c
        if parts and not piece.strip():
            parts[-1] += piece  # white space between or after documents is not a document
        else:
            parts.append(piece)
    if not parts:
        return [text]
    cover_at = _cover_end(parts[0])
    if cover_at:
        parts[0:1] = [parts[0][:cover_at], parts[0][cover_at:]]
    return parts


def _cover_end(part: str) -> int | None:
    """Offset where the first document starts when `part` opens with a search-results cover page."""
    lines = part.splitlines(keepends=True)
    stripped = [ln.strip() for ln in lines]
    if sum(1 for ln in stripped[:200] if _COVER_MARKERS.match(ln)) < 2:
        return None
    start = _nexis_start(stripped)
    if start is None:
        start = _factiva_start(stripped)
    if not start:
        return None
    head = stripped[:start]
    if sum(1 for ln in head if _COVER_MARKERS.match(ln)) < 2:
        return None
    return sum(len(ln) for ln in lines[:start])


def _coverish(line: str) -> bool:
    return bool(_COVER_MARKERS.match(line) or _NUMBERED_ENTRY.match(line))


def _block_start(stripped: list[str], i: int) -> int:
    """First line of the run of non-empty, non-cover lines that ends at line i."""
    while i > 0 and stripped[i - 1] and not _coverish(stripped[i - 1]):
        i -= 1
    return i


def _nexis_start(stripped: list[str]) -> int | None:
    # Nexis: title line(s) and the publication sit right above the first date line of the header.
    try:
        body_at = stripped.index("Body")
    except ValueError:
        return None
    date_at = next((i for i in range(body_at - 1, -1, -1) if _DB_DATE_LINE.match(stripped[i])), None)
    return None if date_at is None else _block_start(stripped, date_at)


def _factiva_start(stripped: list[str]) -> int | None:
    # Factiva: title, (blank), "By ..." line, then the word count.
    words_at = next((i for i, ln in enumerate(stripped) if _WORDS_LINE.match(ln)), None)
    if words_at is None:
        return None
    start = _block_start(stripped, words_at)
    if start == words_at or stripped[start].lower().startswith("by "):
        i = start
        while i > 0 and not stripped[i - 1]:
            i -= 1
        if i > 0 and not _coverish(stripped[i - 1]):
            start = _block_start(stripped, i - 1)
    return start
