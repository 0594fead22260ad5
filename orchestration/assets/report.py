"""report.html beside the published warehouse: charts and tables of the analytics views, one self-contained file.

The queries live here (bounded, parameters bound); the page is built by the `report` package.
"""

import datetime as dt
import os
import time
from pathlib import Path

import dagster as dg

from orchestration.assets.analytics import PUBLISHED
from orchestration.versions import code_version
from orchestration.warehouse import WarehouseResource, bounded, utcnow
from report.stamp import (
    MAX_CONFLICT_ROWS,
    MAX_REFERENCE_POINTS,
    MAX_TIMELINE_POINTS,
    TOP_CLAIMS,
    TOP_ENTITIES,
    TOP_ENTITIES_OVER_TIME,
    TOP_OUTLETS,
    TOP_POPULATIONS,
    read_stamp,
    stamp_for,
)

REPORT = dg.AssetKey(["report", "html"])
# The report's queries aggregate every mention and figure (entity_summary alone took +72 MB at 20,000
# articles under DuckDB's default limit of 80% of RAM, and the run process peaked at 1.2 GB at 100,000);
# under this bound DuckDB spills and evicts instead.
REPORT_MEMORY_LIMIT = "128MB"

TIMELINE_COLUMNS = ("reported_date, measure, subject, population, scope, location, value, value_max, qualifier, unit, "
                    "source, source_text, modality, part_of, outlet, article_title, figure_text")
# What the "figures over time" chart can draw: dated positive counts of a known measure for a population.
CHARTABLE = ("reported_date IS NOT NULL AND value > 0 AND population IS NOT NULL AND measure <> 'other' "
             "AND coalesce(scope, '') <> 'other'")


def published_at(conn) -> dt.datetime | None:
    """When the copy at $NEWS_WAREHOUSE was last published (identifies what a report shows)."""
    return conn.execute("SELECT max(published_at) FROM raw.runs").fetchone()[0]


def report_stale(warehouse: WarehouseResource, conn) -> bool:
    """The report is missing, shows another publish than the last one, or was drawn by other report code."""
    path = Path(warehouse.report_path)
    return not path.exists() or existing_stamp(path) != stamp_for(published_at(conn))


