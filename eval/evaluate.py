"""Extraction quality against the hand-written gold (make eval).

  python eval/evaluate.py [--verbose] [--only dev|blind]

Gold (docs/figures.md, "Gold file format") lives in eval/gold/*.jsonl, each item marked `dev` (the
rules may be developed against it) or `blind` (annotated before looking at the rules' output and
never tuned on: only its totals are printed, never its individual errors). Figures are matched to
gold on value and span (same field, overlapping offsets, equal value); every field is then scored
on the matched pairs, measure included. The same code path as the pipeline: spaCy NER and the parse
of number sentences (transforms.nlp), then the figure rules on what that stage stores.

Also: titles, dates and boilerplate on the five samples (eval/gold/samples.json), the inputs
(eval/inputs_eval.py) and how cumulative tolls line up with the reference series (issue 11).
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from transforms import clean, dates  # noqa: E402
from transforms import nlp as nlp_mod  # noqa: E402
from transforms.extract import article_figures  # noqa: E402
from transforms.figures import Entity  # noqa: E402
from transforms.lexicon import Lexicon, fold  # noqa: E402

SAMPLES_DIR = ROOT / "seeds" / "articles"
GOLD_DIR = ROOT / "eval" / "gold"
SEVEN = ("value", "qualifier", "measure", "subject", "location", "source", "modality")
FIELDS = ("value_max", "qualifier", "unit", "measure", "subject", "location", "source", "modality", "scope",
          "period_start", "event_date", "part_of", "population")


# ---------------------------------------------------------------------------------------------- loading
def load_gold(gold_dir: Path = GOLD_DIR) -> list[dict]:
    items = []
    for path in sorted(gold_dir.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                if "split" in item and "figures" in item and "body" in item:
                    item["file"] = path.name
                    items.append(item)
    return items


def predict(nlp, items: list[dict]) -> dict[str, list[dict]]:
    """Figures for every gold item, through the NLP stage and the figure rules."""
    out: dict[str, list[dict]] = {}
    texts = [(i, item["title"] or "", item["body"]) for i, item in enumerate(items)]
    for i, res in nlp_mod.process_stream(nlp, texts):
        item = items[i]
        mentions = [(fld, Entity(c.start, c.end, c.label, c.text, c.entity)) for fld, c in res.mentions]
        published = dt.date.fromisoformat(item["published_date"]) if item.get("published_date") else None
        found = article_figures(item["title"] or "", item["body"], mentions, res.parses, published, item.get("outlet"))
        preds = []
        for fld, f in found:
            preds.append({"field": fld, "start": f.start, "end": f.end, "text": f.text, "value": f.value,
                          "value_max": f.value_max, "qualifier": f.qualifier, "unit": f.unit, "measure": f.measure,
                          "subject": f.subject, "location": f.location, "source": f.source,
                          "source_text": f.source_text, "modality": f.modality, "scope": f.scope,
                          "period_start": f.period_start.isoformat() if f.period_start else None,
                          "event_date": f.event_date.isoformat() if f.event_date else None,
                          "part_of": f.part_of, "population": f.population, "decided_by": f.decided_by,
                          "scope_rule": f.scope_rule})
        out[item["id"]] = preds
    return out


# ---------------------------------------------------------------------------------------------- comparing
def _places() -> dict[str, str]:
    with (ROOT / "seeds" / "places.csv").open(encoding="utf-8", newline="") as fh:
        return {fold(r["alias"]): r["place"] for r in csv.DictReader(fh)}


PLACES = _places()


def canon_place(p: str | None) -> str | None:
    if p is None:
        return None
    key = fold(p)
    ent = Lexicon.default().entity_alias(p)
    return PLACES.get(key) or (PLACES.get(fold(ent[0])) if ent else None) or (ent[0] if ent else p)


def _fold(text: str) -> str:
    return re.sub(r"^(?:a|an)\s+", "", fold(text))


def source_matches(g: dict, p: dict) -> bool:
    lex = Lexicon.default()
    fold = _fold  # noqa: N806 -- a leading "a"/"an" is not part of a source either
    if g.get("source_text") is None and g.get("source") is None:
        return p["source"] is None and p["source_text"] is None
    gold = {fold(x) for x in (g.get("source_text"), g.get("source")) if x}
    if g.get("source_text"):
        canon = lex.source_canonical(g["source_text"])
        if canon:
            gold.add(fold(canon))
    return bool({fold(x) for x in (p["source"], p["source_text"]) if x} & gold)


def same(name: str, g: dict, p: dict) -> bool:
    if name == "source":
        return source_matches(g, p)
    if name == "location":
        return (fold(canon_place(g["location"]) or "") == fold(canon_place(p["location"]) or ""))
    if name == "subject":
        return (g["subject"] or "").casefold() == (p["subject"] or "").casefold()
    if name == "value":
        return abs(g["value"] - p["value"]) <= 1e-6 * max(1.0, abs(g["value"]))
    if name == "value_max":
        return (g["value_max"] is None) == (p["value_max"] is None) and (
            g["value_max"] is None or abs(g["value_max"] - p["value_max"]) <= 1e-6 * max(1.0, g["value_max"]))
    return g.get(name) == p.get(name)


class Scores:
    def __init__(self, name: str):
        self.name = name
        self.tp = self.fp = self.fn = 0
        self.right = Counter()
        self.total = Counter()
        self.errors: list[str] = []

    def add(self, item: dict, gold: list[dict], pred: list[dict]) -> None:
        pairs = match(gold, pred)
        matched_p = {j for _, j in pairs}
        matched_g = {i for i, _ in pairs}
        self.tp += len(pairs)
        self.fn += len(gold) - len(matched_g)
        self.fp += len(pred) - len(matched_p)
        where = item["id"]
        for i, g in enumerate(gold):
            if i not in matched_g:
                self.errors.append(f"MISSED   {where}: {g['text']!r} {g['value']:g} {g['measure']}")
        for j, p in enumerate(pred):
            if j not in matched_p:
                self.errors.append(f"SPURIOUS {where}: {p['text']!r} {p['value']:g} {p['measure']} [{p['decided_by']}]")
        back = {i: j for i, j in pairs}
        for i, j in pairs:
            g, p = gold[i], pred[j]
            ok = {}
            for name in FIELDS:
                if name == "part_of":
                    want = back.get(g["part_of"]) if g["part_of"] is not None else None
                    ok[name] = (g["part_of"] is None and p["part_of"] is None) or (
                        g["part_of"] is not None and want is not None and p["part_of"] == want)
                elif name == "event_date" and g["event_date"] is None:
                    continue  # scored where the text dates the event
                else:
                    ok[name] = same(name, g, p)
            ok["value"] = same("value", g, p)
            ok["all seven"] = all(ok[n] for n in SEVEN)
            for name, good in ok.items():
                self.total[name] += 1
                self.right[name] += good
                if not good and name != "all seven":
                    shown = (p["source"], p["source_text"]) if name == "source" else p.get(name)
                    if name == "scope":
                        shown = f"{shown} by {p['scope_rule']}"
                    self.errors.append(f"{name.upper():9s} {where}: {g['text']!r} gold={g.get(name)!r} "
                                       f"pred={shown!r} [{p['decided_by']}]" + self._context(item, g))

    show_context = False

    def _context(self, item: dict, g: dict) -> str:
        if not self.show_context:
            return ""
        text = item["title"] if g.get("field") == "title" else item["body"]
        return "\n        | " + " ".join(text[max(0, g["start"] - 200):g["end"] + 120].split())

    def merge(self, other: "Scores") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.right.update(other.right)
        self.total.update(other.total)

    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def accuracy(self, name: str) -> float | None:
        return self.right[name] / self.total[name] if self.total[name] else None

    def report(self) -> list[str]:
        lines = [f"{self.name}: gold {self.tp + self.fn}, predicted {self.tp + self.fp}, matched {self.tp}",
                 f"  figures (value + span)   precision {self.precision():.3f}  recall {self.recall():.3f}"]
        for name in ("value",) + FIELDS + ("all seven",):
            if self.total[name]:
                lines.append(f"  {name:24s} accuracy {self.accuracy(name):.3f}  "
                             f"({self.right[name]}/{self.total[name]})")
        return lines


def match(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs of (gold, pred) with the same field, overlapping spans and the same value,
    the largest overlap first."""
    cands = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if g["field"] != p["field"] or not same("value", g, p):
                continue
            overlap = min(g["end"], p["end"]) - max(g["start"], p["start"])
            if overlap > 0:
                cands.append((-overlap, i, j))
    pairs, used_g, used_p = [], set(), set()
    for _, i, j in sorted(cands):
        if i not in used_g and j not in used_p:
            pairs.append((i, j))
            used_g.add(i)
            used_p.add(j)
    return pairs


