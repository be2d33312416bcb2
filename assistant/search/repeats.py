"""Repeated language, one rule: identical words collapse ("also in"), near-identical ones are listed ("similar in")."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

_WORD = re.compile(r"[^\W\d_]+")
SIMILAR_RATIO = 0.85  # word-sequence similarity from which two paragraphs differ only "by a phrase"
SIMILAR_JACCARD = 0.6  # cheap pre-check on word sets before the sequence comparison
PHRASE_WORDS = 12  # ... or at most two changed places of at most this many words in all, around shared text


@lru_cache(maxsize=50_000)
def normal_words(text: str) -> tuple[str, ...]:
    """The words of a paragraph, lowercased, without numbers and footnote calls ("2015,3" -> "")."""
    return tuple(w.lower() for w in _WORD.findall(text))


def same_words(a: str, b: str) -> bool:
    """Identical after normalisation: the same statement, whatever its numbers and footnote calls."""
    return normal_words(a) == normal_words(b)


def near_identical(a: str, b: str) -> bool:
    """Differ by a phrase: most words shared, in the same order (the lineage tracer shows the difference)."""
    wa, wb = normal_words(a), normal_words(b)
    if not wa or not wb:
        return False
    sa, sb = set(wa), set(wb)
    if len(sa & sb) / len(sa | sb) < SIMILAR_JACCARD:
        return False
    matcher = SequenceMatcher(None, wa, wb, autojunk=False)
    if matcher.ratio() >= SIMILAR_RATIO:
        return True
    changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    changed = sum(max(i2 - i1, j2 - j1) for _, i1, i2, j1, j2 in changes)
    shared = sum(i2 - i1 for op, i1, i2, _, _ in matcher.get_opcodes() if op == "equal")
    return len(changes) <= 2 and changed <= PHRASE_WORDS and shared >= 2 * changed


def shown_copy(members: list[int], symbol_of, named: set[str], doc_of) -> int:
    """Which copy of repeated language is shown: the document the question names, else the most recent
    adopted resolution, else the best ranked (members are in rank order)."""
    for m in members:
        if symbol_of(m) in named:
            return m
    adopted = [m for m in members if doc_of(m).kind == "resolution"]
    if adopted:
        return max(adopted, key=lambda m: (doc_of(m).date or "", -members.index(m)))
    return members[0]
