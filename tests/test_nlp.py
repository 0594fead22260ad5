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


def test_a_packed_parse_is_stored_as_lists_and_read_back_whole():
    """Parses cross processes and reach DuckDB packed (space-joined strings); the table keeps lists and
    the figure stage gets back exactly the parse the worker made, empty lists included."""
    import duckdb

    from orchestration.assets.core import PARSE_INSERT, PARSE_READ, PARSE_SCHEMA
    from orchestration.warehouse import insert_rows
    from transforms.nlp_types import SentenceParse

    parses = [SentenceParse("body", 120, 160, [120, 124, 131], [123, 130, 134], ["CD", "NNS", "VBD"],
                            ["NUM", "NOUN", "VERB"], ["nummod", "nsubj", "ROOT"], [1, 2, 2]),
              SentenceParse("title", 0, 0, [], [], [], [], [], [])]
    conn = duckdb.connect()
    conn.execute("CREATE SCHEMA core")
    conn.execute("CREATE TABLE core.sentence_parses (article_id VARCHAR, field VARCHAR, sent_start INTEGER, "
                 "sent_end INTEGER, tok_start INTEGER[], tok_end INTEGER[], tag VARCHAR[], pos VARCHAR[], "
                 "dep VARCHAR[], head INTEGER[])")
    insert_rows(conn, "core.sentence_parses", [("a1", *p.packed()) for p in parses], PARSE_SCHEMA, PARSE_INSERT)
    stored = conn.execute("SELECT tag, head FROM core.sentence_parses ORDER BY sent_start DESC").fetchall()
    assert stored == [(["CD", "NNS", "VBD"], [1, 2, 2]), ([], [])]
    back = [SentenceParse.unpack(*r[1:]) for r in conn.execute(PARSE_READ + " ORDER BY sent_start DESC").fetchall()]
    assert back == parses


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


def test_workers_group_articles_by_count_and_by_characters(monkeypatch):
    """A worker holds one group's texts at a time: 64 articles, or fewer when they are long."""
    from transforms import nlp as nlp_mod

    groups = []
    monkeypatch.setattr(nlp_mod, "_process_group", lambda nlp, batch, size: groups.append(len(batch)) or
                        ((k, None) for k, _, _ in batch))
    short = [(i, "t", "a short body") for i in range(130)]
    assert [k for k, _ in nlp_mod.process_stream(None, short)] == list(range(130))
    assert groups == [64, 64, 2]
    groups.clear()
    long = [(i, "", "x" * 30_000) for i in range(20)]
    assert [k for k, _ in nlp_mod.process_stream(None, long, group_chars=100_000)] == list(range(20))
    assert groups == [4, 4, 4, 4, 4]  # 4 x 30,000 reaches the budget, every article still comes out once
