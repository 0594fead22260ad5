"""The report's sections, and the ones that are tables (outlets, claims, conflicts).

A section is a chart (a Vega-Lite spec), a table, or a note saying why there is neither. Cells
are plain strings: the template escapes them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from report.stamp import MAX_CONFLICT_ROWS, TOP_CLAIMS, TOP_OUTLETS
from report.values import describe_value, format_number, iso_date, number, plural, short_list, text

NO_OUTLET = "(outlet not stated)"


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    caption: str = ""
    numeric: set[int] = field(default_factory=set)  # column positions aligned right


@dataclass
class Section:
    key: str
    title: str
    question: str
    views: tuple[str, ...] = ()
    spec: dict | None = None  # Vega-Lite spec
    table: Table | None = None
    note: str | None = None  # why there is no chart or table, or what it leaves out
    empty: str | None = None  # shown when there is nothing to report (not a problem)


def outlets_section(outlets: pl.DataFrame, total: int | None = None) -> Section:
    sec = Section("outlet_summary", "Per outlet",
                  "Which outlets are in the warehouse, how much did each publish and report, and whom do they cite?",
                  ("analytics.outlet_summary",))
    if outlets.is_empty():
        sec.note = "No articles in the warehouse yet."
        return sec
    rows = sorted(outlets.to_dicts(), key=lambda r: (-(number(r.get("articles")) or 0), text(r.get("outlet"), "~")))
    shown = rows[:TOP_OUTLETS]
    body = []
    for r in shown:
        share = number(r.get("share_dated"))
        first, last = iso_date(r.get("first_date")), iso_date(r.get("last_date"))
        body.append([text(r.get("outlet"), NO_OUTLET), format_number(r.get("articles")),
                     "" if share is None else f"{share:.0%}", format_number(r.get("figures")),
                     format_number(r.get("entities")), short_list(r.get("top_sources"), 3),
                     first or "-", last or "-"])
    caption = _caption(total, len(rows), len(shown), "outlet", "with the most articles")
    sec.table = Table(["outlet", "articles", "dated", "figures", "entities", "cites most", "first", "last"], body,
                      caption, numeric={1, 2, 3, 4})
    return sec


def claims_section(claims: pl.DataFrame, total: int | None = None) -> Section:
    sec = Section("figure_claims", "The claims that spread widest",
                  "Which numbers were repeated by the most outlets and articles, who reported them first, and whom "
                  "are they attributed to? A claim is the figures of one measure, population and scope within 1% "
                  "of its first value.", ("analytics.figure_claims",))
    if claims.is_empty():
        sec.empty = ("No claims: no figure with a reported date has a population (seeds/populations.csv) "
                     "that figure_claims could group it by.")
        return sec
    rows = sorted(claims.to_dicts(), key=lambda r: (-(number(r.get("outlets")) or 0),
                                                    -(number(r.get("articles")) or 0),
                                                    -(number(r.get("figures")) or 0),
                                                    iso_date(r.get("first_reported")) or "9999",
                                                    -(number(r.get("claim_value")) or 0)))
    shown = rows[:TOP_CLAIMS]
    body = [[describe_value(r.get("claim_value"), r.get("qualifier")), text(r.get("measure")),
             text(r.get("population")), text(r.get("scope")), iso_date(r.get("first_reported")) or "-",
             text(r.get("first_outlet"), NO_OUTLET), format_number(r.get("outlets")), format_number(r.get("articles")),
             short_list(r.get("sources"), 4) or "(unattributed)"] for r in shown]
    caption = _caption(total, len(rows), len(shown), "claim", "reported most widely")
    sec.table = Table(["figure", "measure", "population", "scope", "first reported", "first outlet", "outlets",
                       "articles", "attributed to"], body, caption, numeric={0, 6, 7})
    return sec


def conflicts_section(conflicts: pl.DataFrame, total: int | None = None) -> Section:
    sec = Section("figure_conflicts", "Where sources disagree",
                  "Running totals of the same measure and population reported on the same day by different "
                  "sources, more than 5% apart.", ("analytics.figure_conflicts",))
    if conflicts.is_empty():
        sec.empty = ("No conflicting figures: no two sources reported a running total of the same measure and "
                     "population on the same day more than 5% apart.")
        return sec
    body = []
    for r in conflicts.head(MAX_CONFLICT_ROWS).to_dicts():
        gap = number(r.get("relative_gap"))
        titles = [text(r.get("article_title_a")), text(r.get("article_title_b"))]
        titles = titles[:1] if titles[0] == titles[1] else titles
        body.append([iso_date(r.get("reported_date")) or "", text(r.get("measure")),
                     text(r.get("population"), text(r.get("subject"))),
                     _with_outlet(r.get("source_a"), r.get("outlet_a")),
                     describe_value(r.get("value_a"), r.get("qualifier_a")),
                     _with_outlet(r.get("source_b"), r.get("outlet_b")),
                     describe_value(r.get("value_b"), r.get("qualifier_b")),
                     "" if gap is None else f"{gap:.0%}", " / ".join(t for t in titles if t)])
    caption = _caption(total, conflicts.height, len(body), "conflicting pair", "most recent")
    sec.table = Table(["reported", "measure", "population", "source A", "figure A", "source B", "figure B", "gap",
                       "articles"], body, caption, numeric={4, 6, 7})
    return sec


def _caption(total: int | None, given: int, shown: int, noun: str, which: str) -> str:
    """"547 claims; the 15 reported most widely shown": the total is the query's count without its limit
    (or the rows given, when the caller did not count)."""
    total = max(total or 0, given)
    return plural(total, noun) + (f"; the {shown:,} {which} shown" if shown < total else "")


def _with_outlet(source, outlet) -> str:
    s, o = text(source), text(outlet)
    return f"{s} (in {o})" if o and o != s else s
