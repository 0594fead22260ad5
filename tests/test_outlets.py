"""Who published an article: canonical outlets from the reviewed alias table, and build_article's fields."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from transforms.articles import ArticleBuild, build_article
from transforms.dates import parse_record_date
from transforms.lexicon import SEED_FILES
from transforms.outlets import ALIASES_FILE, canonical_outlet, domain_outlet, load_table, outlet_key

FIX = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).parent.parent / "seeds"
TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize("text,url,outlet", [
    ("The Guardian (London)", None, "The Guardian"),
    ("guardian.co.uk", None, "The Guardian"),
    ("Asharq Alawsat (English Edition)", None, "Asharq Al-Awsat"),
    ("The New York Times", None, "The New York Times"),
    ("nytimes.com", None, "The New York Times"),
    ("NYTimes.com Feed", None, "The New York Times"),
    ("Reuters News", None, "Reuters"),
    ("AP", None, "Associated Press"),
    ("Agence France Presse -- English", None, "Agence France-Presse"),
    ("THE WASHINGTON POST", None, "The Washington Post"),
    ("The Wall Street Journal Online", None, "The Wall Street Journal"),
    ("Financial Times (London, England)", None, "Financial Times"),
    ("The Daily Telegraph (London)", None, "The Telegraph"),
    ("The Times (London)", None, "The Times"),
    ("Times of Israel", None, "The Times of Israel"),
    ("Al-Jazeera", None, "Al Jazeera"),
    ("Ha'aretz", None, "Haaretz"),
    ("The National (Abu Dhabi)", None, "The National"),
    (None, "https://english.aawsat.com/arab-world/4713456", "Asharq Al-Awsat"),
    (None, "https://edition.cnn.com/2023/12/06/middleeast/x.html", "CNN"),
    ("www.bbc.co.uk/news/world", None, "BBC News"),
])
def test_known_outlets_have_one_name(text, url, outlet):
    assert canonical_outlet(text, url) == outlet


def test_namesakes_elsewhere_are_not_folded_onto_a_uk_paper():
    assert canonical_outlet("The Times (South Africa)") == "The Times (South Africa)"
    assert canonical_outlet("Sunday Times (South Africa)") == "Sunday Times (South Africa)"
    assert canonical_outlet("The National (Scotland)") == "The National (Scotland)"


def test_unknown_outlets_keep_the_name_as_written():
    assert canonical_outlet("  The  Daily Example (Karachi) ") == "The Daily Example (Karachi)"
    assert canonical_outlet("Global Wire Service", "https://unknown.example/x") == "Global Wire Service"
    assert canonical_outlet(None, "https://unknown.example/x") is None
    assert canonical_outlet(None) is None and canonical_outlet("  ") is None


def test_alias_table_is_consistent():
    table = load_table()
    outlets = set(table.exact.values()) | set(table.domains.values())
    assert len(outlets) > 60
    for outlet in outlets:  # every canonical name is its own canonical name
        assert canonical_outlet(outlet) == outlet
    seen: dict[tuple[str, str], str] = {}
    with (SEEDS / ALIASES_FILE).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            assert row["match"] in ("exact", "domain")
            key = (outlet_key(row["alias"]) if row["match"] == "exact" else row["alias"].lower(), row["match"])
            assert seen.setdefault(key, row["outlet"]) == row["outlet"], row
    assert ALIASES_FILE in SEED_FILES  # a change to the table rebuilds the articles


def test_domain_outlet_needs_a_known_host():
    assert domain_outlet("https://www.nytimes.com/2023/x") == "The New York Times"
    assert domain_outlet("not a url") is None and domain_outlet("https://nytimes.com.evil.example/") is None


# ------------------------------------------------------------------ build_article

def build(name: str, record=None) -> ArticleBuild:
    art = build_article((FIX / name).read_text(encoding="utf-8"), TODAY, record)
    assert isinstance(art, ArticleBuild), art
    return art


def test_build_article_from_an_export_names_the_outlet():
    a = build("nexis_nyt.txt")
    assert (a.outlet, a.outlet_text, a.byline, a.section, a.dateline_place) == (
        "The New York Times", "The New York Times", "Michael Example and Edward Sample", "Section A; Foreign Desk",
        "TEL AVIV")
    assert a.url == "https://www.nytimes.com/2023/12/06/world/middleeast/blinken-israel-pause.html"
    assert a.credits.startswith("Isabel Example contributed reporting")
    assert (a.published_date, a.date_source) == (dt.date(2023, 12, 6), "header")


def test_record_fields_win_over_the_text():
    rec = {"title": "Record title", "date": "2023-12-01T08:00:00Z", "outlet": "guardian.co.uk",
           "url": "https://www.theguardian.com/world/x", "byline": "By Rec Writer", "section": "World",
           "credits": None}
    a = build("nexis_nyt.txt", rec)
    assert a.title == "Record title"
    assert (a.published_date, a.date_source) == (dt.date(2023, 12, 1), "record")
    assert (a.outlet, a.outlet_text, a.url) == ("The Guardian", "guardian.co.uk", "https://www.theguardian.com/world/x")
    assert (a.byline, a.section) == ("Rec Writer", "World")
    assert a.credits.startswith("Isabel Example")  # not given by the record: the text's own


def test_unparseable_record_date_is_refused_with_a_note_and_the_text_decides():
    a = build("nexis_nyt.txt", {"date": "last Tuesday"})
    assert (a.published_date, a.date_source) == (dt.date(2023, 12, 6), "header")
    assert "record date 'last Tuesday'" in a.date_note
    a = build("headline_first.txt", {"date": "06/12/2023"})
    assert (a.published_date, a.date_source) == (None, "none") and "ambiguous" in a.date_note
    a = build("headline_first.txt", {"date": "2031-01-01"})
    assert a.published_date is None and "after the file was ingested" in a.date_note


def test_record_text_without_title_line_keeps_its_first_paragraph():
    art = build_article("Officials said 20 people were killed on Monday.\n\nRescuers searched the rubble.", TODAY,
                        {"title": "Strike kills 20", "outlet": "Example Gazette"})
    assert art.title == "Strike kills 20" and art.body.startswith("Officials said 20 people")
    assert (art.outlet, art.outlet_text) == ("Example Gazette", "Example Gazette")


@pytest.mark.parametrize("raw,ymd", [
    ("2023-12-06", (2023, 12, 6)), ("2023-12-06T10:00:00Z", (2023, 12, 6)),
    ("2023-12-06 23:30:00-05:00", (2023, 12, 6)),
    ("20231206", (2023, 12, 6)), ("2023/12/06", (2023, 12, 6)), ("Dec 6, 2023", (2023, 12, 6)),
    ("6 December 2023", (2023, 12, 6)), ("Wed, 06 Dec 2023 10:00:00 +0000", (2023, 12, 6)),
    ("Wednesday, December 6, 2023", (2023, 12, 6)), ("13/06/2023", (2023, 6, 13)), ("10/13/2023", (2023, 10, 13)),
])
def test_record_date_forms(raw, ymd):
    ev = parse_record_date(raw)
    assert ev.kind == "record" and (ev.year, ev.month, ev.day) == ymd


@pytest.mark.parametrize("raw", ["", "yesterday", "06/12/2023", "2023", "Q4 2023"])
def test_record_dates_refused(raw):
    assert parse_record_date(raw) is None
