"""Fit the query adapter (assistant/search/adapter.py) on question/answer pairs, with leave-one-set-out cross-validation.

usage: python bench/train_adapter.py --index DIR --corpus PATH [--corpus PATH ...] [--save] [--out bench/results/adapter.md]

Each question's dense query (exactly as the searcher builds it) is paired with the paragraphs its gold quotes
are in; the adapter q -> normalise(q + (q U) V^T) is fitted to rank them first among all paragraphs of the
index (softmax over the corpus, multi-positive), with a penalty on the size of U V^T. Cross-validation: each
question set in turn is left out, the adapter fitted on the others, and the full search (every rule and
weight) is run on the left-out set with and without it. The held-out set of bench/quality.py
(tests/eval/heldout10*) is never used here. --save fits on every training set and writes
assistant/data/query_adapter/.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import assistant.search.searcher as search  # noqa: E402
import assistant.search.weights as weights  # noqa: E402
from assistant.index.embed import DEFAULT_MODEL  # noqa: E402
from assistant.search.adapter import ADAPTER_DIR, QueryAdapter  # noqa: E402
from assistant.search.evaluate import first_hit, load_gold, norm_text  # noqa: E402
from assistant.settings import make_settings, open_searcher  # noqa: E402
from quality import SEEN, choose_lines, flagged  # noqa: E402

EVAL = ROOT / "tests" / "eval"
# Every set with gold answers except the held-out ones (quality.HELD_OUT: never fitted on): the shared dev set,
# tests/eval and the held-out sets of earlier sessions (quality.SEEN).
TRAINING_SETS = {"dev": ROOT.parent / "shared" / "eval" / "dev.jsonl", "tests/eval": EVAL / "questions.jsonl",
                 **{answerable.stem: answerable for answerable, _ in SEEN.values()}}
UNANSWERABLE = [EVAL / "unanswerable.jsonl"] + [unanswerable for _, unanswerable in SEEN.values()]
RANK, PENALTY, STEPS, TEMPERATURE, SEED = 16, 0.01, 300, 0.05, 0


class Recorder:
    """Wraps the searcher's encoder and keeps the texts it is asked to encode (the dense queries)."""

    def __init__(self, encoder):
        self.encoder, self.texts = encoder, []

    def encode(self, texts):
        self.texts.extend(texts)
        return self.encoder.encode(texts)


def pairs(searcher, items: list[dict]) -> list[tuple[str, list[int]]]:
    """(dense query, gold rows) for each question whose gold the index holds."""
    texts = [norm_text(searcher.rows[r].text) for r in range(len(searcher.rows))]
    symbols = [searcher.rows[r].symbol for r in range(len(searcher.rows))]
    recorder, saved = Recorder(searcher.encoder), searcher.encoder
    searcher.encoder, weights.QUERY_ADAPTER = recorder, False
    out = []
    try:
        for item in items:
            gold = [r for r in range(len(texts))
                    if any(g["symbol"] == symbols[r] and norm_text(g["quote"]) in texts[r] for g in item["gold"])]
            if not gold:
                continue
            recorder.texts.clear()
            searcher.ask(item["question"], k=10)
            if recorder.texts:
                out.append((recorder.texts[0], gold))
    finally:
        searcher.encoder, weights.QUERY_ADAPTER = saved, True
    return out


def fit(queries: np.ndarray, golds: list[list[int]], paragraphs: np.ndarray, model: str) -> QueryAdapter:
    import torch

    torch.manual_seed(SEED)
    q, p = torch.tensor(queries), torch.tensor(paragraphs)
    dim = q.shape[1]
    U = torch.zeros(dim, RANK, requires_grad=True)
    V = (0.01 * torch.randn(dim, RANK)).requires_grad_()
    positive = torch.zeros(len(golds), len(paragraphs), dtype=torch.bool)
    for i, rows in enumerate(golds):
        positive[i, rows] = True
    optimiser = torch.optim.Adam([U, V], lr=0.01)
    for _ in range(STEPS):
        moved = q + (q @ U) @ V.T
        logits = (moved / moved.norm(dim=1, keepdim=True)) @ p.T / TEMPERATURE
        loss = -(torch.logsumexp(logits.masked_fill(~positive, -1e9), 1) - torch.logsumexp(logits, 1)).mean()
        loss = loss + PENALTY * ((U @ V.T) ** 2).sum()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return QueryAdapter(U.detach().numpy().astype(np.float32), V.detach().numpy().astype(np.float32), model)


