"""Keyword side of retrieval: a small tokenizer and light stemmer feeding a bm25s index."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np

_TOKEN = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
STOPWORDS = frozenset("""
a an and are as at be been by can could did do does for from had has have how in into is it its
may might must of on or our shall should so such than that the their them then there these they
this those to under upon was we were what when where which while who whom why will with would
about also any other all each more most not only same very your you i me my he she his her
""".split())


STEMMER = "light"  # "light" (below) or "snowball" (PyStemmer's English Snowball); see bench/quality.py


@lru_cache(maxsize=200_000)  # the same words recur constantly; stemming them once is enough
def stem(word: str) -> str:
    """The configured stemmer; words with digits or under five letters are kept as they are."""
    if len(word) <= 4 or not word.isalpha():
        return word
    if STEMMER == "snowball":
        return _snowball().stemWord(word)
    return light_stem(word)


@lru_cache(maxsize=1)
def _snowball():
    import Stemmer  # PyStemmer: imported only when the Snowball stemmer is chosen

    return Stemmer.Stemmer("english")


def light_stem(word: str) -> str:
    """A deliberately light English stemmer: plurals and common verb endings, nothing clever."""
    if len(word) <= 4 or not word.isalpha():
        return word
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", "e"), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: -len(suffix)] + repl
    return word


def tokenize(text: str) -> list[str]:
    """Lowercased, stemmed tokens without stopwords; hyphenated words also give their parts."""
    out: list[str] = []
    for word in _TOKEN.findall(text.lower()):
        out.extend(word_tokens(word))
    return out


@lru_cache(maxsize=200_000)  # a build tokenizes 40k texts of a few thousand distinct words: once per word
def word_tokens(word: str) -> tuple[str, ...]:
    """The tokens one matched word gives: itself and, when hyphenated, its parts; stemmed, stopwords dropped."""
    parts = [word] + (word.replace("'", "-").split("-") if "-" in word or "'" in word else [])
    return tuple(stem(part) for part in parts if len(part) > 1 and part not in STOPWORDS)


class BM25:
    """bm25s underneath; scores over the whole corpus so callers can filter and fuse."""

    def __init__(self, retriever, vocab: dict[str, int]):
        self.retriever = retriever
        self.vocab = vocab

    @classmethod
    def fit(cls, texts: list[str]) -> "BM25":
        return cls.fit_tokens([tokenize(t) for t in texts])

    @classmethod
    def fit_tokens(cls, token_lists: list[list[str]]) -> "BM25":
        """Fit on texts already tokenized with `tokenize` (the build tokenizes each repeated text once)."""
        import bm25s

        retriever = bm25s.BM25(k1=1.2, b=0.75)
        token_lists = [tokens or ["∅"] for tokens in token_lists]
        retriever.index(token_lists, show_progress=False)
        vocab = {w: i for i, w in enumerate(sorted({w for toks in token_lists for w in toks}))}
        return cls(retriever, vocab)

    def scores(self, query: str) -> np.ndarray:
        tokens = [t for t in tokenize(query) if t in self.vocab]
        n = self.retriever.scores["num_docs"]
        if not tokens:
            return np.zeros(n, dtype=np.float32)
        return np.asarray(self.retriever.get_scores(tokens), dtype=np.float32)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.retriever.save(str(folder))

    def known(self, token: str) -> bool:
        return token in self.vocab


class MappedBM25:
    """A saved bm25s index read without bm25s: memory-mapped CSC arrays of precomputed scores.

    Importing bm25s pulls in scipy (about a second on the 2-core target) and loads the matrix;
    a question needs neither: its score is the sum, over its tokens, of one column each.
    Same numbers as bm25s' get_scores (tests/test_store.py compares them).
    """

    def __init__(self, folder: Path):
        import json

        params = json.loads((folder / "params.index.json").read_text(encoding="utf-8"))
        if params.get("method", "lucene") not in ("lucene", "robertson", "atire"):
            raise ValueError(f"BM25 method {params.get('method')!r} needs bm25s' non-occurrence scores")
        self.vocab: dict[str, int] = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
        self.num_docs = int(params["num_docs"])
        self.data = np.load(folder / "data.csc.index.npy", mmap_mode="r", allow_pickle=False)
        self.indices = np.load(folder / "indices.csc.index.npy", mmap_mode="r", allow_pickle=False)
        self.indptr = np.load(folder / "indptr.csc.index.npy", mmap_mode="r", allow_pickle=False)
        if len(self.data) != len(self.indices) or len(self.indptr) < len(self.vocab) + 1 - ("" in self.vocab):
            raise ValueError("BM25 arrays do not match each other")
        self.dtype = np.dtype(params.get("dtype", "float32"))

    def scores(self, query: str) -> np.ndarray:
        out = np.zeros(self.num_docs, dtype=self.dtype)
        for token in tokenize(query):
            column = self.vocab.get(token)
            if column is None or column + 1 >= len(self.indptr):
                continue
            start, end = int(self.indptr[column]), int(self.indptr[column + 1])
            np.add.at(out, np.asarray(self.indices[start:end]), np.asarray(self.data[start:end]))
        return out.astype(np.float32, copy=False)

    def known(self, token: str) -> bool:
        return token in self.vocab


def load_bm25(folder: Path) -> MappedBM25:
    return MappedBM25(folder)
