"""Align two documents paragraph by paragraph, in order and blind to labels: unchanged, changed, only in A or B."""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

from assistant.errors import UsageError
from assistant.records import DocInfo, Paragraph
from assistant.sanitize import strip_controls
from assistant.lineage.worddiff import CONTAINED_WEIGHT, DELETE, EQUAL, INSERT, DiffOp, diff, overlap, strip_note_markers, whole, words

UNCHANGED, CHANGED, ONLY_A, ONLY_B = "unchanged", "changed", "only_a", "only_b"
MATCH_MIN = 0.5  # affinity (ratio, or 0.6 x containment) below which two paragraphs are not versions of one another
PREFILTER_OVERLAP = 0.4  # shared share of the smaller word set below which the sequence match is not worth computing
MOVED_MIN = 0.6  # an unpaired paragraph this close to one out of order on the other side was probably moved


@dataclass
class AlignedPair:
    """One row of a comparison: a paragraph of A, of B, or of both with how they differ."""

    status: str  # unchanged | changed | only_a | only_b
    a: Paragraph | None
    b: Paragraph | None
    similarity: float  # word ratio of the two versions; 0.0 when one side is missing
    diff: list[DiffOp]  # equal runs for unchanged, the whole text deleted/inserted for only_a/only_b
    moved: str | None = None  # label on the other side this unpaired paragraph resembles (out of order)


@dataclass
class Comparison:
    """Document A against document B, in reading order, B's insertions placed where B has them."""

    a: DocInfo
    b: DocInfo
    pairs: list[AlignedPair] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        counts = {UNCHANGED: 0, CHANGED: 0, ONLY_A: 0, ONLY_B: 0}
        for pair in self.pairs:
            counts[pair.status] += 1
        return counts


class CleanText:
    """Paragraph text as compared and diffed: controls and the document's footnote calls removed."""

    def __init__(self, rows: list[Paragraph]):
        self.notes: dict[str, set[str]] = {}
        for p in rows:
            if p.role == "footnote" and p.para[2:].isdigit():
                self.notes.setdefault(p.symbol, set()).add(p.para[2:])

    def __call__(self, p: Paragraph) -> str:
        return " ".join(strip_note_markers(strip_controls(p.text), self.notes.get(p.symbol, set())).split())


_cleaners: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def cleaner_for(searcher) -> CleanText:
    """One CleanText per searcher: collecting the footnote numbers walks every row once."""
    if searcher not in _cleaners:
        _cleaners[searcher] = CleanText(searcher.rows)
    return _cleaners[searcher]


def body(searcher, symbol: str) -> tuple[DocInfo, list[Paragraph]]:
    """A document and its paragraphs without footnotes (footnotes are compared as citations, not text)."""
    info = searcher.resolve_symbol(symbol)
    paragraphs = [p for p in searcher.paragraphs(info.symbol) if p.role not in ("footnote", "heading")]
    if not paragraphs:
        raise UsageError(f"{info.symbol} has no paragraphs to compare")
    return info, paragraphs


def compare(searcher, a: str, b: str) -> Comparison:
    """Compare two documents of the index, given as symbols the user typed."""
    info_a, paras_a = body(searcher, a)
    info_b, paras_b = body(searcher, b)
    clean = cleaner_for(searcher)
    return compare_paragraphs(info_a, paras_a, info_b, paras_b, clean)


