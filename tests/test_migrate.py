"""Schema migrations keep what a warehouse holds (spaCy-free)."""
from __future__ import annotations

import duckdb

from orchestration.migrate import SCHEMA_VERSION, UNKEYED, migrate
from orchestration.warehouse import SQL_DIR

KEYED_MENTIONS = """CREATE TABLE core.entity_mentions (
    article_id VARCHAR NOT NULL, field VARCHAR NOT NULL CHECK (field IN ('title', 'body')), entity VARCHAR NOT NULL,
    label VARCHAR NOT NULL, mention_text VARCHAR NOT NULL, start_char INTEGER NOT NULL, end_char INTEGER NOT NULL,
    extractor_version VARCHAR NOT NULL, PRIMARY KEY (article_id, field, start_char, end_char))"""  # schema 2


def _keys(conn) -> list[str]:
    return [r[0] for r in conn.execute("SELECT table_name FROM duckdb_constraints() WHERE schema_name = 'core' "
                                       "AND constraint_type = 'PRIMARY KEY' ORDER BY 1").fetchall()]


def test_a_schema_2_warehouse_loses_the_per_row_keys_and_keeps_its_rows():
    conn = duckdb.connect()
    conn.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))
    assert migrate(conn) == []  # a current warehouse is left alone
    assert not set(_keys(conn)) & set(UNKEYED)
    conn.execute("DROP TABLE core.entity_mentions")
    conn.execute(KEYED_MENTIONS)
    conn.execute("INSERT INTO core.entity_mentions VALUES ('a1', 'body', 'Gaza', 'GPE', 'Gaza', 10, 14, 'v1'), "
                 "('a1', 'title', 'Israel', 'GPE', 'Israel', 0, 6, 'v1')")
    assert "entity_mentions" in _keys(conn)
    done = migrate(conn)
    assert done == ["schema 2 -> 3: no primary key on core.entity_mentions (rows kept)"]
    assert "entity_mentions" not in _keys(conn) and "article_rows" in _keys(conn)  # per-article keys stay
    rows = conn.execute("SELECT article_id, field, entity, start_char, extractor_version FROM core.entity_mentions "
                        "ORDER BY field").fetchall()
    assert rows == [("a1", "body", "Gaza", 10, "v1"), ("a1", "title", "Israel", 0, "v1")]
    assert conn.execute("SELECT value FROM raw.schema_info WHERE key = 'schema_version'").fetchall() == [
        (SCHEMA_VERSION,)]
    assert migrate(conn) == []
