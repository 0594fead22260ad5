"""report.html: the pure builder on hand-made frames, the Dagster asset, and the page in a real headless Chromium."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import polars as pl
import pytest

from report import render as rep
from report import stamp
from report.values import describe_value

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
INSTALL_CHROMIUM = "sudo apt-get install -y chromium"
D1, D2, D3 = dt.date(2023, 10, 9), dt.date(2023, 10, 12), dt.date(2023, 10, 16)
EVIL = "</script><script>alert(1)</script> & <b>"
GAZA, ISRAELIS = "Palestinians in Gaza", "Israelis"

TIMELINE_COLUMNS = ["reported_date", "measure", "subject", "population", "scope", "location", "value", "value_max",
                    "qualifier", "unit", "source", "source_text", "modality", "part_of", "outlet", "article_title",
                    "figure_text"]


# ---------------------------------------------------------------------------------------------- frames
def fig(day, measure, population, scope, value, *, source="Gaza Health Ministry", outlet="The Washington Post",
        part_of=None, title="Strikes continue", qualifier="at_least", unit="people", modality="asserted",
        subject="people") -> dict:
    return dict(reported_date=day, measure=measure, subject=subject, population=population, scope=scope,
                location="Gaza", value=float(value), value_max=None, qualifier=qualifier, unit=unit, source=source,
                source_text=source, modality=modality, part_of=part_of, outlet=outlet, article_title=title,
                figure_text=f"at least {value}")


def timeline(dates=(D1, D2, D3)) -> pl.DataFrame:
    d1, d2, d3 = dates
    rows = [
        fig(d1, "killed", GAZA, "cumulative", 900),
        fig(d1, "killed", GAZA, "cumulative", 1100, outlet="The New York Times", source=None),
        fig(d2, "killed", GAZA, "cumulative", 1500, title=EVIL),
        fig(d3, "killed", GAZA, "cumulative", 2700, outlet="The Wall Street Journal"),
        fig(d3, "killed", GAZA, "cumulative", 700, part_of="f1", subject="children"),  # a subset: a point only
        fig(d2, "killed", GAZA, "incident", 12, source=EVIL),
        fig(d2, "killed", ISRAELIS, "cumulative", 1200, source="Israeli officials"),
        fig(d3, "killed", ISRAELIS, "cumulative", 1300, source="Israeli officials"),
        fig(d2, "hostages", "hostages in Gaza", "cumulative", 150, qualifier="about"),
        fig(d3, "damaged", "Palestinians in Gaza", "other", 60, unit="percent"),  # scope other: left out
        fig(d3, "other", GAZA, "cumulative", 3, unit="usd"),  # measure other: left out
        fig(None, "killed", "children", "cumulative", 66),  # undated
    ]
    return pl.DataFrame(rows, schema_overrides={"reported_date": pl.Date, "part_of": pl.Utf8, "value_max": pl.Float64,
                                                "source": pl.Utf8})


def reference() -> tuple[pl.DataFrame, pl.DataFrame]:
    reported = pl.DataFrame([
        dict(reported_date=D1, outlet="The Washington Post", source="Gaza Health Ministry", measure="killed",
             population=GAZA, value=900.0, qualifier="at_least", series="OCHA flash updates", series_date=D1,
             series_value=687.0, ratio=900 / 687, best_match_date=D2, best_match_value=1055.0, lag_days=-3,
             article_title=EVIL),
        dict(reported_date=D3, outlet=EVIL, source=None, measure="killed", population=GAZA, value=2700.0,
             qualifier="exact", series="OCHA flash updates", series_date=D3, series_value=2670.0, ratio=2700 / 2670,
             best_match_date=D3, best_match_value=2670.0, lag_days=0, article_title="Toll rises"),
        dict(reported_date=D2, outlet="The New York Times", source="Israeli officials", measure="killed",
             population=ISRAELIS, value=1200.0, qualifier="more_than", series="OCHA flash updates", series_date=D2,
             series_value=1200.0, ratio=1.0, best_match_date=D2, best_match_value=1200.0, lag_days=0,
             article_title="Israel mourns"),
    ])
    series = pl.DataFrame([dict(series="OCHA flash updates", date=d, measure="killed", population=p, value=v,
                                source="UN OCHA")
                           for p, vals in ((GAZA, (687, 1055, 2670)), (ISRAELIS, (900, 1200, 1300)))
                           for d, v in zip((D1, D2, D3), vals, strict=True)])
    return reported, series


def claims() -> pl.DataFrame:
    return pl.DataFrame([
        dict(measure="killed", population=ISRAELIS, scope="cumulative", claim_value=1200.0, qualifier="more_than",
             first_reported=D2, first_outlet="The New York Times", first_article_title="Israel mourns",
             sources=["Israeli officials", EVIL], outlets=3, articles=5, figures=6, last_reported=D3),
        dict(measure="killed", population=GAZA, scope="cumulative", claim_value=900.0, qualifier="at_least",
             first_reported=D1, first_outlet="The Washington Post", first_article_title="Strikes",
             sources=["Gaza Health Ministry"], outlets=1, articles=1, figures=1, last_reported=D1),
        dict(measure="hostages", population="hostages in Gaza", scope="cumulative", claim_value=150.0,
             qualifier="about", first_reported=D2, first_outlet=None, first_article_title="Hostages",
             sources=[], outlets=2, articles=2, figures=2, last_reported=D3),
    ])


def outlets() -> pl.DataFrame:
    return pl.DataFrame([
        dict(outlet="The Washington Post", articles=12, share_dated=1.0, figures=30, entities=80,
             top_sources=["Gaza Health Ministry", "Israeli officials"], first_date=D1, last_date=D3),
        dict(outlet=EVIL, articles=3, share_dated=0.667, figures=4, entities=10, top_sources=[EVIL],
             first_date=D2, last_date=D3),
        dict(outlet=None, articles=5, share_dated=0.2, figures=2, entities=12, top_sources=None, first_date=None,
             last_date=None),
    ])


def entity_summary() -> pl.DataFrame:
    return pl.DataFrame({
        "entity": ["Gaza", "Antony Blinken", "Israel", "Hamas", "Benjamin Netanyahu"],
        "label": ["GPE", "PERSON", "GPE", "ORG", "PERSON"],
        "articles": [3, 3, 3, 2, 1],
        "mentions": [20, 25, 30, 9, 3],
        "first_seen": [D1, D1, D1, D2, D1],
        "last_seen": [D3, D3, D3, D3, D1],
    })


def entity_daily(dates=(D1, D2, D3)) -> pl.DataFrame:
    rows = [(e, d, m, 1) for e, m in (("Gaza", 5), ("Antony Blinken", 8), ("Israel", 9)) for d in dates]
    return pl.DataFrame(rows, schema=["entity", "published_date", "mentions", "articles"], orient="row")


def cooccurrence() -> pl.DataFrame:
    return pl.DataFrame({
        "entity_a": ["Antony Blinken", "Antony Blinken", "Gaza", "Benjamin Netanyahu"],
        "entity_b": ["Gaza", "Israel", "Israel", "Israel"],
        "articles": [3, 3, 3, 1],
        "first_seen": [D1, D1, D1, D1],
        "last_seen": [D3, D3, D3, D1],
    })


def conflicts(n: int = 1) -> pl.DataFrame:
    return pl.DataFrame({
        "reported_date": [D2] * n, "measure": ["killed"] * n, "population": [GAZA] * n, "subject": ["people"] * n,
        "location": ["Gaza"] * n, "unit": ["people"] * n, "source_a": ["Gaza Health Ministry"] * n,
        "value_a": [1500.0] * n, "qualifier_a": ["more_than"] * n, "outlet_a": ["The Washington Post"] * n,
        "source_b": [EVIL] * n, "value_b": [1100.0] * n, "qualifier_b": ["about"] * n,
        "outlet_b": ["The New York Times"] * n, "relative_gap": [400 / 1500] * n, "figure_id_a": ["a"] * n,
        "figure_id_b": ["b"] * n, "article_title_a": ["One"] * n, "article_title_b": ["Two"] * n,
    })


def data(**over) -> rep.ReportData:
    reported, series = reference()
    kw = dict(figure_timeline=timeline(), entity_summary=entity_summary(), entity_daily=entity_daily(),
              entity_cooccurrence=cooccurrence(), figure_conflicts=conflicts(0), figure_vs_reference=reported,
              reference_series=series, figure_claims=claims(), outlet_summary=outlets(),
              counts={"articles": 20, "canonical_articles": 20, "dated_articles": 16, "figures": 12,
                      "dated_figures": 11, "entities": 5, "mentions": 87, "outlets": 3},
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


def encodings(spec, channel: str) -> list[dict]:
    """Every encoding of a channel (color, shape, tooltip, ...) anywhere in a spec."""
    found = []
    if isinstance(spec, dict):
        enc = spec.get("encoding")
        if isinstance(enc, dict) and channel in enc:
            found.append(enc[channel])
        for v in spec.values():
            found.extend(encodings(v, channel))
    elif isinstance(spec, list):
        for v in spec:
            found.extend(encodings(v, channel))
    return found


def section(out, key: str):
    return next(s for s in out.sections if s.key == key)


KEYS = ["outlet_summary", "figure_vs_reference", "figure_claims", "figure_timeline", "figure_conflicts",
        "entity_summary", "entity_daily", "entity_cooccurrence"]
CHARTS = ["figure_vs_reference", "figure_timeline", "entity_summary", "entity_daily", "entity_cooccurrence"]


# ---------------------------------------------------------------------------------------------- unit tests
def test_full_report_has_every_section_one_bundle_and_no_external_resources():
    out = rep.render_report(data())
    page = out.html
    assert [s.key for s in out.sections] == KEYS
    assert out.n_charts == len(CHARTS) and len(specs(page)) == len(CHARTS)
    assert [s.key for s in out.sections if s.spec is not None] == CHARTS
    assert page.count("window.vegaEmbed=") == 1, "the Vega bundle must be inlined exactly once"
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|@import", page), "the page must not load anything"
    for i, key in enumerate(KEYS):
        assert f'<section id="{key}">' in page
        if key in CHARTS:
            assert f'<div class="chart" id="chart-{i}" data-section="{key}">' in page
    for text in ("2024-01-07 12:00:00 UTC", "/data/warehouse.duckdb", "20 (16 dated, 3 outlets)",
                 "12 (11 with a reported date)", "2024-01-07 11:59:00 UTC"):
        assert text in page
    assert "No conflicting figures" in page
    assert stamp.read_stamp(page) == stamp.stamp_for(dt.datetime(2024, 1, 7, 11, 59, 0, 123456))


def test_hostile_strings_stay_escaped_everywhere():
    out = rep.render_report(data(figure_conflicts=conflicts(1), conflicts_total=1))
    page = out.html
    # EVIL is an article title, an outlet, a source and a claim's source: it never becomes markup
    assert EVIL not in page and "<script>alert(1)" not in page and "</script><script>alert" not in page
    assert "<b>" not in page
    assert page.count("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;") >= 4  # the tables
    for spec in specs(page):  # and inside the JSON of the charts it is data, intact
        json.dumps(spec)
    assert any(r.get("article") == EVIL for r in values(section(out, "figure_vs_reference").spec))
    assert rep.environment().get_template("report.html.j2").environment.autoescape("report.html.j2") is True


def test_timeline_is_per_population_and_draws_lines_only_along_running_totals():
    out = rep.render_report(data())
    spec = section(out, "figure_timeline").spec
    assert spec["facet"]["field"] == "population"
    rows = values(spec)
    points = [r for r in rows if r["kind"] == "figure"]
    lines = [r for r in rows if r["kind"] == "line"]
    assert {r["population"] for r in points} == {GAZA, ISRAELIS, "hostages in Gaza"}
    assert all(r["measure"] != "other" and r["scope"] != "other" for r in points)
    assert len(points) == 9, "the undated figure and measure or scope 'other' are left out"
    # lines: one point per day and running total (the day's median), never the subset or the incident
    assert sorted((r["population"], r["date"], r["value"]) for r in lines) == [
        (ISRAELIS, "2023-10-12", 1200.0), (ISRAELIS, "2023-10-16", 1300.0),
        (GAZA, "2023-10-09", 1000.0), (GAZA, "2023-10-12", 1500.0), (GAZA, "2023-10-16", 2700.0)]
    toll = next(r for r in points if r["value"] == 2700.0)
    assert toll["source"] == "Gaza Health Ministry" and toll["qualifier"] == "at least"
    assert toll["figure"] == "at least 2,700 people" and toll["reported"] == "2023-10-16"
    assert toll["outlet"] == "The Wall Street Journal" and toll["scope"] == "cumulative"
    assert next(r for r in points if r["value"] == 1100.0)["source"] == "unattributed"
    tooltip_fields = {t["field"] for tips in encodings(spec, "tooltip") for t in tips}
    assert {"source", "qualifier", "article", "figure", "outlet", "scope"} <= tooltip_fields
    assert "9 of 12 figures shown" in section(out, "figure_timeline").question


def _domains(spec, channel="color") -> list[list]:
    """The distinct explicit domains of a channel's nominal scales (layers share theirs)."""
    found = []
    for e in encodings(spec, channel):
        if isinstance(e, dict) and e.get("type") == "nominal" and e["scale"]["domain"] not in found:
            found.append(e["scale"]["domain"])
    return found


