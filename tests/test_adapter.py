"""The query adapter: plain files, only for the model it was fitted for, and better answers on questions it never saw."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from assistant.index.embed import DEFAULT_MODEL, FAKE_MODEL
from assistant.search import weights
from assistant.search.adapter import ADAPTER_DIR, QueryAdapter, load_adapter
from assistant.search.evaluate import first_hit
from corpus_fixtures import ROOT, SEED, fake_searcher

HELD_OUT = ROOT / "tests" / "eval" / "heldout10.jsonl"  # never in the adapter's fit (bench/train_adapter.py)


def test_the_shipped_adapter_is_for_the_packaged_model_only():
    meta = json.loads((ADAPTER_DIR / "adapter.json").read_text(encoding="utf-8"))
    # the held-out sets the bench reports as never fitted on (bench/quality.py HELD_OUT)
    held_out = {"heldout10", "heldout14", "heldout20", "heldout21", "heldout22", "heldout23"}
    assert meta["model"] == DEFAULT_MODEL and not held_out & set(meta["fitted_on"])
    adapter = load_adapter(DEFAULT_MODEL)
    assert adapter is not None and adapter.U.shape == (meta["dim"], meta["rank"])
    assert load_adapter(FAKE_MODEL) is None and load_adapter("/some/other/model") is None


def test_apply_moves_the_vector_and_keeps_it_unit_length():
    rng = np.random.default_rng(0)
    adapter = QueryAdapter(rng.normal(size=(8, 2)).astype(np.float32), rng.normal(size=(8, 2)).astype(np.float32), "m")
    q = rng.normal(size=(3, 8)).astype(np.float32)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    moved = adapter.apply(q)
    assert np.allclose(np.linalg.norm(moved, axis=1), 1.0, atol=1e-5) and not np.allclose(moved, q)
    assert np.allclose(adapter.apply(q, strength=0.0), q, atol=1e-6)


def test_a_damaged_or_foreign_adapter_folder_is_ignored(tmp_path):
    rng = np.random.default_rng(1)
    good = QueryAdapter(rng.normal(size=(8, 2)).astype(np.float32), rng.normal(size=(8, 2)).astype(np.float32), "m")
    good.save(tmp_path, {"fitted_on": {}})
    assert load_adapter("m", tmp_path) is not None and load_adapter("n", tmp_path) is None
    np.save(tmp_path / "V.npy", np.zeros((8, 3), dtype=np.float32))  # shapes disagree
    assert load_adapter("m", tmp_path) is None
    (tmp_path / "U.npy").write_bytes(b"not numpy")
    assert load_adapter("m", tmp_path) is None
    shutil.rmtree(tmp_path)
    assert load_adapter("m", tmp_path) is None


def test_an_index_of_another_model_asks_without_it(tmp_path):
    searcher = fake_searcher([SEED], tmp_path / "index")
    assert searcher.adapter is None and not searcher.adapted
    assert searcher.ask("Who sponsored draft resolution A/C.1/73/L.37?", k=1).results[0].para == "heading"


def _recall_at_5(searcher, items) -> float:
    """The scorer's rule (../shared/eval/README.md), through the project's own `first_hit`."""
    found = 0
    for item in items:
        hits = searcher.ask(item["question"], k=5).results
        found += first_hit([{"symbol": h.symbol, "text": h.text} for h in hits], item["gold"]) is not None
    return found / len(items)


@pytest.mark.slow
def test_the_adapter_finds_more_answers_to_questions_it_never_saw(tmp_path, monkeypatch):
    """Real model, the shipped library: the held-out questions (written by a helper, never fitted on) are
    answered in the top 5 more often with the adapter than without."""
    from assistant.settings import make_settings, open_searcher

    searcher = open_searcher(make_settings([str(ROOT / "corpus")], str(tmp_path / "index"), None), build=True)
    assert searcher.adapted
    items = [json.loads(line) for line in HELD_OUT.read_text(encoding="utf-8").splitlines() if line.strip()]
    adapted = _recall_at_5(searcher, items)
    monkeypatch.setattr(weights, "QUERY_ADAPTER", False)
    plain = _recall_at_5(searcher, items)
    assert adapted >= plain + 0.03, (adapted, plain)