# ---------------------------------------------------------------------------------------------- samples
def _boilerplate_line(line: str, prefixes: list[str]) -> bool:
    return any(line == p or (len(p) >= 15 and line.startswith(p)) for p in prefixes)


def evaluate_samples(gold: dict) -> tuple[list[str], list[str]]:
    """Titles, dates and boilerplate of the five samples."""
    errors: list[str] = []
    title_ok = date_ok = bp_ok = par_ok = n = bp_total = par_total = 0
    for name, g in gold.items():
        if name.startswith("_"):
            continue
        n += 1
        raw = (SAMPLES_DIR / name).read_text(encoding="utf-8")
        c = clean.clean_article(raw)
        published, source, _ = dates.resolve_published_date(c.date_evidence, dt.date.today())
        title_ok += c.title == g["title"]
        got_date = published.isoformat() if published else None
        date_ok += got_date == g["published_date"] and source == g["date_source"]
        if c.title != g["title"]:
            errors.append(f"TITLE {name}: {c.title!r}")
        if got_date != g["published_date"] or source != g["date_source"]:
            errors.append(f"DATE {name}: {got_date} {source}")
        body_pars = c.body.split("\n\n")
        for line in (ln.strip() for ln in clean.normalise(raw).split("\n")):
            if not line:
                continue
            if _boilerplate_line(line, g["boilerplate"]):
                bp_total += 1
                bp_ok += line not in body_pars
            elif not any(line.startswith(p) for p in g["headline"] + g.get("ignore", [])):
                par_total += 1
                par_ok += body_pars.count(line) == 1
    return [f"Samples: {n} articles", f"  titles exact               {title_ok}/{n}",
            f"  dates exact (date+source)  {date_ok}/{n}", f"  boilerplate lines removed  {bp_ok}/{bp_total}",
            f"  real paragraphs kept once  {par_ok}/{par_total}"], errors


