"""Input handling against hand-written gold (eval/gold/inputs.json), on the fixtures in tests/fixtures.

  python eval/inputs_eval.py [--verbose]

Scores what happens before NLP, on the same code path as the pipeline (decode_bytes ->
split_documents or iter_records -> build_article): parts counted per file, rejections, codecs
chosen, outlet / byline / URL accuracy, boilerplate lines removed and real paragraphs kept once.
No spaCy: it runs in about a second.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from transforms.articles import ArticleBuild, build_article  # noqa: E402
from transforms.decode import decode_bytes  # noqa: E402
from transforms.records import is_batch_file, iter_records, parse_column_map  # noqa: E402
from transforms.split import split_documents  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
GOLD = ROOT / "eval" / "gold" / "inputs.json"
MAX_RECORD_BYTES = 5 * 1024 * 1024


def load_documents(fixtures: Path, files: dict[str, dict], today: dt.date
                   ) -> dict[tuple[str, int], ArticleBuild | str]:
    """(file, part) -> the article built, or the reason it is not one."""
    out: dict[tuple[str, int], ArticleBuild | str] = {}
    for name, spec in files.items():
        path = fixtures / name
        if is_batch_file(path):
            for rec in iter_records(str(path), parse_column_map(spec.get("column_map")), MAX_RECORD_BYTES):
                out[(name, rec.part)] = rec.reason or build_article(rec.text, today, rec.fields)
            continue
        decoded = decode_bytes(path.read_bytes())
        if decoded.text is None:
            out[(name, 1)] = decoded.reason or "unreadable"
            continue
        for i, part in enumerate(split_documents(decoded.text), start=1):
            out[(name, i)] = build_article(part, today)
    return out


class _Score:
    def __init__(self) -> None:
        self.ok: dict[str, int] = {}
        self.total: dict[str, int] = {}
        self.errors: list[str] = []

    def check(self, what: str, good: bool, error: str) -> None:
        self.total[what] = self.total.get(what, 0) + 1
        self.ok[what] = self.ok.get(what, 0) + bool(good)
        if not good:
            self.errors.append(error)

    def line(self, what: str, label: str) -> str:
        return f"  {label:27s} {self.ok.get(what, 0)}/{self.total.get(what, 0)}"


def evaluate_inputs(verbose: bool = False, fixtures: Path = FIXTURES, gold_path: Path = GOLD) -> list[str]:
    """Lines to print: one score per aspect, then (verbose) every miss."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    files: dict[str, dict] = gold["files"]
    docs = load_documents(fixtures, files, dt.date.today())
    s = _Score()
    for name, spec in files.items():
        got = sum(1 for (f, _) in docs if f == name)
        s.check("parts", got == spec["parts"], f"PARTS {name}: {got}, expected {spec['parts']}")
    for name, codec in gold.get("encodings", {}).items():
        got = decode_bytes((fixtures / name).read_bytes()).encoding
        s.check("codec", got == codec, f"CODEC {name}: {got}, expected {codec}")
    for g in gold["documents"]:
        where = f"{g['file']} part {g['part']}"
        art = docs.get((g["file"], g["part"]))
        if g.get("rejected"):
            s.check("rejected", isinstance(art, str), f"NOT REJECTED {where}")
            continue
        s.check("rejected", isinstance(art, ArticleBuild), f"REJECTED {where}: {art}")
        if not isinstance(art, ArticleBuild):
            continue
        for key in ("outlet", "byline", "url"):
            if key in g:
                got = getattr(art, key)
                s.check(key, got == g[key], f"{key.upper()} {where}: {got!r}, expected {g[key]!r}")
        pars = art.body.split("\n\n")
        for prefix in g.get("gone", []):
            left = [p for p in pars if p.startswith(prefix)]
            s.check("gone", not left, f"BOILERPLATE LEFT {where}: {left[0][:70]!r}" if left else "")
        for par in g.get("kept", []):
            n = pars.count(par)
            s.check("kept", n == 1, f"PARAGRAPH LOST {where}: {par[:70]!r} (x{n})")
    lines = [f"Inputs ({fixtures.relative_to(ROOT) if fixtures.is_relative_to(ROOT) else fixtures}): "
             f"{len(files)} files, {len(docs)} documents or records",
             s.line("parts", "parts counted per file"),
             s.line("rejected", "article or rejection right"),
             s.line("codec", "codecs chosen"),
             s.line("outlet", "outlet exact"),
             s.line("byline", "byline exact"),
             s.line("url", "url exact"),
             s.line("gone", "boilerplate lines removed"),
             s.line("kept", "real paragraphs kept once")]
    if verbose and s.errors:
        lines += ["  errors:"] + [f"    {e}" for e in s.errors]
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--verbose", "-v", action="store_true", help="list every miss")
    args = ap.parse_args(argv)
    print("\n".join(evaluate_inputs(verbose=args.verbose)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