def load_report_data(warehouse: WarehouseResource, conn, published: dt.datetime | None) -> dict:
    """Every query the report needs, each bounded, as Arrow tables (the keyword arguments of ReportData)."""
    # Each query bounded on its own: one that cannot spill runs again unbounded, the others stay bounded
    # (retrying them all unbounded took +520 MB at 100,000 articles, against +150 for the worst alone).
    def one(sql: str, params: list | None = None):
        return bounded(conn, lambda: conn.execute(sql, params or []).fetchall()[0][0], REPORT_MEMORY_LIMIT)

    def table(sql: str, params: list | None = None):
        return bounded(conn, lambda: conn.sql(sql, params=params or None).to_arrow_table(), REPORT_MEMORY_LIMIT)

    def with_total(sql: str, params: list) -> tuple:
        """Rows of a query that ends in LIMIT ?, and how many rows it has without the limit."""
        t = table(f"SELECT *, count(*) OVER () AS total_rows FROM ({sql}) ORDER BY row_no LIMIT ?",  # noqa: S608 -- sql is one of this module's literals
                  params)
        total = t.column("total_rows")[0].as_py() if t.num_rows else 0
        return t.drop_columns(["total_rows", "row_no"]), total

    counts = {
        "articles": one("SELECT count(*) FROM core.articles"),
        "canonical_articles": one("SELECT count(*) FROM analytics.current_articles"),
        "dated_articles": one("SELECT count(published_date) FROM analytics.current_articles"),
        "outlets": one("SELECT count(DISTINCT outlet) FROM analytics.current_articles"),
        "figures": one("SELECT count(*) FROM analytics.figure_timeline"),
        "dated_figures": one("SELECT count(reported_date) FROM analytics.figure_timeline"),
        "entities": one("SELECT count(*) FROM analytics.entity_summary"),
        "mentions": one("SELECT coalesce(sum(mentions), 0) FROM analytics.entity_summary"),
    }
    summary = table("SELECT entity, label, articles, mentions, first_seen, last_seen FROM analytics.entity_summary "
                    "ORDER BY articles DESC, mentions DESC, entity LIMIT ?", [TOP_ENTITIES])
    top = [str(e) for e in summary.column("entity").to_pylist()]
    daily = table("SELECT entity, published_date, mentions, articles FROM analytics.entity_daily "
                  "WHERE list_contains(?::VARCHAR[], entity) ORDER BY published_date, entity",
                  [top[:TOP_ENTITIES_OVER_TIME]])
    pairs = table("SELECT entity_a, entity_b, articles, first_seen, last_seen FROM analytics.entity_cooccurrence "
                  "WHERE list_contains(?::VARCHAR[], entity_a) AND list_contains(?::VARCHAR[], entity_b)",
                  [top, top])
    # the leading populations, as the chart ranks them (most figures, then name)
    timeline = table(f"""
        WITH chartable AS (SELECT {TIMELINE_COLUMNS} FROM analytics.figure_timeline WHERE {CHARTABLE}),
        top_populations AS (
            SELECT population FROM chartable GROUP BY population ORDER BY count(*) DESC, population LIMIT ?)
        SELECT * FROM chartable WHERE population IN (SELECT population FROM top_populations)
        ORDER BY reported_date DESC, measure, value DESC LIMIT ?""",  # noqa: S608 -- fixed column list and filter
                     [TOP_POPULATIONS, MAX_TIMELINE_POINTS])
    reported = table("SELECT reported_date, outlet, source, measure, population, value, qualifier, series, "
                     "series_date, series_value, ratio, best_match_date, best_match_value, lag_days, article_title "
                     "FROM analytics.figure_vs_reference ORDER BY reported_date DESC, value DESC LIMIT ?",
                     [MAX_REFERENCE_POINTS])
    series = table("SELECT series, date, measure, population, value, source FROM ref.series AS s WHERE EXISTS ("
                   "SELECT 1 FROM analytics.figure_vs_reference AS r WHERE r.measure = s.measure "
                   "AND r.population = s.population) ORDER BY series, measure, population, date")
    claims, claims_total = with_total(
        "SELECT *, row_number() OVER (ORDER BY outlets DESC, articles DESC, figures DESC, first_reported, "
        "claim_value DESC, measure, population, scope) AS row_no FROM analytics.figure_claims", [TOP_CLAIMS])
    outlets, outlets_total = with_total(
        "SELECT *, row_number() OVER (ORDER BY articles DESC, outlet NULLS LAST) AS row_no "
        "FROM analytics.outlet_summary", [TOP_OUTLETS])
    conflicts, conflicts_total = with_total(
        "SELECT *, row_number() OVER (ORDER BY reported_date DESC, relative_gap DESC, figure_id_a, figure_id_b) "
        "AS row_no FROM analytics.figure_conflicts", [MAX_CONFLICT_ROWS])
    return dict(
        figure_timeline=timeline, entity_summary=summary, entity_daily=daily, entity_cooccurrence=pairs,
        figure_conflicts=conflicts, conflicts_total=conflicts_total,
        figure_vs_reference=reported, reference_series=series,
        figure_claims=claims, claims_total=claims_total,
        outlet_summary=outlets, outlets_total=outlets_total,
        counts=counts, warehouse_path=warehouse.published_path, generated_at=utcnow(), published_at=published,
    )


def write_atomically(path: Path, text: str) -> int:
    """Write to a temporary file in the same folder, then rename it into place. Returns bytes written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path.stat().st_size


def existing_stamp(path: Path) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return read_stamp(fh.read(4096))
    except OSError:
        return None


@dg.asset(
    key=REPORT,
    deps=[PUBLISHED],
    group_name="publish",
    kinds={"html"},
    pool="duckdb_writer",
    output_required=False,
    code_version=code_version("report"),
    description="report.html beside $NEWS_WAREHOUSE: per outlet; the running totals each outlet reported against "
                "the official reference series; the claims that spread widest; reported figures over time for the "
                "leading populations (source on hover); where sources disagree; the most mentioned entities, how "
                "often they appear over time and who is mentioned with whom. One self-contained file that opens "
                "offline. Re-rendered only when the warehouse was republished (or the report is missing or was "
                "drawn by other report code).",
)
def report(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    path = Path(warehouse.report_path)
    t0 = time.perf_counter()
    with warehouse.get_connection() as conn:
        if not report_stale(warehouse, conn):
            context.log.info(f"The warehouse was not republished; {path} is current.")
            return
        published = published_at(conn)
        data = load_report_data(warehouse, conn, published)  # each query bounded: DuckDB spills instead
    t_query = time.perf_counter() - t0
    page, n_charts, notes = warehouse.side.render_report(data, str(Path(warehouse.work_path).parent))
    size = write_atomically(path, page)
    seconds = time.perf_counter() - t0
    description = (f"{n_charts} charts from {data['counts']['canonical_articles']} articles and "
                   f"{data['counts']['figures']} figures; "
                   + (f"{data['conflicts_total']} conflicting pairs" if data["conflicts_total"] else "no conflicts")
                   + (f". Notes: {' '.join(notes)}" if notes else ""))
    context.log.info(f"Wrote {path} ({size / 1e3:.0f} kB, {n_charts} charts) in {seconds:.2f}s.")
    yield dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(path)),
        "size_bytes": size,
        "charts": n_charts,
        "description": description,
        "rerendered": True,
        "render_seconds": round(seconds, 3),
        "query_seconds": round(t_query, 3),
    })
