"""Decoding, dates, numbers, sentences, entities and language: the small transforms, without spaCy."""
from __future__ import annotations

import codecs
import datetime as dt

import pytest

from transforms import numbers
from transforms.dates import DateEvidence, find_dates, resolve_published_date
from transforms.decode import decode_bytes
from transforms.entities import Mention, canonicalize
from transforms.language import detect_language
from transforms.sentences import split_sentences

# ------------------------------------------------------------------ decoding


@pytest.mark.parametrize("data,encoding", [
    ("Blinken in Türkiye".encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + "Blinken in Türkiye".encode("utf-8"), "utf-8-sig"),
    ("Blinken in Türkiye".encode("utf-16"), "utf-16"),
    ("Blinken in Türkiye".encode("utf-16-be").join([codecs.BOM_UTF16_BE, b""]), "utf-16"),
    ("£600m for the café".encode("cp1252"), "cp1252"),
    ("quote \u201cthis\u201d".encode("cp1252"), "cp1252"),
])
def test_decoding(data, encoding):
    d = decode_bytes(data)
    assert d.reason is None and d.encoding == encoding
    assert "Blinken" in d.text or "600m" in d.text or "quote" in d.text


def test_latin1_bytes_decode_with_a_recorded_codec():
    d = decode_bytes(b"Caf\xe9 owner \x81 said")  # 0x81 is undefined in cp1252
    assert d.reason is None and d.encoding == "latin-1" and d.text.startswith("Café")


