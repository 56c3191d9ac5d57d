"""Accuracy on the labelled evaluation sets must not fall below the floors recorded in eval/floor.yaml.
Raise a floor when the rules improve; never lower one to make a change pass."""

from pathlib import Path

import pytest
import yaml

from clause_audit.evaluation import evaluate, load_labelled
from clause_audit.rulebook import load_rulebook

EVAL = Path(__file__).resolve().parent.parent / "eval"
FLOORS = yaml.safe_load((EVAL / "floor.yaml").read_text("utf-8"))


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_accuracy_stays_above_its_floor(name):
    evaluation = evaluate(load_labelled(EVAL / name), load_rulebook())
    score = evaluation.score()
    floor = FLOORS[name]
    assert score.total >= floor["items"]
    assert round(score.precision, 3) >= floor["precision"], f"precision {score.precision:.3f}"
    assert round(score.f1, 3) >= floor["f1"], f"F1 {score.f1:.3f}"
