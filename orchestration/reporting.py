"""report.html from query results: pure chart and HTML building (no Dagster, no database).

`render_report(ReportData(...))` turns the rows of the analytics views into one self-contained
page: Altair charts rendered in the browser by Vega-Lite, whose JavaScript (vega, vega-lite,
vega-embed, bundled by vl-convert) is inlined once for the whole page, so the file opens with no
network. Every chart copes with no rows and with dates that are all NULL: it becomes a note.
"""
from __future__ import annotations

import datetime as dt
import functools
import html
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from orchestration.report_stamp import (  # noqa: F401
    MAX_CONFLICT_ROWS, REPORT_FORMAT, STAMP_META, TOP_ENTITIES, TOP_ENTITIES_OVER_TIME, read_stamp, stamp_for)


TOP_MEASURES = 8
MAX_TIMELINE_POINTS = 5000
CHART_WIDTH = 720

QUALIFIER_WORDS = {"exact": "", "at_least": "at least", "more_than": "more than", "about": "about",
                   "nearly": "nearly", "up_to": "up to"}


@dataclass
class ReportData:
    """Query results the report is built from (pandas frames; missing columns are tolerated)."""

    figure_timeline: pd.DataFrame  # analytics.figure_timeline
    entity_summary: pd.DataFrame  # analytics.entity_summary (ordered or not: the top is chosen here)
    entity_daily: pd.DataFrame  # analytics.entity_daily
    entity_cooccurrence: pd.DataFrame  # analytics.entity_cooccurrence
    figure_conflicts: pd.DataFrame  # analytics.figure_conflicts
    counts: dict[str, Any] = field(default_factory=dict)  # articles, figures, ... for the header
    warehouse_path: str = ""
    generated_at: dt.datetime | None = None
    published_at: dt.datetime | None = None
    conflicts_total: int | None = None  # when figure_conflicts was truncated by the query


@dataclass
class Section:
    key: str
    title: str
    question: str
    spec: dict | None = None  # Vega-Lite spec, or None when the section is a note or a table
    note: str | None = None
    table_html: str | None = None


@dataclass
class RenderedReport:
    html: str
    sections: list[Section]

    @property
    def n_charts(self) -> int:
        return sum(1 for s in self.sections if s.spec is not None)

    @property
    def notes(self) -> list[str]:
        return [f"{s.title}: {s.note}" for s in self.sections if s.note]


# ---------------------------------------------------------------------------------------------- values
def _is_missing(v: Any) -> bool:
    if v is None or v is pd.NaT:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    try:
        return bool(pd.isna(v)) if not isinstance(v, (list, tuple, dict)) else False
    except (TypeError, ValueError):
        return False


def _iso_date(v: Any) -> str | None:
    if _is_missing(v):
        return None
    if isinstance(v, (pd.Timestamp, dt.datetime)):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    try:
        return pd.Timestamp(str(v)).date().isoformat()
    except (ValueError, TypeError):
        return None  # not a date: treated like a missing one


def _plain(v: Any) -> Any:
    """A JSON-friendly scalar (numpy numbers, timestamps and NaN become Python values or None)."""
    if _is_missing(v):
        return None
    if isinstance(v, (pd.Timestamp, dt.datetime)):
        return v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if hasattr(v, "item"):  # numpy scalar
        return v.item()
    return v


def _col(df: pd.DataFrame, name: str) -> pd.Series:
    return df[name] if name in df.columns else pd.Series([None] * len(df), index=df.index, dtype=object)


def _text(v: Any, missing: str = "") -> str:
    return missing if _is_missing(v) else str(v)


def format_number(v: Any) -> str:
    if _is_missing(v):
        return ""
    x = float(v)
    if x.is_integer():
        return f"{int(x):,}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def describe_value(value: Any, qualifier: Any = None, unit: Any = None, value_max: Any = None) -> str:
    """'at least 22,600 people', 'nearly 60%', '$2,000,000-3,000,000': text for tooltips and tables."""
    number = format_number(value)
    if not _is_missing(value_max):
        number = f"{number}-{format_number(value_max)}"
    unit_s = _text(unit)
    if unit_s == "percent":
        number += "%"
    elif unit_s == "usd":
        number = "$" + number
    elif unit_s:
        number += f" {unit_s}"
    word = QUALIFIER_WORDS.get(_text(qualifier), _text(qualifier).replace("_", " "))
    return f"{word} {number}".strip()


