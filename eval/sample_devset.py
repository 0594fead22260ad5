"""Draw the reproducible sample of devset sentences that eval/gold/casualty_sentences.jsonl annotates.

Usage: python eval/sample_devset.py ../shared/devsets/casualty_mentions [N]
Prints one JSON object per line (id, file, row, article_date, sentence) to stdout.
"""
from __future__ import annotations

import csv
import json
import random
import re
import sys
from pathlib import Path

SEED = 20231007


def load(devset: Path) -> list[dict]:
    rows, seen = [], set()
    for path in sorted(devset.glob("tagged_data_*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for i, rec in enumerate(csv.DictReader(fh)):
                sentence = re.sub(r"\s+", " ", rec["sentence"]).strip()
                if not sentence or sentence in seen:
                    continue
                seen.add(sentence)
                rows.append({"id": f"{path.stem}:{i}", "file": path.name, "row": i,
                             "article_date": rec["article_date"], "sentence": sentence})
    return rows


def sample(rows: list[dict], n: int) -> list[dict]:
    rng = random.Random(SEED)  # noqa: S311 -- a seeded, reproducible sample, not a secret
    with_digits = [r for r in rows if re.search(r"\d", r["sentence"])]
    without = [r for r in rows if not re.search(r"\d", r["sentence"])]
    k = round(n * 0.75)
    picked = rng.sample(with_digits, k) + rng.sample(without, n - k)
    return sorted(picked, key=lambda r: r["id"])


if __name__ == "__main__":
    devset = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 150
    for r in sample(load(devset), n):
        print(json.dumps(r, ensure_ascii=False))