def test_every_legend_is_bounded_on_a_large_corpus():
    """Hundreds of subjects, sources, outlets and populations: legends and panels stay small."""
    rows, reported, series = [], [], []
    for i in range(3000):
        day = D1 + dt.timedelta(days=i % 40)
        rows.append(fig(day, f"measure{i % 30}" if i % 3 else "killed", f"population{i % 40}",
                        ["cumulative", "incident", "period", "unknown"][i % 4], 10 + i, source=f"source{i % 400}",
                        outlet=f"outlet{i % 50}", subject=f"subject{i % 270}"))
        reported.append(dict(reported_date=day, outlet=f"outlet{i % 50}", source=f"source{i % 400}",
                             measure="killed", population=f"population{i % 10}", value=float(i), qualifier="exact",
                             series=f"series{i % 5}", series_date=day, series_value=float(i), ratio=1.0,
                             best_match_date=day, best_match_value=float(i), lag_days=0, article_title="t"))
    for p in range(10):
        for s in range(5):
            series.extend(dict(series=f"series{s}", date=D1 + dt.timedelta(days=d), measure="killed",
                               population=f"population{p}", value=float(d * 100), source="x") for d in range(40))
    entities = pl.DataFrame({"entity": [f"e{i}" for i in range(100)], "label": [f"L{i % 20}" for i in range(100)],
                             "articles": list(range(100, 0, -1)), "mentions": list(range(100, 0, -1)),
                             "first_seen": [D1] * 100, "last_seen": [D3] * 100})
    daily = pl.DataFrame([(f"e{i}", D1 + dt.timedelta(days=d), 3, 1) for i in range(100) for d in range(5)],
                         schema=["entity", "published_date", "mentions", "articles"], orient="row")
    pairs = pl.DataFrame([(f"e{i}", f"e{j}", 2, D1, D3) for i in range(100) for j in range(i + 1, 100, 7)],
                         schema=["entity_a", "entity_b", "articles", "first_seen", "last_seen"], orient="row")
    out = rep.render_report(data(figure_timeline=pl.DataFrame(rows), figure_vs_reference=pl.DataFrame(reported),
                                 reference_series=pl.DataFrame(series), entity_summary=entities, entity_daily=daily,
                                 entity_cooccurrence=pairs, counts={"figures": 3000}))
    by_key = {s.key: s for s in out.sections}
    assert out.n_charts == len(CHARTS)
    for key in CHARTS:
        for domain in _domains(by_key[key].spec):
            assert 1 <= len(domain) <= 12, (key, len(domain), domain)
    timeline_spec = by_key["figure_timeline"].spec
    assert len({r["population"] for r in values(timeline_spec)}) == stamp.TOP_POPULATIONS
    (measures,) = _domains(timeline_spec)
    assert len(measures) == stamp.LEGEND_MEASURES + 1 and measures[-1] == "other measures"
    assert _domains(timeline_spec, "shape") == [["cumulative", "incident", "period", "unknown"]]
    assert encodings(timeline_spec, "color")[0].get("field") not in ("subject", "source")
    ref_spec = by_key["figure_vs_reference"].spec
    assert len({r["panel"] for r in values(ref_spec)}) == stamp.TOP_REFERENCE_PANELS
    (who,) = _domains(ref_spec)
    assert "other outlets" in who and len(who) <= stamp.LEGEND_OUTLETS + 1 + 3
    (labels,) = _domains(by_key["entity_summary"].spec)
    assert len(labels) <= stamp.LEGEND_LABELS + 1
    (entities_over_time,) = _domains(by_key["entity_daily"].spec)
    assert len(entities_over_time) == stamp.TOP_ENTITIES_OVER_TIME


