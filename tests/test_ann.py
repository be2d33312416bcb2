"""Above the size threshold the index is approximate (HNSW) and still finds what exact search finds."""

from __future__ import annotations

import numpy as np

import assistant.store as store


def clustered(n: int, dim: int, seed: int) -> np.ndarray:
    """Unit vectors around a few hundred topics, like paragraph embeddings (not uniform noise)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(max(n // 50, 1), dim)).astype(np.float32)
    vectors = centres[rng.integers(0, len(centres), n)] + 0.6 * rng.normal(size=(n, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_small_corpus_gets_exact_search():
    _, kind = store.make_faiss(clustered(500, 32, 1))
    assert kind == "flat"


def test_hnsw_above_threshold_has_recall_at_10_over_095(monkeypatch):
    monkeypatch.setattr(store, "ANN_THRESHOLD", 5_000)
    vectors = clustered(20_000, 64, 2)
    index, kind = store.make_faiss(vectors)
    assert kind.startswith("hnsw")
    queries = clustered(200, 64, 3)
    _, approx = index.search(queries, 10)
    exact = np.argsort(-(queries @ vectors.T), axis=1)[:, :10]
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx, exact)])
    assert recall >= 0.95, recall
