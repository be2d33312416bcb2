"""The two levers of bench/quality.py that need more than a weight: a second stage fitted on the questions, and a vocabulary mined from the corpus."""

from __future__ import annotations

import math

import assistant.search.weights as weights

# -- lever (a): a second stage fitted on the questions -----------------------------------------------------
FEATURES = ("cosine", "keyword", "foreign", "year", "year_text", "preambular", "when", "part", "operative_asked",
            "opening", "decision", "mandate", "title_named", "heading_fact", "heading_other", "recency", "statement", "length")
RERANK_TOP = 50


def collect(bench, items: list[dict], start: dict) -> list[tuple]:
    """Per answerable question: the feature matrix of its top RERANK_TOP candidates (starting weights, extra
    features on) and which of them are gold. Computed once; fitting then never touches the index."""
    import numpy as np

    from assistant.search.evaluate import norm_symbol, norm_text

    out = []
    searcher = bench.searcher
    with bench.config(start | {"EXTRA_FEATURES": True}):
        for item in items:
            if not item["gold"]:
                continue
            searcher.keep_features = []
            searcher.ask(item["question"], k=10)
            candidates, parts = searcher.keep_features[-1]
            searcher.keep_features = None
            matrix = np.stack([parts.get(f, np.zeros(len(candidates), dtype=np.float32)) for f in FEATURES], axis=1)
            w0 = start_weights()
            top = np.argsort(-(matrix @ w0), kind="stable")[:RERANK_TOP]
            gold = np.array([any(norm_symbol(searcher.rows[candidates[i]].symbol) == norm_symbol(g["symbol"])
                                 and norm_text(g["quote"]) in norm_text(searcher.rows[candidates[i]].text)
                                 for g in item["gold"]) for i in top])
            out.append((matrix[top], gold))
    return out


def start_weights():
    import numpy as np

    with_defaults = weights.feature_weights()
    return np.array([with_defaults.get(f, 0.0) for f in FEATURES], dtype=np.float64)


def fit(data: list[tuple], strength: float, steps: int = 400):
    """Pairwise logistic loss (each gold candidate against each other one of its question), L2-regularised
    towards the hand weights so that a small half cannot move them far; plain gradient descent in numpy."""
    import numpy as np

    w0 = start_weights()
    diffs = [(m[g][:, None, :] - m[~g][None, :, :]).reshape(-1, m.shape[1]) for m, g in data if g.any() and (~g).any()]
    if not diffs:
        return w0
    d = np.concatenate(diffs).astype(np.float64)
    w = w0.copy()
    for _ in range(steps):
        margin = d @ w
        grad = -(d * (1.0 / (1.0 + np.exp(np.clip(margin, -30, 30))))[:, None]).mean(axis=0) + strength * (w - w0)
        w -= 0.5 * grad
    return w


def ranks_under(data: list[tuple], w) -> list:
    """Rank of the first gold candidate under weights w (within the top RERANK_TOP; no repeat grouping)."""
    import numpy as np

    out = []
    for m, g in data:
        order = np.argsort(-(m @ w), kind="stable")
        hit = np.flatnonzero(g[order])
        out.append(int(hit[0]) + 1 if len(hit) else None)
    return out


def choose_strength(data: list[tuple]) -> float:
    """The regularisation chosen inside the training half (inner 2-fold: fit on one part, score the other)."""
    a, b = data[0::2], data[1::2]
    best = None
    for strength in (0.01, 0.1, 1.0, 10.0):
        score = 0.0
        for train, test in ((a, b), (b, a)):
            ranks = ranks_under(test, fit(train, strength))
            score += sum(1 for r in ranks if r and r <= 5) + sum(1 / r for r in ranks if r and r <= 10)
        if best is None or score > best[0]:
            best = (score, strength)
    return best[1]


def fitted_config(w, start: dict) -> dict:
    return start | {"EXTRA_FEATURES": True,
                                                    "EXTRA_WEIGHTS": tuple(zip(FEATURES, (round(float(x), 4) for x in w)))}


# -- lever (b): a vocabulary mined from the corpus ----------------------------------------------------------
class MinedVocabulary:
    """Words that co-occur with the question's words in the same paragraphs, more than their frequency
    explains (count(q, t) / sqrt(df(q) df(t))), as their most common surface form; added like vocabulary.tsv."""

    def __init__(self, rows, terms: int):
        import re
        from collections import Counter

        from assistant.index.lexical import tokenize

        self.tokenize, self.terms = tokenize, terms
        self.sets = [set(tokenize(p.text)) for p in rows if p.role not in ("heading", "footnote")]
        self.df = Counter(t for s in self.sets for t in s)
        surface: dict[str, Counter] = {}
        for p in rows[:20000]:
            for word in re.findall(r"[A-Za-z][a-z]+", p.text):
                for t in tokenize(word):
                    surface.setdefault(t, Counter())[word.lower()] += 1
        self.surface = {t: c.most_common(1)[0][0] for t, c in surface.items()}
        self.cache: dict[str, str] = {}

    def __call__(self, question: str) -> str:
        from collections import Counter

        if question in self.cache:
            return self.cache[question]
        asked = sorted(t for t in set(self.tokenize(question)) if 2 <= self.df.get(t, 0) <= len(self.sets) // 10)
        scores: Counter = Counter()
        for q in asked:
            together = Counter(t for s in self.sets if q in s for t in s)
            for t, c in together.items():
                if t not in asked and c >= 2 and self.df[t] <= len(self.sets) // 10:
                    scores[t] += c / math.sqrt(self.df[q] * self.df[t])
        best = sorted(scores.items(), key=lambda ts: (-round(ts[1], 9), ts[0]))[: self.terms]  # ties by word: same every run
        words = [self.surface.get(t, t) for t, _ in best]
        self.cache[question] = " ".join(words)
        return self.cache[question]