def test_running_totals_set_each_outlet_against_the_official_series():
    spec = section(rep.render_report(data()), "figure_vs_reference").spec
    assert spec["facet"]["field"] == "panel" and spec["columns"] == 2
    rows = values(spec)
    official = [r for r in rows if r["kind"] == "series"]
    reported = [r for r in rows if r["kind"] == "reported"]
    assert {r["panel"] for r in rows} == {f"{GAZA}: killed", f"{ISRAELIS}: killed"}
    assert len(official) == 6 and {r["who"] for r in official} == {"OCHA flash updates"}
    assert {r["who"] for r in reported} == {"The Washington Post", EVIL, "The New York Times"}
    first = next(r for r in reported if r["value"] == 900.0)
    assert first["official"] == "687 (OCHA flash updates, 2023-10-09)"
    assert first["ratio"] == "131% of the official count"
    assert first["matches"] == "the official count of 2023-10-12 (-3 days)"
    assert next(r for r in reported if r["value"] == 2700.0)["source"] == "unattributed"


def test_running_totals_without_matches_or_series_give_notes():
    reported, series = reference()
    none = section(rep.render_report(data(figure_vs_reference=reported.clear())), "figure_vs_reference")
    assert none.spec is None and "matches a reference series" in none.note
    no_series = section(rep.render_report(data(figure_vs_reference=reported.clear(),
                                               reference_series=series.clear())), "figure_vs_reference")
    assert "seeds/reference" in no_series.note


