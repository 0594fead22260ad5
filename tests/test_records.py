"""Batch files: one article per record in CSV, JSON Lines and Parquet; rejections name the record."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from transforms.articles import ArticleBuild, build_article
from transforms.records import BATCH_SUFFIXES, Record, is_batch_file, iter_records, parse_column_map, resolve_columns

FIX = Path(__file__).parent / "fixtures"
MAX = 5 * 1024 * 1024
TODAY = dt.date(2026, 11, 26)
CSV_MAP = parse_column_map("date=pubdate,outlet=paper")


def records(path, column_map=None, max_bytes=MAX, **kw) -> list[Record]:
    return list(iter_records(str(path), column_map or {}, max_bytes, **kw))


def article(rec: Record) -> ArticleBuild:
    art = build_article(rec.text, TODAY, rec.fields)
    assert isinstance(art, ArticleBuild), art
    return art


# ------------------------------------------------------------------ settings

def test_parse_column_map():
    assert parse_column_map("text=story_text, date = pubdate,outlet=paper") == {
        "text": "story_text", "date": "pubdate", "outlet": "paper"}
    assert parse_column_map(None) == {} and parse_column_map("  ") == {}


@pytest.mark.parametrize("spec,phrase", [
    ("text", "'text' is not of the form field=column"),
    ("text=", "'text=' is not of the form field=column"),
    ("body_text=story", "unknown field 'body_text'"),
    ("text=a,text=b", "maps the field 'text' twice"),
])
def test_bad_column_map_says_what_is_wrong(spec, phrase):
    with pytest.raises(ValueError) as err:
        parse_column_map(spec)
    assert phrase in str(err.value) and str(err.value).count(". ") == 0  # one sentence


def test_suffixes_and_usual_column_names():
    assert BATCH_SUFFIXES == {".jsonl", ".ndjson", ".csv", ".parquet"}
    assert is_batch_file("a/B.CSV") and is_batch_file("x.NDJSON") and not is_batch_file("x.txt")
    cols = resolve_columns(["Full Text", "HEADLINE", "published_at", "Newspaper", "link", "Authors", "Section",
                            "credits", "id"], {})
    assert cols == {"text": "Full Text", "title": "HEADLINE", "date": "published_at", "outlet": "Newspaper",
                    "url": "link", "byline": "Authors", "section": "Section", "credits": "credits"}
    assert resolve_columns(["story_text", "body"], {"text": "Story_Text"})["text"] == "story_text"
    assert resolve_columns(["body"], {"text": "missing"})["text"] == "body"  # the map is for files that have it


# ------------------------------------------------------------------ CSV

def test_csv_batch():
    recs = records(FIX / "batch.csv", CSV_MAP)
    assert [r.part for r in recs] == [1, 2, 3, 4, 5, 6]
    assert [r.reason is None for r in recs] == [True, True, False, False, True, True]
    assert recs[2].reason == "Record 3 (line 12) is not a valid CSV row: ',' expected after '\"'."
    assert recs[3].reason == "Record 4 has no text: its text column 'Body' is empty."
    assert recs[0].fields["date"] == "2023-11-28" and recs[0].fields["outlet"] == "Reuters News"
    assert recs[0].fields["extra"] == {"id": "101", "tags": "truce;hostages"}
    assert all(r.encoding == "utf-8" for r in recs)
    a = article(recs[0])
    assert (a.title, a.published_date, a.date_source, a.outlet, a.outlet_text) == (
        "Gaza truce extended by two days", dt.date(2023, 11, 28), "record", "Reuters", "Reuters News")
    assert a.url == "https://www.reuters.com/world/middle-east/gaza-truce-extended-2023-11-28/"
    assert "https://" not in a.body and a.dateline_place == "DOHA" and a.byline == "Jane Example"
    a = article(recs[1])
    assert (a.outlet, a.byline, a.published_date) == ("Al Jazeera", "Sam Sample", dt.date(2023, 12, 5))
    assert "newsletter" not in a.body
    a = article(recs[5])
    assert a.published_date is None and "06/12/2023" in a.date_note
    assert a.credits == "Isabel Example contributed reporting." and "contributed" not in a.body


def test_a_record_holding_a_whole_export_document_cleans_like_the_file():
    for rec in (records(FIX / "batch.csv", CSV_MAP)[4], records(FIX / "batch.jsonl")[4]):
        a = article(rec)
        single = build_article((FIX / "nexis_export.txt").read_text(encoding="utf-8"), TODAY)
        assert (a.title, a.body, a.published_date, a.date_source, a.outlet_text, a.byline, a.section) == (
            single.title, single.body, single.published_date, single.date_source, single.outlet_text, single.byline,
            single.section)
        assert a.outlet_text == "The Washington Chronicle"


def test_csv_without_the_map_keeps_unknown_columns_as_extra():
    rec = records(FIX / "batch.csv")[0]
    assert rec.fields["date"] is None and rec.fields["extra"]["pubdate"] == "2023-11-28"


def test_csv_in_cp1251_semicolons_and_utf16(tmp_path):
    p = tmp_path / "ru.csv"
    p.write_bytes("title;text\r\nЛавров;Министр иностранных дел России Сергей Лавров заявил в среду, что "
                  "переговоры продолжатся.\r\n".encode("cp1251"))
    (rec,) = records(p)
    assert rec.encoding == "cp1251" and rec.fields["title"] == "Лавров" and rec.text.startswith("Министр")
    p = tmp_path / "u16.csv"
    p.write_bytes("title,text\nA,Body text é\nB,Second text\n".encode("utf-16"))
    recs = records(p)
    assert [r.text for r in recs] == ["Body text é", "Second text"] and recs[0].encoding == "utf-16"


def test_csv_row_with_too_many_fields_is_rejected_by_number(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("title,text\nA,Good text\n\nB,Bad, unquoted comma\nC,Also good\n", encoding="utf-8")
    recs = records(p)
    assert [r.part for r in recs] == [1, 2, 3]
    assert recs[1].reason == ("Record 2 (line 4) is not a valid CSV row: it has 3 fields where the header has 2 "
                              "(a delimiter or quote in it is probably not escaped).")
    assert recs[2].text == "Also good"


# ------------------------------------------------------------------ JSON Lines

def test_jsonl_batch():
    recs = records(FIX / "batch.jsonl")
    assert [r.part for r in recs] == [1, 2, 3, 4, 5, 6]
    assert recs[2].reason == "Record 3 (line 3) is not valid JSON: Expecting ',' delimiter at column 63."
    assert recs[3].reason == "Record 4 has no text: its text column 'text' is empty."
    assert recs[0].fields["byline"] == "Matthew Example; Ellen Sample"
    assert recs[0].fields["extra"] == {"lang": "en", "wordcount": 41}
    a = article(recs[0])
    assert (a.outlet, a.published_date, a.date_source, a.dateline_place) == (
        "Associated Press", dt.date(2023, 12, 6), "record", "TEL AVIV")
    a = article(recs[1])
    assert (a.outlet, a.outlet_text, a.section, a.published_date) == (
        "The New York Times", "NYTimes.com Feed", "World", dt.date(2023, 12, 5))
    assert "PHOTO" not in a.body and "appeared in print" not in a.body


def test_doc_ids_are_stable_and_content_based(tmp_path):
    first, again = records(FIX / "batch.jsonl"), records(FIX / "batch.jsonl")
    assert [r.doc_id for r in first] == [r.doc_id for r in again]
    ids = [r.doc_id for r in first if r.doc_id]
    assert len(set(ids)) == len(ids)  # record 6 repeats record 1's text with another date: another id
    assert first[0].text == first[5].text and first[0].doc_id != first[5].doc_id
    line = (FIX / "batch.jsonl").read_text(encoding="utf-8").splitlines()[0]
    p = tmp_path / "dup.ndjson"
    p.write_text(line + "\n" + line + "\n", encoding="utf-8")
    a, b = records(p)
    assert a.doc_id == b.doc_id == first[0].doc_id and (a.part, b.part) == (1, 2)


def test_jsonl_line_in_another_encoding_is_decoded_on_its_own(tmp_path):
    p = tmp_path / "mixed.jsonl"
    p.write_bytes(b'{"text": "caf\xc3\xa9 in UTF-8"}\n' + '{"text": "café in cp1252 “quoted”"}\n'.encode("cp1252"))
    a, b = records(p)
    assert (a.text, a.encoding) == ("café in UTF-8", "utf-8")
    assert (b.text, b.encoding) == ("café in cp1252 “quoted”", "cp1252")


def test_jsonl_objects_without_a_text_field_and_other_json_values(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text('{"title": "no text yet"}\n{"body": "Text here"}\n[1, 2]\n{"body": 42}\n', encoding="utf-8")
    recs = records(p)
    assert recs[0].reason == "Record 1 has no text: it has no 'body' field."
    assert recs[1].text == "Text here"
    assert recs[2].reason == "Record 3 (line 3) is a JSON array, not an object with named fields."
    assert recs[3].reason == "Record 4 has no text: its text column 'body' holds a number, not text."


def test_too_big_records(tmp_path):
    recs = records(FIX / "batch.csv", CSV_MAP, max_bytes=250)
    assert recs[0].reason == "Record 1 is 266 bytes, over the 250-byte limit per record (NEWS_MAX_FILE_BYTES)."
    assert recs[0].text is None and recs[1].reason is None
    p = tmp_path / "huge.jsonl"
    p.write_text(json.dumps({"text": "x" * (3 << 20)}) + "\n" + json.dumps({"text": "small"}) + "\n", encoding="utf-8")
    big, small = records(p, max_bytes=1000)
    assert big.part == 1 and "Record 1 (line 1) is over" in big.reason and "1,000-byte limit" in big.reason
    assert small.text == "small"


# ------------------------------------------------------------------ files that cannot be read

@pytest.mark.parametrize("name,content,phrase", [
    ("empty.csv", b"", "empty"),
    ("bin.jsonl", b"\x89PNG\r\n\x1a\n" + b"\x00" * 500, "binary"),
    ("junk.jsonl", b"not json\nnor this\n", "The file is not JSON Lines: none of its first 2 records is a JSON object"),
    ("blank.jsonl", b"\n\n  \n", "every line is blank"),
    ("notext.csv", b"id,headline,pubdate\n1,A,2023-01-01\n", "The file has no text column: its columns are 'id', "
                                                               "'headline', 'pubdate'"),
    ("notext.jsonl", b'{"headline": "A", "story_text": "B"}\n', "its fields are 'headline', 'story_text'"),
    ("fake.parquet", b"title,text\nA,B\n", "The file is not a readable Parquet file"),
])
def test_unreadable_files_give_one_rejected_record(tmp_path, name, content, phrase):
    p = tmp_path / name
    p.write_bytes(content)
    (rec,) = records(p)
    assert rec.part == 1 and rec.text is None and phrase in rec.reason


def test_no_text_column_says_how_to_map_it(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("headline,story_text\nA,B\n", encoding="utf-8")
    (rec,) = records(p, {"text": "article_body"})
    assert "NEWS_COLUMN_MAP maps text to 'article_body', which the file does not have" in rec.reason
    assert 'NEWS_COLUMN_MAP="text=story_text"' in rec.reason
    (ok,) = records(p, parse_column_map("text=story_text"))
    assert ok.text == "B" and ok.fields["title"] == "A"


def test_missing_file_is_a_rejection_not_an_exception(tmp_path):
    (rec,) = records(tmp_path / "gone.csv")
    assert "could not be opened" in rec.reason


# ------------------------------------------------------------------ Parquet

def write_parquet(path: Path, rows: list[dict], row_group_size: int = 2) -> None:
    """Test helper: a Parquet batch with a binary text column (so one value can be binary junk)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([("title", pa.string()), ("text", pa.binary()), ("published", pa.date32()),
                        ("publisher", pa.string()), ("rank", pa.int64())])
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path, row_group_size=row_group_size,
                   compression="none")


