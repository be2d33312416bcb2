"""ANN at scale: the index norms picks for N synthetic paragraph vectors, its recall@10, latency and memory.

usage: .venv/bin/python bench/scale.py [--n 500000] [--dim 384] [--queries 200] [--store DIR]
Vectors are clustered unit vectors (topics plus noise), shaped like paragraph embeddings. Writes
bench/results/scale.md and prints it. With --store, the vectors also go into a real norms index
folder (row store, memory-mapped vectors/FAISS/BM25, synthetic paragraph records) and a cold
`ask` (load + one question in a fresh process), its peak RSS, the warm p50 and the disk size are
measured on it.
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

COLD_ASK = """
import sys, time, numpy as np
sys.path.insert(0, {root!r})
start = time.perf_counter()
from assistant.index.store import load_index
from assistant.search.searcher import Searcher
query = np.load({query!r})
class Fixed:
    def encode(self, texts):
        return query[None, :]
searcher = Searcher(load_index(__import__("pathlib").Path({folder!r})), Fixed())
answer = searcher.ask("topic 7 word 3", k=5)
cold = time.perf_counter() - start
times = []
for _ in range(30):
    t = time.perf_counter()
    searcher.ask("topic 7 word 3", k=5)
    times.append(time.perf_counter() - t)
times.sort()
# VmHWM, not ru_maxrss: Linux carries the parent's ru_maxrss into a child (the bench holds GBs)
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")) / 1024
print(cold, times[len(times) // 2], peak, len(answer.results))
"""


def synthetic_store(folder: Path, vectors: np.ndarray) -> None:
    """A norms index folder over `vectors`: 60-paragraph documents with short synthetic texts."""
    from assistant.index.lexical import BM25
    from assistant.index.store import Manifest, write_index
    from assistant.records import DocInfo, Paragraph

    per_doc = 60
    rng = np.random.default_rng(3)
    docs, paragraphs = [], []
    for d in range(0, len(vectors), per_doc):
        symbol = f"A/RES/SYN/{d // per_doc}"
        docs.append(DocInfo(symbol, f"Synthetic resolution {d // per_doc}", "2024-01-01", "resolution", "en", symbol,
                            min(per_doc, len(vectors) - d)))
        for i in range(min(per_doc, len(vectors) - d)):
            words = " ".join(f"word {w}" for w in rng.integers(0, 5000, 12))
            paragraphs.append(Paragraph(symbol, str(i + 1), f"topic {d % 97} {words}", i, role="operative"))
    bm25 = BM25.fit([p.text for p in paragraphs])
    manifest = Manifest(model="fake", dimension=vectors.shape[1], chunker="synthetic")
    write_index(folder, manifest, docs, paragraphs, vectors, bm25_writer=bm25.save)


def cold_ask(folder: Path, query: np.ndarray, runs: int = 3) -> tuple[float, float, float]:
    """Median cold ask (s), warm p50 (ms) and peak RSS (MB) over fresh processes."""
    import subprocess

    np.save(folder.parent / "query.npy", query)
    code = COLD_ASK.format(root=str(ROOT), query=str(folder.parent / "query.npy"), folder=str(folder))
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
        results.append([float(x) for x in out[:3]])
    cold, warm, rss = (statistics.median(r[i] for r in results) for i in range(3))
    return cold, warm * 1000, rss


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
    parser.add_argument("--store", help="also write a real norms index folder here and time cold asks on it")
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
    if args.store:
        del index, exact
        folder = Path(args.store)
        start = time.perf_counter()
        synthetic_store(folder, vectors)
        store_s = time.perf_counter() - start
        disk = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20
        cold, warm, peak = cold_ask(folder, queries[0])
        rows += [f"| store: write (records, vectors, FAISS, BM25) | {store_s:.0f} s |",
                 f"| store: size on disk | {disk:,.0f} MB |",
                 f"| store: cold ask (load + 1 question, fresh process), median of 3 | {cold:.2f} s |",
                 f"| store: peak RSS of that process | {peak:.0f} MB |",
                 f"| store: warm ask p50 (fused dense + BM25 + grouping) | {warm:.1f} ms |"]
    table = "\n".join(rows) + "\n"
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
