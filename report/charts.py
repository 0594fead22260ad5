"""The report's charts: Altair specs built from query results (polars frames).

Every colour legend is bounded: a fixed number of leading values by name, the rest as one
"other ..." entry, with the domain written into the spec. Every chart copes with no rows and
with dates that are all NULL: it becomes a note.
"""
from __future__ import annotations

import statistics
from collections import defaultdict

import altair as alt
import polars as pl

from report.sections import NO_OUTLET, Section
from report.stamp import (
    LEGEND_LABELS,
    LEGEND_MEASURES,
    LEGEND_OUTLETS,
    MAX_REFERENCE_POINTS,
    MAX_TIMELINE_POINTS,
    TOP_ENTITIES,
    TOP_ENTITIES_OVER_TIME,
    TOP_POPULATIONS,
    TOP_REFERENCE_PANELS,
)
from report.values import describe_value, iso_date, leading, number, plural, text

CHART_WIDTH = 720
PALETTE = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#eeca3b", "#9d755d", "#ff9da6",
           "#bab0ac"]
OTHER_COLOUR = "#9a9a9a"
SERIES_COLOURS = ["#222222", "#7a0177", "#555555"]
SCOPES = ["cumulative", "incident", "period", "unknown"]  # scope 'other' is not a count of people or events
SCOPE_SHAPES = ["circle", "triangle-up", "square", "cross"]
DATE_AXIS = alt.Axis(format="%d %b %Y", labelAngle=-30, labelOverlap=True)


def _bounded(values: list[str], n: int, other: str) -> tuple[list[str], dict[str, str]]:
    """(legend domain, value -> legend entry): the n leading values, the rest folded into `other`."""
    top = leading(values, n)
    kept = set(top)
    mapping = {v: (v if v in kept else other) for v in set(values)}
    return top + ([other] if len(kept) < len(set(values)) else []), mapping


def _date_x(title: str) -> alt.X:
    return alt.X("date:T", timeUnit="utcyearmonthdate", title=title, scale=alt.Scale(padding=14), axis=DATE_AXIS)


def _figure_date(r: dict) -> str | None:
    return iso_date(r.get("reported_date"))