def parquet_rows() -> list[dict]:
    first = json.loads((FIX / "batch.jsonl").read_text(encoding="utf-8").splitlines()[0])
    return [
        {"title": first["title"], "text": first["text"].encode(), "published": dt.date(2023, 12, 6),
         "publisher": "The Associated Press", "rank": 1},
        {"title": "Junk", "text": b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "published": None, "publisher": None,
         "rank": 2},
        {"title": "No text", "text": None, "published": dt.date(2023, 12, 6), "publisher": "Haaretz", "rank": 3},
        {"title": None, "text": (FIX / "nexis_export.txt").read_bytes(), "published": None, "publisher": None,
         "rank": 4},
        {"title": "Legacy bytes", "text": (FIX / "cp1251_ru.txt").read_bytes(), "published": None,
         "publisher": None, "rank": 5},
    ]


def test_parquet_batch(tmp_path):
    p = tmp_path / "batch.parquet"
    write_parquet(p, parquet_rows())
    recs = records(p, batch_rows=2)
    assert [r.part for r in recs] == [1, 2, 3, 4, 5]
    assert recs[1].reason == ("Record 2 has no text: its text column 'text' holds bytes that are not text in any "
                              "encoding (binary data).")
    assert recs[2].reason == "Record 3 has no text: its text column 'text' is empty."
    assert recs[0].fields["date"] == "2023-12-06" and recs[0].fields["extra"] == {"rank": 1}
    a = article(recs[0])
    assert (a.outlet, a.published_date, a.date_source) == ("Associated Press", dt.date(2023, 12, 6), "record")
    assert article(recs[3]).outlet_text == "The Washington Chronicle"
    assert recs[4].encoding == "cp1251" and "Министр" in recs[4].text
    assert [r.doc_id for r in recs] == [r.doc_id for r in records(p, batch_rows=1000)]


