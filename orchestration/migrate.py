"""Bring a warehouse written by an earlier release up to sql/schema.sql, keeping everything raw.

Schema 1 (one document per file, one table per stage written by several assets) becomes schema 2:
raw.files and raw.documents gain `part`; ingest rejections move to raw.ingest_rejections; the
derived core tables are dropped and rebuilt from raw by the next run, as any version change would.
Schema 3: core.entity_mentions, core.sentence_parses and core.figures lose their PRIMARY KEY (its
in-memory index grew with the corpus; sql/schema.sql says why); their rows are copied, not rebuilt.
"""
from __future__ import annotations

import duckdb

SCHEMA_VERSION = "3"
UNKEYED = ("entity_mentions", "sentence_parses", "figures")


def _columns(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> set[str]:
    return {r[0] for r in conn.execute("SELECT column_name FROM duckdb_columns() WHERE schema_name = ? "
                                       "AND table_name = ?", [schema, table]).fetchall()}


def _is_table(conn: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    return bool(conn.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?",
                             [schema, name]).fetchone()[0])


def migrate(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Upgrade, one transaction a step; returns what was done (empty for a current or new warehouse)."""
    return _to_v2(conn) + _to_v3(conn)


def _to_v3(conn: duckdb.DuckDBPyConnection) -> list[str]:
    keyed = [r[0] for r in conn.execute(
        "SELECT DISTINCT table_name FROM duckdb_constraints() WHERE schema_name = 'core' "
        "AND constraint_type = 'PRIMARY KEY' AND list_contains(?::VARCHAR[], table_name) ORDER BY 1",
        [list(UNKEYED)]).fetchall()]
    if not keyed:
        return []
    from orchestration.warehouse import SQL_DIR

    conn.execute("BEGIN TRANSACTION")
    try:
        for table in keyed:  # fixed names from UNKEYED
            conn.execute(f"ALTER TABLE core.{table} RENAME TO {table}_keyed")
        conn.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))
        for table in keyed:
            conn.execute(f"INSERT INTO core.{table} BY NAME SELECT * FROM core.{table}_keyed")  # noqa: S608
            conn.execute(f"DROP TABLE core.{table}_keyed")
        conn.execute("INSERT OR REPLACE INTO raw.schema_info VALUES ('schema_version', ?)", [SCHEMA_VERSION])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return [f"schema 2 -> 3: no primary key on core.{', core.'.join(keyed)} (rows kept)"]


def _to_v2(conn: duckdb.DuckDBPyConnection) -> list[str]:
    if not _is_table(conn, "raw", "files") or "part" in _columns(conn, "raw", "files"):
        return []
    done: list[str] = []
    conn.execute("BEGIN TRANSACTION")
    try:
        conn.execute("ALTER TABLE raw.files RENAME TO files_v1")
        conn.execute("ALTER TABLE raw.documents RENAME TO documents_v1")
        if _is_table(conn, "raw", "rejected"):
            conn.execute("ALTER TABLE raw.rejected RENAME TO rejected_v1")
        for table in ("core.entity_mentions", "core.figures", "core.articles"):
            conn.execute(f"DROP TABLE IF EXISTS {table}")  # derived: rebuilt from raw by the next run
        from orchestration.warehouse import SQL_DIR

        conn.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))
        conn.execute("""
            INSERT INTO raw.files (source_path, part, n_bytes, mtime, mtime_ns, content_sha256, doc_id, status, present,
                                   first_seen, last_seen, first_run_id, last_run_id)
            SELECT source_path, 1, n_bytes, mtime, mtime_ns, content_sha256, doc_id, status, present, first_seen,
                   last_seen, first_run_id, last_run_id FROM raw.files_v1""")
        conn.execute("""
            INSERT INTO raw.documents (doc_id, source_path, part, ingested_at, n_bytes, encoding, raw_text, record,
                                       source_kind, run_id)
            SELECT doc_id, source_path, 1, ingested_at, n_bytes, encoding, raw_text, NULL, 'txt', run_id
            FROM raw.documents_v1""")
        if _is_table(conn, "raw", "rejected_v1"):
            conn.execute("""
                INSERT OR IGNORE INTO raw.ingest_rejections
                SELECT source_path, 1, coalesce(n_bytes, 0), coalesce(mtime_ns, 0), doc_id, reason, doc_id IS NULL,
                       seen_at, run_id
                FROM raw.rejected_v1 WHERE stage = 'ingest'""")
            conn.execute("DROP TABLE raw.rejected_v1")
        conn.execute("DROP TABLE raw.files_v1")
        conn.execute("DROP TABLE raw.documents_v1")
        for column, kind in (("settings", "VARCHAR"), ("figure_articles", "BIGINT DEFAULT 0")):
            conn.execute(f"ALTER TABLE raw.runs ADD COLUMN IF NOT EXISTS {column} {kind}")  # noqa: S608 -- fixed names
        conn.execute("INSERT OR REPLACE INTO raw.schema_info VALUES ('schema_version', ?)", [SCHEMA_VERSION])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    done.append("schema 1 -> 2: raw tables kept with part = 1; core tables rebuilt from raw")
    return done
