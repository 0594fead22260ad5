"""What identifies and bounds a rendered report.html: the code that drew it, the publish it shows, row limits.

Standard library only, so the asset can tell whether the report is current without importing
Altair, polars or Jinja2.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
STAMP_META = "news-warehouse-report"

# Row limits: the asset queries at most this much, the builders draw at most this much.
TOP_ENTITIES = 15  # bars and co-occurrence heatmap
TOP_ENTITIES_OVER_TIME = 8
TOP_POPULATIONS = 6  # panels of "figures over time"
TOP_REFERENCE_PANELS = 6  # measure x population panels of "running totals against the official series"
TOP_OUTLETS = 25  # rows of the outlet table
TOP_CLAIMS = 15  # rows of the claims table
MAX_CONFLICT_ROWS = 200  # rows of the conflicts table
MAX_TIMELINE_POINTS = 4000  # the most recent figures drawn
MAX_REFERENCE_POINTS = 4000
# Colour legends: the leading values by name, the rest as one "other ..." entry.
LEGEND_OUTLETS = 8
LEGEND_MEASURES = 6
LEGEND_LABELS = 6

SOURCE_SUFFIXES = (".py", ".j2", ".css", ".js")


@lru_cache(maxsize=1)
def package_version() -> str:
    """Hash of the report package's code, template and static files: a change re-renders the page."""
    h = hashlib.sha256()
    files = [p for p in PACKAGE_DIR.rglob("*")
             if p.is_file() and p.suffix in SOURCE_SUFFIXES and "__pycache__" not in p.parts]
    for p in sorted(files):
        h.update(p.relative_to(PACKAGE_DIR).as_posix().encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def stamp_for(published_at: dt.datetime | None) -> str:
    shown = published_at.isoformat() if published_at is not None else "never"
    return f"format={package_version()};published_at={shown}"


def read_stamp(text: str) -> str | None:
    """The stamp written by render_report, from the start of an existing report.html."""
    marker = f'<meta name="{STAMP_META}" content="'
    start = text.find(marker)
    if start < 0:
        return None
    start += len(marker)
    end = text.find('"', start)
    return html.unescape(text[start:end]) if end > 0 else None
