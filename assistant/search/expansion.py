"""Bridge the vocabulary gap: the words UN texts use for what people ask about ("hackers" -> malicious ICT), and
words the first hits share (lexical feedback)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.index.lexical import tokenize
from assistant.records import Paragraph
from assistant.search import weights as W

VOCABULARY = Path(__file__).resolve().parents[1] / "data" / "vocabulary.tsv"


@lru_cache(maxsize=4)
def load_vocabulary(path: Path = VOCABULARY) -> tuple[tuple[re.Pattern, str], ...]:
    """(pattern, UN terms) pairs; a trailing * on the lay side matches any word ending."""
    rules = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        lay, terms = (part.strip() for part in line.split("\t", 1))
        body = r"\s+".join(re.escape(w).replace(r"\*", r"\w*") for w in lay.split())
        # acronyms must match in capitals ("CERT", "UN"); words match in any case
        flags = 0 if lay.rstrip("*s'").isupper() and len(lay) > 1 else re.IGNORECASE
        rules.append((re.compile(rf"(?<!\w){body}(?!\w)", flags), terms))
    return tuple(rules)


def expansion(question: str, path: Path = VOCABULARY) -> str:
    """The UN terms for the lay words in the question, each once, in vocabulary order."""
    seen: list[str] = []
    for pattern, terms in load_vocabulary(path):
        if pattern.search(question) and terms not in seen:
            seen.append(terms)
    return " ".join(seen)


def feedback_scores(bm25, question: str, first: list[Paragraph], mask: np.ndarray, cand: np.ndarray) -> np.ndarray:
    """RM3-style lexical feedback: max-normalised BM25, over the candidates, of the words most of the first hits
    share and the question lacks."""
    asked = set(tokenize(question))
    counts: dict[str, int] = {}
    for p in first:
        for word in set(tokenize(p.text)) - asked:
            counts[word] = counts.get(word, 0) + 1
    terms = [w for w, c in sorted(counts.items(), key=lambda wc: (-wc[1], wc[0])) if c >= 2][:W.PRF_TERMS]
    if not terms:
        return np.zeros(len(cand))
    scores = np.where(mask, bm25.scores(" ".join(terms)), 0.0)
    top = float(scores.max())
    return scores[cand] / top if top > 0 else np.zeros(len(cand))
