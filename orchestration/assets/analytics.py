"""analytics.* views from sql/views/*.sql, and the published read copy analysts query."""

import re
from pathlib import Path

import dagster as dg

from orchestration.assets.core import FIGURES
from orchestration.assets.ref import REF_SERIES
from orchestration.meta import markdown_preview, table_schema
from orchestration.versions import code_version
from orchestration.warehouse import SQL_DIR, WarehouseResource, bounded_query, transaction

VIEWS_DIR = SQL_DIR / "views"
PUBLISHED = dg.AssetKey(["warehouse", "published"])


def view_files() -> dict[str, Path]:
    return {p.stem: p for p in sorted(VIEWS_DIR.glob("*.sql"))}


def view_question(sql: str) -> str:
    """The first comment lines of a view file: the question it answers."""
    lines = []
    for line in sql.splitlines():
        if not line.startswith("--") or line.startswith("-- Columns:"):
            break
        lines.append(line[2:].strip())
    question = " ".join(lines).removeprefix("Question:").strip()
    return question[:1].upper() + question[1:]


def view_columns(sql: str) -> dict[str, str]:
    """'-- Columns:' block of a view file: column name -> description."""
    docs, inside = {}, False
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        if line.startswith("-- Columns:"):
            inside = True
        elif inside:
            m = re.match(r"--\s+(\w+):\s*(.+)$", line)
            if m:
                docs[m.group(1)] = m.group(2).strip()
    return docs


def _literal(text: str) -> str:
    # COMMENT ON takes no bound parameters; the text is our own, from sql/views, never data
    return "'" + text.replace("'", "''") + "'"


def _creation_order(views: dict[str, Path]) -> list[str]:
    """Views that read other views are created after them."""
    texts = {n: p.read_text(encoding="utf-8") for n, p in views.items()}
    deps = {n: {m for m in views if m != n and re.search(rf"\banalytics\.{m}\b", texts[n])} for n in views}
    order: list[str] = []
    while len(order) < len(views):
        ready = sorted(n for n in views if n not in order and deps[n] <= set(order))
        if not ready:
            raise ValueError(f"Circular view dependencies among {sorted(set(views) - set(order))}")
        order.extend(ready)
    return order


VIEWS = view_files()


@dg.multi_asset(
    specs=[dg.AssetSpec(dg.AssetKey(["analytics", name]), deps=[FIGURES, REF_SERIES],
                        group_name="analytics", kinds={"duckdb", "sql"}, skippable=True,
                        code_version=code_version("views"),
                        description=view_question(path.read_text(encoding="utf-8")),
                        metadata={"sql": dg.MetadataValue.md(f"```sql\n{path.read_text(encoding='utf-8')}\n```"),
                                  "sql_file": f"sql/views/{path.name}"})
           for name, path in VIEWS.items()],
    pool="duckdb_writer",
)
def analytics_views(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """(Re)create every view in sql/views, in dependency order, when their SQL changed; report their rows."""
    from orchestration.pending import views_fingerprint

    with warehouse.get_connection() as conn:
        fingerprint = views_fingerprint()
        stored = conn.execute("SELECT value FROM raw.schema_info WHERE key = 'views'").fetchone()
        if not stored or stored[0] != fingerprint:
            with transaction(conn):
                create_views(conn)
                conn.execute("INSERT OR REPLACE INTO raw.schema_info VALUES ('views', ?)", [fingerprint])
                warehouse.add_run_counts(conn, changes=len(VIEWS))
        if not warehouse.should_materialize(conn, "views"):
            return
        for name, path in VIEWS.items():
            # bounded: counting a view computes it (its aggregations over every mention and figure)
            n = bounded_query(conn, f"SELECT count(*) FROM analytics.{name}")[0][0]  # noqa: S608 -- view name from VIEWS, not data
            yield dg.MaterializeResult(asset_key=dg.AssetKey(["analytics", name]), metadata={
                "dagster/row_count": n,
                "dagster/column_schema": table_schema(conn, "analytics", name),
                "preview": dg.MetadataValue.md(markdown_preview(conn, f"SELECT * FROM analytics.{name} LIMIT 10")),  # noqa: S608 -- view name
                "sql": dg.MetadataValue.md(f"```sql\n{path.read_text(encoding='utf-8')}\n```"),
            })


def create_views(conn) -> None:
    for name in _creation_order(VIEWS):
        sql = VIEWS[name].read_text(encoding="utf-8")
        conn.execute(sql)
        conn.execute(f"COMMENT ON VIEW analytics.{name} IS {_literal(view_question(sql))}")
        for column, doc in view_columns(sql).items():
            conn.execute(f"COMMENT ON COLUMN analytics.{name}.{column} IS {_literal(doc)}")


@dg.asset(
    key=PUBLISHED,
    deps=[dg.AssetKey(["analytics", n]) for n in VIEWS],
    group_name="publish",
    kinds={"duckdb"},
    pool="duckdb_writer",
    output_required=False,
    code_version="publish-1",
    description="The read copy at $NEWS_WAREHOUSE that analysts open read-only: the working database copied "
                "and renamed into place atomically once every blocking check has passed. Skipped when the run "
                "changed nothing and the copy is current.",
)
def published(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    path = warehouse.published_path
    with warehouse.get_connection() as conn:
        if not warehouse.needs_publish(conn):
            context.log.info(f"Nothing changed since the last publish; {path} is current.")
            return
        seconds, size = warehouse.publish(conn)
    context.log.info(f"Published {path} ({size / 1e6:.1f} MB) in {seconds:.2f}s.")
    yield dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(path),
        "republished": True,
        "publish_seconds": round(seconds, 3),
        "size_mb": round(size / 1e6, 2),
        "connect": dg.MetadataValue.md(f"```\nduckdb -readonly {path}\n```"),
    })
