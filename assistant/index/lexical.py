"""Keyword side of retrieval: a small tokenizer and light stemmer feeding BM25 arrays in bm25s' file layout."""

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


K1, B = 1.2, 0.75  # Lucene's BM25 parameters, as bm25s used them when it built these files


class BM25:
    """BM25 (Lucene variant) precomputed per (term, paragraph) as CSC arrays, in the files bm25s writes.

    Built with numpy rather than by bm25s: bm25s counted terms paragraph by paragraph in Python
    (3-4 s of a 72k-paragraph update); the sums here are the same numbers (tests/test_store.py
    compares them with bm25s), and MappedBM25 reads the files without either.
    """

    def __init__(self, vocab: dict[str, int], data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, num_docs: int):
        self.vocab, self.data, self.indices, self.indptr, self.num_docs = vocab, data, indices, indptr, num_docs

    @classmethod
    def fit(cls, texts: list[str]) -> "BM25":
        return cls.fit_tokens([tokenize(t) for t in texts])

    @classmethod
    def fit_tokens(cls, token_lists: list[list[str]]) -> "BM25":
        """Fit on texts already tokenized with `tokenize` (the build tokenizes each repeated text once)."""
        token_lists = [tokens or ["∅"] for tokens in token_lists]  # an empty paragraph still has a length
        vocab: dict[str, int] = {}
        ids = np.fromiter((vocab.setdefault(t, len(vocab)) for tokens in token_lists for t in tokens), dtype=np.int64)
        lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
        num_docs = len(token_lists)
        docs = np.repeat(np.arange(num_docs, dtype=np.int64), lengths)
        # one entry per distinct (term, paragraph), sorted by term then paragraph: CSC order
        pairs, tf = np.unique(ids * max(num_docs, 1) + docs, return_counts=True)
        terms, rows = np.divmod(pairs, max(num_docs, 1))
        df = np.bincount(terms, minlength=len(vocab))
        idf = np.log(1 + (num_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
        norm = K1 * (1 - B + B * lengths[rows] / lengths.mean())
        tf = tf.astype(np.float32)
        data = (idf[terms] * (tf / (tf + norm))).astype(np.float32)
        indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        return cls(vocab, data, rows.astype(np.int32), indptr, num_docs)

    def scores(self, query: str) -> np.ndarray:
        return column_sums(query, self.vocab, self.data, self.indices, self.indptr, self.num_docs, np.float32)

    def save(self, folder: Path) -> None:
        import json

        folder.mkdir(parents=True, exist_ok=True)
        np.save(folder / "data.csc.index.npy", self.data, allow_pickle=False)
        np.save(folder / "indices.csc.index.npy", self.indices, allow_pickle=False)
        np.save(folder / "indptr.csc.index.npy", self.indptr, allow_pickle=False)
        params = {"k1": K1, "b": B, "method": "lucene", "idf_method": "lucene", "dtype": "float32",
                  "int_dtype": "int32", "num_docs": self.num_docs, "writer": "norms"}
        (folder / "params.index.json").write_text(json.dumps(params, indent=1), encoding="utf-8")
        (folder / "vocab.index.json").write_text(json.dumps(self.vocab, ensure_ascii=True), encoding="utf-8")

    def known(self, token: str) -> bool:
        return token in self.vocab


def column_sums(query: str, vocab: dict[str, int], data, indices, indptr, num_docs: int, dtype) -> np.ndarray:
    """A question's BM25 score per paragraph: for each of its tokens, add that token's column."""
    out = np.zeros(num_docs, dtype=dtype)
    for token in tokenize(query):
        column = vocab.get(token)
        if column is None or column + 1 >= len(indptr):
            continue
        start, end = int(indptr[column]), int(indptr[column + 1])
        np.add.at(out, np.asarray(indices[start:end]), np.asarray(data[start:end]))
    return out.astype(np.float32, copy=False)


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
        return column_sums(query, self.vocab, self.data, self.indices, self.indptr, self.num_docs, self.dtype)

    def known(self, token: str) -> bool:
        return token in self.vocab


def load_bm25(folder: Path) -> MappedBM25:
    return MappedBM25(folder)
