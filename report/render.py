"""The page: query results in, one self-contained HTML string out.

`render_report(ReportData(...))` builds the sections (charts.py, sections.py) and fills the Jinja2
template `templates/report.html.j2` (autoescaped: article text never becomes markup). The CSS,
the embed script and the Vega bundle (vega, vega-lite, vega-embed, bundled by vl-convert) are
inlined once for the whole page, so the file opens with no network.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import os
from dataclasses import dataclass, field, fields
from importlib import resources
from pathlib import Path
from typing import Any

import altair as alt
import jinja2
import polars as pl
from markupsafe import Markup

from report import charts, sections
from report.sections import Section
from report.stamp import STAMP_META, stamp_for


@dataclass
class ReportData:
    """Query results the report is built from. Frames may be polars, pandas or Arrow (missing
    columns are tolerated); the analytics view each comes from is named beside it."""

    figure_timeline: Any = None  # analytics.figure_timeline (bounded by the caller: see report.stamp)
    entity_summary: Any = None  # analytics.entity_summary (ordered or not: the top is chosen here)
    entity_daily: Any = None  # analytics.entity_daily
    entity_cooccurrence: Any = None  # analytics.entity_cooccurrence
    figure_conflicts: Any = None  # analytics.figure_conflicts
    figure_vs_reference: Any = None  # analytics.figure_vs_reference
    reference_series: Any = None  # ref.series rows for the measures and populations above
    figure_claims: Any = None  # analytics.figure_claims
    outlet_summary: Any = None  # analytics.outlet_summary
    counts: dict[str, Any] = field(default_factory=dict)  # articles, figures, ... for the header
    warehouse_path: str = ""
    generated_at: dt.datetime | None = None
    published_at: dt.datetime | None = None
    conflicts_total: int | None = None  # the totals, when the caller's query kept only the leading rows
    claims_total: int | None = None
    outlets_total: int | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.type == "Any":
                setattr(self, f.name, as_polars(getattr(self, f.name)))


def as_polars(frame: Any) -> pl.DataFrame:
    if frame is None:
        return pl.DataFrame()
    if isinstance(frame, pl.DataFrame):
        return frame
    if hasattr(frame, "to_batches") or hasattr(frame, "column_names"):  # an Arrow table
        return pl.from_arrow(frame)
    if hasattr(frame, "iloc"):  # pandas (NaN becomes null)
        return pl.from_pandas(frame) if len(frame.columns) else pl.DataFrame()
    return pl.DataFrame(frame)


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


def build_sections(data: ReportData) -> list[Section]:
    total_figures = data.counts.get("figures")
    return [
        sections.outlets_section(data.outlet_summary, data.outlets_total),
        charts.reference_section(data.figure_vs_reference, data.reference_series),
        sections.claims_section(data.figure_claims, data.claims_total),
        charts.timeline_section(data.figure_timeline, total_figures),
        sections.conflicts_section(data.figure_conflicts, data.conflicts_total),
        charts.top_entities_section(data.entity_summary),
        charts.entities_over_time_section(data.entity_summary, data.entity_daily),
        charts.cooccurrence_section(data.entity_summary, data.entity_cooccurrence),
    ]


# ---------------------------------------------------------------------------------------------- assets
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


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("report", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=True,
                                            default=True),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def _static(name: str) -> str:
    return resources.files("report").joinpath("static", name).read_text(encoding="utf-8")


def json_for_script(obj: Any) -> Markup:
    """JSON for a <script type="application/json"> element: only "</" (and "<!--") could end or confuse
    it, so every "<" is escaped; the result is markup the template must not escape again."""
    return Markup(json.dumps(obj, ensure_ascii=False, default=str).replace("<", "\\u003c"))  # noqa: S704 -- "<" escaped


def _header_items(data: ReportData) -> list[tuple[str, str]]:
    c = data.counts
    generated = (data.generated_at or dt.datetime.now(dt.UTC).replace(tzinfo=None)).replace(microsecond=0)
    items = [("generated", f"{generated.isoformat(sep=' ')} UTC")]
    if "articles" in c:
        extra = []
        if c.get("canonical_articles") is not None and c.get("canonical_articles") != c.get("articles"):
            extra.append(f"{c['canonical_articles']:,} canonical")
        if c.get("dated_articles") is not None:
            extra.append(f"{c['dated_articles']:,} dated")
        if c.get("outlets") is not None:
            extra.append(f"{c['outlets']:,} outlets")
        items.append(("articles", f"{c['articles']:,}" + (f" ({', '.join(extra)})" if extra else "")))
    if "figures" in c:
        extra = f" ({c['dated_figures']:,} with a reported date)" if c.get("dated_figures") is not None else ""
        items.append(("figures", f"{c['figures']:,}{extra}"))
    if "entities" in c:
        items.append(("entities", f"{c['entities']:,} distinct, {c.get('mentions', 0):,} mentions"))
    if data.published_at is not None:
        items.append(("published", f"{data.published_at.replace(microsecond=0).isoformat(sep=' ')} UTC"))
    return items


def render_report(data: ReportData, bundle_cache_dir: str | os.PathLike | None = None) -> RenderedReport:
    """The whole page as one string: header, sections, one inlined Vega bundle, one embed script."""
    built = build_sections(data)
    has_charts = any(s.spec is not None for s in built)
    bundle = vega_bundle(str(bundle_cache_dir) if bundle_cache_dir else None) if has_charts else None
    page = environment().get_template("report.html.j2").render(
        stamp_meta=STAMP_META,
        stamp=stamp_for(data.published_at),
        header=_header_items(data),
        warehouse_path=data.warehouse_path or "?",
        sections=built,
        spec_json={s.key: json_for_script(s.spec) for s in built if s.spec is not None},
        # our own files, shipped with the package (never data), inlined as they are
        css=Markup(_static("report.css")),  # noqa: S704
        vega_bundle=Markup(bundle) if bundle is not None else None,  # noqa: S704
        embed_script=Markup(_static("embed.js")),  # noqa: S704
    )
    return RenderedReport(html=page, sections=built)
