"""Batch files (placeholder until the batch-file reader lands): the column-map setting only."""
from __future__ import annotations

FIELDS = ("text", "title", "date", "outlet", "url", "byline", "section", "credits")


def parse_column_map(spec: str | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in (spec or "").split(","):
        if not item.strip():
            continue
        key, sep, column = item.partition("=")
        if not sep or key.strip() not in FIELDS or not column.strip():
            raise ValueError(f"Entry {item.strip()!r} is not field=column with a field among {', '.join(FIELDS)}.")
        out[key.strip()] = column.strip()
    return out


BATCH_SUFFIXES = {".jsonl", ".ndjson", ".csv", ".parquet"}

from collections.abc import Iterator  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402


@dataclass(frozen=True)
class Record:
    part: int
    doc_id: str | None
    text: str | None
    fields: dict = field(default_factory=dict)
    n_bytes: int = 0
    encoding: str | None = None
    reason: str | None = None


def iter_records(path: str, column_map: dict[str, str], max_record_bytes: int,
                 batch_rows: int = 1000) -> Iterator[Record]:
    yield Record(1, None, None, reason="Batch files are not read yet.")
