"""Print the figures the rules find in texts outside the gold, for a reviewer to read against
docs/figures.md (new dev material: outlets and topics the gold does not hold).

  python eval/review_unseen.py ../shared/corpora/bbc --topics business,sport --per-topic 8 --seed 7
  python eval/review_unseen.py ../shared/corpora/bbc --topics tech --sentences 300   # candidates only, no spaCy
  python eval/review_unseen.py ../shared/devsets/casualty_mentions --devset --per-topic 30 --seed 5

Articles already in eval/gold are skipped, so nothing blind is shown. With --sentences, sentences that
hold a digit are drawn from the topics and only the candidate finder runs (fast: false positives).
With --devset, --per-topic articles of the casualty devset (its sentences grouped by article, as
`make eval` reads them for the reference series) are drawn from those no gold file holds, and their
casualty figures are printed with scope, population and dates.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from make_gold_batches import bbc_candidates, bbc_item  # noqa: E402

from transforms.decode import decode_bytes  # noqa: E402


def gold_ids() -> set[str]:
    out: set[str] = set()
    for f in (ROOT / "eval" / "gold").glob("*.jsonl"):
        for line in f.open(encoding="utf-8"):
            out.add(json.loads(line).get("id", ""))
    return out


def sentences(corpus: Path, topics: list[str], n: int, rng: random.Random, skip: set[str]) -> list[str]:
    out = []
    for t in topics:
        for p in sorted((corpus / t).glob("*.txt")):
            if f"bbc/{p.relative_to(corpus).as_posix()}" in skip:
                continue
            text = decode_bytes(p.read_bytes()).text or ""
            out += [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if re.search(r"\d", s) and len(s) < 300]
    rng.shuffle(out)
    return out[:n]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--topics", default="business,politics,sport,tech")
    ap.add_argument("--per-topic", type=int, default=5)
    ap.add_argument("--sentences", type=int, default=0)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--devset", action="store_true", help="corpus is the casualty devset")
    a = ap.parse_args(argv)
    rng, skip, topics = random.Random(a.seed), gold_ids(), a.topics.split(",")  # noqa: S311 (a sample, not a secret)
    if a.devset:
        return review_devset(a.corpus, a.per_topic, rng, skip)
    if a.sentences:
        from transforms.figures.candidates import find_candidates
        for s in sentences(a.corpus, topics, a.sentences, rng, skip):
            found = [c.text for c in find_candidates(s)]
            if found:
                print(found, "|", s)
        return 0
    from evaluate import predict

    from transforms import nlp as nlp_mod
    items = []
    for t in topics:
        cands = [p for p in bbc_candidates(a.corpus, t) if f"bbc/{p.relative_to(a.corpus).as_posix()}" not in skip]
        items += [bbc_item(a.corpus, p, "review") for p in rng.sample(cands, min(a.per_topic, len(cands)))]
    found = predict(nlp_mod.load(), items)
    for it in items:
        print("#####", it["id"], "|", it["title"])
        for p in found[it["id"]]:
            text = it["body"] if p["field"] == "body" else it["title"]
            s = text.rfind(". ", 0, p["start"]) + 1
            e = text.find(". ", p["end"])
            print(f"  [{p['text']}] {p['measure']} subject={p['subject']} location={p['location']} "
                  f"source={p['source']} {p['modality']} {p['scope']} unit={p['unit']} by={p['decided_by']}")
            print("      ", text[s:len(text) if e < 0 else e + 1].strip().replace("\n", " ")[:300])
    return 0


def review_devset(devset: Path, n: int, rng: random.Random, skip: set[str]) -> int:
    from reference_eval import devset_articles

    from transforms import nlp as nlp_mod
    from transforms.extract import article_figures
    from transforms.figures import Entity

    arts = [a for a in devset_articles(devset) if a["id"] not in skip]
    rng.shuffle(arts)
    arts = arts[:n]
    items = [(i, "", " ".join(a["sentences"])) for i, a in enumerate(arts)]
    for i, res in nlp_mod.process_stream(nlp_mod.load(), items):
        a = arts[i]
        ments = [(f, Entity(c.start, c.end, c.label, c.text, c.entity)) for f, c in res.mentions]
        print("#####", a["id"], a["published"])
        for _, f in article_figures("", items[i][2], ments, res.parses, a["published"], a["outlet"]):
            if f.unit not in ("people", "count") or f.measure == "other":
                continue
            print(f"  [{f.text}] {f.measure} subject={f.subject} location={f.location} source={f.source} "
                  f"{f.modality} scope={f.scope} ({f.scope_rule}) population={f.population} "
                  f"event_date={f.event_date} period_start={f.period_start} by={f.decided_by}")
            print("      ", f.sentence[:300])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
