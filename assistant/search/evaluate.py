"""`norms eval`: recall@k and MRR@10 of answers against gold quotes, with the misses explained."""

from __future__ import annotations

import json
import re
from pathlib import Path

from assistant.errors import NormsError


def norm_text(s: str) -> str:
    """The scorer's rule: lowercase, then only a-z and 0-9."""
    return re.sub(r"[^a-z0-9]", "", (s or "").lower())


def norm_symbol(s: str) -> str:
    return re.sub(r"\s+", "", s or "").upper()


def load_gold(path: str) -> list[dict]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise NormsError(f"cannot read {path}: {exc}") from None
    items = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except (ValueError, RecursionError):
            raise NormsError(f"{path}:{n}: not a JSON object") from None
        if not isinstance(item, dict) or not isinstance(item.get("question"), str) or not item["question"].strip() \
                or not isinstance(item.get("gold"), list) or not all(isinstance(g, dict) and isinstance(g.get("symbol"), str) for g in item["gold"]) \
                or not isinstance(item.get("type", ""), str):
            raise NormsError(f"{path}:{n}: needs a 'question' (text), a 'gold' list of objects with a 'symbol' "
                             "and, if any, a 'type' (text)")
        items.append(item)
    if not items:
        raise NormsError(f"{path}: no questions")
    return items


def first_hit(results: list[dict], gold: list[dict]) -> int | None:
    """1-based rank of the first result whose symbol and text match a gold entry."""
    for rank, r in enumerate(results, 1):
        text = norm_text(r.get("text", ""))
        for g in gold:
            if norm_symbol(r.get("symbol")) == norm_symbol(g.get("symbol")) and norm_text(g.get("quote")) in text:
                return rank
    return None


def score(items: list[dict], results: list[list[dict]], confidences: list[str] | None = None) -> dict:
    """Recall and MRR over the answerable questions (a non-empty gold list); with the answers' confidences,
    also how many answerable and unanswerable (empty gold) questions were flagged "low"."""
    split = confidence_split(items, confidences) if confidences is not None else None
    pairs = [(item, res) for item, res in zip(items, results) if item["gold"]]
    items, results = [p[0] for p in pairs], [p[1] for p in pairs]
    ranks = [first_hit(res, item["gold"]) for item, res in zip(items, results)]

    def recall(rr, k):
        return round(sum(1 for r in rr if r and r <= k) / max(1, len(rr)), 4)

    def mrr(rr):
        return round(sum(1 / r for r in rr if r and r <= 10) / max(1, len(rr)), 4)

    by_type: dict[str, list] = {}
    for item, r in zip(items, ranks):
        by_type.setdefault(item.get("type", "?"), []).append(r)
    misses = []
    for item, res, r in zip(items, results, ranks):
        if not r or r > 5:
            first = res[0] if res else {}
            misses.append({"id": item.get("id"), "type": item.get("type"), "question": item["question"],
                           "rank": r, "gold": [g["symbol"] for g in item["gold"]],
                           "first": f"{first.get('symbol')} {first.get('para')}" if first else None})
    report = {"n": len(items), "R@1": recall(ranks, 1), "R@5": recall(ranks, 5), "R@10": recall(ranks, 10),
              "MRR@10": mrr(ranks),
              "by_type": {t: {"n": len(v), "R@5": recall(v, 5), "MRR@10": mrr(v)} for t, v in sorted(by_type.items())},
              "misses": misses}
    if split is not None:
        report["confidence"] = split
    return report


def confidence_split(items: list[dict], confidences: list[str]) -> dict:
    """Flagged ("low") answers among answerable questions (should be few) and unanswerable ones (should be most)."""
    answerable = [c for item, c in zip(items, confidences) if item["gold"]]
    unanswerable = [c for item, c in zip(items, confidences) if not item["gold"]]
    return {"answerable": len(answerable), "flagged_answerable": answerable.count("low"),
            "unanswerable": len(unanswerable), "flagged_unanswerable": unanswerable.count("low")}


def run_eval(engine, items: list[dict], k: int = 10) -> dict:
    from assistant.present import answer_to_dict

    answers = [answer_to_dict(engine.ask(item["question"], k=k)) for item in items]
    return score(items, [a["results"] for a in answers], [a.get("confidence", "high") for a in answers])


def render_report(report: dict) -> str:
    lines = [f"n={report['n']}  R@1={report['R@1']:.3f}  R@5={report['R@5']:.3f}  R@10={report['R@10']:.3f}  "
             f"MRR@10={report['MRR@10']:.3f}", ""]
    split = report.get("confidence")
    if split:
        def share(flagged: int, n: int) -> str:
            return f"{flagged}/{n} ({flagged / n:.0%})" if n else "0/0 (no such questions)"

        lines[-1:] = ["", "confidence: flagged answerable " + share(split["flagged_answerable"], split["answerable"])
                      + ", flagged unanswerable " + share(split["flagged_unanswerable"], split["unanswerable"]), ""]
    for t, v in report["by_type"].items():
        lines.append(f"  {str(t or 'untyped'):<12} n={v['n']:<3} R@5={v['R@5']:.3f}  MRR@10={v['MRR@10']:.3f}")
    if report["misses"]:
        lines += ["", "misses (not in the top 5):"]
        for m in report["misses"]:
            where = f"rank {m['rank']}" if m["rank"] else "not in top 10"
            label = "" if m["id"] is None else f"{m['id']} "
            lines.append(f"  {label}[{m['type'] or 'untyped'}] {m['question'][:70]}")
            lines.append(f"      gold {', '.join(m['gold'])}; {where}; first: {m['first'] or 'no results'}")
    return "\n".join(lines)
