"""report.html beside the published warehouse: charts of the analytics views, one self-contained file."""

import datetime as dt
import os
import time
from pathlib import Path

import dagster as dg

from orchestration.assets.analytics import PUBLISHED
from orchestration.report_stamp import MAX_CONFLICT_ROWS, TOP_ENTITIES, TOP_ENTITIES_OVER_TIME, read_stamp, stamp_for
from orchestration.versions import code_version
from orchestration.warehouse import WarehouseResource, utcnow

REPORT = dg.AssetKey(["report", "html"])

TIMELINE_COLUMNS = ("reported_date, measure, subject, location, value, value_max, qualifier, unit, source, "
                    "source_text, modality, article_title, figure_text")


def published_at(conn) -> dt.datetime | None:
    """When the copy at $NEWS_WAREHOUSE was last published (identifies what a report shows)."""
    return conn.execute("SELECT max(published_at) FROM raw.runs").fetchone()[0]


def report_stale(warehouse: WarehouseResource, conn) -> bool:
    """The report is missing, or shows another publish than the last one."""
    path = Path(warehouse.report_path)
    return not path.exists() or existing_stamp(path) != stamp_for(published_at(conn))


def load_report_data(warehouse: WarehouseResource, conn, published: dt.datetime | None) -> dict:
    """Every query the report needs, as Arrow tables (the helper process turns them into charts)."""
    def one(sql: str, params: list | None = None):
        return conn.execute(sql, params or []).fetchall()[0][0]

    def table(sql: str, params: list | None = None):
        return conn.sql(sql, params=params or None).to_arrow_table()

    counts = {
        "articles": one("SELECT count(*) FROM core.articles"),
        "canonical_articles": one("SELECT count(*) FROM core.articles "
                                  "WHERE duplicate_of IS NULL AND superseded_by IS NULL"),
        "dated_articles": one("SELECT count(published_date) FROM core.articles "
                              "WHERE duplicate_of IS NULL AND superseded_by IS NULL"),
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
    return dict(
        figure_timeline=table(f"SELECT {TIMELINE_COLUMNS} FROM analytics.figure_timeline "  # noqa: S608 -- fixed column list
                              "ORDER BY reported_date DESC NULLS LAST, measure, value DESC"),
        entity_summary=summary,
        entity_daily=daily,
        entity_cooccurrence=pairs,
        figure_conflicts=table("SELECT * FROM analytics.figure_conflicts "
                               "ORDER BY reported_date DESC, relative_gap DESC LIMIT ?", [MAX_CONFLICT_ROWS]),
        conflicts_total=one("SELECT count(*) FROM analytics.figure_conflicts"),
        counts=counts,
        warehouse_path=warehouse.published_path,
        generated_at=utcnow(),
        published_at=published,
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
    description="report.html beside $NEWS_WAREHOUSE: a timeline of reported figures (source, qualifier and article "
                "on hover), the most mentioned entities and how often they appear over time, who is mentioned "
                "with whom, and the figures sources disagree on. One self-contained file that opens offline. "
                "Re-rendered only when the warehouse was republished (or the report is missing or outdated).",
)
def report(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    path = Path(warehouse.report_path)
    t0 = time.perf_counter()
    with warehouse.get_connection() as conn:
        if not report_stale(warehouse, conn):
            context.log.info(f"The warehouse was not republished; {path} is current.")
            return
        published = published_at(conn)
        data = load_report_data(warehouse, conn, published)
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
