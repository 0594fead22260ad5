"""Bulk exports: one .txt holding several Nexis or Factiva documents becomes one part per document."""
from __future__ import annotations

from pathlib import Path

import pytest

from transforms.clean import clean_article
from transforms.split import split_documents

FIX = Path(__file__).parent / "fixtures"
SAMPLES = Path(__file__).parent.parent / "seeds" / "articles"


def read(name: str) -> str:
    return (FIX / name).read_text(encoding="utf-8")


def same_cleaning(a, b) -> None:
    assert (a.title, a.body, a.date_evidence, a.source_format, a.outlet_text, a.byline, a.section, a.url,
            a.dateline_place, a.credits) == \
           (b.title, b.body, b.date_evidence, b.source_format, b.outlet_text, b.byline, b.section, b.url,
            b.dateline_place, b.credits)


def test_nexis_export_with_cover_page_splits_into_documents():
    text = read("nexis_multi.txt")
    parts = split_documents(text)
    assert len(parts) == 5
    assert "".join(parts) == text  # exact slices: nothing lost, nothing added
    cleaned = [clean_article(p) for p in parts]
    assert cleaned[0].reject_reason and "cover page" in cleaned[0].reject_reason
    assert [c.title for c in cleaned[1:]] == [
        "Blinken presses for longer pause as truce deal holds",
        "Blinken Urges Israel to Extend Pause as Hostage Releases Continue",
        "Blinken arrives in Israel as pressure grows to extend truce",
        "Egypt hosts new round of truce talks"]
    assert all(c.reject_reason is None for c in cleaned[1:])
    for p in parts[1:]:
        assert p.rstrip().endswith("End of Document")


def test_each_part_cleans_like_the_document_downloaded_alone():
    parts = split_documents(read("nexis_multi.txt"))
    same_cleaning(clean_article(parts[1]), clean_article(read("nexis_export.txt")))
    same_cleaning(clean_article(parts[2]), clean_article(read("nexis_nyt.txt")))
    fparts = split_documents(read("factiva_multi.txt"))
    same_cleaning(clean_article(fparts[0]), clean_article(read("factiva_export.txt")))


def test_factiva_export_splits_on_document_lines_and_rejects_the_search_summary():
    text = read("factiva_multi.txt")
    parts = split_documents(text)
    assert len(parts) == 4 and "".join(parts) == text
    cleaned = [clean_article(p) for p in parts]
    assert [c.title for c in cleaned[:3]] == ["Gaza truce extended by two days",
                                             "World News: Blinken Presses Israel on Civilian Toll",
                                             "UPDATE 2-Israel, Hamas extend truce for a seventh day"]
    assert cleaned[3].reject_reason and "cover page" in cleaned[3].reject_reason
    for c in cleaned[:3]:
        assert "Document " not in c.body and "words" not in c.body.split("\n\n")[0][:20]


def test_windows_line_endings_and_form_feeds():
    text = read("nexis_multi.txt").replace("\n", "\r\n")
    parts = split_documents(text)
    assert len(parts) == 5 and "".join(parts) == text
    assert clean_article(parts[4]).title == "Egypt hosts new round of truce talks"


@pytest.mark.parametrize("name", ["nexis_export.txt", "factiva_export.txt", "nexis_cover.txt", "headline_first.txt",
                                  "web_page.html.txt", "only_boilerplate.txt", "nexis_nyt.txt"])
def test_single_documents_are_returned_unchanged(name):
    text = read(name)
    assert split_documents(text) == [text]


def test_samples_are_single_documents():
    for path in SAMPLES.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        assert split_documents(text) == [text]


def test_only_whole_line_markers_split():
    text = ("Archive review ends\n\nOfficials said the end of document reviews was near.\n\n"
            "The end of document checks: End of Document, they said, then Document ABCDEFGHIJKLMNOPQ.\n")
    assert split_documents(text) == [text]


def test_old_lexisnexis_start_markers():
    doc = "{n} of 2 DOCUMENTS\n\nThe Example Times\n\nDecember 6, 2023\n\nHeadline {n}\n\nBODY:\nText {n}.\n\n"
    text = doc.format(n=1) + doc.format(n=2)
    parts = split_documents(text)
    assert len(parts) == 2 and parts[1].lstrip().startswith("2 of 2 DOCUMENTS") and "".join(parts) == text


def test_text_after_the_last_marker_is_its_own_part():
    one = read("nexis_export.txt")
    parts = split_documents(one + "\nA stray note typed after the download.\n")
    assert len(parts) == 2 and parts[1].strip() == "A stray note typed after the download."


def test_cover_page_and_one_document():
    text = read("nexis_cover.txt") + "\n" + read("nexis_export.txt")
    cover, doc = split_documents(text)
    assert clean_article(cover).reject_reason and cover + doc == text
    same_cleaning(clean_article(doc), clean_article(read("nexis_export.txt")))
