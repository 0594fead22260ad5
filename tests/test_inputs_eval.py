"""The input eval runs on the fixtures and scores them perfectly; no fixture body keeps a caption,
credit, print note or URL line."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from transforms.clean import URL_LINE_RE, boilerplate_reason, clean_article
from transforms.decode import decode_bytes
from transforms.records import is_batch_file, iter_records, parse_column_map
from transforms.split import split_documents

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures"

LEFTOVER = re.compile(r"PHOTOGRAPH BY|^PHOTOS?:|^\d+ photos:|contributed (?:reporting|to this)|appeared in print|"
                      r"^Additional reporting|^\(?Reporting by|newsletter|REUTERS/|^Graphic$|End of Document|"
                      r"^Document [A-Z0-9]{16,}$|^Load-Date:", re.IGNORECASE)


def test_inputs_eval_is_perfect_on_the_fixtures():
    spec = importlib.util.spec_from_file_location("inputs_eval", ROOT / "eval" / "inputs_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    lines = module.evaluate_inputs(verbose=True)
    assert lines[0].startswith("Inputs (tests/fixtures): 6 files, 23 documents")
    for line in lines[1:]:
        got, total = line.split()[-1].split("/")
        assert got == total and int(total) > 0, "\n".join(lines)


def _bodies():
    for path in sorted(FIX.iterdir()):
        if path.suffix == ".md" or path.is_dir():  # oct2023/ is a corpus for the views, not an input form
            continue
        if is_batch_file(path):
            spec = parse_column_map("date=pubdate,outlet=paper") if path.suffix == ".csv" else {}
            for rec in iter_records(str(path), spec, 5 << 20):
                if rec.text:
                    yield f"{path.name} record {rec.part}", clean_article(rec.text, rec.fields.get("title"))
            continue
        text = decode_bytes(path.read_bytes()).text
        for i, part in enumerate(split_documents(text), start=1):
            yield f"{path.name} part {i}", clean_article(part)


def test_no_caption_credit_or_url_line_left_in_any_fixture_body():
    seen = 0
    for where, c in _bodies():
        seen += 1
        for par in c.body.split("\n\n") if c.body else []:
            assert not LEFTOVER.search(par), (where, par)
            assert not URL_LINE_RE.match(par), (where, par)
            assert boilerplate_reason(par) is None, (where, par)
    assert seen >= 30