# ------------------------------------------------------------------------------------- against the series
def reference_section(reported: pl.DataFrame, series: pl.DataFrame) -> Section:
    sec = Section("figure_vs_reference", "Running totals reported per outlet, against the official series",
                  "How did the running totals each outlet reported (points, one colour per outlet) track the official "
                  "reference series (line) of the same measure and population? Hover a point for its source, the "
                  "official count that day and the article.", ("analytics.figure_vs_reference", "ref.series"))
    rows = [r for r in reported.to_dicts() if _figure_date(r) and number(r.get("value")) is not None]
    if not rows:
        sec.note = ("No reference series in ref.series (add one under seeds/reference/)." if series.is_empty() else
                    "No running total reported in the articles matches a reference series (ref.series) in measure "
                    "and population.")
        return sec

    def panel(measure, population) -> str:
        return f"{text(population)}: {text(measure)}"

    panels = leading([panel(r.get("measure"), r.get("population")) for r in rows], TOP_REFERENCE_PANELS)
    rows = [r for r in rows if panel(r.get("measure"), r.get("population")) in panels]
    notes = []
    if len(rows) > MAX_REFERENCE_POINTS:
        notes.append(f"only the {MAX_REFERENCE_POINTS:,} most recent of {len(rows):,} figures shown")
        rows = sorted(rows, key=_figure_date, reverse=True)[:MAX_REFERENCE_POINTS]
    outlets = [text(r.get("outlet"), NO_OUTLET) for r in rows]
    outlet_domain, outlet_of = _bounded(outlets, LEGEND_OUTLETS, "other outlets")
    lines = [s for s in series.to_dicts() if panel(s.get("measure"), s.get("population")) in panels
             and iso_date(s.get("date")) and number(s.get("value")) is not None]
    series_domain, series_of = _bounded([text(s.get("series")) for s in lines], len(SERIES_COLOURS) - 1,
                                        "other series")
    records = [{
        "kind": "series", "panel": panel(s.get("measure"), s.get("population")),
        "who": series_of[text(s.get("series"))], "series": text(s.get("series")), "date": iso_date(s.get("date")),
        "day": iso_date(s.get("date")), "value": number(s.get("value")), "published_by": text(s.get("source"), "-"),
    } for s in lines]
    for r in rows:
        ratio, lag = number(r.get("ratio")), number(r.get("lag_days"))
        official = number(r.get("series_value"))
        records.append({
            "kind": "reported", "panel": panel(r.get("measure"), r.get("population")),
            "who": outlet_of[text(r.get("outlet"), NO_OUTLET)], "outlet": text(r.get("outlet"), NO_OUTLET),
            "date": _figure_date(r), "day": _figure_date(r), "value": number(r.get("value")),
            "figure": describe_value(r.get("value"), r.get("qualifier")),
            "source": text(r.get("source"), "unattributed"),
            "official": (f"{describe_value(official)} ({text(r.get('series'))}, {iso_date(r.get('series_date'))})"
                         if official is not None else "no official count yet"),
            "ratio": "-" if ratio is None else f"{ratio:.0%} of the official count",
            "matches": ("-" if lag is None else f"the official count of {iso_date(r.get('best_match_date'))} "
                        f"({int(lag):+d} days)"),
            "article": text(r.get("article_title"), "-"),
        })
    domain = outlet_domain + series_domain
    palette = [OTHER_COLOUR if d == "other outlets" else PALETTE[i % len(PALETTE)]
               for i, d in enumerate(outlet_domain)]
    colours = palette + SERIES_COLOURS[: len(series_domain)]
    colour = alt.Color("who:N", title="outlet / series", scale=alt.Scale(domain=domain, range=colours),
                       legend=alt.Legend(orient="bottom", columns=3, symbolType="circle", labelLimit=220))
    y = alt.Y("value:Q", title="running total", axis=alt.Axis(format="~s", tickCount=5))
    official = (alt.Chart().transform_filter(alt.datum.kind == "series")
                .mark_line(strokeWidth=2, point=alt.OverlayMarkDef(size=14, filled=True))
                .encode(x=_date_x("date"), y=y, color=colour, detail="series:N",
                        tooltip=[alt.Tooltip("series:N"), alt.Tooltip("day:N", title="as of"),
                                 alt.Tooltip("value:Q", format=",d", title="official count"),
                                 alt.Tooltip("published_by:N", title="published by")]))
    points = (alt.Chart().transform_filter(alt.datum.kind == "reported")
              .mark_point(filled=True, size=64, opacity=0.85, stroke="white", strokeWidth=0.6)
              .encode(x=_date_x("date"), y=y, color=colour,
                      tooltip=[alt.Tooltip("figure:N"), alt.Tooltip("outlet:N"), alt.Tooltip("source:N"),
                               alt.Tooltip("day:N", title="reported"), alt.Tooltip("official:N", title="official"),
                               alt.Tooltip("ratio:N", title="ratio"), alt.Tooltip("matches:N", title="matches"),
                               alt.Tooltip("article:N")]))
    chart = (alt.layer(official, points, data=alt.Data(values=records))
             .properties(width=(CHART_WIDTH - 90) // 2, height=190)
             .facet(facet=alt.Facet("panel:N", sort=panels, title=None,
                                    header=alt.Header(labelFontWeight="bold", labelFontSize=12, labelAnchor="start")),
                    columns=2)
             .resolve_scale(y="independent"))
    sec.spec = chart.to_dict()
    if not lines:
        notes.append("no official values for these measures and populations")
    if notes:
        sec.question += " (" + "; ".join(notes) + ".)"
    return sec


# ------------------------------------------------------------------------------------- figures over time
def timeline_section(timeline: pl.DataFrame, total_figures: int | None = None) -> Section:
    sec = Section("figure_timeline", "Reported figures over time, per population",
                  f"How did the figures reported for the {TOP_POPULATIONS} populations with the most figures move? "
                  "A line joins each day's median of one running total (scope cumulative, one measure, not a subset); "
                  "every other figure is a point, its shape the scope. Hover a point for its source and article.",
                  ("analytics.figure_timeline",))
    every = timeline.to_dicts()
    total = max(total_figures or 0, len(every))
    if not total:
        sec.note = "No figures in the warehouse yet."
        return sec
    dated = [r for r in every if _figure_date(r) and number(r.get("value")) is not None]
    if every and not dated:
        sec.note = (f"None of the {len(every):,} figures has a reported date (their articles carry no date), "
                    "so there is no timeline to draw; see analytics.figure_timeline for the figures themselves.")
        return sec
    # log scale: tolls run from 3 to 2 million (zero has no place on it); 'other' measures and scopes
    # (money, percentages, counts of states) are not counts of the same kind
    rows = [r for r in dated if number(r["value"]) > 0 and text(r.get("population"))
            and text(r.get("measure"), "other") != "other" and text(r.get("scope")) != "other"]
    if not rows:
        sec.note = (f"None of the {total:,} figures with a reported date is a positive count of a known measure "
                    "for a population (seeds/populations.csv); see analytics.figure_timeline.")
        return sec
    populations = leading([r["population"] for r in rows], TOP_POPULATIONS)
    rows = [r for r in rows if r["population"] in populations]
    if len(rows) > MAX_TIMELINE_POINTS:
        rows = sorted(rows, key=_figure_date, reverse=True)[:MAX_TIMELINE_POINTS]
    measure_domain, measure_of = _bounded([r["measure"] for r in rows], LEGEND_MEASURES, "other measures")
    records, running = [], defaultdict(list)
    for r in rows:
        scope = text(r.get("scope"))
        scope = scope if scope in SCOPES else "unknown"
        day, value = _figure_date(r), number(r["value"])
        if scope == "cumulative" and not text(r.get("part_of")) and text(r.get("modality")) != "denied":
            running[(r["population"], r["measure"], day)].append(value)
        records.append({
            "kind": "figure", "population": r["population"], "measure": r["measure"],
            "colour": measure_of[r["measure"]], "scope": scope, "date": day, "reported": day, "value": value,
            "figure": describe_value(value, r.get("qualifier"), r.get("unit"), r.get("value_max")),
            "subject": text(r.get("subject"), "-"), "location": text(r.get("location"), "-"),
            "source": text(r.get("source"), "unattributed"), "as_written": text(r.get("source_text"), "-"),
            "outlet": text(r.get("outlet"), NO_OUTLET), "qualifier": text(r.get("qualifier"), "-").replace("_", " "),
            "modality": text(r.get("modality"), "-"), "text": text(r.get("figure_text"), "-"),
            "article": text(r.get("article_title"), "-"),
        })
    days_per_total = defaultdict(int)
    for population, measure, _ in running:
        days_per_total[(population, measure)] += 1
    for (population, measure, day), values in running.items():
        if days_per_total[(population, measure)] > 1:  # a line needs two days
            records.append({"kind": "line", "population": population, "measure": measure,
                            "colour": measure_of[measure], "date": day, "value": statistics.median(values)})
    x = _date_x("reported date")
    y = alt.Y("value:Q", title="value (log scale)", scale=alt.Scale(type="log"),
              axis=alt.Axis(format="~s", tickCount=4))
    colour = alt.Color("colour:N", title="measure", scale=alt.Scale(domain=measure_domain,
                                                                     range=_palette(measure_domain, "other measures")))
    lines = (alt.Chart().transform_filter(alt.datum.kind == "line")
             .mark_line(strokeWidth=2, opacity=0.75)
             .encode(x=x, y=y, color=colour, detail="measure:N"))
    points = (alt.Chart().transform_filter(alt.datum.kind == "figure")
              .mark_point(filled=True, size=50, opacity=0.8)
              .encode(x=x, y=y, color=colour,
                      shape=alt.Shape("scope:N", title="scope", scale=alt.Scale(domain=SCOPES, range=SCOPE_SHAPES)),
                      tooltip=[alt.Tooltip("figure:N"), alt.Tooltip("measure:N"), alt.Tooltip("population:N"),
                               alt.Tooltip("subject:N"), alt.Tooltip("scope:N"), alt.Tooltip("location:N"),
                               alt.Tooltip("source:N"), alt.Tooltip("as_written:N", title="source as written"),
                               alt.Tooltip("outlet:N"), alt.Tooltip("qualifier:N"), alt.Tooltip("modality:N"),
                               alt.Tooltip("text:N", title="phrase"), alt.Tooltip("article:N"),
                               alt.Tooltip("reported:N")]))
    chart = (alt.layer(lines, points, data=alt.Data(values=records))
             .properties(width=CHART_WIDTH - 160, height=140)
             .facet(facet=alt.Facet("population:N", sort=populations, title=None,
                                    header=alt.Header(labelFontWeight="bold", labelFontSize=12, labelAnchor="start")),
                    columns=1)
             .resolve_scale(y="independent"))
    sec.spec = chart.to_dict()
    shown = sum(1 for rec in records if rec["kind"] == "figure")
    sec.question += (f" ({shown:,} of {plural(total, 'figure')} shown: figures without a reported date or "
                     "population, of another population, or with measure or scope 'other' are left out.)")
    return sec


def _palette(domain: list[str], other: str) -> list[str]:
    return [OTHER_COLOUR if d == other else PALETTE[i % len(PALETTE)] for i, d in enumerate(domain)]


# ------------------------------------------------------------------------------------- entities
def top_entities(entity_summary: pl.DataFrame, n: int) -> list[str]:
    if entity_summary.is_empty() or "entity" not in entity_summary.columns:
        return []
    rows = [r for r in entity_summary.to_dicts() if text(r.get("entity"))]
    rows.sort(key=lambda r: (-(number(r.get("articles")) or 0), -(number(r.get("mentions")) or 0), r["entity"]))
    return [str(r["entity"]) for r in rows[:n]]


def top_entities_section(entity_summary: pl.DataFrame) -> Section:
    sec = Section("entity_summary", "Most mentioned entities",
                  f"Who and what is mentioned in the most articles (top {TOP_ENTITIES})?",
                  ("analytics.entity_summary",))
    top = top_entities(entity_summary, TOP_ENTITIES)
    if not top:
        sec.note = "No entities in the warehouse yet."
        return sec
    rows = [r for r in entity_summary.to_dicts() if r.get("entity") in set(top)]
    label_domain, label_of = _bounded([text(r.get("label"), "-") for r in rows], LEGEND_LABELS, "other labels")
    records = [{"entity": text(r.get("entity")), "label": label_of[text(r.get("label"), "-")],
                "articles": number(r.get("articles")) or 0, "mentions": number(r.get("mentions")) or 0,
                "first_seen": iso_date(r.get("first_seen")) or "no date",
                "last_seen": iso_date(r.get("last_seen")) or "no date"} for r in rows]
    chart = alt.Chart(alt.Data(values=records)).mark_bar().encode(
        x=alt.X("articles:Q", title="articles mentioning it", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("entity:N", sort=top, title=None),
        color=alt.Color("label:N", title="spaCy label",
                        scale=alt.Scale(domain=label_domain, range=_palette(label_domain, "other labels"))),
        tooltip=[alt.Tooltip("entity:N"), alt.Tooltip("label:N"), alt.Tooltip("articles:Q"),
                 alt.Tooltip("mentions:Q"), alt.Tooltip("first_seen:N", title="first seen"),
                 alt.Tooltip("last_seen:N", title="last seen")],
    ).properties(width=CHART_WIDTH - 260, height=max(120, 20 * len(top)))
    sec.spec = chart.to_dict()
    return sec


def entities_over_time_section(entity_summary: pl.DataFrame, entity_daily: pl.DataFrame) -> Section:
    sec = Section("entity_daily", "Top entities over time",
                  f"How often are the {TOP_ENTITIES_OVER_TIME} most mentioned entities named, per day of publication?",
                  ("analytics.entity_daily",))
    top = top_entities(entity_summary, TOP_ENTITIES_OVER_TIME)
    if entity_daily.is_empty() or "entity" not in entity_daily.columns:
        sec.note = ("No dated mentions: " + ("no entities in the warehouse yet." if not top else
                    "none of the articles that mention entities has a publication date."))
        return sec
    daily = entity_daily.to_dicts()
    if not top:  # no summary given: rank by the daily rows themselves
        totals = defaultdict(float)
        for r in daily:
            totals[text(r.get("entity"))] += number(r.get("mentions")) or 0
        top = [e for e, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_ENTITIES_OVER_TIME] if e]
    records = [{"entity": text(r["entity"]), "date": iso_date(r.get("published_date")),
                "day": iso_date(r.get("published_date")), "mentions": number(r.get("mentions")) or 0,
                "articles": number(r.get("articles")) or 0}
               for r in daily if r.get("entity") in set(top) and iso_date(r.get("published_date"))]
    if not records:
        sec.note = "None of the articles mentioning the top entities has a publication date."
        return sec
    present = [e for e in top if any(rec["entity"] == e for rec in records)]
    base = alt.Chart(alt.Data(values=records)).encode(
        x=_date_x("published"),
        y=alt.Y("mentions:Q", title="mentions that day", axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("entity:N", title="entity", scale=alt.Scale(domain=present, range=PALETTE[:len(present)])),
    )
    chart = alt.layer(
        base.mark_line(opacity=0.6),
        base.mark_point(filled=True, size=60).encode(
            tooltip=[alt.Tooltip("entity:N"), alt.Tooltip("day:N", title="published"),
                     alt.Tooltip("mentions:Q"), alt.Tooltip("articles:Q")]),
    ).properties(width=CHART_WIDTH - 200, height=260)
    sec.spec = chart.to_dict()
    return sec


def cooccurrence_section(entity_summary: pl.DataFrame, cooccurrence: pl.DataFrame) -> Section:
    sec = Section("entity_cooccurrence", "Who is mentioned with whom",
                  f"In how many articles do two of the {TOP_ENTITIES} most mentioned entities appear together?",
                  ("analytics.entity_cooccurrence",))
    if cooccurrence.is_empty() or not {"entity_a", "entity_b"} <= set(cooccurrence.columns):
        sec.note = "No two entities are named in the same article yet."
        return sec
    pairs = cooccurrence.to_dicts()
    top = top_entities(entity_summary, TOP_ENTITIES)
    if not top:
        counts = defaultdict(int)
        for r in pairs:
            counts[text(r["entity_a"])] += 1
            counts[text(r["entity_b"])] += 1
        top = [e for e, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_ENTITIES]]
    keep = set(top)
    records = []
    for r in pairs:
        a, b = text(r["entity_a"]), text(r["entity_b"])
        if a not in keep or b not in keep:
            continue
        row = {"articles": number(r.get("articles")) or 0, "first_seen": iso_date(r.get("first_seen")) or "no date",
               "last_seen": iso_date(r.get("last_seen")) or "no date"}
        records.append({"x": a, "y": b, **row})
        records.append({"x": b, "y": a, **row})
    if not records:
        sec.note = "None of the most mentioned entities are named in the same article."
        return sec
    present = [e for e in top if any(rec["x"] == e for rec in records)]
    base = alt.Chart(alt.Data(values=records)).encode(
        x=alt.X("x:N", sort=present, title=None, axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("y:N", sort=present, title=None),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("articles:Q", title="articles together", scale=alt.Scale(scheme="blues"),
                        legend=alt.Legend(format="d", tickMinStep=1)),
        tooltip=[alt.Tooltip("x:N", title="entity"), alt.Tooltip("y:N", title="with"),
                 alt.Tooltip("articles:Q", title="articles together"),
                 alt.Tooltip("first_seen:N", title="first"), alt.Tooltip("last_seen:N", title="last")])
    dark = 0.6 * max(float(r["articles"]) for r in records)  # white text on the darker cells
    labels = base.mark_text(fontSize=10).encode(
        text="articles:Q",
        color=alt.when(f"datum.articles >= {dark:g}").then(alt.value("white")).otherwise(alt.value("#222")))
    side = max(160, 26 * len(present))
    sec.spec = alt.layer(cells, labels).properties(width=side, height=side).to_dict()
    return sec
