"""Turning warehouse values into text for tables and tooltips, and bounding categories for legends."""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

QUALIFIER_WORDS = {"exact": "", "at_least": "at least", "more_than": "more than", "about": "about",
                   "nearly": "nearly", "up_to": "up to"}


def is_missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def text(v: Any, missing: str = "") -> str:
    return missing if is_missing(v) else str(v)


def iso_date(v: Any) -> str | None:
    """'2023-10-07' for a date, datetime or ISO string; None for anything else."""
    if is_missing(v):
        return None
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    try:
        return dt.date.fromisoformat(str(v)[:10]).isoformat()
    except ValueError:
        return None  # not a date: treated like a missing one


def number(v: Any) -> float | None:
    if is_missing(v):
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def format_number(v: Any) -> str:
    x = number(v)
    if x is None:
        return ""
    if x.is_integer():
        return f"{int(x):,}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def describe_value(value: Any, qualifier: Any = None, unit: Any = None, value_max: Any = None) -> str:
    """'at least 22,600 people', 'nearly 60%', '$2,000,000-3,000,000': text for tooltips and tables."""
    shown = format_number(value)
    if not is_missing(value_max):
        shown = f"{shown}-{format_number(value_max)}"
    unit_s = text(unit)
    if unit_s == "percent":
        shown += "%"
    elif unit_s == "usd":
        shown = "$" + shown
    elif unit_s:
        shown += f" {unit_s}"
    word = QUALIFIER_WORDS.get(text(qualifier), text(qualifier).replace("_", " "))
    return f"{word} {shown}".strip()


def short_list(items: Any, n: int = 5) -> str:
    """'a, b, c and 4 more' for a list (or a missing value)."""
    if is_missing(items):
        return ""
    values = [str(i) for i in items if not is_missing(i)]
    if len(values) <= n:
        return ", ".join(values)
    return ", ".join(values[:n]) + f" and {len(values) - n} more"


def leading(values: Iterable[str], n: int) -> list[str]:
    """The n most frequent values, most frequent first (ties by name), for a bounded legend."""
    counts = Counter(values)
    return [v for v, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (words or word + 's')}"
