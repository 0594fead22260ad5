"""Do running totals line up with the official series? (issue 11's measure, printed by make eval)

  python eval/reference_eval.py [../shared/devsets/casualty_mentions]

The casualty devset's articles of 7-22 October 2023 (its sentences grouped by article, in order, with
the article's date and outlet) go through the pipeline's NLP stage and figure rules. Every cumulative
death toll whose population is "Palestinians in Gaza" or "Israelis" (not a subset, not denied) is
compared with the OCHA series shipped in seeds/reference/ (vague plurals such as "thousands",
lower bounds by convention, are left out): a hit when, at some series date from two
days before the report date to the report date itself, the figure is within 0.9-1.1 of the series.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEVSET = ROOT.parent / "shared" / "devsets" / "casualty_mentions"
OUTLETS = {"nyt": "The New York Times", "wp": "The Washington Post", "wsj": "The Wall Street Journal"}
POPULATIONS = ("Palestinians in Gaza", "Israelis")
VAGUE_VALUES = {24, 40, 200, 2000, 20000, 200000, 2000000}


def _date(text: str) -> dt.date | None:
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            pass
    return None


def devset_articles(devset: Path) -> list[dict]:
    """One article per (file, article_index): its sentences in order, without repeats."""
    arts: dict[tuple[str, str], dict] = {}
    for path in sorted(devset.glob("tagged_data_*.csv")):
        outlet = OUTLETS[path.stem.split("_")[2]]
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for rec in csv.DictReader(fh):
                key = (path.stem, rec["article_index"])
                art = arts.setdefault(key, {"id": f"{path.stem}:{rec['article_index']}", "outlet": outlet,
                                            "title": rec["article_title"], "published": _date(rec["article_date"]),
                                            "sentences": []})
                s = re.sub(r"\s+", " ", rec["sentence"]).strip()
                if s and s not in art["sentences"] and "T-I-T-L-E" not in s:
                    art["sentences"].append(s)
    return [a for a in arts.values()
            if a["published"] and dt.date(2023, 10, 7) <= a["published"] <= dt.date(2023, 10, 22)]


def series() -> dict[tuple[str, dt.date], float]:
    out = {}
    with (ROOT / "seeds" / "reference" / "ocha_flash_updates.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["measure"] == "killed":
                out[(r["population"], dt.date.fromisoformat(r["date"]))] = float(r["value"])
    return out


def evaluate_reference(devset: Path = DEVSET, nlp=None, verbose: bool = False) -> list[str]:
    if not devset.exists():
        return [f"Reference series: {devset} is not here; skipped."]
    from transforms import nlp as nlp_mod
    from transforms.extract import article_figures
    from transforms.figures import Entity

    nlp = nlp or nlp_mod.load()
    arts = devset_articles(devset)
    ref = series()
    hits, total = Counter(), Counter()
    misses: list[str] = []
    items = [(i, "", " ".join(a["sentences"])) for i, a in enumerate(arts)]
    for i, res in nlp_mod.process_stream(nlp, items):
        a = arts[i]
        ments = [(f, Entity(c.start, c.end, c.label, c.text, c.entity)) for f, c in res.mentions]
        for _, f in article_figures("", items[i][2], ments, res.parses, a["published"], a["outlet"]):
            if not (f.measure == "killed" and f.scope == "cumulative" and f.population in POPULATIONS
                    and f.part_of is None and f.modality != "denied"):
                continue
            if f.value in VAGUE_VALUES and f.qualifier == "at_least" and not any(ch.isdigit() for ch in f.text):
                continue  # "thousands": a lower bound by convention, not a count to compare
            total[f.population] += 1
            days = [a["published"] - dt.timedelta(days=k) for k in (0, 1, 2)]
            if any(0.9 <= f.value / ref[(f.population, d)] <= 1.1 for d in days if (f.population, d) in ref):
                hits[f.population] += 1
            elif verbose:
                near = [ref[(f.population, d)] for d in days if (f.population, d) in ref]
                misses.append(f"MISS {a['published']} {f.population}: {f.text!r} vs OCHA {near} "
                              f"[{f.scope_rule}]\n        | {f.sentence[:260]}")
    n, h = sum(total.values()), sum(hits.values())
    lines = [f"Reference series (devset articles of 7-22 Oct 2023, {len(arts)} articles): cumulative death tolls "
             f"within 0.9-1.1 of OCHA at a series date from report date - 2 to report date",
             f"  all                         {h}/{n} = {h / n if n else 0:.3f}"]
    for pop in POPULATIONS:
        lines.append(f"  {pop:27s} {hits[pop]}/{total[pop]}")
    return lines + misses


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "-v"]
    print("\n".join(evaluate_reference(Path(args[0]) if args else DEVSET, verbose="-v" in sys.argv)))
