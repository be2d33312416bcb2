"""Above the size threshold the index is approximate (IVF) and still finds what exact search finds."""

from __future__ import annotations

import numpy as np

import assistant.index.store as store


def clustered(n: int, dim: int, seed: int) -> np.ndarray:
    """Unit vectors around a few hundred topics, like paragraph embeddings (not uniform noise)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(max(n // 50, 1), dim)).astype(np.float32)
    vectors = centres[rng.integers(0, len(centres), n)] + 0.6 * rng.normal(size=(n, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def near(vectors: np.ndarray, n: int, seed: int) -> np.ndarray:
    """Questions land near some paragraphs, not at random points of the space."""
    rng = np.random.default_rng(seed)
    picked = vectors[rng.choice(len(vectors), n, replace=False)]
    noisy = picked + 0.05 * rng.normal(size=picked.shape).astype(np.float32)
    return noisy / np.linalg.norm(noisy, axis=1, keepdims=True)


def test_small_corpus_gets_exact_search():
    _, kind = store.make_faiss(clustered(500, 32, 1))
    assert kind == "flat"


def test_ann_above_threshold_has_recall_at_10_over_095(monkeypatch):
    monkeypatch.setattr(store, "ANN_THRESHOLD", 5_000)
    vectors = clustered(20_000, 64, 2)
    index, kind = store.make_faiss(vectors)
    assert kind.startswith("ivf")
    queries = near(vectors, 200, 3)
    _, approx = index.search(queries, 10)
    exact = np.argsort(-(queries @ vectors.T), axis=1)[:, :10]
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx, exact)])
    assert recall >= 0.95, recall


def test_ann_recall_with_many_identical_vectors(monkeypatch):
    """UN texts repeat paragraphs word for word; duplicates must not cost recall (ties count as found)."""
    monkeypatch.setattr(store, "ANN_THRESHOLD", 5_000)
    base = clustered(12_000, 64, 4)
    vectors = np.concatenate([base, base[:8_000]])  # 40% of rows are exact copies
    index, _ = store.make_faiss(vectors)
    queries = near(vectors, 200, 5)
    scores, _ = index.search(queries, 10)
    exact = np.sort(queries @ vectors.T, axis=1)[:, ::-1][:, :10]
    found = np.mean([(s >= e[-1] - 1e-5).sum() / 10 for s, e in zip(scores, exact)])
    assert found >= 0.95, found
