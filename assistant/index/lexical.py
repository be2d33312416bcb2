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
        vocab: dict[str, int] = {}
        terms, rows, tf, lengths = _counts(token_lists, vocab)
        return cls.from_counts(vocab, terms, rows, tf, lengths)

    @classmethod
    def update(cls, folder: Path, old_rows: np.ndarray, fresh: dict[int, list[str]]) -> "BM25":
        """The index a full fit would give, from a saved one: its term counts carried over, only `fresh` rows tokenized.

        `old_rows[i]` is the saved row that new row i repeats unchanged, or -1 for a row in `fresh`
        (new row -> its tokens). Raises ValueError or OSError when the saved files cannot serve.
        """
        import json

        params = json.loads((folder / "params.index.json").read_text(encoding="utf-8"))
        if params.get("tokenizer") != tokenizer_version():
            raise ValueError("saved BM25 counts come from another tokenizer")
        vocab = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
        indptr = np.load(folder / "indptr.csc.index.npy", allow_pickle=False)
        saved_rows = np.load(folder / "indices.csc.index.npy", allow_pickle=False)
        saved_tf = np.load(folder / "tf.csc.index.npy", allow_pickle=False)
        saved_lengths = np.load(folder / "lengths.index.npy", allow_pickle=False)
        old_rows = np.asarray(old_rows, dtype=np.int64)
        if len(indptr) != len(vocab) + 1 or len(saved_tf) != len(saved_rows) or old_rows.max(initial=-1) >= len(saved_lengths):
            raise ValueError("saved BM25 counts do not match each other")
        moved = np.full(len(saved_lengths), -1, dtype=np.int64)  # saved row -> its new row
        kept = np.flatnonzero(old_rows >= 0)
        moved[old_rows[kept]] = kept
        carried_rows = moved[saved_rows]
        keep = carried_rows >= 0
        carried_terms = np.repeat(np.arange(len(vocab), dtype=np.int64), np.diff(indptr))[keep]
        fresh_rows = sorted(fresh)
        terms, rows, tf, fresh_lengths = _counts([fresh[r] for r in fresh_rows], vocab)
        rows = np.asarray(fresh_rows, dtype=np.int64)[rows] if len(rows) else rows
        lengths = np.zeros(len(old_rows), dtype=np.int64)
        lengths[kept] = saved_lengths[old_rows[kept]]
        lengths[fresh_rows] = fresh_lengths
        terms = np.concatenate([carried_terms, terms])
        rows = np.concatenate([carried_rows[keep], rows])
        tf = np.concatenate([saved_tf[keep].astype(np.int64), tf])
        used = np.bincount(terms, minlength=len(vocab)) > 0  # terms only removed paragraphs had are dropped
        renumber = np.cumsum(used) - 1
        vocab = {w: int(renumber[i]) for w, i in vocab.items() if used[i]}
        order = np.lexsort((rows, terms))
        return cls.from_counts(vocab, renumber[terms][order], rows[order], tf[order], lengths)

    @classmethod
    def from_counts(cls, vocab: dict[str, int], terms, rows, tf, lengths) -> "BM25":
        """Scores from (term, row, count) triples sorted by term then row, and each row's token count."""
        num_docs = len(lengths)
        df = np.bincount(terms, minlength=len(vocab))
        idf = np.log(1 + (num_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
        norm = K1 * (1 - B + B * lengths[rows] / lengths.mean())
        counts = tf.astype(np.float32)
        data = (idf[terms] * (counts / (counts + norm))).astype(np.float32)
        indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        bm25 = cls(vocab, data, rows.astype(np.int32), indptr, num_docs)
        bm25.tf, bm25.lengths = tf.astype(np.int32), lengths.astype(np.int64)
        return bm25

    def scores(self, query: str) -> np.ndarray:
        return column_sums(query, self.vocab, self.data, self.indices, self.indptr, self.num_docs, np.float32)

    def save(self, folder: Path) -> None:
        import json

        folder.mkdir(parents=True, exist_ok=True)
        np.save(folder / "data.csc.index.npy", self.data, allow_pickle=False)
        np.save(folder / "indices.csc.index.npy", self.indices, allow_pickle=False)
        np.save(folder / "indptr.csc.index.npy", self.indptr, allow_pickle=False)
        np.save(folder / "tf.csc.index.npy", self.tf, allow_pickle=False)  # kept so an update need not tokenize again
        np.save(folder / "lengths.index.npy", self.lengths, allow_pickle=False)
        params = {"k1": K1, "b": B, "method": "lucene", "idf_method": "lucene", "dtype": "float32",
                  "int_dtype": "int32", "num_docs": self.num_docs, "writer": "norms", "tokenizer": tokenizer_version()}
        (folder / "params.index.json").write_text(json.dumps(params, indent=1), encoding="utf-8")
        (folder / "vocab.index.json").write_text(json.dumps(self.vocab, ensure_ascii=True), encoding="utf-8")

    def known(self, token: str) -> bool:
        return token in self.vocab


def _counts(token_lists: list[list[str]], vocab: dict[str, int]):
    """(term, row, count) per distinct term of each token list, sorted by term then row; and the lists' lengths.

    New terms are added to `vocab`; an empty list counts as one placeholder token, as bm25s did.
    """
    token_lists = [tokens or ["∅"] for tokens in token_lists]
    ids = np.fromiter((vocab.setdefault(t, len(vocab)) for tokens in token_lists for t in tokens), dtype=np.int64)
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    docs = np.repeat(np.arange(len(token_lists), dtype=np.int64), lengths)
    width = max(len(token_lists), 1)
    pairs, tf = np.unique(ids * width + docs, return_counts=True)
    terms, rows = np.divmod(pairs, width)
    return terms, rows, tf, lengths


def tokenizer_version() -> str:
    """Saved term counts are reused only by the tokenizer that made them."""
    return f"1-{STEMMER}"


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