def test_claims_table_lists_the_widest_first():
    table = section(rep.render_report(data()), "figure_claims").table
    assert table.headers[:6] == ["figure", "measure", "population", "scope", "first reported", "first outlet"]
    assert [r[0] for r in table.rows] == ["more than 1,200", "about 150", "at least 900"]
    first = table.rows[0]
    assert first[4:] == ["2023-10-12", "The New York Times", "3", "5", f"Israeli officials, {EVIL}"]
    assert table.rows[1][5] == "(outlet not stated)" and table.rows[1][8] == "(unattributed)"
    assert table.caption == "3 claims"
    capped = section(rep.render_report(data(claims_total=40)), "figure_claims").table
    assert capped.caption == "40 claims; the 3 reported most widely shown"


def test_outlet_table():
    table = section(rep.render_report(data()), "outlet_summary").table
    assert [r[0] for r in table.rows] == ["The Washington Post", "(outlet not stated)", EVIL]
    assert table.rows[0] == ["The Washington Post", "12", "100%", "30", "80",
                             "Gaza Health Ministry, Israeli officials", "2023-10-09", "2023-10-16"]
    assert table.rows[2][2] == "67%" and table.rows[1][6] == "-"


def test_empty_warehouse_renders_notes_and_no_javascript():
    empty = pl.DataFrame()
    out = rep.render_report(rep.ReportData(figure_timeline=empty, counts={}, published_at=None))
    assert out.n_charts == 0 and specs(out.html) == []
    assert "window.vegaEmbed=" not in out.html and len(out.html) < 20_000
    for text in ("No figures in the warehouse yet.", "No entities in the warehouse yet.", "No conflicting figures",
                 "No articles in the warehouse yet.", "No claims"):
        assert text in out.html
    assert len(out.notes) == 6