@pytest.mark.parametrize("data,phrase", [
    (b"", "empty"),
    (b"   \n\t\n", "white space"),
    (bytes(range(256)) * 40, "binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 200, "binary"),
    (codecs.BOM_UTF16_LE + b"\x00\xd8", "not valid utf-16"),
])
def test_unreadable_bytes_get_a_reason(data, phrase):
    d = decode_bytes(data)
    assert d.text is None and phrase in d.reason.lower()


# ------------------------------------------------------------------ dates

def test_find_dates_forms():
    found = find_dates("text", "on November 30, 2023 and 6 December 2023 and 2024-01-06 and Nov. 3 2023")
    assert [(e.year, e.month, e.day) for e in found] == [(2023, 11, 30), (2023, 12, 6), (2024, 1, 6), (2023, 11, 3)]


def test_strongest_valid_evidence_wins():
    ev = [DateEvidence("text", "x", 2023, 11, 30), DateEvidence("header", "y", 2023, 12, 1),
          DateEvidence("dateline", "z", 2023, 12, 2)]
    assert resolve_published_date(ev, dt.date(2024, 1, 1))[:2] == (dt.date(2023, 12, 1), "header")


def test_refused_header_falls_back_with_note():
    ev = [DateEvidence("header", "2024-13-45", 2024, 13, 45), DateEvidence("text", "Nov 30", 2023, 11, 30)]
    d, source, note = resolve_published_date(ev, dt.date(2024, 1, 1))
    assert (d, source) == (dt.date(2023, 11, 30), "text") and "2024-13-45" in note


def test_never_the_ingestion_date():
    assert resolve_published_date([], dt.date(2024, 1, 1)) == (None, "none", "the text holds no publication date")
    d, _, note = resolve_published_date([DateEvidence("header", "1850-01-01", 1850, 1, 1)], dt.date(2024, 1, 1))
    assert d is None and "before 1900" in note


# ------------------------------------------------------------------ numbers

@pytest.mark.parametrize("text,value", [
    ("22,600", 22600), ("2 million", 2e6), ("2.3 million", 2.3e6), ("$1.2bn", 1.2e9), ("600m", 6e8),
    ("nine", 9), ("twenty-two", 22), ("one hundred and fifty", 150), ("a dozen", 12), ("dozens", 24),
    ("hundreds", 200), ("thousands", 2000), ("tens of thousands", 20000), ("two million", 2e6),
])
def test_parse_number(text, value):
    assert numbers.parse_number(text) == pytest.approx(value)


def test_parse_number_rejects_words():
    assert numbers.parse_number("several") is None and numbers.parse_number("12 apples") is None


# ------------------------------------------------------------------ sentences

def test_sentences_respect_abbreviations_and_paragraphs():
    text = ("U.S. Secretary of State Antony Blinken arrived on Oct. 7 with Mr. Smith. He left.\n"
            "The conflict.The Committee said so.")
    spans = [text[a:b] for a, b in split_sentences(text)]
    assert spans == ["U.S. Secretary of State Antony Blinken arrived on Oct. 7 with Mr. Smith.", "He left.",
                     "The conflict.", "The Committee said so."]


def test_sentence_offsets_index_the_text():
    text = "  First one.  Second one!\n\nThird?"
    assert [text[a:b] for a, b in split_sentences(text)] == ["First one.", "Second one!", "Third?"]


# ------------------------------------------------------------------ entities

def _m(text, label, start=0, ent_id=""):
    return Mention(start, start + len(text), text, label, ent_id)


def test_surname_and_title_fold_onto_the_full_name():
    out = canonicalize([_m("Antony Blinken", "PERSON"), _m("Blinken", "PERSON", 40),
                        _m("Secretary Blinken", "PERSON", 80), _m("Blinken's", "PERSON", 120)])
    assert {c.entity for c in out} == {"Antony Blinken"}


def test_folding_uses_the_full_name_in_the_same_article():
    out = canonicalize([_m("Hakeem Example", "PERSON"), _m("Example", "PERSON", 30), _m("Mr. Example", "PERSON", 50)])
    assert [c.entity for c in out] == ["Hakeem Example"] * 3
    alone = canonicalize([_m("Example", "PERSON")])
    assert alone[0].entity == "Example"


def test_initials_fold_onto_the_one_organisation_of_the_article_they_spell():
    out = canonicalize([_m("Council of Mortgage Lenders", "ORG"), _m("CML", "ORG", 40), _m("B&B", "ORG", 60),
                        _m("Bradford & Bingley", "ORG", 80), _m("ABC", "ORG", 100)])
    assert [c.entity for c in out] == ["Council of Mortgage Lenders"] * 2 + ["Bradford & Bingley"] * 2 + ["ABC"]
    two = canonicalize([_m("Royal Bank", "ORG"), _m("Reserve Board", "ORG", 20), _m("RB", "ORG", 40)])
    assert two[2].entity == "RB"  # two names spell it: neither is taken


@pytest.mark.parametrize("variants,name", [
    (["Türkiye", "Turkey", "Turkiye"], "Turkey"),
    (["US", "U.S.", "United States", "the United States"], "United States"),
    (["Gaza Strip", "the Gaza Strip", "Gaza"], "Gaza"),
    (["IDF", "Israel Defense Forces"], "Israel Defense Forces"),
])
def test_alias_table_variants(variants, name):
    out = canonicalize([_m(v, "GPE" if name != "Israel Defense Forces" else "ORG", i * 30)
                        for i, v in enumerate(variants)])
    assert {c.entity for c in out} == {name}


def test_numeric_labels_are_not_entities():
    out = canonicalize([_m("22,600", "CARDINAL"), _m("Gaza", "GPE", 10), _m("Friday", "DATE", 20)])
    assert out[0] is None and out[2] is None and out[1].entity == "Gaza"


# ------------------------------------------------------------------ language

def test_language_detection():
    assert detect_language("The top US diplomat arrived in Turkey on Friday at the start of a trip "
                           "that includes planned visits to Israel.") == "en"
    assert detect_language("Le secrétaire d'État américain est arrivé vendredi en Turquie au début "
                           "d'une tournée au Proche-Orient.") == "fr"
    assert detect_language("Der US-Außenminister ist am Freitag in der Türkei eingetroffen, zu Beginn "
                           "einer Reise in den Nahen Osten.") == "de"
    assert detect_language("short") == "und"


def test_ignored_words_and_fragments_are_not_entities():
    out = canonicalize([_m("State", "ORG"), _m("anti-", "NORP", 10), _m("Islamic State", "ORG", 20)])
    assert out[0] is None and out[1] is None and out[2].entity == "Islamic State"