# ---------------------------------------------------------------------------------------------- charts
def _top_entities(entity_summary: pd.DataFrame, n: int) -> list[str]:
    if entity_summary.empty or "entity" not in entity_summary.columns:
        return []
    df = entity_summary.dropna(subset=["entity"]).copy()
    df["_articles"] = pd.to_numeric(_col(df, "articles"), errors="coerce").fillna(0)
    df["_mentions"] = pd.to_numeric(_col(df, "mentions"), errors="coerce").fillna(0)
    df = df.sort_values(["_articles", "_mentions", "entity"], ascending=[False, False, True], kind="stable")
    return [str(e) for e in df["entity"].head(n)]


def timeline_section(timeline: pd.DataFrame) -> Section:
    sec = Section("figure_timeline", "Reported figures over time",
                  "How did the reported figures move, per measure and subject, and who reported them? "
                  "Hover a point for its source, qualifier and article.")
    if timeline.empty:
        sec.note = "No figures in the warehouse yet."
        return sec
    df = timeline.copy()
    df["_date"] = [_iso_date(v) for v in _col(df, "reported_date")]
    df["_value"] = pd.to_numeric(_col(df, "value"), errors="coerce")
    dated = df[df["_date"].notna() & df["_value"].notna()]
    undated = len(df) - len(dated)
    not_positive = int((dated["_value"] <= 0).sum())
    dated = dated[dated["_value"] > 0]
    if dated.empty and not_positive:
        sec.note = f"No figure with a reported date has a positive value ({not_positive:,} zero or negative)."
        return sec
    if dated.empty:
        sec.note = (f"None of the {len(df):,} figures has a reported date (their articles carry no date), "
                    "so there is no timeline to draw; see analytics.figure_timeline for the figures themselves.")
        return sec
    measure = _col(dated, "measure").map(lambda m: _text(m, "(no measure)"))
    order = measure.value_counts().index.tolist()
    kept = order[:TOP_MEASURES]
    dated = dated[measure.isin(kept)]
    notes = []
    if len(dated) > MAX_TIMELINE_POINTS:
        notes.append(f"only the {MAX_TIMELINE_POINTS:,} most recent of {len(dated):,} figures shown")
    dated = dated.sort_values("_date", ascending=False, kind="stable").head(MAX_TIMELINE_POINTS)
    if not_positive:
        notes.append(f"{not_positive:,} zero or negative value{'s' if not_positive != 1 else ''} left off the "
                     "log scale")
    if undated:
        notes.append(f"{undated:,} figure{'s' if undated != 1 else ''} without a reported date not shown")
    if len(order) > len(kept):
        notes.append(f"only the {len(kept)} most reported measures shown (of {len(order)})")
    records = []
    for _, r in dated.iterrows():
        source = _text(r.get("source"), "unattributed")
        records.append({
            "date": r["_date"],  # parsed as a date by Vega-Lite (x axis)
            "reported": r["_date"],  # the same, as text for the tooltip
            "value": float(r["_value"]),
            "measure": _text(r.get("measure"), "(no measure)"),
            "subject": _text(r.get("subject"), "(no subject)"),
            "location": _text(r.get("location"), "-"),
            "source": source,
            "as_written": _text(r.get("source_text"), "-"),
            "figure": describe_value(r["_value"], r.get("qualifier"), r.get("unit"), r.get("value_max")),
            "qualifier": _text(r.get("qualifier"), "-").replace("_", " "),
            "text": _text(r.get("figure_text"), "-"),
            "article": _text(r.get("article_title"), "-"),
            "modality": _text(r.get("modality"), "-"),
        })
    data = alt.Data(values=records)
    x = alt.X("date:T", timeUnit="utcyearmonthdate", title="reported date", scale=alt.Scale(padding=18),
              axis=alt.Axis(format="%d %b %Y", labelAngle=-30))
    # log scale: tolls run from 3 to 2 million (a zero or negative value has no place on it, see above)
    y = alt.Y("value:Q", title="value (log scale)", scale=alt.Scale(type="log"),
              axis=alt.Axis(format="~s", tickCount=5))
    color = alt.Color("subject:N", title="subject", legend=alt.Legend(orient="right"))
    tooltip = [alt.Tooltip("figure:N", title="figure"), alt.Tooltip("measure:N"), alt.Tooltip("subject:N"),
               alt.Tooltip("location:N"), alt.Tooltip("source:N"),
               alt.Tooltip("as_written:N", title="source as written"), alt.Tooltip("qualifier:N"),
               alt.Tooltip("modality:N"), alt.Tooltip("text:N", title="phrase"),
               alt.Tooltip("article:N", title="article"), alt.Tooltip("reported:N", title="reported")]
    base = alt.Chart(data).encode(x=x, y=y, color=color)
    lines = base.mark_line(opacity=0.45, strokeWidth=1.5).encode(detail="source:N")
    points = base.mark_point(filled=True, size=70, opacity=0.9).encode(shape=alt.Shape("source:N", title="source"),
                                                                         tooltip=tooltip)
    chart = (alt.layer(lines, points)
             .properties(width=CHART_WIDTH - 180, height=110)
             .facet(row=alt.Row("measure:N", title=None, sort=kept, header=alt.Header(labelAngle=0,
                                                                                       labelAlign="left")))
             .resolve_scale(y="independent"))
    sec.spec = chart.to_dict()
    if notes:
        sec.question += " (" + "; ".join(notes) + ".)"
    return sec


