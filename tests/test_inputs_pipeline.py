"""Articles as people hold them, end to end: bulk exports, batch files, legacy encodings, outlets."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import run
from tests.test_records import parquet_rows, write_parquet

pytestmark = [pytest.mark.spacy]
FIX = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def inputs_warehouse(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("inputs")
    inbox = tmp / "inbox"
    inbox.mkdir()
    for name in ("nexis_multi.txt", "factiva_multi.txt", "batch.csv", "batch.jsonl", "cp1251_ru.txt",
                 "cp1256_ar.txt", "cp1255_he.txt", "mojibake_utf8.txt"):
        shutil.copy(FIX / name, inbox / name)
    write_parquet(inbox / "batch.parquet", parquet_rows())
    ok, problems, wh = run(tmp, inbox, column_map="date=pubdate,outlet=paper")
    assert ok, problems
    # later: the NYT document of the bulk export arrives again as a file of its own
    (inbox / "later").mkdir()
    shutil.copy(FIX / "nexis_nyt.txt", inbox / "later" / "nyt.txt")
    ok, problems, wh = run(tmp, inbox, column_map="date=pubdate,outlet=paper")
    assert ok, problems
    conn = duckdb.connect(wh.warehouse_path, read_only=True)
    yield conn
    conn.close()


def rows(conn, sql, params=None):
    return conn.execute(sql, params or []).fetchall()


def test_a_bulk_export_of_n_documents_and_a_cover_page_yields_n_articles(inputs_warehouse):
    c = inputs_warehouse
    parts = rows(c, "SELECT part, status FROM raw.files WHERE source_path = 'nexis_multi.txt' AND present "
                    "ORDER BY part")
    assert parts == [(n, "document") for n in range(1, 6)]
    assert rows(c, "SELECT part FROM raw.rejected WHERE source_path = 'nexis_multi.txt'") == [(1,)]  # the cover page
    arts = rows(c, "SELECT part, outlet, byline IS NOT NULL FROM core.articles WHERE source_path = 'nexis_multi.txt' "
                   "ORDER BY part")
    assert [a[0] for a in arts] == [2, 3, 4, 5]
    assert [a[1] for a in arts] == ["The Washington Chronicle", "The New York Times", "The Guardian",
                                    "Asharq Al-Awsat"]
    assert all(a[2] for a in arts)  # every export document names its byline
    factiva = rows(c, "SELECT outlet FROM core.articles WHERE source_path = 'factiva_multi.txt' ORDER BY part")
    assert len(factiva) == 3 and all(f[0] for f in factiva)


def test_a_single_file_of_an_article_from_a_bulk_export_is_a_duplicate(inputs_warehouse):
    c = inputs_warehouse
    ((dup, bulk_id),) = rows(c, "SELECT duplicate_of, (SELECT article_id FROM core.articles WHERE source_path = "
                                "'nexis_multi.txt' AND part = 3) FROM core.articles "
                                "WHERE source_path = 'later/nyt.txt'")
    assert dup == bulk_id  # the bytes differ, the cleaned body does not


def test_batch_files_yield_one_article_per_good_record_and_name_bad_ones(inputs_warehouse):
    c = inputs_warehouse
    for path, good, bad in (("batch.csv", [1, 2, 5, 6], [3, 4]), ("batch.jsonl", [1, 2, 5, 6], [3, 4])):
        assert [r[0] for r in rows(c, "SELECT part FROM core.articles WHERE source_path = ? ORDER BY part",
                                   [path])] == good
        reasons = rows(c, "SELECT part, reason FROM raw.rejected WHERE source_path = ? ORDER BY part", [path])
        assert [r[0] for r in reasons] == bad
        assert all(r[1].startswith(f"Record {r[0]} ") for r in reasons)
    assert rows(c, "SELECT count(*) FROM core.articles WHERE source_path = 'batch.parquet'")[0][0] >= 3
    # a record's own fields are kept in raw and win: its date column gives date_source 'record'
    (record, source, outlet) = rows(c, """
        SELECT d.record, a.date_source, a.outlet FROM raw.documents d JOIN core.articles a ON a.article_id = d.doc_id
        WHERE d.source_path = 'batch.csv' AND d.part = 1""")[0]
    assert '"date": "2023-11-28"' in record and source == "record" and outlet == "Reuters"


def test_legacy_code_pages_and_mojibake(inputs_warehouse):
    c = inputs_warehouse
    enc = dict(rows(c, "SELECT source_path, encoding FROM raw.documents WHERE source_path LIKE 'cp%'"))
    assert enc == {"cp1251_ru.txt": "cp1251", "cp1256_ar.txt": "cp1256", "cp1255_he.txt": "cp1255"}
    langs = dict(rows(c, "SELECT source_path, language FROM core.articles WHERE source_path LIKE 'cp%'"))
    assert langs == {"cp1251_ru.txt": "ru", "cp1256_ar.txt": "ar", "cp1255_he.txt": "he"}
    body = rows(c, "SELECT title || ' ' || body FROM core.articles WHERE source_path = 'mojibake_utf8.txt'")[0][0]
    assert "â€" not in body and "Ã" not in body


def test_no_caption_credit_or_url_line_left_in_any_body(inputs_warehouse):
    bodies = [r[0] for r in rows(inputs_warehouse, "SELECT body FROM core.articles")]
    for body in bodies:
        for line in body.split("\n"):
            assert not line.startswith(("PHOTO", "http://", "https://", "This article appeared in print")), line
            assert "contributed reporting" not in line and "(PHOTOGRAPH BY" not in line, line