def measure(searcher, items: list[dict], adapter) -> dict:
    """R@5, MRR@10, paraphrase R@5 of the full search, with the adapter given (or none); and per question the
    run the confidence lines are chosen from (quality.py's: rank, fused top score or -1 when held low, named)."""
    saved, searcher.adapter = searcher.adapter, adapter
    saved_score, search.shown_score = search.shown_score, lambda fused, line=None: fused  # raw fused scores
    ranks, para, runs = [], [], []
    try:
        for item in items:
            answer = searcher.ask(item["question"], k=10)
            hits = answer.results
            rank = first_hit([{"symbol": h.symbol, "text": h.text} for h in hits], item["gold"])
            ranks.append(rank)
            if item.get("type") == "paraphrase":
                para.append(rank is not None and rank <= 5)
            top = hits[0].score if hits and not answer.request.get("held_low") else -1.0
            runs.append((rank, top, bool(answer.request.get("unknown_names"))))
    finally:
        searcher.adapter, search.shown_score = saved, saved_score
    n = max(1, len(ranks))
    return {"R@5": sum(r is not None and r <= 5 for r in ranks) / n, "MRR@10": sum(1 / r for r in ranks if r) / n,
            "para": sum(para) / max(1, len(para)), "n": len(ranks), "runs": runs}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("--corpus", action="append")
    parser.add_argument("--save", action="store_true", help="fit on every training set and write the shipped adapter")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "adapter.md"))
    args = parser.parse_args()
    started = time.time()
    searcher = open_searcher(make_settings(args.corpus, args.index, None), build=False)
    if searcher.index.manifest.model == "fake":
        print("the adapter is fitted for the real model: build the index without --model fake", file=sys.stderr)
        return 2
    sets = {name: [q for q in load_gold(str(path)) if q["gold"]] for name, path in TRAINING_SETS.items() if path.exists()}
    data = {name: pairs(searcher, items) for name, items in sets.items()}
    vectors = {name: np.asarray(searcher.encoder.encode([t for t, _ in data[name]]), dtype=np.float32) for name in data}
    paragraphs = np.asarray(searcher.index.vectors, dtype=np.float32)

    def fitted_without(left_out: str | None) -> QueryAdapter:
        names = [n for n in data if n != left_out]
        return fit(np.concatenate([vectors[n] for n in names]), [g for n in names for _, g in data[n]], paragraphs,
                   DEFAULT_MODEL)

    lines = ["# Query adapter: leave-one-set-out cross-validation", "",
             f"rank {RANK}, penalty {PENALTY}, {STEPS} steps, temperature {TEMPERATURE}; index of "
             f"{len(paragraphs)} paragraphs. Each row: the adapter fitted on every other set, the full search run on "
             "this one (R@5 / MRR@10 / paraphrase R@5).", "",
             "| left out | n | without the adapter | with the adapter fitted on the others |", "| --- | --- | --- | --- |"]
    totals = {"without": [], "with": []}
    for name, items in sets.items():
        plain, adapted = measure(searcher, items, None), measure(searcher, items, fitted_without(name))
        totals["without"].append(plain)
        totals["with"].append(adapted)
        lines.append(f"| {name} | {plain['n']} | {plain['R@5']:.3f} / {plain['MRR@10']:.3f} / {plain['para']:.3f} | "
                     f"{adapted['R@5']:.3f} / {adapted['MRR@10']:.3f} / {adapted['para']:.3f} |")
        print(lines[-1], flush=True)
    for key, rows in totals.items():
        n = sum(r["n"] for r in rows)
        pooled = {m: sum(r[m] * r["n"] for r in rows) / n for m in ("R@5", "MRR@10")}
        lines.append(f"\nPooled {key} the adapter ({n} questions): R@5 {pooled['R@5']:.3f}, MRR@10 {pooled['MRR@10']:.3f}")
    # The confidence lines with the adapter: answerable questions as scored by an adapter that never saw them,
    # unanswerable ones (never fitted on) by the adapter fitted on every set.
    adapter = fitted_without(None)
    none = [dict(q, gold=[]) for path in UNANSWERABLE if path.exists() for q in load_gold(str(path))]
    answerable_runs = [run for rows in totals["with"] for run in rows["runs"]]
    unanswerable_runs = measure(searcher, none, adapter)["runs"]
    line, name_line = choose_lines(answerable_runs, unanswerable_runs)
    lines += ["", f"Confidence lines with the adapter (quality.py's rule, answerable questions scored by the adapter "
              f"that left their set out, {len(none)} unanswerable by the full one): score line {line:.3f}, name line "
              f"{name_line:.3f}; flagged answerable {flagged(answerable_runs, line, name_line):.3f}, unanswerable "
              f"{flagged(unanswerable_runs, line, name_line):.3f}. Shipped in assistant/search/confidence.py."]
    if args.save:
        adapter.save(ADAPTER_DIR, {"fitted_on": {n: len(data[n]) for n in data}, "penalty": PENALTY, "steps": STEPS,
                                   "temperature": TEMPERATURE, "seed": SEED,
                                   "paragraphs": len(paragraphs), "by": "bench/train_adapter.py"})
        lines.append(f"\nSaved to {ADAPTER_DIR.relative_to(ROOT)} (fitted on every set above).")
    lines.append(f"\n({time.time() - started:.0f} s)")
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[-4:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
