"""A non-English article is kept and flagged, and not run through the English model."""
from __future__ import annotations

import shutil

import duckdb
import pytest

from tests.conftest import SAMPLES, run

pytestmark = pytest.mark.spacy

FRENCH = """Le secrétaire d'État américain en Turquie

Le secrétaire d'État américain Antony Blinken est arrivé vendredi en Turquie, au début d'une tournée au
Proche-Orient qui doit le conduire en Israël et en Cisjordanie.

Au moins 22 600 Palestiniens ont été tués depuis le début de la guerre, selon les autorités sanitaires de Gaza.
"""


def test_french_article_is_kept_flagged_and_skipped_by_the_english_model(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / "000_3f3720924f8ea79b.txt", inbox)
    (inbox / "article_fr.txt").write_text(FRENCH, encoding="utf-8")
    ok, problems, wh = run(tmp_path, inbox)
    assert ok, problems
    conn = duckdb.connect(wh.warehouse_path, read_only=True)
    try:
        # every stage has processed both (the French one without the English model)
        rows = dict(conn.execute("SELECT source_path, (language, is_english, nlp_version IS NOT NULL "
                                 "AND figure_version IS NOT NULL, title) FROM core.articles").fetchall())
        assert rows["article_fr.txt"] == ("fr", False, True, "Le secrétaire d'État américain en Turquie")
        assert rows["000_3f3720924f8ea79b.txt"][:3] == ("en", True, True)
        per_article = dict(conn.execute("""
            SELECT a.source_path,
                   (SELECT count(*) FROM core.figures f WHERE f.article_id = a.article_id)
                   + (SELECT count(*) FROM core.entity_mentions m WHERE m.article_id = a.article_id)
            FROM core.articles a""").fetchall())
        assert per_article["article_fr.txt"] == 0 and per_article["000_3f3720924f8ea79b.txt"] > 20
    finally:
        conn.close()
