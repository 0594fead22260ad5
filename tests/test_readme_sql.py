"""Every ```sql block in README.md runs on the samples plus the October 2023 fixture corpus and answers with rows."""
from __future__ import annotations

import re

import duckdb
import pytest

from tests.conftest import ROOT

MAY_BE_EMPTY = "-- may be empty"
SQL_BLOCK = re.compile(r"^```sql[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)


def readme_sql_blocks() -> list[str]:
    return [m.group(1).strip() for m in SQL_BLOCK.finditer((ROOT / "README.md").read_text(encoding="utf-8"))]


BLOCKS = readme_sql_blocks()


def test_readme_has_enough_sql_examples():
    assert len(BLOCKS) >= 6, f"README.md has {len(BLOCKS)} ```sql blocks; the section promises at least six"
    assert all(b for b in BLOCKS), "an empty ```sql block"


def _label(block: str) -> str:
    lines = [line for line in block.splitlines() if line.strip() and not line.startswith("--")]
    return " ".join(" ".join(lines).split())[:60]


@pytest.mark.spacy
@pytest.mark.parametrize("block", BLOCKS, ids=[f"{i}:{_label(b)}" for i, b in enumerate(BLOCKS)])
def test_readme_sql_block_answers(oct2023_warehouse, block):
    conn = duckdb.connect(str(oct2023_warehouse), read_only=True)
    try:
        rows = conn.execute(block).fetchall()
    finally:
        conn.close()
    if block.splitlines()[0].strip() == MAY_BE_EMPTY:
        return
    assert rows, (f"no rows on the samples and the October 2023 corpus (start the block with '{MAY_BE_EMPTY}' "
                  f"if that is expected):\n{block}")
