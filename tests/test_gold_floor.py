"""The blind gold held at floors: the levels the rules reached when the floor was set, not the issue's
targets (eval/gold/README.md). A change that loses ground on text the rules were never tuned on fails
here; only totals are compared, never individual blind errors."""
from __future__ import annotations

import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.spacy

# measured with `make eval` (blind part, 406 figures since bbc_blind_c, bbc_blind_d and devset_blind_b joined
# it); targets in parentheses are issue 10's and 11's
FLOORS = {
    "precision": 0.94,     # (0.97)
    "recall": 0.92,        # (0.95)
    "measure": 0.96,       # (0.95)
    "subject": 0.79,       # (0.93)
    "location": 0.83,      # (0.90)
    "source": 0.87,        # (0.93)
    "modality": 0.92,      # (0.95)
    "all seven": 0.54,     # (0.80)
    "scope": 0.86,         # (0.90)
    "part_of": 0.97,       # (0.95)
    "population": 0.94,    # (0.90)
}


@pytest.fixture(scope="module")
def blind_scores():
    sys.path.insert(0, str(ROOT / "eval"))
    from evaluate import evaluate, load_gold

    from transforms import nlp as nlp_mod

    items = [i for i in load_gold() if i["split"] == "blind"]
    assert len(items) >= 198 and sum(len(i["figures"]) for i in items) >= 400
    return evaluate(nlp_mod.load(), items)["blind"]


def test_blind_gold_holds_its_floors(blind_scores):
    s = blind_scores
    got = {"precision": s.precision(), "recall": s.recall()}
    got.update({name: s.accuracy(name) for name in FLOORS if name not in got})
    low = {k: round(v, 3) for k, v in got.items() if v is None or v < FLOORS[k]}
    assert not low, f"below the floor on the blind gold: {low} (floors {FLOORS})"
