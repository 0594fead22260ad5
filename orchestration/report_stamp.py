"""What identifies and bounds a rendered report.html: its format, the publish it shows, how many rows.

Kept apart from orchestration.reporting (Altair, pandas) so the run process can query and check
the report without importing them; the rendering happens in the helper process.
"""
from __future__ import annotations

import datetime as dt
import html

TOP_ENTITIES = 15  # bars and co-occurrence heatmap
TOP_ENTITIES_OVER_TIME = 8
MAX_CONFLICT_ROWS = 200  # the conflicts table shows at most this many rows
REPORT_FORMAT = "1"  # bump when the page changes, so an existing report is re-rendered
STAMP_META = "news-warehouse-report"


def stamp_for(published_at: dt.datetime | None) -> str:
    shown = published_at.isoformat() if published_at is not None else "never"
    return f"format={REPORT_FORMAT};published_at={shown}"


def read_stamp(text: str) -> str | None:
    """The stamp written by render_report, from the start of an existing report.html."""
    marker = f'<meta name="{STAMP_META}" content="'
    start = text.find(marker)
    if start < 0:
        return None
    start += len(marker)
    end = text.find('"', start)
    return html.unescape(text[start:end]) if end > 0 else None
