"""Bridge the vocabulary gap: add the words UN texts use for what people ask about ("hackers" -> malicious ICT)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

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
