"""Legacy code pages and mojibake: which codec is chosen, and that Western text keeps today's result."""
from __future__ import annotations

from pathlib import Path

import pytest

from transforms.clean import clean_article
from transforms.decode import decode_bytes, repair_mojibake, sniff_codec

FIX = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("name,codec,phrase", [
    ("cp1251_ru.txt", "cp1251", "Министр иностранных дел России Сергей Лавров"),
    ("cp1256_ar.txt", "cp1256", "قال وزير الخارجية الأمريكي أنتوني بلينكن"),
    ("cp1255_he.txt", "cp1255", "שר החוץ האמריקני אנתוני בלינקן"),
])
def test_non_latin_code_pages_are_recognised(name, codec, phrase):
    data = (FIX / name).read_bytes()
    d = decode_bytes(data)
    assert d.reason is None and d.encoding == codec
    assert phrase in d.text
    assert "Ìèíèñòð" not in d.text and "Ã" not in d.text  # not read as cp1252
    assert sniff_codec(data[:64]) == codec


def test_western_cp1252_file_keeps_todays_result():
    data = (FIX / "cp1252_western.txt").read_bytes()
    d = decode_bytes(data)
    assert d.encoding == "cp1252"
    assert d.text == data.decode("cp1252")  # unchanged: curly quotes, accents, € and £
    assert "“a start” — naïve" in d.text and "José Müller" in d.text
    c = clean_article(d.text)
    assert c.title == "Café owner’s “hope” for Genève talks"
    assert "“a start” — naïve or not." in c.body


@pytest.mark.parametrize("text,codec", [
    ("Ο υπουργός Εξωτερικών των ΗΠΑ Άντονι Μπλίνκεν δήλωσε την Τετάρτη ότι οι συνομιλίες για την "
     "εκεχειρία στη Γάζα θα συνεχιστούν.", "cp1253"),
    ("Ο υπουργός Εξωτερικών των ΗΠΑ Άντονι Μπλίνκεν δήλωσε την Τετάρτη ότι οι συνομιλίες για την "
     "εκεχειρία στη Γάζα θα συνεχιστούν.", "iso8859-7"),
    ("Министр иностранных дел России заявил в среду, что переговоры продолжатся.", "koi8-r"),
    ("Министр иностранных дел России заявил в среду, что переговоры продолжатся.", "iso8859-5"),
    ("قال وزير الخارجية إن المحادثات بشأن الهدنة في غزة ستستمر الأسبوع المقبل.", "iso8859-6"),
])
def test_other_code_pages(text, codec):
    d = decode_bytes(text.encode(codec))
    assert d.encoding == codec and d.text == text


@pytest.mark.parametrize("text", [
    "Der Außenminister Müller sagte am Mittwoch in Köln, die Gespräche über die Waffenruhe gehen weiter. "
    "Straße, Grüße, Öl, Übermut, Ärger, Fußgänger, Bürger.",
    "Le ministre a déclaré « nous irons à Genève » et l'été sera décisif : « c'est très élevé ».",
    "Été", "Ça coûte 20 €, à côté du café", "£15.8m", "Caf\u00e9 “quoted” – naïve",
])
def test_western_text_is_never_taken_for_a_non_latin_page(text):
    d = decode_bytes(text.encode("cp1252"))
    assert d.encoding == "cp1252" and d.text == text


def test_latin1_bbc_style_file_keeps_cp1252():
    # /work/shared/corpora/bbc/sport/199.txt: ASCII with one 0xA3 pound sign, decoded as cp1252 today.
    data = b"Chelsea paid \xa315.8m for the striker, the club said on Monday.\n"
    assert decode_bytes(data).encoding == "cp1252"


def test_sniff_codec_tolerates_a_cut_utf8_sequence():
    data = "Blinken in Türkiye".encode("utf-8")
    assert sniff_codec(data[:12]) == "utf-8"  # cut inside "ü"
    assert sniff_codec(b"\xef\xbb\xbfa,b\n") == "utf-8-sig"
    assert sniff_codec("“a” café".encode("cp1252")) == "cp1252"


# ------------------------------------------------------------------ mojibake

def test_mojibake_file_is_repaired_in_the_cleaner():
    d = decode_bytes((FIX / "mojibake_utf8.txt").read_bytes())
    assert d.encoding == "utf-8" and "â€™" in d.text
    c = clean_article(d.text)
    assert "The minister said “we’ll keep talking” after the café meeting in Genève — the third this week." in c.body
    assert "â€" not in c.body and "Ã" not in c.body


@pytest.mark.parametrize("text", [
    "Plain text with “curly quotes”, ‘single’ ones, café, naïve, Genève, 20 € — and a dash.",
    "ﬁnancial ｗｉｄｅ &amp; entities and e\u0301 combining marks stay as they are.",
    "Министр said it; قال too; שר too.",
    "Café… at 5 p.m.",  # é then … is a mojibake-looking pair; ftfy leaves real text alone
])
def test_repair_mojibake_changes_nothing_else(text):
    assert repair_mojibake(text) == text


@pytest.mark.parametrize("broken,fixed", [
    ("weâ€™ll", "we’ll"), ("cafÃ©", "café"), ("Â£600m", "£600m"),
    ("â€œquotedâ€\x9d", "“quoted”"), ("Ð\x9cÐ¸Ð½Ð¸Ñ\x81Ñ\x82Ñ\x80", "Министр"),
])
def test_repair_mojibake(broken, fixed):
    assert repair_mojibake(f"The {broken} here “stays curly”.") == f"The {fixed} here “stays curly”."