def test_all_dates_null_gives_notes_for_time_charts_but_keeps_the_others():
    undated = timeline(dates=(None, None, None))
    out = rep.render_report(data(figure_timeline=undated, entity_daily=pl.DataFrame(
        schema=["entity", "published_date", "mentions", "articles"])))
    by_key = {s.key: s for s in out.sections}
    assert by_key["figure_timeline"].spec is None
    assert "has a reported date" in by_key["figure_timeline"].note
    assert by_key["entity_daily"].spec is None and "publication date" in by_key["entity_daily"].note
    assert by_key["entity_summary"].spec is not None and by_key["entity_cooccurrence"].spec is not None
    assert out.n_charts == 3 and out.html.count("window.vegaEmbed=") == 1


def test_frames_from_pandas_arrow_or_strings_work_too():
    df = timeline()
    as_strings = df.with_columns(pl.col("reported_date").cast(pl.Utf8))
    assert len(values(section(rep.render_report(data(figure_timeline=as_strings)), "figure_timeline").spec)) \
        == len(values(section(rep.render_report(data(figure_timeline=df)), "figure_timeline").spec))
    for frame in (df.to_arrow(), df.to_pandas()):
        rows = values(section(rep.render_report(data(figure_timeline=frame)), "figure_timeline").spec)
        assert sorted({r["date"] for r in rows}) == ["2023-10-09", "2023-10-12", "2023-10-16"]