def test_damaged_parquet_row_group_is_rejected_as_a_range(tmp_path):
    import pyarrow.parquet as pq

    p = tmp_path / "damaged.parquet"
    good = [r for r in parquet_rows() if r["rank"] != 2]
    write_parquet(p, good + [dict(good[0], rank=6)])  # row groups: records 1-2, 3-4, 5
    meta = pq.ParquetFile(p).metadata
    col = meta.row_group(1).column(1)  # the text column of the second row group (records 3-4)
    data = bytearray(p.read_bytes())
    start = col.data_page_offset
    data[start:start + 8] = b"\xff" * 8  # break its page header
    p.write_bytes(bytes(data))
    recs = records(p)
    assert recs[0].part == 1 and recs[0].reason is None
    bad = [r for r in recs if r.reason and "could not be read" in r.reason]
    assert len(bad) == 1 and bad[0].reason.startswith("Records 3-4 (row group 2 of 3) could not be read")
    assert [r.part for r in recs] == [1, 2, 3, 5] and recs[-1].reason is None  # the next row group goes in
    truncated = tmp_path / "truncated.parquet"
    truncated.write_bytes(bytes(data[: len(data) // 2]))
    (rec,) = records(truncated)
    assert rec.part == 1 and "not a readable Parquet file" in rec.reason


def test_parquet_without_text_column(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    p = tmp_path / "x.parquet"
    pq.write_table(pa.table({"headline": ["A"], "story_text": ["B"]}), p)
    (rec,) = records(p)
    assert "its columns are 'headline', 'story_text'" in rec.reason and "NEWS_COLUMN_MAP" in rec.reason
    (ok,) = records(p, {"text": "story_text"})
    assert ok.text == "B"


def test_fields_are_json_serialisable_and_complete(tmp_path):
    p = tmp_path / "b.parquet"
    write_parquet(p, parquet_rows())
    for path, cmap in ((FIX / "batch.csv", CSV_MAP), (FIX / "batch.jsonl", {}), (p, {})):
        for rec in records(path, cmap):
            json.dumps(rec.fields)
            if rec.fields:
                assert set(rec.fields) == {"title", "date", "outlet", "url", "byline", "section", "credits", "extra"}


def test_a_malformed_first_line_does_not_hide_the_rest(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text('{"text": "cut\n{"text": "Good text", "title": "T"}\n', encoding="utf-8")
    bad, good = records(p)
    assert bad.reason.startswith("Record 1 (line 1) is not valid JSON") and good.text == "Good text"
