"""`norms eval` scoring: the gold-quote rule, recall@k, MRR and misses; agrees with the reference scorer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.search.evaluate import first_hit, load_gold, norm_text, score
from assistant.errors import NormsError

SHARED_SCORER = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "score.py"

GOLD = [
    {"id": "a", "type": "keyword", "question": "q1", "gold": [{"symbol": "A/RES/1/1", "quote": "protect cables"}]},
    {"id": "b", "type": "keyword", "question": "q2", "gold": [{"symbol": "A/RES/1/2", "quote": "Report, vulnerabilities!"}]},
    {"id": "c", "type": "symbol", "question": "q3", "gold": [{"symbol": "A/RES/1/3", "quote": "never found"}]},
]
RESULTS = [
    [{"symbol": "A/RES/1/1", "text": "States should PROTECT cables."}],  # rank 1
    [{"symbol": "A/RES/1/9", "text": "report vulnerabilities"}, {"symbol": "A/RES/1/2", "text": "x"},
     {"symbol": "a/res/1/2", "text": "They report vulnerabilities."}],  # rank 3: symbol compared case-blind
    [{"symbol": "A/RES/1/3", "text": "something else"}],  # miss
]


def test_normalisation_rule():
    assert norm_text("Report, vulnerabilities!") == "reportvulnerabilities"
    assert first_hit(RESULTS[1], GOLD[1]["gold"]) == 3
    assert first_hit(RESULTS[2], GOLD[2]["gold"]) is None


def test_recall_mrr_by_type_and_misses():
    report = score(GOLD, RESULTS)
    assert report["R@1"] == round(1 / 3, 4)
    assert report["R@5"] == round(2 / 3, 4)
    assert report["MRR@10"] == round((1 + 1 / 3) / 3, 4)
    assert report["by_type"]["keyword"]["R@5"] == 1.0 and report["by_type"]["symbol"]["R@5"] == 0.0
    assert [m["id"] for m in report["misses"]] == ["c"]
    assert report["misses"][0]["first"] == "A/RES/1/3 None"


def test_bad_gold_file(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"question": "x"}\n', encoding="utf-8")
    with pytest.raises(NormsError, match="gold.jsonl:1"):
        load_gold(str(path))


@pytest.mark.skipif(not SHARED_SCORER.exists(), reason="../shared/eval is absent")
def test_agrees_with_reference_scorer(tmp_path):
    gold_path, results_path = tmp_path / "gold.jsonl", tmp_path / "results.jsonl"
    gold_path.write_text("".join(json.dumps(g) + "\n" for g in GOLD), encoding="utf-8")
    results_path.write_text("".join(json.dumps({"question": g["question"], "results": r}) + "\n"
                                    for g, r in zip(GOLD, RESULTS)), encoding="utf-8")
    out = subprocess.run([sys.executable, str(SHARED_SCORER), str(gold_path), str(results_path), "--json"],
                         capture_output=True, check=True)
    reference = json.loads(out.stdout)
    ours = score(GOLD, RESULTS)
    for key in ("R@1", "R@5", "R@10", "MRR@10"):
        assert round(reference[key], 4) == ours[key]


def test_confidence_split_counts_flagged_answerable_and_unanswerable():
    items = GOLD + [{"id": "u", "type": "unanswerable", "question": "q4", "gold": []}]
    report = score(items, RESULTS + [[{"symbol": "A/RES/1/4", "text": "nearest"}]], ["high", "low", "high", "low"])
    assert report["n"] == 3 and report["R@5"] == round(2 / 3, 4)  # the unanswerable question is not scored
    assert report["confidence"] == {"answerable": 3, "flagged_answerable": 1, "unanswerable": 1,
                                    "flagged_unanswerable": 1}


def test_norms_eval_reports_the_confidence_split(tmp_path):
    import os

    root = Path(__file__).resolve().parent.parent
    answerable, unanswerable = tmp_path / "answerable.jsonl", tmp_path / "unanswerable.jsonl"
    answerable.write_text(json.dumps({"id": "a1", "type": "seed", "question": "Who sponsored draft resolution "
                                      "A/C.1/73/L.37?", "gold": [{"symbol": "A/C.1/73/L.37", "quote":
                                      "Sponsors: Australia, Austria, Belgium, Bulgaria, Canada"}]}) + "\n", encoding="utf-8")
    unanswerable.write_text(json.dumps({"id": "u1", "question": "What does the Tallinn Manual say about "
                                        "countermeasures?", "gold": []}) + "\n", encoding="utf-8")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "NORMS_INDEX": str(tmp_path / "index"), "PYTHONPATH": str(root)}
    result = subprocess.run([sys.executable, "-m", "assistant", "eval", str(answerable), str(unanswerable), "--corpus",
                             str(root / "corpus"), "--model", "fake"], capture_output=True, env=env, cwd=root,
                            timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "n=1  R@1=1.000" in out
    assert "confidence: flagged answerable 0/1 (0%), flagged unanswerable 1/1 (100%)" in out
