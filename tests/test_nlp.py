"""Long texts are split below spaCy's max_length and their mentions put back at the right offsets."""
from __future__ import annotations

import pytest

from transforms.nlp import chunks


def test_chunks_cut_at_paragraphs_and_cover_the_text():
    text = "\n\n".join(f"Paragraph {i} about Gaza and Israel, with some words to fill it up." for i in range(300))
    parts = chunks(text, 1_000)
    assert "".join(p for _, p in parts) == text
    assert all(len(p) <= 1_000 for _, p in parts)
    assert all(text[o:o + len(p)] == p for o, p in parts)
    assert all(p.endswith("\n\n") for _, p in parts[:-1])  # cut after a paragraph, not inside a word
    assert chunks("short", 1_000) == [(0, "short")]


def test_chunks_without_paragraphs_cut_at_spaces():
    text = "word " * 1_000
    parts = chunks(text, 300)
    assert "".join(p for _, p in parts) == text and all(p.endswith(" ") for _, p in parts[:-1])


@pytest.mark.spacy
def test_mentions_of_a_long_text_index_the_whole_text():
    from transforms import nlp as nlp_mod

    nlp = nlp_mod.load()
    para = "Antony Blinken met Benjamin Netanyahu in Jerusalem on Friday, officials in Washington said."
    text = "\n\n".join(f"{para} Paragraph {i}." for i in range(60))
    ((key, mentions),) = list(nlp_mod.pipe_entities(nlp, [("long", text)], chunk_chars=800))
    assert key == "long"
    assert len([m for m in mentions if m.text == "Jerusalem"]) == 60
    assert all(text[m.start:m.end] == m.text for m in mentions)
    assert max(m.end for m in mentions) > 800 * 5
