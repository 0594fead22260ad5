"""report.html: the pure builder on hand-made frames, the Dagster asset, and the page in a real headless Chromium."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from orchestration import reporting as rep

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
INSTALL_CHROMIUM = "sudo apt-get install -y chromium"
D1, D2, D3 = dt.date(2023, 11, 3), dt.date(2023, 11, 30), dt.date(2024, 1, 6)
EVIL = "</script><script>alert(1)</script> & <b>"


# ---------------------------------------------------------------------------------------------- frames
def timeline(dates=(D1, D2, D3)) -> pd.DataFrame:
    d1, d2, d3 = dates
    rows = [
        (d1, "killed", "people", "Gaza", 9000.0, None, "more_than", "people", "Gaza Health Ministry",
         "Hamas-run Ministry of Health in Gaza", "asserted", "Blinken meets Netanyahu", "more than 9,000"),
        (d2, "killed", "people", "Gaza", 15000.0, None, "more_than", "people", "Gaza Health Ministry",
         "Health authorities in Gaza", "asserted", EVIL, "more than 15,000"),
        (d3, "killed", "Palestinians", "Gaza", 22600.0, None, "at_least", "people", "Gaza Health Ministry",
         "Gaza's health authorities", "asserted", "Haniyeh calls on Blinken", "At least 22,600"),
        (d2, "hostages", "people", "Gaza", 150.0, None, "about", "people", "Isaac Herzog", "Herzog", "asserted",
         EVIL, "about 150"),
        (d3, "damaged", "infrastructure", "Gaza", 60.0, None, "exact", "percent", None, None, "asserted",
         "Haniyeh calls on Blinken", "60%"),
        (None, "killed", "children", "Gaza", 66.0, None, "exact", "people", "Gaza Health Ministry",
         "Gaza health ministry", "asserted", "Blinken leaves", "66"),
    ]
    cols = ["reported_date", "measure", "subject", "location", "value", "value_max", "qualifier", "unit", "source",
            "source_text", "modality", "article_title", "figure_text"]
    df = pd.DataFrame(rows, columns=cols)
    df["reported_date"] = pd.to_datetime(df["reported_date"])  # what duckdb's .df() gives for a DATE
    return df


def entity_summary() -> pd.DataFrame:
    return pd.DataFrame({
        "entity": ["Gaza", "Antony Blinken", "Israel", "Hamas", "Benjamin Netanyahu"],
        "label": ["GPE", "PERSON", "GPE", "ORG", "PERSON"],
        "articles": [3, 3, 3, 2, 1],
        "mentions": [20, 25, 30, 9, 3],
        "first_seen": pd.to_datetime([D1, D1, D1, D2, D1]),
        "last_seen": pd.to_datetime([D3, D3, D3, D3, D1]),
    })


def entity_daily(dates=(D1, D2, D3)) -> pd.DataFrame:
    rows = [(e, d, m, 1) for e, m in (("Gaza", 5), ("Antony Blinken", 8), ("Israel", 9)) for d in dates]
    df = pd.DataFrame(rows, columns=["entity", "published_date", "mentions", "articles"])
    df["published_date"] = pd.to_datetime(df["published_date"])
    return df


def cooccurrence() -> pd.DataFrame:
    return pd.DataFrame({
        "entity_a": ["Antony Blinken", "Antony Blinken", "Gaza", "Benjamin Netanyahu"],
        "entity_b": ["Gaza", "Israel", "Israel", "Israel"],
        "articles": [3, 3, 3, 1],
        "first_seen": pd.to_datetime([D1, D1, D1, D1]),
        "last_seen": pd.to_datetime([D3, D3, D3, D1]),
    })


def conflicts(n: int = 1) -> pd.DataFrame:
    return pd.DataFrame({
        "reported_date": pd.to_datetime([D2] * n), "measure": ["killed"] * n, "subject": ["people"] * n,
        "location": ["Gaza"] * n, "source_a": ["Gaza Health Ministry"] * n, "value_a": [15000.0] * n,
        "qualifier_a": ["more_than"] * n, "source_b": [EVIL] * n, "value_b": [11000.0] * n,
        "qualifier_b": ["about"] * n, "relative_gap": [4000 / 15000] * n, "figure_id_a": ["a"] * n,
        "figure_id_b": ["b"] * n, "article_title_a": ["One"] * n, "article_title_b": ["Two"] * n,
    })


def data(**over) -> rep.ReportData:
    kw = dict(figure_timeline=timeline(), entity_summary=entity_summary(), entity_daily=entity_daily(),
              entity_cooccurrence=cooccurrence(), figure_conflicts=pd.DataFrame(columns=list(conflicts().columns)),
              counts={"articles": 5, "canonical_articles": 5, "dated_articles": 3, "figures": 6, "dated_figures": 5,
                      "entities": 5, "mentions": 87},
              warehouse_path="/data/warehouse.duckdb", generated_at=dt.datetime(2024, 1, 7, 12, 0, 0),
              published_at=dt.datetime(2024, 1, 7, 11, 59, 0, 123456))
    kw.update(over)
    return rep.ReportData(**kw)


def specs(page: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(r'<script type="application/json" class="chart-spec"[^>]*>(.*?)</script>',
                                               page, re.S)]


def values(spec) -> list[dict]:
    """Every inline data row anywhere in a (layered, faceted) Vega-Lite spec."""
    found = []
    if isinstance(spec, dict):
        if isinstance(spec.get("values"), list):
            found.extend(spec["values"])
        for v in spec.values():
            found.extend(values(v))
    elif isinstance(spec, list):
        for v in spec:
            found.extend(values(v))
    return found


# ---------------------------------------------------------------------------------------------- unit tests
def test_full_report_has_four_charts_one_bundle_and_no_external_resources():
    out = rep.render_report(data())
    page = out.html
    assert out.n_charts == 4 and len(specs(page)) == 4
    assert [s.key for s in out.sections] == ["figure_timeline", "entity_summary", "entity_daily",
                                             "entity_cooccurrence", "figure_conflicts"]
    assert page.count("window.vegaEmbed=") == 1, "the Vega bundle must be inlined exactly once"
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|@import", page), "the page must not load anything"
    for i in range(4):
        assert f'<div class="chart" id="chart-{i}"' in page
    # header
    for text in ("2024-01-07 12:00:00 UTC", "/data/warehouse.duckdb", "5 (3 dated)", "6 (5 with a reported date)"):
        assert text in page
    # no conflicts: the explanatory line
    assert "No conflicting figures" in page
    # hostile text never leaves its element
    assert "<script>alert(1)" not in page and "</script><script>alert" not in page
    assert rep.read_stamp(page) == rep.stamp_for(dt.datetime(2024, 1, 7, 11, 59, 0, 123456))


def test_timeline_tooltips_carry_source_qualifier_and_article():
    out = rep.render_report(data())
    spec = out.sections[0].spec
    rows = values(spec)
    assert len(rows) == 5, "the undated figure is left out of the timeline"
    toll = next(r for r in rows if r["value"] == 22600.0)
    assert toll["source"] == "Gaza Health Ministry" and toll["qualifier"] == "at least"
    assert toll["figure"] == "at least 22,600 people" and toll["reported"] == "2024-01-06"
    assert toll["article"] == "Haniyeh calls on Blinken" and toll["as_written"] == "Gaza's health authorities"
    assert next(r for r in rows if r["value"] == 60.0)["source"] == "unattributed"
    tooltip_fields = {t["field"] for t in _tooltips(spec)}
    assert {"source", "qualifier", "article", "figure"} <= tooltip_fields
    assert "1 figure without a reported date not shown" in out.sections[0].question
    assert spec["facet"]["row"]["field"] == "measure"


def _tooltips(spec) -> list[dict]:
    found = []
    if isinstance(spec, dict):
        if isinstance(spec.get("tooltip"), list):
            found.extend(spec["tooltip"])
        for v in spec.values():
            found.extend(_tooltips(v))
    elif isinstance(spec, list):
        for v in spec:
            found.extend(_tooltips(v))
    return found


def test_cooccurrence_heatmap_is_symmetric_and_limited_to_top_entities():
    spec = rep.render_report(data()).sections[3].spec
    cells = {(r["x"], r["y"]): r["articles"] for r in values(spec)}
    assert cells[("Gaza", "Antony Blinken")] == cells[("Antony Blinken", "Gaza")] == 3
    assert cells[("Israel", "Benjamin Netanyahu")] == 1
    assert len(cells) == 8


def test_empty_warehouse_renders_notes_and_no_javascript():
    empty = pd.DataFrame()
    out = rep.render_report(data(figure_timeline=empty, entity_summary=empty, entity_daily=empty,
                                 entity_cooccurrence=empty, figure_conflicts=empty, counts={}, published_at=None))
    assert out.n_charts == 0 and specs(out.html) == []
    assert "window.vegaEmbed=" not in out.html and len(out.html) < 20_000
    assert "No figures in the warehouse yet." in out.html
    assert "No entities in the warehouse yet." in out.html
    assert "No conflicting figures" in out.html
    assert len(out.notes) == 4


def test_all_dates_null_gives_notes_for_time_charts_but_keeps_the_others():
    undated = timeline(dates=(None, None, None))
    out = rep.render_report(data(figure_timeline=undated, entity_daily=pd.DataFrame(
        columns=["entity", "published_date", "mentions", "articles"])))
    by_key = {s.key: s for s in out.sections}
    assert by_key["figure_timeline"].spec is None
    assert "has a reported date" in by_key["figure_timeline"].note
    assert by_key["entity_daily"].spec is None and "publication date" in by_key["entity_daily"].note
    assert by_key["entity_summary"].spec is not None and by_key["entity_cooccurrence"].spec is not None
    assert out.n_charts == 2 and out.html.count("window.vegaEmbed=") == 1


def test_dates_as_plain_python_dates_or_strings_work_too():
    df = timeline()
    df["reported_date"] = [D1, D2, D3, D2, D3, None]
    rows = values(rep.timeline_section(df).spec)
    assert sorted({r["reported"] for r in rows}) == ["2023-11-03", "2023-11-30", "2024-01-06"]
    df["reported_date"] = ["2023-11-03", "2023-11-30", "2024-01-06", "2023-11-30", "2024-01-06", None]
    assert len(values(rep.timeline_section(df).spec)) == 5


def test_conflicts_table_escapes_and_formats():
    out = rep.render_report(data(figure_conflicts=conflicts(2), conflicts_total=2))
    table = out.sections[4].table_html
    assert "<table" in table and "No conflicting figures" not in out.html
    assert "more than 15,000" in table and "about 11,000" in table and "27%" in table
    assert "&lt;/script&gt;" in table and EVIL not in table
    assert "2 conflicting pairs" in table


def test_describe_value():
    assert rep.describe_value(22600, "at_least", "people") == "at least 22,600 people"
    assert rep.describe_value(60, "exact", "percent") == "60%"
    assert rep.describe_value(2.5, "nearly", "usd") == "nearly $2.5"
    assert rep.describe_value(10, "up_to", "people", 20) == "up to 10-20 people"
    assert rep.describe_value(float("nan")) == ""


# ---------------------------------------------------------------------------------------------- the asset
def _copy_warehouse(samples_warehouse: Path, tmp: Path):
    from orchestration.warehouse import WarehouseResource

    src = samples_warehouse.parent
    shutil.copytree(src / ".work", tmp / ".work", ignore=shutil.ignore_patterns("*.lock", "*.tmp"))
    shutil.copyfile(samples_warehouse, tmp / "warehouse.duckdb")
    (tmp / "inbox").mkdir()
    return WarehouseResource(database=str(tmp / ".work" / "warehouse.duckdb"),
                             warehouse_path=str(tmp / "warehouse.duckdb"), inbox=str(tmp / "inbox"))


def _materialize(wh):
    import dagster as dg

    from orchestration.assets.report import REPORT, report

    result = dg.materialize([report], resources={"warehouse": wh}, raise_on_error=True)
    events = result.asset_materializations_for_node(report.op.name)
    if not events:
        return None  # current: nothing rendered, no materialization recorded
    (event,) = events
    assert event.asset_key == REPORT
    return {k: v.value for k, v in event.metadata.items()}


@pytest.mark.spacy
def test_report_asset_renders_then_skips_until_republished(samples_warehouse, tmp_path):
    import duckdb

    assert (samples_warehouse.parent / "report.html").is_file(), "the pipeline run writes report.html"
    wh = _copy_warehouse(samples_warehouse, tmp_path)
    report_html = Path(wh.report_path)
    assert report_html.parent == tmp_path and not report_html.exists()

    first = _materialize(wh)
    assert first["rerendered"] is True and first["path"] == str(report_html)
    assert first["charts"] == 4 and first["size_bytes"] == report_html.stat().st_size
    assert "no conflicts" in first["description"]
    assert first["render_seconds"] < 15
    assert not list(tmp_path.glob(".report.html.*")), "no temporary file is left behind"
    before = report_html.stat().st_mtime_ns

    assert _materialize(wh) is None  # nothing was republished: the report is current, no materialization
    assert report_html.stat().st_mtime_ns == before

    conn = duckdb.connect(wh.work_path)  # what a republish does to raw.runs
    conn.execute("UPDATE raw.runs SET published_at = published_at + INTERVAL 1 SECOND "
                 "WHERE published_at = (SELECT max(published_at) FROM raw.runs)")
    conn.close()
    assert _materialize(wh)["rerendered"] is True


# ---------------------------------------------------------------------------------------------- the browser
def _need(ok: bool, reason: str) -> None:
    """Skip locally; on CI (.ci/run installs Chromium) a missing browser is a failure."""
    if ok:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: .ci/run installs it, so this must not be skipped)")
    pytest.skip(reason)


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-extensions", "--disable-default-apps",
                 "--host-resolver-rules=MAP * ~NOTFOUND"]


@pytest.mark.browser
@pytest.mark.spacy
def test_report_renders_in_headless_chromium(samples_warehouse, tmp_path):
    _need(CHROMIUM.exists(), f"Chromium is not installed at {CHROMIUM}: {INSTALL_CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "the playwright package is missing: make install (it is pinned in pyproject.toml)")
    report_html = samples_warehouse.parent / "report.html"
    assert report_html.is_file()
    url = report_html.as_uri()

    console_errors: list[str] = []
    failed: list[str] = []
    outside: list[str] = []

    def route(r):
        if r.request.url.startswith("file://") and r.request.url.split("#")[0] == url:
            r.continue_()
        else:  # the report must need nothing but itself
            outside.append(r.request.url)
            r.abort()

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True, offline=True,
            args=CHROMIUM_ARGS, viewport={"width": 1100, "height": 900})
        try:
            context.route("**/*", route)
            page = context.new_page()
            page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: console_errors.append(f"uncaught: {e}"))
            page.on("requestfailed", lambda r: failed.append(f"{r.url}: {r.failure}"))
            page.goto(url, wait_until="load")
            page.wait_for_function(
                "document.querySelectorAll('div.chart').length > 0 && "
                "document.querySelectorAll('div.chart:not([data-rendered])').length === 0", timeout=30_000)
            charts = page.evaluate("""Array.from(document.querySelectorAll('div.chart')).map(d => ({
                id: d.id, section: d.dataset.section, rendered: d.dataset.rendered,
                drawn: d.querySelectorAll('svg, canvas').length,
                marks: d.querySelectorAll('.role-mark path, .role-mark rect, .role-mark text').length}))""")
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
            # hovering a point of the timeline shows who reported it
            page.locator("#chart-0 g.mark-symbol.role-mark path").first.hover()
            page.wait_for_selector("#vg-tooltip-element.visible", timeout=5_000)
            tooltip = page.inner_text("#vg-tooltip-element")
            conflicts_text = page.inner_text("#figure_conflicts")
        finally:
            context.close()

    assert [c["section"] for c in charts] == ["figure_timeline", "entity_summary", "entity_daily",
                                              "entity_cooccurrence"]
    for c in charts:
        assert c["rendered"] == "true" and c["drawn"] >= 1, c
        assert c["marks"] > 0, f"{c['section']} drew no data marks: {c}"
    assert "source" in tooltip and "article" in tooltip and "qualifier" in tooltip, tooltip
    assert "No conflicting figures" in conflicts_text or "conflicting pair" in conflicts_text
    assert console_errors == [], console_errors
    assert failed == [], failed
    assert outside == [], f"the report tried to load: {outside}"
    assert (ARTIFACTS / "report.png").stat().st_size > 10_000
