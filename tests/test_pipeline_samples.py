"""End to end over the five sample articles: what `make run` builds, and that a re-run changes nothing."""
from __future__ import annotations

import datetime as dt
import shutil

import duckdb
import pytest

from tests.conftest import SAMPLES, run

pytestmark = pytest.mark.spacy

JAN_2024 = "000_3f3720924f8ea79b.txt"


def test_contract_tables_are_filled(ro):
    counts = {t: ro.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("raw.files", "raw.documents", "core.articles", "core.entity_mentions", "core.figures")}
    assert counts["raw.files"] == 5 and counts["raw.documents"] == 5 and counts["core.articles"] == 5
    assert counts["core.entity_mentions"] > 100
    assert counts["core.figures"] >= 15
    assert ro.execute("SELECT count(*) FROM raw.rejected").fetchone()[0] == 0


def test_header_dates(ro):
    dates = dict(ro.execute("SELECT source_path, published_date FROM core.articles").fetchall())
    assert dates[JAN_2024] == dt.date(2024, 1, 6)
    assert dates["004_49cb2a8c40627ad3.txt"] == dt.date(2023, 11, 3)
    sources = dict(ro.execute("SELECT source_path, date_source FROM core.articles").fetchall())
    assert sources[JAN_2024] == "header" and sources["004_49cb2a8c40627ad3.txt"] == "header"


def test_january_2024_death_toll(ro):
    row = ro.execute("""
        SELECT f.value, f.qualifier, f.measure, f.subject, f.source, f.source_text, f.reported_date, f.figure_text
        FROM core.figures f JOIN core.articles a USING (article_id)
        WHERE a.source_path = ? AND f.value = 22600""", [JAN_2024]).fetchall()
    assert row == [(22600.0, "at_least", "killed", "Palestinians", "Gaza Health Ministry",
                    "Gaza's health authorities", dt.date(2024, 1, 6), "At least 22,600")]
    injured = ro.execute("""
        SELECT f.measure, f.subject, f.source FROM core.figures f JOIN core.articles a USING (article_id)
        WHERE a.source_path = ? AND f.value = 57910""", [JAN_2024]).fetchall()
    assert injured == [("injured", "Palestinians", "Gaza Health Ministry")]


def test_offsets_cover_the_phrase(ro):
    rows = ro.execute("""
        SELECT f.figure_text, CASE f.field WHEN 'title' THEN a.title ELSE a.body END, f.start_char, f.end_char
        FROM core.figures f JOIN core.articles a USING (article_id)""").fetchall()
    assert rows and all(text[s:e] == phrase for phrase, text, s, e in rows)
    mentions = ro.execute("""
        SELECT m.mention_text, CASE m.field WHEN 'title' THEN a.title ELSE a.body END, m.start_char, m.end_char
        FROM core.entity_mentions m JOIN core.articles a USING (article_id)""").fetchall()
    assert all(text[s:e] == t for t, text, s, e in mentions)


def test_blinken_is_one_entity(ro):
    forms = ro.execute("SELECT DISTINCT mention_text FROM core.entity_mentions WHERE entity = 'Antony Blinken'"
                       ).fetchall()
    assert {"Blinken", "Antony Blinken"} <= {f[0] for f in forms}
    assert ro.execute("SELECT count(*) FROM core.entity_mentions WHERE entity IN ('Blinken', 'Secretary Blinken')"
                      ).fetchone()[0] == 0
    turkey = {r[0] for r in ro.execute("SELECT DISTINCT entity FROM core.entity_mentions "
                                       "WHERE mention_text IN ('Türkiye', 'Turkey')").fetchall()}
    assert turkey == {"Turkey"}


def test_views_answer(ro):
    for view in ("entity_summary", "figure_timeline", "article_summary"):
        assert ro.execute(f"SELECT count(*) FROM analytics.{view}").fetchone()[0] > 0
    top = ro.execute("SELECT entity, articles FROM analytics.entity_summary WHERE entity = 'Antony Blinken'").fetchone()
    assert top == ("Antony Blinken", 5)


def test_runs_table_records_the_publish(ro):
    status, published_at, files_seen = ro.execute(
        "SELECT status, published_at, files_seen FROM raw.runs ORDER BY started_at DESC LIMIT 1").fetchone()
    assert status == "succeeded" and published_at is not None and files_seen == 5


def _snapshot(path):
    conn = duckdb.connect(str(path), read_only=True)
    try:
        snap = {}
        for table, order in (("raw.documents", "doc_id"), ("raw.rejected", "source_path"),
                             ("core.articles", "article_id"), ("core.entity_mentions", "article_id, field, start_char"),
                             ("core.figures", "figure_id")):
            snap[table] = conn.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
        snap["raw.files"] = conn.execute(
            "SELECT * EXCLUDE (last_seen, last_run_id) FROM raw.files ORDER BY source_path").fetchall()
        return snap
    finally:
        conn.close()


def test_second_run_changes_nothing(tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLES, inbox)
    ok, problems, wh = run(tmp_path, inbox)
    assert ok, problems
    first = _snapshot(wh.warehouse_path)
    ok, problems, wh = run(tmp_path, inbox)
    assert ok, problems
    assert _snapshot(wh.warehouse_path) == first
    conn = duckdb.connect(wh.work_path, read_only=True)  # the second run had nothing to publish
    runs = conn.execute("SELECT files_new, new_documents, articles, figures, changes FROM raw.runs "
                        "ORDER BY started_at").fetchall()
    conn.close()
    assert runs[0][1] == 5 and runs[-1] == (0, 0, 0, 0, 0)
