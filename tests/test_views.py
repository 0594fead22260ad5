"""The analytics views: documented, and answering what their question says (on hand-made rows)."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from orchestration.assets.analytics import VIEWS, _creation_order, view_columns, view_question
from orchestration.warehouse import SQL_DIR

REQUIRED = {"entity_summary", "entity_daily", "entity_cooccurrence", "figure_timeline", "figure_latest",
            "figure_conflicts", "source_summary", "article_summary", "current_articles", "outlet_summary",
            "figure_vs_reference", "figure_claims"}


def test_every_required_view_has_a_file_with_its_question():
    assert REQUIRED <= set(VIEWS)
    for name, path in VIEWS.items():
        sql = path.read_text(encoding="utf-8")
        assert sql.startswith("-- Question:"), name
        assert view_question(sql) and f"analytics.{name}" in sql


@pytest.fixture()
def db():
    conn = duckdb.connect()
    conn.execute((SQL_DIR / "schema.sql").read_text())
    for name in _creation_order(VIEWS):
        conn.execute(VIEWS[name].read_text())
    yield conn
    conn.close()


def test_every_view_column_is_documented(db):
    for name, path in VIEWS.items():
        cols = [r[0] for r in db.execute("SELECT column_name FROM duckdb_columns() WHERE schema_name = 'analytics' "
                                         "AND table_name = ?", [name]).fetchall()]
        assert cols and set(cols) == set(view_columns(path.read_text())), name


def _article(db, aid, day, title="t", dup=None, outlet=None):
    db.execute("INSERT INTO core.article_rows (article_id, source_path, part, title, published_date, date_source, "
               "body, n_words, language, is_english, duplicate_of, body_sha256, text_sha256, source_format, "
               "boilerplate_lines, ingested_at, clean_version, processed_at, run_id, outlet) VALUES (?, ?, 1, ?, ?, "
               "'header', 'b', 1, 'en', true, ?, ?, ?, 'web', 0, now(), 'v', now(), 'r', ?)",
               [aid, aid + ".txt", title, day, dup, aid, aid, outlet])


def _figure(db, fid, aid, value, source, day, measure="killed", subject="people", location="Gaza",
            population="Palestinians in Gaza", scope="cumulative", part_of=None):
    db.execute("INSERT INTO core.figures (figure_id, article_id, field, value, qualifier, unit, measure, subject, "
               "location, source, source_text, reported_date, scope, population, part_of, sentence, start_char, "
               "end_char, figure_text, modality, decided_by, extractor_version) VALUES (?, ?, 'body', ?, 'exact', "
               "'people', ?, ?, ?, ?, ?, ?, ?, ?, ?, 's', 0, 1, 'x', 'asserted', 'test', 'v')",
               [fid, aid, value, measure, subject, location, source, source, day, scope, population, part_of])


def test_figure_conflicts_finds_sources_more_than_5_percent_apart(db):
    day = dt.date(2023, 11, 1)
    _article(db, "a1", day)
    _article(db, "a2", day)
    _figure(db, "f1", "a1", 9000, "Gaza Health Ministry", day)
    _figure(db, "f2", "a2", 8000, "Israel Defense Forces", day)          # 11% apart: a conflict
    _figure(db, "f3", "a2", 8900, "UN OCHA", day)                        # 1% from f1: no conflict with it
    _figure(db, "f4", "a2", 100, "Israel Police", day, location="Jerusalem", population="Israelis")  # never compared
    _figure(db, "f5", "a2", 2000, "UN OCHA", day, subject="children", population="children in Gaza")  # another group
    rows = db.execute("SELECT source_a, source_b, round(relative_gap, 3) FROM analytics.figure_conflicts "
                      "ORDER BY source_a, source_b").fetchall()
    assert rows == [("Gaza Health Ministry", "Israel Defense Forces", 0.111),
                    ("Israel Defense Forces", "UN OCHA", 0.101)]


def test_duplicates_are_not_counted_twice(db):
    day = dt.date(2023, 11, 1)
    _article(db, "a1", day)
    _article(db, "a2", day, dup="a1")
    for aid in ("a1", "a2"):
        db.execute("INSERT INTO core.entity_mentions VALUES (?, 'body', 'Hamas', 'ORG', 'Hamas', 0, 5, 'v')", [aid])
        db.execute("INSERT INTO core.entity_mentions VALUES (?, 'body', 'Gaza', 'GPE', 'Gaza', 6, 10, 'v')", [aid])
    assert db.execute(
        "SELECT articles, mentions FROM analytics.entity_summary WHERE entity = 'Hamas'").fetchone() == (1, 1)
    assert db.execute("SELECT entity_a, entity_b, articles FROM analytics.entity_cooccurrence").fetchall() == [
        ("Gaza", "Hamas", 1)]
    flags = dict(db.execute("SELECT article_id, is_canonical FROM analytics.article_summary").fetchall())
    assert flags == {"a1": True, "a2": False}


def test_figure_latest_takes_the_most_recent_report(db):
    for n, (day, value) in enumerate([(dt.date(2023, 10, 20), 4000), (dt.date(2023, 11, 1), 9000)]):
        _article(db, f"a{n}", day)
        _figure(db, f"f{n}", f"a{n}", value, "Gaza Health Ministry", day)
    row = db.execute("SELECT value, reported_date, reports FROM analytics.figure_latest").fetchone()
    assert row == (9000.0, dt.date(2023, 11, 1), 2)


def test_an_unattributed_total_counts_as_its_outlets_own(db):
    day = dt.date(2023, 11, 1)
    _article(db, "a1", day, outlet="Reuters")
    _article(db, "a2", day, outlet="The Guardian")
    _figure(db, "f1", "a1", 9000, None, day)
    _figure(db, "f2", "a2", 10000, None, day)
    _figure(db, "f3", "a2", 3000, None, day, scope="incident")  # not a running total: never compared
    rows = db.execute("SELECT source_a, outlet_a, source_b, outlet_b FROM analytics.figure_conflicts").fetchall()
    assert rows == [("Reuters", "Reuters", "The Guardian", "The Guardian")]


def _series(db, day, value, population="Palestinians in Gaza"):
    db.execute("INSERT INTO ref.series VALUES ('OCHA', ?, 'killed', ?, ?, 'UN OCHA', NULL, 'x.csv')",
               [day, population, value])


def test_figures_beside_the_reference_series(db):
    for d, v in ((10, 1000), (11, 1100), (12, 1400), (13, 1500)):
        _series(db, dt.date(2023, 10, d), v)
    _article(db, "a1", dt.date(2023, 10, 13), outlet="Reuters")
    _figure(db, "f1", "a1", 1400, None, dt.date(2023, 10, 13))
    _figure(db, "f2", "a1", 300, None, dt.date(2023, 10, 13), subject="children", population="children in Gaza")
    row = db.execute("SELECT series_date, series_value, round(ratio, 3), best_match_date, lag_days, outlet "
                     "FROM analytics.figure_vs_reference").fetchall()
    assert row == [(dt.date(2023, 10, 13), 1500.0, 0.933, dt.date(2023, 10, 12), 1, "Reuters")]


def test_claims_group_repeats_of_a_number_and_say_who_was_first(db):
    _article(db, "a1", dt.date(2023, 10, 10), outlet="Reuters")
    _article(db, "a2", dt.date(2023, 10, 11), outlet="The Guardian")
    _article(db, "a3", dt.date(2023, 10, 12), outlet="Al Jazeera")
    _figure(db, "f1", "a1", 1000, "Gaza Health Ministry", dt.date(2023, 10, 10))
    _figure(db, "f2", "a2", 1005, None, dt.date(2023, 10, 11))           # within 1% of 1,000: a repeat
    _figure(db, "f3", "a3", 1009, "Gaza Health Ministry", dt.date(2023, 10, 12))  # within 1% of 1,000 too
    _figure(db, "f4", "a3", 1500, None, dt.date(2023, 10, 12))           # a new claim
    rows = db.execute("SELECT claim_value, first_reported, first_outlet, outlets, articles, sources, last_reported "
                      "FROM analytics.figure_claims ORDER BY claim_value").fetchall()
    assert rows == [(1000.0, dt.date(2023, 10, 10), "Reuters", 3, 3, ["Gaza Health Ministry"], dt.date(2023, 10, 12)),
                    (1500.0, dt.date(2023, 10, 12), "Al Jazeera", 1, 1, None, dt.date(2023, 10, 12))]


def test_outlet_summary_and_current_articles(db):
    _article(db, "a1", dt.date(2023, 10, 10), outlet="Reuters")
    _article(db, "a2", None, outlet="Reuters")
    _article(db, "a3", dt.date(2023, 10, 12), outlet="Reuters", dup="a1")  # a duplicate does not count
    _figure(db, "f1", "a1", 1000, "Gaza Health Ministry", dt.date(2023, 10, 10))
    assert db.execute("SELECT count(*) FROM analytics.current_articles").fetchone() == (2,)
    row = db.execute("SELECT outlet, articles, share_dated, figures, top_sources, first_date, last_date "
                     "FROM analytics.outlet_summary").fetchall()
    assert row == [("Reuters", 2, 0.5, 1, ["Gaza Health Ministry"], dt.date(2023, 10, 10), dt.date(2023, 10, 10))]
