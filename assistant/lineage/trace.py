"""Trace a paragraph's language through the corpus: every same or closely related paragraph, oldest first, diffed."""

from __future__ import annotations

import re
import weakref
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from assistant.lineage.compare import cleaner_for
from assistant.errors import UsageError
from assistant.index.lexical import STOPWORDS
from assistant.lineage import TRACE_LIMIT
from assistant.records import DocInfo, Paragraph, cite
from assistant.sanitize import one_line
from assistant.lineage.worddiff import EQUAL, DiffOp, Overlap, content_words, diff, may_reach, overlap, whole, words

IDENTICAL, NEAR_IDENTICAL, RELATED = "identical", "near-identical", "related"
NEAR_RATIO = 0.8  # token-sequence ratio of a near-identical paragraph: a few words changed in a sentence
# A related paragraph is one of (tuned on the cyber resolutions 2018-2025 with the MiniLM vectors):
REWORDED = (0.5, 0.8)  # ratio and cosine: reworded, same meaning (titles of bodies alone reach a 0.5 ratio)
EXTENDED = (0.8, 0.6)  # containment and cosine: the shorter text's words mostly kept inside a longer version
QUOTED = 0.9  # containment alone: one text quoted nearly verbatim in the other, whatever the vectors say ...
QUOTED_SOURCE_WORDS = 5  # ... where a source phrase of 5 words counts, a quoted candidate needs 8 (worddiff)
RELATED_SHARED = 4  # subject words (worddiff.content_words) a related paragraph must share with the source, so
# that lists of resolutions and dates ("Recalling its resolutions 53/70 of 4 December 1998, ...") relate only
# when their wording is near-identical
DENSE_POOL = 300  # nearest stored vectors taken as candidates
DENSE_MIN = 0.6  # cosine below which a dense neighbour is not worth a word comparison
OVERLAP_MIN = 0.5  # share of the source's content words a paragraph must hold to be a word candidate
MAX_CANDIDATES = 2000  # word candidates kept (most overlap first) when the source is short and common
DEFAULT_LIMIT = TRACE_LIMIT


@dataclass
class Source:
    """Where a trace starts: a paragraph of the corpus, or text the user gave."""

    text: str
    symbol: str | None = None
    para: str | None = None
    kind: str = ""
    date: str | None = None

    def citation(self) -> str:
        return cite(self.symbol, self.para, self.kind) if self.symbol and self.para else "(text)"


@dataclass
class Link:
    """One paragraph in a lineage: how close it is to the source and what changed since the previous version."""

    paragraph: Paragraph
    doc: DocInfo
    text: str  # cleaned: no control characters, no footnote call numbers
    similarity: float  # word ratio to the source
    cosine: float  # stored vector against the source vector
    relation: str  # identical | near-identical | related
    is_source: bool = False
    previous: Link | None = field(default=None, repr=False, compare=False)  # what the diff is against
    diff: list[DiffOp] = field(default_factory=list)

    def citation(self) -> str:
        return cite(self.paragraph.symbol, self.paragraph.para, self.doc.kind)


@dataclass
class Lineage:
    source: Source
    chain: list[Link]
    omitted: int = 0  # related paragraphs left out by the limit (the least similar)


def trace(searcher, symbol: str, para: str, limit: int = DEFAULT_LIMIT) -> Lineage:
    """The lineage of one paragraph of the corpus; the paragraph itself is in the chain, marked as the source."""
    row = find_row(searcher, symbol, para)
    p = searcher.rows[row]
    doc = searcher.index.docs[p.symbol]
    family = [row] + sub_rows(searcher).get(row, [])  # a chapeau ("Calls upon Member States:") with its list
    source = Source(_family_text(searcher, row), p.symbol, p.para, doc.kind, doc.date)
    vector = np.asarray(searcher.index.vectors[family], dtype=np.float32).mean(axis=0)
    vector /= max(float(np.linalg.norm(vector)), 1e-9)
    return _trace(searcher, source, vector, limit, source_row=row, with_footnotes=p.role == "footnote",
                  skip=set(family))


