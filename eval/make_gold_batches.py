"""Draw the texts the new gold annotates (reproducible): BBC whole articles and casualty-devset sentences.

  python eval/make_gold_batches.py ../shared [--out eval/gold/todo]

Writes one JSONL file per batch with empty `figures` lists, in the gold format of docs/figures.md:
  bbc_blind.jsonl     32 BBC articles (8 each of business, politics, sport, tech), annotated blind
  devset_blind.jsonl  110 devset sentences not in the older gold, annotated blind
  bbc_dev.jsonl       20 other BBC articles (5 per topic), for development
The texts are stored in the gold itself (title and body as the cleaner gave them when drawn), so
later cleaner changes do not move the offsets.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transforms.clean import clean_article  # noqa: E402
from transforms.decode import decode_bytes  # noqa: E402

SEED = 20261127
TOPICS = ("business", "politics", "sport", "tech")
OUTLETS = {"nyt": "The New York Times", "wp": "The Washington Post", "wsj": "The Wall Street Journal"}
NUMBER_WORD = re.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|"
                         r"scores|hundreds?|thousands?|millions?|billions?)\b", re.I)


def bbc_candidates(corpus: Path, topic: str) -> list[Path]:
    out = []
    for p in sorted((corpus / topic).glob("*.txt")):
        text = decode_bytes(p.read_bytes()).text or ""
        n_words = len(text.split())
        digits = len(re.findall(r"\d", text))
        if 120 <= n_words <= 450 and digits >= 6:
            out.append(p)
    return out


def bbc_item(corpus: Path, path: Path, split: str) -> dict:
    c = clean_article(decode_bytes(path.read_bytes()).text)
    rel = path.relative_to(corpus).as_posix()
    return {"id": f"bbc/{rel}", "outlet": "BBC News", "topic": rel.split("/")[0], "published_date": None,
            "title": c.title or "", "body": c.body, "split": split, "figures": []}


def _date(text: str) -> str | None:
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date().isoformat()
        except ValueError:
            pass
    return None


def devset_rows(devset: Path, exclude: set[str]) -> list[dict]:
    rows, seen = [], set(exclude)
    for path in sorted(devset.glob("tagged_data_*.csv")):
        outlet = OUTLETS[path.stem.split("_")[2]]
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for i, rec in enumerate(csv.DictReader(fh)):
                sentence = re.sub(r"\s+", " ", rec["sentence"]).strip()
                if not sentence or sentence in seen or "T-I-T-L-E" in sentence:
                    continue
                seen.add(sentence)
                rows.append({"id": f"{path.stem}:{i}", "outlet": outlet, "topic": "israel-gaza war",
                             "published_date": _date(rec["article_date"]), "article_title": rec["article_title"],
                             "title": "", "body": sentence, "figures": []})
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("shared", type=Path)
    ap.add_argument("--out", type=Path, default=ROOT / "eval" / "gold" / "todo")
    args = ap.parse_args(argv)
    rng = random.Random(SEED)  # noqa: S311 -- a seeded, reproducible sample, not a secret
    corpus = args.shared / "corpora" / "bbc"
    blind, dev = [], []
    for topic in TOPICS:
        picked = rng.sample(bbc_candidates(corpus, topic), 13)
        blind += [bbc_item(corpus, p, "blind") for p in picked[:8]]
        dev += [bbc_item(corpus, p, "dev") for p in picked[8:]]
    old = set()
    for name in ("casualty_sentences.jsonl", "casualty_sentences_heldout.jsonl"):
        for line in (ROOT / "eval" / "gold" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                old.add(json.loads(line)["sentence"])
    rows = devset_rows(args.shared / "devsets" / "casualty_mentions", old)
    numeric = [r for r in rows if re.search(r"\d", r["body"]) or NUMBER_WORD.search(r["body"])]
    other = [r for r in rows if r not in numeric]
    sample = rng.sample(numeric, 88) + rng.sample(other, 22)
    for r in sample:
        r["split"] = "blind"
    args.out.mkdir(parents=True, exist_ok=True)
    for name, items in (("bbc_blind", blind), ("bbc_dev", dev),
                        ("devset_blind", sorted(sample, key=lambda r: r["id"]))):
        with (args.out / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            for item in items:
                fh.write(json.dumps(item, ensure_ascii=False) + "\n")
        print(f"{name}: {len(items)} items")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