def test_cooccurrence_heatmap_is_symmetric_and_limited_to_top_entities():
    spec = section(rep.render_report(data()), "entity_cooccurrence").spec
    cells = {(r["x"], r["y"]): r["articles"] for r in values(spec)}
    assert cells[("Gaza", "Antony Blinken")] == cells[("Antony Blinken", "Gaza")] == 3
    assert cells[("Israel", "Benjamin Netanyahu")] == 1
    assert len(cells) == 8


def test_conflicts_table_escapes_and_formats():
    out = rep.render_report(data(figure_conflicts=conflicts(2), conflicts_total=2))
    table = section(out, "figure_conflicts").table
    assert table.rows[0][:8] == ["2023-10-12", "killed", GAZA, "Gaza Health Ministry (in The Washington Post)",
                                 "more than 1,500", f"{EVIL} (in The New York Times)", "about 1,100", "27%"]
    assert table.caption == "2 conflicting pairs" and "No conflicting figures" not in out.html
    assert "&lt;/script&gt;" in out.html


def test_describe_value():
    assert describe_value(22600, "at_least", "people") == "at least 22,600 people"
    assert describe_value(60, "exact", "percent") == "60%"
    assert describe_value(2.5, "nearly", "usd") == "nearly $2.5"
    assert describe_value(10, "up_to", "people", 20) == "up to 10-20 people"
    assert describe_value(float("nan")) == ""


def test_template_and_static_files_ship_with_the_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "report" in config["packages"]
    globs = config["package-data"]["report"]
    shipped = [p.relative_to(ROOT / "report").as_posix() for p in (ROOT / "report").rglob("*")
               if p.is_file() and p.suffix != ".py" and "__pycache__" not in p.parts]
    assert shipped and all(any(fnmatch(f, g) for g in globs) for f in shipped), (shipped, globs)


def test_report_version_follows_the_report_package(tmp_path, monkeypatch):
    from orchestration.versions import code_version

    assert code_version("report") == "h" + stamp.package_version()
    copy = tmp_path / "report"
    shutil.copytree(ROOT / "report", copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(stamp, "PACKAGE_DIR", copy)
    stamp.package_version.cache_clear()
    try:
        before = stamp.package_version()
        (copy / "static" / "report.css").write_text("body { color: red; }\n")
        stamp.package_version.cache_clear()
        assert stamp.package_version() != before
    finally:
        stamp.package_version.cache_clear()


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
def test_report_asset_renders_then_skips_until_republished(oct2023_warehouse, tmp_path):
    import duckdb

    assert (oct2023_warehouse.parent / "report.html").is_file(), "the pipeline run writes report.html"
    wh = _copy_warehouse(oct2023_warehouse, tmp_path)
    report_html = Path(wh.report_path)
    assert report_html.parent == tmp_path and not report_html.exists()

    first = _materialize(wh)
    assert first["rerendered"] is True and first["path"] == str(report_html)
    assert first["charts"] == len(CHARTS) and first["size_bytes"] == report_html.stat().st_size
    assert first["render_seconds"] < 15
    assert not list(tmp_path.glob(".report.html.*")), "no temporary file is left behind"
    page = report_html.read_text(encoding="utf-8")
    by_key = {s["key"]: s for s in _page_sections(page)}
    assert set(by_key) == set(KEYS)
    before = report_html.stat().st_mtime_ns

    assert _materialize(wh) is None  # nothing was republished: the report is current, no materialization
    assert report_html.stat().st_mtime_ns == before

    conn = duckdb.connect(wh.work_path)  # what a republish does to raw.runs
    conn.execute("UPDATE raw.runs SET published_at = published_at + INTERVAL 1 SECOND "
                 "WHERE published_at = (SELECT max(published_at) FROM raw.runs)")
    conn.close()
    assert _materialize(wh)["rerendered"] is True


def _page_sections(page: str) -> list[dict]:
    return [{"key": m} for m in re.findall(r'<section id="([a-z_]+)">', page)]


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


def open_in_chromium(report_html: Path, profile: Path, screenshot: Path) -> dict:
    """Open the page offline, wait for every chart, screenshot it, hover the first point of each chart
    that has points; what the page drew, said and tried to load."""
    from playwright.sync_api import sync_playwright

    url = report_html.as_uri()
    seen: dict = {"console_errors": [], "failed": [], "outside": [], "tooltips": {}}

    def route(r):
        if r.request.url.startswith("file://") and r.request.url.split("#")[0] == url:
            r.continue_()
        else:  # the report must need nothing but itself
            seen["outside"].append(r.request.url)
            r.abort()

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, offline=True,
            args=CHROMIUM_ARGS, viewport={"width": 1100, "height": 900})
        try:
            context.route("**/*", route)
            page = context.new_page()
            page.on("console", lambda m: seen["console_errors"].append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: seen["console_errors"].append(f"uncaught: {e}"))
            page.on("requestfailed", lambda r: seen["failed"].append(f"{r.url}: {r.failure}"))
            page.goto(url, wait_until="load")
            page.wait_for_function(
                "document.querySelectorAll('div.chart').length > 0 && "
                "document.querySelectorAll('div.chart:not([data-rendered])').length === 0", timeout=60_000)
            seen["charts"] = page.evaluate("""Array.from(document.querySelectorAll('div.chart')).map(d => ({
                id: d.id, section: d.dataset.section, rendered: d.dataset.rendered,
                drawn: d.querySelectorAll('svg, canvas').length,
                marks: d.querySelectorAll('.role-mark path, .role-mark rect, .role-mark text').length}))""")
            seen["tables"] = page.evaluate("""Object.fromEntries(Array.from(document.querySelectorAll('section')).map(
                s => [s.id, s.querySelectorAll('table.data tbody tr').length]))""")
            seen["text"] = {key: page.inner_text(f"#{key}") for key in KEYS}
            screenshot.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
            for c in seen["charts"]:
                symbols = page.locator(f"#{c['id']} g.mark-symbol.role-mark path")
                if c["section"] in ("figure_vs_reference", "figure_timeline") and symbols.count():
                    # the last layer's points carry the tooltips (the line's own points come first)
                    symbols.last.hover()
                    page.wait_for_selector("#vg-tooltip-element.visible", timeout=5_000)
                    seen["tooltips"][c["section"]] = page.inner_text("#vg-tooltip-element")
                    page.mouse.move(0, 0)
        finally:
            context.close()
    return seen


