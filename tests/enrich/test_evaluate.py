"""Scoring hand labels against assignments: the counts behind the precision and recall tables."""

from __future__ import annotations

from generator.enrich.evaluate import evaluate


def test_counts_per_topic_micro_totals_unsorted_and_mistakes():
    labels = [("a", frozenset({"x"})), ("b", frozenset({"x", "y"})), ("c", frozenset()), ("d", frozenset({"y"}))]
    assigned = {"a": ["x"], "b": ["x"], "c": ["y"], "d": []}
    result = evaluate(labels, assigned, ["x", "y"])
    scores = {s.topic: (s.true_positives, s.false_positives, s.false_negatives) for s in result.per_topic}
    assert scores == {"x": (2, 0, 0), "y": (0, 1, 2)}
    assert (result.micro.true_positives, result.micro.false_positives, result.micro.false_negatives) == (2, 1, 2)
    assert result.micro.precision == 2 / 3 and result.micro.recall == 0.5
    assert (result.unsorted_on_topic, result.on_topic) == (1, 3)
    assert len(result.mistakes) == 3 and result.mistakes[0].startswith("b: extra [], missing ['y']")
    table = result.table()
    assert "y" in table and "0.667" in table and "1/3" in table


def test_a_topic_nobody_labels_or_assigns_scores_one_not_a_division_by_zero():
    result = evaluate([("a", frozenset())], {"a": []}, ["x"])
    assert (result.per_topic[0].precision, result.per_topic[0].recall) == (1.0, 1.0)
    assert result.unsorted_on_topic == result.on_topic == 0
