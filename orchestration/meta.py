"""What an asset reports in the UI: row counts, a markdown preview, its column schema."""
from __future__ import annotations

import dagster as dg
import duckdb

from orchestration.warehouse import bounded


def table_schema(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> dg.TableSchema:
    rows = conn.execute(
        "SELECT column_name, data_type, comment, is_nullable FROM duckdb_columns() "
        "WHERE schema_name = ? AND table_name = ? ORDER BY column_index", [schema, table]).fetchall()
    return dg.TableSchema(columns=[
        dg.TableColumn(name=n, type=t, description=c,
                       constraints=dg.TableColumnConstraints(nullable=bool(nullable)))
        for n, t, c, nullable in rows])


def _cell(v) -> str:
    s = "" if v is None else str(v)
    s = " ".join(s.split())
    if len(s) > 80:
        s = s[:77] + "..."
    return s.replace("|", "\\|")


def markdown_preview(conn: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> str:
    # A preview may aggregate or sort a whole table (the most mentioned entities among 2.8 million
    # mentions); bounded, it spills instead of growing the run process.
    def run() -> tuple[list[str], list[tuple]]:
        cur = conn.execute(sql, params or [])
        return [d[0] for d in cur.description], cur.fetchall()

    cols, rows = bounded(conn, run)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(_cell(v) for v in r) + " |" for r in rows]
    return "\n".join(lines)


def count(conn: duckdb.DuckDBPyConnection, table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 -- table names are code constants, never data


def table_metadata(conn: duckdb.DuckDBPyConnection, table: str, preview_sql: str, added: int,
                   params: list | None = None, **extra) -> dict:
    schema, name = table.split(".")
    return {
        "dagster/row_count": count(conn, table),
        "rows_added": added,
        "dagster/column_schema": table_schema(conn, schema, name),
        "dagster/table_name": table,
        "preview": dg.MetadataValue.md(markdown_preview(conn, preview_sql, params)),
        **extra,
    }
