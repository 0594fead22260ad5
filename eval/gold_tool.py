"""Check and complete gold files (docs/figures.md, "Gold file format").

  python eval/gold_tool.py fill  FILE...   # set start/end from text (+ optional "occurrence", 1-based)
  python eval/gold_tool.py check FILE...   # offsets, vocabularies, dates, part_of indices

Never runs the extractor: annotating blind stays blind.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
QUALIFIERS = {"exact", "at_least", "more_than", "about", "nearly", "up_to"}
MODALITIES = {"asserted", "hedged", "denied"}
SCOPES = {"cumulative", "incident", "period", "other", "unknown"}
FIELDS = ("field", "text", "start", "end", "value", "value_max", "qualifier", "unit", "measure", "subject",
          "location", "source", "source_text", "modality", "scope", "period_start", "event_date", "part_of",
          "population")


def _csv(name: str) -> list[dict]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def vocab() -> dict[str, set]:
    measures = {r["measure"] for r in _csv("measure_vocabulary.csv")} | {"other"}
    populations = {r["population"] for r in _csv("populations.csv")}
    populations |= {r["plural"] for r in _csv("nationalities.csv")}
    return {"measure": measures, "population": populations}


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def save(path: Path, items: list[dict]) -> None:
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")


def fill(path: Path) -> int:
    items = load(path)
    problems = 0
    for item in items:
        for f in item.get("figures", []):
            if f.get("start") is not None and f.get("end") is not None:
                continue
            field_text = item.get(f.get("field", "body")) or ""
            n = int(f.pop("occurrence", 1))
            at = -1
            for _ in range(n):
                at = field_text.find(f["text"], at + 1)
                if at < 0:
                    break
            if at < 0:
                print(f"{path.name} {item['id']}: {f['text']!r} (occurrence {n}) not found in {f.get('field')}")
                problems += 1
                continue
            f["start"], f["end"] = at, at + len(f["text"])
    save(path, items)
    return problems


def _is_date(v) -> bool:
    if v is None:
        return True
    try:
        dt.date.fromisoformat(v)
        return True
    except (TypeError, ValueError):
        return False


def check(path: Path) -> int:
    v = vocab()
    problems = 0

    def bad(item, i, msg):
        nonlocal problems
        problems += 1
        print(f"{path.name} {item['id']} figure {i}: {msg}")

    for item in load(path):
        for key in ("id", "outlet", "topic", "published_date", "title", "body", "split", "figures"):
            if key not in item:
                bad(item, "-", f"item lacks {key!r}")
        if item.get("split") not in ("dev", "blind"):
            bad(item, "-", f"split {item.get('split')!r}")
        spans = set()
        for i, f in enumerate(item.get("figures", [])):
            missing = [k for k in FIELDS if k not in f]
            if missing:
                bad(item, i, f"missing {missing}")
                continue
            text = item.get(f["field"]) or ""
            if f["field"] not in ("title", "body") or text[f["start"]:f["end"]] != f["text"]:
                bad(item, i, f"text at {f['start']}:{f['end']} is {text[f['start']:f['end']]!r}, not {f['text']!r}")
            if (f["field"], f["start"]) in spans:
                bad(item, i, "two figures at one offset")
            spans.add((f["field"], f["start"]))
            if not isinstance(f["value"], (int, float)) or f["value"] < 0:
                bad(item, i, f"value {f['value']!r}")
            if f["value_max"] is not None and f["value_max"] <= f["value"]:
                bad(item, i, "value_max <= value")
            if f["qualifier"] not in QUALIFIERS:
                bad(item, i, f"qualifier {f['qualifier']!r}")
            if not re.fullmatch(r"people|percent|count|[a-z]{3}", f["unit"] or ""):
                bad(item, i, f"unit {f['unit']!r}")
            if f["measure"] not in v["measure"]:
                bad(item, i, f"measure {f['measure']!r}")
            if f["modality"] not in MODALITIES:
                bad(item, i, f"modality {f['modality']!r}")
            if f["scope"] not in SCOPES:
                bad(item, i, f"scope {f['scope']!r}")
            for k in ("period_start", "event_date"):
                if not _is_date(f[k]):
                    bad(item, i, f"{k} {f[k]!r} is not YYYY-MM-DD")
            if f["part_of"] is not None and (not isinstance(f["part_of"], int) or f["part_of"] == i
                                             or not 0 <= f["part_of"] < len(item["figures"])):
                bad(item, i, f"part_of {f['part_of']!r}")
            if f["population"] is not None and f["population"] not in v["population"]:
                bad(item, i, f"population {f['population']!r}")
            if (f["source"] is None and f["source_text"] is not None
                    or f["source"] is not None and f["source_text"] is None):
                bad(item, i, "source and source_text are both set or both empty")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("fill", "check"):
        print(__doc__)
        return 2
    total = sum((fill if argv[0] == "fill" else check)(Path(p)) for p in argv[1:])
    print(f"{total} problems" if total else "ok")
    return 1 if total else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
