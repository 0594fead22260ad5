"""Dagster code versions of the assets: the same hashes that decide what a stage rebuilds."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from orchestration import settings as st
from report.stamp import package_version
from transforms.version import closure, code_hash, versions

PROJECT_DIR = Path(__file__).resolve().parent.parent


def _files_hash(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


@lru_cache(maxsize=None)
def code_version(stage: str) -> str:
    if stage == "ingest":
        return "i" + code_hash(closure(["transforms.decode", "transforms.split", "transforms.records"]))[:10]
    if stage in ("clean", "ner", "figures"):
        return getattr(versions(st.value_of("NEWS_SPACY_MODEL")), stage)
    if stage == "views":
        return "v" + _files_hash(list((PROJECT_DIR / "sql" / "views").glob("*.sql")))
    if stage == "ref":
        return "r" + _files_hash(list((PROJECT_DIR / "seeds").glob("*.csv")) +
                                 list((PROJECT_DIR / "seeds" / "reference").glob("*.csv")))
    if stage == "report":
        return "h" + package_version()  # the report package's code, template and static files
    raise KeyError(stage)