def compare_paragraphs(info_a: DocInfo, paras_a: list[Paragraph], info_b: DocInfo, paras_b: list[Paragraph],
                       clean=lambda p: " ".join(strip_controls(p.text).split())) -> Comparison:
    """The alignment itself, on any two paragraph lists (the TUI can compare drafts not in the index)."""
    texts_a, texts_b = [clean(p) for p in paras_a], [clean(p) for p in paras_b]
    words_a, words_b = [words(t) for t in texts_a], [words(t) for t in texts_b]
    sims, ratios = similarity_table(words_a, words_b)
    pairs: list[AlignedPair] = []
    for i, j in align(len(paras_a), len(paras_b), sims):
        if i is not None and j is not None:
            same = words_a[i] == words_b[j]
            ops = whole(EQUAL, texts_b[j]) if same else diff(texts_a[i], texts_b[j])
            pairs.append(AlignedPair(UNCHANGED if same else CHANGED, paras_a[i], paras_b[j],
                                     1.0 if same else round(ratios[i, j], 3), ops))
        elif i is not None:
            pairs.append(AlignedPair(ONLY_A, paras_a[i], None, 0.0, whole(DELETE, texts_a[i])))
        else:
            pairs.append(AlignedPair(ONLY_B, None, paras_b[j], 0.0, whole(INSERT, texts_b[j])))
    _mark_moves(pairs, sims, paras_a, paras_b)
    return Comparison(info_a, info_b, pairs)


class _Table(dict):
    """A sparse similarity matrix: missing pairs read as 0.0."""

    def __missing__(self, key):
        return 0.0


def similarity_table(words_a: list[list[str]], words_b: list[list[str]]) -> tuple[_Table, _Table]:
    """(affinity, ratio) of every pair worth considering; pairs sharing few words are left out (read as 0)."""
    sets_a, sets_b = [set(w) for w in words_a], [set(w) for w in words_b]
    affinities, ratios = _Table(), _Table()
    for i, sa in enumerate(sets_a):
        for j, sb in enumerate(sets_b):
            # overlap against the smaller set, so a paragraph merged into a longer one still qualifies
            if not sa or not sb or len(sa & sb) / min(len(sa), len(sb)) < PREFILTER_OVERLAP:
                continue
            match = overlap(words_a[i], words_b[j])
            ratios[i, j] = match.ratio
            affinities[i, j] = max(match.ratio, CONTAINED_WEIGHT * match.contained())
    return affinities, ratios


def align(n: int, m: int, sims) -> list[tuple[int | None, int | None]]:
    """Order-preserving alignment maximising the summed similarity of matched pairs (weighted LCS).

    Labels play no part, so renumbered paragraphs still pair up; a pair below MATCH_MIN never
    matches, so a rewritten paragraph shows as one removed and one added rather than a noisy diff.
    """
    best = [[0.0] * (m + 1) for _ in range(n + 1)]  # best[i][j]: best score aligning a[i:] with b[j:]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            score = max(best[i + 1][j], best[i][j + 1])
            s = sims[i, j]
            if s >= MATCH_MIN:
                score = max(score, s + best[i + 1][j + 1])
            best[i][j] = score
    out: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < n and j < m:
        s = sims[i, j]
        if s >= MATCH_MIN and best[i][j] == s + best[i + 1][j + 1]:
            out.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            out.append((i, None))  # A's paragraph first: removals read before the additions that replace them
            i += 1
        else:
            out.append((None, j))
            j += 1
    out += [(k, None) for k in range(i, n)] + [(None, k) for k in range(j, m)]
    return out


def _mark_moves(pairs: list[AlignedPair], sims, paras_a: list[Paragraph], paras_b: list[Paragraph]) -> None:
    """Point an unpaired paragraph at its likely counterpart when order preservation kept them apart."""
    index_a = {id(p): i for i, p in enumerate(paras_a)}
    index_b = {id(p): j for j, p in enumerate(paras_b)}
    lone_a = [index_a[id(p.a)] for p in pairs if p.status == ONLY_A]
    lone_b = [index_b[id(p.b)] for p in pairs if p.status == ONLY_B]
    for pair in pairs:
        if pair.status == ONLY_A:
            i = index_a[id(pair.a)]
            j = max(lone_b, key=lambda k: sims[i, k], default=None)
            if j is not None and sims[i, j] >= MOVED_MIN:
                pair.moved = paras_b[j].para
        elif pair.status == ONLY_B:
            j = index_b[id(pair.b)]
            i = max(lone_a, key=lambda k: sims[k, j], default=None)
            if i is not None and sims[i, j] >= MOVED_MIN:
                pair.moved = paras_a[i].para
