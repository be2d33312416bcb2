"""Score plain BM25, dense-only and norms side by side on the same index and gold questions.

usage: .venv/bin/python bench/quality.py --index DIR [--corpus PATH ...] [--questions ../shared/eval/dev.jsonl]
Writes bench/results/quality.md (a table) and prints it. The index is built first when missing.
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import assistant.search.searcher as search  # noqa: E402
from assistant.settings import make_settings, open_searcher  # noqa: E402
from assistant.search.evaluate import load_gold, run_eval  # noqa: E402


@contextmanager
def variant(**settings):
    """Temporarily switch the engine's module-level knobs (weights, boosts, expansion)."""
    saved = {name: getattr(search, name) for name in settings}
    for name, value in settings.items():
        setattr(search, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(search, name, value)


class NoReferences:
    """Wraps parse_references so a baseline ignores named documents, as plain retrievers do."""

    def __init__(self, original):
        self.original = original

    def __call__(self, question, known, aliases=None):
        refs = self.original(question, [], {})
        refs.rest = question
        refs.only_reference = False
        refs.unknown = []
        return refs


def expansion_off(question: str) -> str:
    return ""


SYSTEMS = {
    # BM25 alone: dense weight zero is emulated by a huge BM25 weight (cosine only breaks ties).
    "BM25 (bm25s, same paragraphs)": dict(BM25_WEIGHT=1000.0, YEAR_BOOST=0.0, WHEN_BOOST=0.0, EXPAND_DENSE=False,
                                          expansion=expansion_off, parse_references=NoReferences(search.parse_references)),
    "dense MiniLM + FAISS": dict(BM25_WEIGHT=0.0, YEAR_BOOST=0.0, WHEN_BOOST=0.0, EXPAND_DENSE=False,
                                 expansion=expansion_off, parse_references=NoReferences(search.parse_references)),
    "norms hybrid, no vocabulary": dict(expansion=expansion_off),
    "norms": {},
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("--corpus", action="append")
    parser.add_argument("--questions", default=str(ROOT.parent / "shared" / "eval" / "dev.jsonl"))
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "quality.md"))
    args = parser.parse_args()
    settings = make_settings(args.corpus, args.index, None)
    searcher = open_searcher(settings, build=bool(args.corpus))
    gold = load_gold(args.questions)
    types = sorted({g.get("type", "?") for g in gold})
    rows = [f"Corpus: {len(searcher.documents())} documents, {len(searcher.rows)} paragraphs; "
            f"questions: {os.path.relpath(args.questions, ROOT)} ({len(gold)})", "",
            "| system | R@1 | R@5 | R@10 | MRR@10 | " + " | ".join(f"{t} R@5" for t in types) + " |",
            "| --- | --- | --- | --- | --- | " + " | ".join("---" for _ in types) + " |"]
    for name, knobs in SYSTEMS.items():
        with variant(**knobs):
            r = run_eval(searcher, gold)
        per_type = " | ".join(f"{r['by_type'].get(t, {}).get('R@5', 0):.2f}" for t in types)
        rows.append(f"| {name} | {r['R@1']:.3f} | {r['R@5']:.3f} | {r['R@10']:.3f} | {r['MRR@10']:.3f} | {per_type} |")
    table = "\n".join(rows) + "\n"
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