def top_entities_section(entity_summary: pd.DataFrame) -> Section:
    sec = Section("entity_summary", "Most mentioned entities",
                  f"Who and what is mentioned in the most articles (top {TOP_ENTITIES})?")
    top = _top_entities(entity_summary, TOP_ENTITIES)
    if not top:
        sec.note = "No entities in the warehouse yet."
        return sec
    df = entity_summary[entity_summary["entity"].isin(top)]
    records = [{"entity": _text(r.get("entity")), "label": _text(r.get("label"), "-"),
                "articles": _plain(r.get("articles")) or 0, "mentions": _plain(r.get("mentions")) or 0,
                "first_seen": _iso_date(r.get("first_seen")) or "no date",
                "last_seen": _iso_date(r.get("last_seen")) or "no date"} for _, r in df.iterrows()]
    chart = alt.Chart(alt.Data(values=records)).mark_bar().encode(
        x=alt.X("articles:Q", title="articles mentioning it", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("entity:N", sort=top, title=None),
        color=alt.Color("label:N", title="spaCy label"),
        tooltip=[alt.Tooltip("entity:N"), alt.Tooltip("label:N"), alt.Tooltip("articles:Q"),
                 alt.Tooltip("mentions:Q"), alt.Tooltip("first_seen:N", title="first seen"),
                 alt.Tooltip("last_seen:N", title="last seen")],
    ).properties(width=CHART_WIDTH - 260, height=max(120, 20 * len(top)))
    sec.spec = chart.to_dict()
    return sec


def entities_over_time_section(entity_summary: pd.DataFrame, entity_daily: pd.DataFrame) -> Section:
    sec = Section("entity_daily", "Top entities over time",
                  f"How often are the {TOP_ENTITIES_OVER_TIME} most mentioned entities named, per day of publication?")
    top = _top_entities(entity_summary, TOP_ENTITIES_OVER_TIME)
    if entity_daily.empty or "entity" not in entity_daily.columns:
        sec.note = ("No dated mentions: " + ("no entities in the warehouse yet." if not top else
                    "none of the articles that mention entities has a publication date."))
        return sec
    if not top:  # no summary given: rank by the daily rows themselves
        totals = entity_daily.groupby("entity")["mentions"].sum().sort_values(ascending=False)
        top = [str(e) for e in totals.index[:TOP_ENTITIES_OVER_TIME]]
    df = entity_daily[entity_daily["entity"].isin(top)].copy()
    df["_date"] = [_iso_date(v) for v in _col(df, "published_date")]
    df = df[df["_date"].notna()]
    if df.empty:
        sec.note = "None of the articles mentioning the top entities has a publication date."
        return sec
    records = [{"entity": _text(r["entity"]), "date": r["_date"], "day": r["_date"],
                "mentions": _plain(r.get("mentions")) or 0, "articles": _plain(r.get("articles")) or 0}
               for _, r in df.iterrows()]
    base = alt.Chart(alt.Data(values=records)).encode(
        x=alt.X("date:T", timeUnit="utcyearmonthdate", title="published", scale=alt.Scale(padding=18),
                axis=alt.Axis(format="%d %b %Y", labelAngle=-30)),
        y=alt.Y("mentions:Q", title="mentions that day", axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("entity:N", sort=top, title="entity"),
    )
    chart = alt.layer(
        base.mark_line(opacity=0.6),
        base.mark_point(filled=True, size=60).encode(
            tooltip=[alt.Tooltip("entity:N"), alt.Tooltip("day:N", title="published"),
                     alt.Tooltip("mentions:Q"), alt.Tooltip("articles:Q")]),
    ).properties(width=CHART_WIDTH - 200, height=260)
    sec.spec = chart.to_dict()
    return sec


def cooccurrence_section(entity_summary: pd.DataFrame, cooccurrence: pd.DataFrame) -> Section:
    sec = Section("entity_cooccurrence", "Who is mentioned with whom",
                  f"In how many articles do two of the {TOP_ENTITIES} most mentioned entities appear together?")
    top = _top_entities(entity_summary, TOP_ENTITIES)
    if cooccurrence.empty or not {"entity_a", "entity_b"} <= set(cooccurrence.columns):
        sec.note = "No two entities are named in the same article yet."
        return sec
    if not top:
        counts = pd.concat([cooccurrence["entity_a"], cooccurrence["entity_b"]]).value_counts()
        top = [str(e) for e in counts.index[:TOP_ENTITIES]]
    df = cooccurrence[cooccurrence["entity_a"].isin(top) & cooccurrence["entity_b"].isin(top)]
    if df.empty:
        sec.note = "None of the most mentioned entities are named in the same article."
        return sec
    records = []
    for _, r in df.iterrows():
        a, b = _text(r["entity_a"]), _text(r["entity_b"])
        row = {"articles": _plain(r.get("articles")) or 0, "first_seen": _iso_date(r.get("first_seen")) or "no date",
               "last_seen": _iso_date(r.get("last_seen")) or "no date"}
        records.append({"x": a, "y": b, **row})
        records.append({"x": b, "y": a, **row})
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


def conflicts_section(conflicts: pd.DataFrame, total: int | None = None) -> Section:
    sec = Section("figure_conflicts", "Where sources disagree",
                  "Figures for the same measure, subject and location reported on the same day by different "
                  "named sources, more than 5% apart.")
    if conflicts.empty:
        sec.table_html = ('<p class="empty">No conflicting figures: no two named sources reported the same '
                          "measure, subject and location on the same day more than 5% apart.</p>")
        return sec
    head = ["reported", "measure", "subject", "location", "source A", "figure A", "source B", "figure B", "gap",
            "articles"]
    rows = []
    for _, r in conflicts.head(MAX_CONFLICT_ROWS).iterrows():
        gap = pd.to_numeric(r.get("relative_gap"), errors="coerce")
        titles = [_text(r.get("article_title_a")), _text(r.get("article_title_b"))]
        titles = titles[:1] if titles[0] == titles[1] else titles
        cells = [_iso_date(r.get("reported_date")) or "", _text(r.get("measure")), _text(r.get("subject")),
                 _text(r.get("location"), "-"), _text(r.get("source_a")),
                 describe_value(r.get("value_a"), r.get("qualifier_a")), _text(r.get("source_b")),
                 describe_value(r.get("value_b"), r.get("qualifier_b")),
                 "" if _is_missing(gap) else f"{float(gap):.0%}", " / ".join(t for t in titles if t)]
        rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    shown = min(len(conflicts), MAX_CONFLICT_ROWS)
    total = max(total or 0, len(conflicts))
    caption = (f"{total:,} conflicting pair{'s' if total != 1 else ''}"
               + (f"; the {shown:,} most recent shown" if shown < total else ""))
    sec.table_html = (f'<table class="conflicts"><caption>{html.escape(caption)}</caption><thead><tr>'
                      + "".join(f"<th>{html.escape(h)}</th>" for h in head)
                      + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
    return sec


def build_sections(data: ReportData) -> list[Section]:
    return [
        timeline_section(data.figure_timeline),
        top_entities_section(data.entity_summary),
        entities_over_time_section(data.entity_summary, data.entity_daily),
        cooccurrence_section(data.entity_summary, data.entity_cooccurrence),
        conflicts_section(data.figure_conflicts, data.conflicts_total),
    ]


# ---------------------------------------------------------------------------------------------- page
@functools.lru_cache(maxsize=4)
def vega_bundle(cache_dir: str | None = None) -> str:
    """vega + vega-lite + vega-embed as one classic script that sets window.vegaEmbed (~0.9 MB).

    The bundle Altair inlines with `to_html(inline=True)`, for the Vega-Lite version Altair emits.
    vl-convert takes seconds to build it, so it is kept in memory and, given `cache_dir`, in a file
    named after the vl-convert and Vega-Lite versions (written atomically, so never half a file).
    """
    import vl_convert as vlc

    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    vl_version = f"v{major}_{minor}"  # the Vega-Lite version Altair's specs are written for ("v6_4")
    cached = Path(cache_dir) / f"vega-bundle-{vlc.__version__}-{vl_version}.js" if cache_dir else None
    if cached is not None and cached.is_file():
        return cached.read_text(encoding="utf-8")
    bundle = vlc.javascript_bundle(vl_version=vl_version).replace("</script", "<\\/script")  # never end <script>
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
        try:
            tmp.write_text(bundle, encoding="utf-8")
            os.replace(tmp, cached)
        except OSError:
            pass  # a cache only
        finally:
            if tmp.exists():
                tmp.unlink()
    return bundle


EMBED_SCRIPT = """
(function () {
  var options = {renderer: "svg", actions: false};
  document.querySelectorAll("script.chart-spec").forEach(function (el) {
    var target = document.getElementById(el.getAttribute("data-target"));
    vegaEmbed(target, JSON.parse(el.textContent), options).then(function () {
      target.setAttribute("data-rendered", "true");
    }).catch(function (err) {
      console.error(err);
      target.textContent = "This chart could not be drawn: " + err;
      target.setAttribute("data-rendered", "error");
    });
  });
})();
"""

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 980px;
       padding: 1.5rem; color: #222; }
header { border-bottom: 1px solid #ddd; margin-bottom: 1rem; }
header h1 { margin: 0 0 .3rem 0; font-size: 1.5rem; }
header dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; font-size: .9rem; }
header dt { color: #666; } header dd { margin: 0; }
code { background: #f4f4f4; padding: 0 .25rem; border-radius: 3px; }
section { margin: 1.8rem 0; }
section h2 { font-size: 1.15rem; margin-bottom: .2rem; }
p.question { color: #555; margin-top: 0; font-size: .92rem; }
p.note, p.empty { background: #fafafa; border-left: 3px solid #bbb; padding: .5rem .8rem; color: #444; }
div.chart { min-height: 60px; }
table.conflicts { border-collapse: collapse; font-size: .85rem; width: 100%; }
table.conflicts th, table.conflicts td { border: 1px solid #ddd; padding: .25rem .4rem; text-align: left;
                                         vertical-align: top; }
table.conflicts th { background: #f4f4f4; }
table.conflicts caption { text-align: left; color: #555; padding-bottom: .3rem; }
footer { color: #777; font-size: .8rem; border-top: 1px solid #ddd; padding-top: .5rem; }
"""


def _json_for_script(obj: Any) -> str:
    # Inside <script> only "</" (and "<!--") can end or confuse the element: escape every "<".
    return json.dumps(obj, ensure_ascii=False, default=str).replace("<", "\\u003c")


def _header(data: ReportData) -> str:
    c = data.counts
    generated = (data.generated_at or dt.datetime.now(dt.UTC).replace(tzinfo=None)).replace(microsecond=0)
    items = [("generated", f"{generated.isoformat(sep=' ')} UTC")]
    if "articles" in c:
        extra = []
        if c.get("canonical_articles") is not None and c.get("canonical_articles") != c.get("articles"):
            extra.append(f"{c['canonical_articles']:,} canonical")
        if c.get("dated_articles") is not None:
            extra.append(f"{c['dated_articles']:,} dated")
        items.append(("articles", f"{c['articles']:,}" + (f" ({', '.join(extra)})" if extra else "")))
    if "figures" in c:
        extra = f" ({c['dated_figures']:,} with a reported date)" if c.get("dated_figures") is not None else ""
        items.append(("figures", f"{c['figures']:,}{extra}"))
    if "entities" in c:
        items.append(("entities", f"{c['entities']:,} distinct, {c.get('mentions', 0):,} mentions"))
    if data.published_at is not None:
        items.append(("published", f"{_text(_plain(data.published_at)).replace('T', ' ')} UTC"))
    items.append(("warehouse", f"<code>{html.escape(data.warehouse_path or '?')}</code> "
                               f"(open it read-only: <code>duckdb -readonly {html.escape(data.warehouse_path or '?')}"
                               f"</code>)"))
    rows = "".join(f"<dt>{html.escape(k)}</dt><dd>{v if k == 'warehouse' else html.escape(v)}</dd>"
                   for k, v in items)
    return f'<header><h1>News warehouse report</h1><dl>{rows}</dl></header>'


def _section_html(i: int, sec: Section) -> str:
    parts = [f'<section id="{sec.key}"><h2>{html.escape(sec.title)}</h2>',
             f'<p class="question">{html.escape(sec.question)} <small>(analytics.{sec.key})</small></p>']
    if sec.spec is not None:
        target = f"chart-{i}"
        parts.append(f'<div class="chart" id="{target}" data-section="{sec.key}"></div>')
        parts.append(f'<script type="application/json" class="chart-spec" data-target="{target}">'
                     f"{_json_for_script(sec.spec)}</script>")
    if sec.note:
        parts.append(f'<p class="note">{html.escape(sec.note)}</p>')
    if sec.table_html:
        parts.append(sec.table_html)
    parts.append("</section>")
    return "\n".join(parts)


def render_report(data: ReportData, bundle_cache_dir: str | os.PathLike | None = None) -> RenderedReport:
    """The whole page as one string: header, sections, one inlined Vega bundle, one embed script."""
    sections = build_sections(data)
    body = "\n".join(_section_html(i, s) for i, s in enumerate(sections))
    scripts = ""
    if any(s.spec is not None for s in sections):
        bundle = vega_bundle(str(bundle_cache_dir) if bundle_cache_dir else None)
        scripts = f"<script>\n{bundle}\n</script>\n<script>{EMBED_SCRIPT}</script>"
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="{STAMP_META}" content="{html.escape(stamp_for(data.published_at))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>News warehouse report</title>
<style>{CSS}</style>
</head>
<body>
{_header(data)}
{body}
<footer>Built from the analytics views of the published warehouse; charts by Vega-Lite (inlined, works offline).
Hover points and cells for details.</footer>
{scripts}
</body>
</html>
"""
    return RenderedReport(html=page, sections=sections)

