"""Say when nothing answers: the fused score on a 0-1 scale whose midpoint is the calibrated confidence line."""

from __future__ import annotations

import math

# Fused score (cosine + weighted BM25 + structure boosts) at which a paragraph is taken to answer.
# Chosen by 2-fold cross-validation on tests/eval (answerable + unanswerable questions): see bench/quality.py.
CONFIDENCE_LINE = 0.606
# A question naming something the corpus never mentions ("the Tallinn Manual") needs a closer answer.
NAME_LINE = 0.857
# The same two lines when the query adapter moves the question's vector (search/adapter.py): chosen by
# bench/train_adapter.py with each answerable set scored by an adapter fitted without it.
ADAPTED_LINE = 0.568
ADAPTED_NAME_LINE = 1.081  # above nearly every fused score: a question naming what the corpus never mentions is low
# How fast the shown score moves around the line: 0.2 of fused score above it shows as about 0.73.
SCALE_WIDTH = 0.2
LOW_NOTICE = "No paragraph answers this closely; the nearest are shown below."


KIND_WORDS = {"number": "a number", "person": "a person's name", "place": "a place", "vote": "a vote",
              "perpetrator": "who carried it out", "states": "the States asked for", "definition": "a definition",
              "deadline": "a time limit"}


def low_notice(names: list[str], kind: str | None = None, silent: list[str] = (), newest_year: int | None = None) -> str:
    reasons = []
    if newest_year:
        reasons.append(f"the newest text is of {newest_year}")
    if silent:
        reasons.append(f"the corpus holds no statement by {', '.join(silent)}")
    if names:
        reasons.append(f"the corpus never mentions: {', '.join(dict.fromkeys(names))}")
    if kind in KIND_WORDS:
        reasons.append(f"none of the nearest gives {KIND_WORDS[kind]}")
    if not reasons:
        return LOW_NOTICE
    return f"{LOW_NOTICE[:-1]} ({'; '.join(reasons)})."


def held_low(score: float) -> float:
    """A shown score moved below the line (0.5) in the same order: for hits that lack the kind of fact asked for."""
    return round(score * 0.49, 4)


def shown_score(fused: float, line: float | None = None) -> float:
    """The 0-1 score people see: 0.5 at the confidence line, towards 1 for close answers, towards 0 for far ones."""
    line = CONFIDENCE_LINE if line is None else line
    z = max(-50.0, min(50.0, (fused - line) / SCALE_WIDTH))
    return round(1.0 / (1.0 + math.exp(-z)), 4)


def effective_line(named_unknown: bool = False, line: float | None = None, name_line: float | None = None,
                   adapted: bool = False) -> float:
    """The confidence line for one question: the higher name line when it names something the corpus never
    mentions; the adapted pair when the query adapter moved the question."""
    line = (ADAPTED_LINE if adapted else CONFIDENCE_LINE) if line is None else line
    name_line = (ADAPTED_NAME_LINE if adapted else NAME_LINE) if name_line is None else name_line
    return max(line, name_line) if named_unknown else line


def confidence_of(fused: float, line: float | None = None) -> str:
    """"high" when the paragraph's fused score reaches the line, else "low"."""
    return "high" if fused >= (CONFIDENCE_LINE if line is None else line) else "low"