# ---------------------------------------------------------------------------------------------- main
def evaluate(nlp, items: list[dict]) -> dict[str, Scores]:
    preds = predict(nlp, items)
    scores: dict[str, Scores] = {}
    for item in items:
        for key in (item["split"], f"{item['split']}: {item['outlet'] or 'no outlet'}",
                    f"{item['split']}: {item['topic']}"):
            scores.setdefault(key, Scores(key)).add(item, item["figures"], preds[item["id"]])
    return scores


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--verbose", "-v", action="store_true", help="list the dev part's errors (never the blind part's)")
    ap.add_argument("--only", choices=["dev", "blind"])
    ap.add_argument("--context", action="store_true", help="with -v: the text around each dev error")
    args = ap.parse_args(argv)
    Scores.show_context = args.context and args.verbose
    items = [i for i in load_gold() if not args.only or i["split"] == args.only]
    nlp = nlp_mod.load()
    scores = evaluate(nlp, items)
    out: list[str] = []
    for split in ("blind", "dev"):
        if split not in scores:
            continue
        title = {"blind": "BLIND (annotated before looking at the output, never tuned on)",
                 "dev": "DEV (the rules may be developed against it)"}[split]
        s = scores[split]
        s.name = f"{title}: {len({i['id'] for i in items if i['split'] == split})} items"
        out += s.report()
        for key in sorted(k for k in scores if k.startswith(f"{split}: ")):
            sub = scores[key]
            out.append(f"    {key[len(split) + 2:]:28s} P {sub.precision():.3f}  R {sub.recall():.3f}  "
                       f"measure {sub.accuracy('measure') or 0:.3f}  all seven {sub.accuracy('all seven') or 0:.3f}  "
                       f"({sub.tp + sub.fn} gold)")
    sample_lines, sample_errors = evaluate_samples(json.loads((GOLD_DIR / "samples.json").read_text(encoding="utf-8")))
    out += sample_lines
    try:
        from eval.inputs_eval import evaluate_inputs
        out += evaluate_inputs()
    except ImportError:
        pass
    from eval.reference_eval import evaluate_reference
    out += evaluate_reference(nlp=nlp)  # says "skipped" when ../shared is not there
    print("\n".join(out))
    if args.verbose and "dev" in scores:
        print("\nDev errors:")
        print("\n".join(sample_errors + scores["dev"].errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
