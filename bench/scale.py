"""ANN at scale: the index norms picks for N synthetic paragraph vectors, its recall@10, latency and memory.

usage: .venv/bin/python bench/scale.py [--n 500000] [--dim 384] [--queries 200]
Vectors are clustered unit vectors (topics plus noise), shaped like paragraph embeddings. Writes
bench/results/scale.md and prints it.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.index.store import ANN_THRESHOLD, make_faiss  # noqa: E402


def clustered(n: int, dim: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(max(n // 50, 1), dim)).astype(np.float32)
    out = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, 100_000):  # in blocks, to keep the generator's memory small
        m = min(100_000, n - start)
        block = centres[rng.integers(0, len(centres), m)] + 0.6 * rng.normal(size=(m, dim)).astype(np.float32)
        out[start : start + m] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500_000)
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "scale.md"))
    args = parser.parse_args()
    import faiss

    faiss.omp_set_num_threads(1)  # one query at a time, as in the app; fair to both indexes
    vectors = clustered(args.n, args.dim, 1)
    rng = np.random.default_rng(2)  # questions land near paragraphs: noisy copies of stored vectors
    queries = vectors[rng.choice(len(vectors), args.queries, replace=False)]
    queries = queries + 0.05 * rng.normal(size=queries.shape).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    base = rss_mb()
    start = time.perf_counter()
    index, kind = make_faiss(vectors)
    build_s = time.perf_counter() - start
    index_mb = rss_mb() - base
    exact = faiss.IndexFlatIP(args.dim)
    exact.add(vectors)
    truth_scores, _ = exact.search(queries, 10)
    times, found = [], []
    for i, q in enumerate(queries):
        t = time.perf_counter()
        scores, _ = index.search(q[None, :], 10)
        times.append((time.perf_counter() - t) * 1000)
        # a result tied with the 10th exact score is as good as the exact one (UN texts repeat verbatim)
        found.append(float((scores[0] >= truth_scores[i, -1] - 1e-5).sum()) / 10)
    exact_times = []
    for q in queries[:50]:
        t = time.perf_counter()
        exact.search(q[None, :], 10)
        exact_times.append((time.perf_counter() - t) * 1000)
    rows = [f"{args.n} vectors of dimension {args.dim} (threshold for ANN: {ANN_THRESHOLD}); {args.queries} queries, 1 thread.",
            "", "| measure | value |", "| --- | --- |",
            f"| index chosen | {kind} |", f"| build time | {build_s:.0f} s |",
            f"| index memory (RSS growth) | {index_mb:.0f} MB (vectors alone: {vectors.nbytes / 2**20:.0f} MB) |",
            f"| recall@10 vs exact | {statistics.mean(found):.3f} |",
            f"| query p50 | {statistics.median(times):.2f} ms |",
            f"| exact flat query p50, for comparison | {statistics.median(exact_times):.2f} ms |"]
    table = "\n".join(rows) + "\n"
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