@pytest.mark.browser
@pytest.mark.spacy
def test_report_renders_in_headless_chromium(oct2023_warehouse, tmp_path):
    _need(CHROMIUM.exists(), f"Chromium is not installed at {CHROMIUM}: {INSTALL_CHROMIUM}")
    try:
        import playwright  # noqa: F401
    except ImportError:
        _need(False, "the playwright package is missing: make install (it is pinned in pyproject.toml)")
    report_html = oct2023_warehouse.parent / "report.html"
    assert report_html.is_file()
    shot = ARTIFACTS / "report_oct2023.png"
    seen = open_in_chromium(report_html, tmp_path / "profile", shot)

    assert [c["section"] for c in seen["charts"]] == CHARTS
    for c in seen["charts"]:
        assert c["rendered"] == "true" and c["drawn"] >= 1, c
        assert c["marks"] > 0, f"{c['section']} drew no data marks: {c}"
    # real rows: outlets, claims repeated across outlets, outlets' running totals beside the OCHA series
    assert seen["tables"]["outlet_summary"] >= 3 and seen["tables"]["figure_claims"] >= 5, seen["tables"]
    for outlet in ("The Washington Post", "The New York Times", "The Wall Street Journal"):
        assert outlet in seen["text"]["outlet_summary"]
    assert "Palestinians in Gaza" in seen["text"]["figure_claims"]
    reference_tip = seen["tooltips"]["figure_vs_reference"]
    assert "outlet" in reference_tip and "official" in reference_tip and "article" in reference_tip, reference_tip
    timeline_tip = seen["tooltips"]["figure_timeline"]
    assert "source" in timeline_tip and "article" in timeline_tip and "qualifier" in timeline_tip, timeline_tip
    assert "No conflicting figures" in seen["text"]["figure_conflicts"] or \
        "conflicting pair" in seen["text"]["figure_conflicts"]
    assert seen["console_errors"] == [], seen["console_errors"]
    assert seen["failed"] == [], seen["failed"]
    assert seen["outside"] == [], f"the report tried to load: {seen['outside']}"
    assert shot.stat().st_size > 10_000