def trace_text(searcher, text: str, encoder=None, limit: int = DEFAULT_LIMIT) -> Lineage:
    """The lineage of a piece of text (a quoted norm, a draft's wording) through the corpus."""
    text = one_line(text)
    if not words(text):
        raise UsageError("nothing to trace: give a paragraph (SYMBOL PARA) or some words")
    if len(words(text)) < QUOTED_SOURCE_WORDS:  # too short to be language; it is a topic
        raise UsageError(f"give at least {QUOTED_SOURCE_WORDS} words to trace (for a topic, use `norms ask`)")
    vector = np.asarray((encoder or searcher.encoder).encode([text]), dtype=np.float32)[0]
    return _trace(searcher, Source(text), vector, limit)


def find_row(searcher, symbol: str, para: str) -> int:
    """The row of SYMBOL's paragraph PARA, accepting "OP 1(a)", "para. 1.6", "pp3"; UsageError if absent."""
    info = searcher.resolve_symbol(symbol)
    wanted = label_key(para)
    for p in searcher.paragraphs(info.symbol):
        if label_key(p.para) == wanted:
            return searcher.row_of[(p.symbol, p.para)]
    labels = [p.para for p in searcher.paragraphs(info.symbol) if p.role != "footnote"]
    shown = ", ".join(labels[:8]) + (f", ... {labels[-1]}" if len(labels) > 8 else "")
    raise UsageError(f"{info.symbol} has no paragraph {one_line(para)[:20]!r} (it has {shown or 'none'})")


def label_key(label: str) -> str:
    """How paragraph labels are matched: no spaces or case, and no "OP" / "para." / "paragraph" prefix."""
    key = re.sub(r"\s+", "", label).lower()
    return re.sub(r"^(?:op|para\.?|paragraph|¶(?=\D))", "", key) or key


def _trace(searcher, source: Source, vector: np.ndarray, limit: int, source_row: int | None = None,
           with_footnotes: bool = False, skip: set[int] = frozenset()) -> Lineage:
    clean = cleaner_for(searcher)
    if len(skip) > 1:  # a chapeau traced with its list: compare other chapeaus with their lists too
        clean = lambda p: _family_text(searcher, searcher.row_of[(p.symbol, p.para)])  # noqa: E731
    source_words = words(source.text)
    source_subject = Counter(content_words(source_words))
    rows = _candidates(searcher, source_words, vector, with_footnotes)
    links: list[Link] = []
    for row in rows:
        if row == source_row or row in skip:
            continue
        p = searcher.rows[row]
        text = clean(p)
        cand_words = words(text)
        if not may_reach(source_words, cand_words, min(REWORDED[0], NEAR_RATIO), min(EXTENDED[0], QUOTED),
                         QUOTED_SOURCE_WORDS):
            continue
        match = overlap(source_words, cand_words)
        cosine = float(np.asarray(searcher.index.vectors[row], dtype=np.float32) @ vector)
        shared = sum((source_subject & Counter(content_words(cand_words))).values())
        relation = classify(source_words == cand_words, match, cosine, shared)
        if relation:
            links.append(Link(p, searcher.index.docs[p.symbol], text, round(match.ratio, 3), round(cosine, 3), relation))
    rank = {IDENTICAL: 0, NEAR_IDENTICAL: 1, RELATED: 2}
    links.sort(key=lambda link: (rank[link.relation], -link.similarity, -link.cosine))
    omitted = max(0, len(links) - limit)
    links = links[:limit]
    if source_row is not None:
        p = searcher.rows[source_row]
        links.append(Link(p, searcher.index.docs[p.symbol], source.text, 1.0, 1.0, IDENTICAL, is_source=True))
    links.sort(key=lambda link: (link.doc.date or "9999", link.paragraph.symbol, link.paragraph.order))
    _diff_against_previous(links)
    return Lineage(source, links, omitted)


