"""Mark the sentence(s) of a paragraph that best answer a question, as character offsets."""

from __future__ import annotations

import math
import re

from assistant.index.lexical import tokenize

# A sentence ends at . ; or : followed by a space and a capital, a quote or a label such as "(a)".
_BOUNDARY = re.compile(r"(?<=[.;:])\s+(?=[A-Z“\"(])")


def sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) spans of the sentences of text, covering it without the separating spaces."""
    spans, start = [], 0
    for m in _BOUNDARY.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def best_sentences(text: str, question: str, idf: dict[str, float] | None = None, limit: int = 1) -> list[list[int]]:
    """The `limit` sentences sharing the most (idf-weighted) words with the question, in text order.

    A single-sentence paragraph is marked whole; with no overlap at all, nothing is marked.
    """
    spans = sentences(text)
    if not spans:
        return []
    wanted = set(tokenize(question))
    if not wanted:
        return []
    scored = []
    for start, end in spans:
        words = set(tokenize(text[start:end]))
        score = sum((idf or {}).get(w, 1.0) for w in words & wanted)
        # Prefer short, dense sentences a little over long ones with the same overlap.
        scored.append((score / math.log(2 + len(words)), start, end))
    best = [s for s in sorted(scored, reverse=True)[:limit] if s[0] > 0]
    return [[start, end] for _, start, end in sorted(best, key=lambda s: s[1])]


def matching_words(text: str, question: str) -> list[list[int]]:
    """Offsets of the words of text whose stem appears in the question (for emphasis in the UI)."""
    wanted = set(tokenize(question))
    out = []
    for m in re.finditer(r"[^\W_]+(?:-[^\W_]+)*", text):
        if set(tokenize(m.group(0))) & wanted:
            out.append([m.start(), m.end()])
    return out
