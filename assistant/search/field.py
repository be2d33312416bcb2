"""How much each document is about the field (ICTs, cyberspace, data, privacy): a prior for the field's own texts."""

from __future__ import annotations

import numpy as np

# Words of the field, as the index tokenizes them (each row's index text also holds its document's title).
FIELD_WORDS = ("cyber cybersecurity cyberspace cybercrime cyberattack cyberattacks ICT ICTs digital internet online "
               "computer computers privacy surveillance encryption telecommunications")
# A document counts as fully of the field when this share of its paragraphs use one of the words: every text of
# the shipped corpus does (the lowest, the compendium of statements, 0.24), against 0.02 for the median
# General Assembly resolution of sessions 78-80.
FULL_SHARE = 0.15


def field_of_documents(matches: np.ndarray, doc_of_row: np.ndarray, n_docs: int) -> np.ndarray:
    """Per document, 0-1: the share of its rows that `matches` (a per-row score, > 0 for a match) marks, over
    FULL_SHARE and capped at 1."""
    rows = np.bincount(doc_of_row, minlength=n_docs)
    hits = np.bincount(doc_of_row, weights=(np.asarray(matches) > 0).astype(np.float64), minlength=n_docs)
    return np.minimum(1.0, hits / np.maximum(rows, 1) / FULL_SHARE)