def classify(same_words: bool, match: Overlap, cosine: float, shared_subject: int) -> str | None:
    """identical / near-identical / related, or None, for a candidate (b) against the source (a)."""
    if same_words:
        return IDENTICAL
    if match.ratio >= NEAR_RATIO:
        return NEAR_IDENTICAL
    if shared_subject < RELATED_SHARED:
        return None
    source_quoted = match.a_in_b >= QUOTED and match.len_a >= QUOTED_SOURCE_WORDS
    if source_quoted or match.contained() >= QUOTED:
        return RELATED
    if match.ratio >= REWORDED[0] and cosine >= REWORDED[1]:
        return RELATED
    if match.contained() >= EXTENDED[0] and cosine >= EXTENDED[1]:
        return RELATED
    return None


def _candidates(searcher, source_words: list[str], vector: np.ndarray, with_footnotes: bool) -> list[int]:
    """Nearest stored vectors plus paragraphs holding most of the source's words (for when vectors are weak)."""
    n = len(searcher.rows)
    faiss_index = searcher.index.faiss_index
    if faiss_index is not None and faiss_index.ntotal == n:
        sims, ids = faiss_index.search(vector[None, :], min(DENSE_POOL, n))
        dense = [int(i) for i, s in zip(ids[0], sims[0]) if i >= 0 and s >= DENSE_MIN]
    else:
        sims = np.asarray(searcher.index.vectors, dtype=np.float32) @ vector
        dense = [int(i) for i in np.argsort(-sims)[:DENSE_POOL] if sims[i] >= DENSE_MIN]
    content = {w for w in source_words if w not in STOPWORDS}
    lexical = word_sets(searcher).overlapping(content, OVERLAP_MIN, MAX_CANDIDATES) if content else []
    roles_ok = (lambda p: True) if with_footnotes else (lambda p: p.role not in ("footnote", "heading"))
    return [r for r in dict.fromkeys(dense + lexical) if roles_ok(searcher.rows[r])]


_sub_rows: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def sub_rows(searcher) -> dict[int, list[int]]:
    """Row of a chapeau ending with ":" -> rows of its sub-paragraphs (built once per searcher)."""
    if searcher not in _sub_rows:
        children: dict[int, list[int]] = {}
        for i, p in enumerate(searcher.rows):
            parent = searcher.row_of.get((p.symbol, p.parent)) if p.parent else None
            if parent is not None and searcher.rows[parent].text.rstrip().endswith(":"):
                children.setdefault(parent, []).append(i)
        _sub_rows[searcher] = children
    return _sub_rows[searcher]


def _family_text(searcher, row: int) -> str:
    """A paragraph's cleaned text; a chapeau's is followed by its sub-paragraphs', which say what it calls for."""
    clean = cleaner_for(searcher)
    return " ".join([clean(searcher.rows[row])] + [clean(searcher.rows[r]) for r in sub_rows(searcher).get(row, [])])


class WordSets:
    """The distinct content words of every paragraph, for a cheap overlap scan over the whole corpus."""

    def __init__(self, rows: list[Paragraph]):
        self.sets = [frozenset(words(p.text)) - STOPWORDS for p in rows]

    def overlapping(self, content: set[str], share: float, cap: int) -> list[int]:
        need = max(1, int(np.ceil(share * len(content))))
        hits = [(k, i) for i, s in enumerate(self.sets) if len(s) >= need and (k := len(content & s)) >= need]
        hits.sort(key=lambda h: (-h[0], h[1]))
        return [i for _, i in hits[:cap]]


_word_sets: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def word_sets(searcher) -> WordSets:
    """Built once per searcher (about 2 s for 70,000 paragraphs) and reused by later traces."""
    if searcher not in _word_sets:
        _word_sets[searcher] = WordSets(searcher.rows)
    return _word_sets[searcher]


def _diff_against_previous(links: list[Link]) -> None:
    """Diff each paragraph against the earlier one sharing most words (the latest on ties); the first is shown whole."""
    sets = [set(words(link.text)) for link in links]
    for k, link in enumerate(links):
        if k == 0:
            link.diff = whole(EQUAL, link.text)
            continue
        best = max(range(k), key=lambda j: (_jaccard(sets[j], sets[k]), j))
        link.previous = links[best]
        link.diff = diff(links[best].text, link.text)


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0
