"""Cleaning, titles and date evidence for each input form, without spaCy."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from transforms.clean import body_fingerprint, clean_article, count_words
from transforms.dates import resolve_published_date

FIX = Path(__file__).parent / "fixtures"
SAMPLES = Path(__file__).parent.parent / "seeds" / "articles"
TODAY = dt.date(2026, 11, 26)


def clean(name: str, folder: Path = FIX):
    return clean_article((folder / name).read_text(encoding="utf-8"))


def date_of(c, today=TODAY):
    return resolve_published_date(c.date_evidence, today)


def test_nexis_export_header_and_footer():
    c = clean("nexis_export.txt")
    assert c.title == "Blinken presses for longer pause as truce deal holds"
    assert c.source_format == "database_export"
    assert date_of(c)[:2] == (dt.date(2023, 12, 6), "header")
    assert c.meta["publication"] == "The Washington Chronicle"
    assert c.meta["byline"] == "Jane Doe; John Roe"
    assert c.body.startswith("TEL AVIV, Dec. 6 -- Secretary of State Antony Blinken")
    for gone in ("Copyright", "Length:", "Section:", "Load-Date", "End of Document", "Subject:", "Classification",
                 "PHOTO:", "Page 1 of 2", "Highlight:"):
        assert gone not in c.body
    assert "Hamas has released 105 hostages since the truce began" in c.body
    assert c.body.count("\n\n") == 2  # three real paragraphs


def test_export_cover_page_is_rejected():
    c = clean("nexis_cover.txt")
    assert c.reject_reason and "cover page" in c.reject_reason


def test_factiva_export():
    c = clean("factiva_export.txt")
    assert c.title == "Gaza truce extended by two days"
    assert date_of(c)[:2] == (dt.date(2023, 11, 28), "header")
    assert c.meta["byline"] == "Sam Writer"
    assert "Document GWS" not in c.body and "523 words" not in c.body and "Copyright" not in c.body
    assert c.body.startswith("DOHA, Nov 28 (GWS) - Israel and Hamas agreed")


def test_headline_first_file():
    c = clean("headline_first.txt")
    assert c.title == "Gaza ceasefire talks resume in Cairo"
    assert c.body.split("\n\n") == ["Negotiators returned to Cairo on Tuesday for a new round of talks.",
                                    "Egypt said at least 30 aid trucks crossed into Gaza."]
    assert date_of(c)[:2] == (None, "none")


def test_html_page_is_stripped_to_article_text():
    c = clean("web_page.html.txt")
    assert c.source_format == "html"
    assert c.title == "Aid convoy reaches northern Gaza"
    assert c.body.split("\n\n") == [
        "A convoy of 60 trucks carrying food and medicine reached northern Gaza on Sunday, the United Nations said.",
        "More than 1,000 people gathered at the distribution point, according to aid workers."]


def test_only_boilerplate_is_rejected():
    c = clean("only_boilerplate.txt")
    assert c.reject_reason and "Nothing is left" in c.reject_reason


def test_web_boilerplate_in_samples():
    c = clean("003_034f16be5b20a66f.txt", SAMPLES)
    assert c.title == "Blinken says truce between Israel, Hamas is producing results"
    for gone in ("Skip to main content", "1 min Mena Today", "Saul Loeb/Pool via Reuters", "Reporting by",
                 "Related", "Putin holds talks", "Subscribe to our newsletter", "cookies", "Mena banner"):
        assert gone not in c.body
    lede = "U.S. Secretary of State Antony Blinken on Thursday said a temporary truce"
    assert c.body.count(lede) == 1  # the repeated paragraph collapses to one
    assert c.body.rstrip().endswith("has so far killed more than 15,000 people.")
    # the dated photo caption is gone from the body but still dates the article
    assert date_of(c)[:2] == (dt.date(2023, 11, 30), "text")


def test_repeated_headline_and_caption_credit():
    c = clean("001_fafcefb7174c792e.txt", SAMPLES)
    assert c.title.startswith("Blinken leaves to 'solidify' ceasefire")
    assert not c.body.startswith("Blinken leaves to")
    assert "[Getty]" not in c.body and "2 min read" not in c.body
    assert c.body.startswith("Antony Blinken has departed for a trip")


def test_dated_header_and_related_headlines():
    c = clean("004_49cb2a8c40627ad3.txt", SAMPLES)
    assert c.title == "Blinken Meets Netanyahu With Focus on War Hostages, Civilians"
    assert date_of(c)[:2] == (dt.date(2023, 11, 3), "header")
    assert "Biden Says Israel, Hamas Should" not in c.body
    assert "Poisons Russia Ties" not in c.body


def test_captions_with_agency_credits_removed():
    c = clean("002_ae4e6a7540fb81fa.txt", SAMPLES)
    assert "| AP" not in c.body and "| Reuters" not in c.body and "WhatsApp" not in c.body
    assert "After Turkey visit, Blinken heads to Asia" in c.body


@pytest.mark.parametrize("line", [
    "Skip to main content", "2 min read", "1 min Mena Today", "Advertisement", "Share this article",
    "Join our WhatsApp Channel to get the latest news", "Subscribe to our newsletter",
    "Sign up for our daily briefing", "Antony Blinken is making a trip to the Middle East [Getty]",
    "Protesters in Ankara, Turkey | Reuters", "Photo: AFP", "Reporting by Jane Doe; Editing by John Roe",
    "This article appeared in print on page A6.", "Copyright 2023 Example News. All rights reserved.",
    "We use cookies to improve your experience on our website.",
])
def test_boilerplate_lines(line):
    c = clean_article(f"A headline about events\n\n{line}\n\nThe real paragraph of the story stays here.")
    assert line not in c.body and "The real paragraph of the story stays here." in c.body


@pytest.mark.parametrize("line", [
    "Copyright laws are changing in Europe, officials said on Monday.",
    "45 minutes of chaos followed the blast, witnesses said.",
    "Writing by candlelight, residents described the night of the strike.",
    "Related talks in Doha ended without agreement.",
])
def test_real_paragraphs_that_look_like_boilerplate_stay(line):
    c = clean_article(f"A headline about events\n\nFirst paragraph of the story.\n\n{line}")
    assert line in c.body


def test_hard_wrapped_paragraphs_are_joined():
    text = ("Wrapped headline here\n\n"
            "The first paragraph of this article was wrapped at a fixed width by the\n"
            "export tool, so its lines must be joined back into one paragraph again\n"
            "before figures and sentences are read from it by the pipeline today.\n\n"
            "A second paragraph is also wrapped at the same width by the same export\n"
            "tool and it also needs to be joined back into a single line of text now.\n")
    c = clean_article(text)
    assert c.body.count("\n\n") == 1 and "by the export tool" in c.body


def test_impossible_and_future_header_dates_are_refused_with_reasons():
    c = clean_article(" date 2024-13-45 A headline\nBody text of the article.")
    d, source, note = date_of(c)
    assert (d, source) == (None, "none") and "not a real calendar date" in note
    c = clean_article(" date 2031-01-01 A headline\nBody text of the article.")
    d, source, note = date_of(c)
    assert d is None and "after the file was ingested" in note


def test_dateline_with_year_from_load_date():
    text = ("Body\n\nJERUSALEM, Dec 6 (Reuters) - Officials said the talks continued.\n\n"
            "Load-Date: December 7, 2023\n\nEnd of Document\n")
    c = clean_article("Talks continue\nThe Wire\nCopyright 2023 The Wire\nLength: 100 words\n" + text)
    assert date_of(c)[:2] == (dt.date(2023, 12, 6), "dateline")


def test_body_fingerprint_folds_case_and_space():
    assert body_fingerprint("The  Body\ntext") == body_fingerprint("the body text")
    assert body_fingerprint("the body text") != body_fingerprint("another body")


def test_word_count():
    assert count_words("U.S. officials said 22,600 people's homes were hit.") == 8


# ------------------------------------------------------------------ the last boilerplate (captions, credits, URLs)

@pytest.mark.parametrize("line,why", [
    ("PHOTOS: Secretary of State Antony J. Blinken in Tel Aviv on Wednesday. (PHOTOGRAPH BY HAIYUN EXAMPLE/THE NEW "
     "YORK TIMES) (A8) This article appeared in print on page A1, A8.", "photo caption or credit"),
    ("2 photos: Relatives of hostages at a rally. (PHOTOGRAPH BY SERGEY EXAMPLE FOR THE NEW YORK TIMES)",
     "photo caption or credit"),
    ("PHOTO: Antony Blinken arrives at Ben Gurion airport. Photograph: Jonathan Example/Reuters",
     "photo caption or credit"),
    ("Aid trucks at the crossing. (Photograph by Example Person for The Washington Chronicle)",
     "photo caption or credit"),
    ("Graphic", "navigation"),
    ("This article appeared in print on page A1.", "print edition note"),
    ("A version of this article appears in print on Dec. 7, 2023, Section A, Page 1 of the New York edition.",
     "print edition note"),
    ("License this article from Dow Jones Reprint Service", "print edition note"),
    ("Isabel Example contributed reporting from Jerusalem, and Adam Sample from Doha, Qatar.", "reporting credit"),
    ("Associated Press writers Josef Example in Jerusalem and Sam Sample in Washington contributed to this report.",
     "reporting credit"),
    ("Reporting was contributed by Adam Example from Jerusalem.", "reporting credit"),
    ("Additional reporting by Quique Example in Jerusalem", "reporting credit"),
    ("https://www.nytimes.com/2023/12/06/world/middleeast/blinken-israel-pause.html", "URL line"),
    ("www.example-news.com/world/2023/12/06/truce", "URL line"),
    ("<https://example.org/story>", "URL line"),
    ("Get our Morning Briefing newsletter delivered to your inbox every weekday.", "social or newsletter prompt"),
    ("Sign up for the Today's WorldView newsletter", "social or newsletter prompt"),
])
def test_captions_credits_and_url_lines_are_removed_with_reason(line, why):
    c = clean_article(f"A headline about events\n\nThe real paragraph of the story stays here.\n\n{line}\n\n"
                      "Another real paragraph stays too.")
    assert line not in c.body
    assert (line, why) in c.removed
    assert c.body.split("\n\n") == ["The real paragraph of the story stays here.", "Another real paragraph stays too."]


@pytest.mark.parametrize("line", [
    "The fund contributed to this report's findings, officials said on Monday.",
    "Photographs by residents showed the damage, the ministry said.",
    "The newsletter, delivered weekly, reached 2 million readers, the company said.",
    "Details are at https://example.org/report, the agency said.",
    "Maps: the army published new ones on Monday showing the zones.",
    "She said that photos: were not allowed, according to witnesses.",
])
def test_real_paragraphs_with_caption_or_credit_words_stay(line):
    c = clean_article(f"A headline about events\n\nFirst paragraph of the story.\n\n{line}")
    assert line in c.body


def test_credits_and_first_url_are_kept_beside_the_body():
    c = clean_article("Truce talks continue\n\nOfficials met on Monday.\n\nhttps://example.org/a\n\n"
                      "https://example.org/b\n\nJane Example contributed reporting.\n\n"
                      "(Reporting by Sam Sample; Editing by Kim Example)")
    assert c.body == "Officials met on Monday."
    assert c.url == "https://example.org/a"
    assert c.credits == "Jane Example contributed reporting. Reporting by Sam Sample; Editing by Kim Example"


def test_nyt_export_body_ends_with_the_story():
    c = clean("nexis_nyt.txt")
    assert c.body.endswith("Israeli officials said 105 hostages had been released since the truce began.")
    for gone in ("PHOTOGRAPH BY", "PHOTOS:", "2 photos", "appeared in print", "contributed reporting", "https://"):
        assert gone not in c.body
    assert c.credits == "Isabel Example contributed reporting from Jerusalem, and Adam Sample from Doha, Qatar."
    assert c.url == "https://www.nytimes.com/2023/12/06/world/middleeast/blinken-israel-pause.html"


# ------------------------------------------------------------------ who published it

def test_nexis_header_gives_outlet_byline_section_dateline():
    c = clean("nexis_export.txt")
    assert (c.outlet_text, c.byline, c.section, c.dateline_place, c.url, c.credits) == (
        "The Washington Chronicle", "Jane Doe; John Roe", "A-SECTION", "TEL AVIV", None, None)
    c = clean("nexis_nyt.txt")
    assert (c.outlet_text, c.byline, c.section, c.dateline_place) == (
        "The New York Times", "Michael Example and Edward Sample", "Section A; Foreign Desk", "TEL AVIV")


def test_factiva_header_gives_the_publication_after_the_date():
    c = clean("factiva_export.txt")
    assert (c.outlet_text, c.byline, c.dateline_place) == ("Global Wire Service", "Sam Writer", "DOHA")


def test_web_copy_signals():
    c = clean_article("Truce extended\n\nBy Jane Example\n\nJERUSALEM, Dec 6 (Reuters) - Israel and Hamas agreed "
                      "to extend the truce.\n\nOfficials confirmed it.")
    assert (c.outlet_text, c.byline, c.dateline_place, c.url) == ("Reuters", "Jane Example", "JERUSALEM", None)
    c = clean_article("Truce extended\n\nWASHINGTON (AP) — The truce was extended.\n\nOfficials confirmed it.")
    assert (c.outlet_text, c.dateline_place) == ("AP", "WASHINGTON")
    c = clean_article("Truce extended\n\nTEL AVIV -- The truce was extended.\n\nOfficials confirmed it.")
    assert (c.outlet_text, c.dateline_place) == (None, "TEL AVIV")


def test_a_known_url_beats_a_dateline_agency():
    c = clean_article("https://www.arabnews.com/node/123/middle-east\n\nTruce extended\n\n"
                      "JERUSALEM, Dec 6 (Reuters) - The truce was extended.\n\nOfficials confirmed it.")
    assert c.url == "https://www.arabnews.com/node/123/middle-east" and c.outlet_text is None
    assert c.title == "Truce extended"


def test_nothing_is_guessed():
    c = clean("headline_first.txt")
    assert (c.outlet_text, c.byline, c.section, c.url, c.dateline_place, c.credits) == (None,) * 6
    for path in sorted(SAMPLES.glob("*.txt")):
        c = clean(path.name, SAMPLES)
        assert c.outlet_text is None and c.url is None


def test_known_title_wins_and_the_first_line_stays_in_the_body():
    c = clean_article("Officials said 20 people were killed.\n\nMore text follows here.", known_title="Strike kills 20")
    assert c.title == "Strike kills 20"
    assert c.body == "Officials said 20 people were killed.\n\nMore text follows here."
    c = clean_article("Strike kills 20\n\nOfficials said 20 people were killed.", known_title="Strike kills 20")
    assert c.body == "Officials said 20 people were killed."


def test_character_references_in_plain_text_are_decoded():
    c = clean_article("EU patent row\n\nEC President Jos&#233; Manuel Barroso wrote to AT&amp;T&nbsp;staff; "
                      "&#1; stays, and so does AT&T or &foo;.")
    assert "José Manuel Barroso" in c.body and "AT&T staff" in c.body
    assert "&#1;" in c.body and "&foo;" in c.body  # never a control character, never an unknown name
