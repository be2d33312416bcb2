"""Align two documents paragraph by paragraph, in order and blind to labels: unchanged, changed, only in A or B."""

from __future__ import annotations

import math
import weakref
from collections import Counter
from dataclasses import dataclass, field

from assistant.errors import UsageError
from assistant.records import DocInfo, Paragraph
from assistant.sanitize import strip_controls
from assistant.lineage.worddiff import CONTAINED_MIN_WORDS, CONTAINED_WEIGHT, DELETE, EQUAL, INSERT, DiffOp, diff, overlap, strip_note_markers, whole, words

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
    if words_a == words_b:  # the same text (`compare X X`): only the diagonal scores n, nothing is lone
        return Comparison(info_a, info_b, [AlignedPair(UNCHANGED, a, b, 1.0, whole(EQUAL, t))
                                           for a, b, t in zip(paras_a, paras_b, texts_b)])
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
    """(affinity, ratio) of every pair that can pair up or count as moved; any other pair reads as 0.

    A pair is considered when the words it shares are at least PREFILTER_OVERLAP of the smaller set. Rather
    than test every pair, candidates come from prefix filtering: with words ordered rarest first, such a pair
    shares a word among the first |s| - need(|s|) + 1 words of its smaller set s, so only paragraphs holding
    one of those (few, rare) words are tested. Same pairs as the all-pairs test, near-linear on real text.
    """
    sets_a, sets_b = [set(w) for w in words_a], [set(w) for w in words_b]
    counts_a, counts_b = [Counter(w) for w in words_a], [Counter(w) for w in words_b]
    affinities, ratios = _Table(), _Table()
    for i, j in _candidate_pairs(sets_a, sets_b):
        sa, sb = sets_a[i], sets_b[j]
        # overlap against the smaller set, so a paragraph merged into a longer one still qualifies
        if len(sa & sb) / min(len(sa), len(sb)) < PREFILTER_OVERLAP:
            continue
        if not _may_match(counts_a[i], counts_b[j], len(words_a[i]), len(words_b[j])):
            continue  # cannot reach MATCH_MIN: it would neither pair nor count as a move, so skip the word match
        match = overlap(words_a[i], words_b[j])
        ratios[i, j] = match.ratio
        affinities[i, j] = max(match.ratio, CONTAINED_WEIGHT * match.contained())
    return affinities, ratios


def _may_match(counts_a: Counter, counts_b: Counter, len_a: int, len_b: int) -> bool:
    """Upper bound from shared word counts (matched words never exceed them): can the affinity reach MATCH_MIN?"""
    shared = sum((counts_a & counts_b).values())
    if 2 * shared / (len_a + len_b) >= MATCH_MIN:
        return True
    shorter = min(len_a, len_b)
    return shorter >= CONTAINED_MIN_WORDS and CONTAINED_WEIGHT * shared / shorter >= MATCH_MIN


def _needed(size: int) -> int:
    """The fewest shared words that reach PREFILTER_OVERLAP of a set of `size` words (exactly as the test divides)."""
    need = max(1, math.ceil(PREFILTER_OVERLAP * size))
    while need > 1 and (need - 1) / size >= PREFILTER_OVERLAP:
        need -= 1
    while need / size < PREFILTER_OVERLAP:
        need += 1
    return need


def _candidate_pairs(sets_a: list[set[str]], sets_b: list[set[str]]):
    """Every (i, j) that may reach the overlap threshold, row by row (one row's candidates in memory at a time)."""
    frequency: Counter = Counter()
    for s in (*sets_a, *sets_b):
        frequency.update(s)
    holders_b = _postings(sets_b)  # word -> every paragraph of B holding it
    prefix_holders_b = _postings([set(_prefix(s, frequency)) for s in sets_b])  # word -> B's holding it early
    for i, sa in enumerate(sets_a):
        found: set[int] = set()
        for word in _prefix(sa, frequency):  # pairs whose smaller (or equal) set is A's: A's prefix meets B
            found.update(j for j in holders_b.get(word, ()) if len(sets_b[j]) >= len(sa))
        for word in sa:  # pairs whose smaller set is B's: B's prefix meets A
            found.update(j for j in prefix_holders_b.get(word, ()) if len(sets_b[j]) < len(sa))
        yield from ((i, j) for j in sorted(found))


def _prefix(words: set[str], frequency: Counter) -> list[str]:
    if not words:
        return []
    ordered = sorted(words, key=lambda w: (frequency[w], w))
    return ordered[:len(words) - _needed(len(words)) + 1]


def _postings(sets: list[set[str]]) -> dict[str, list[int]]:
    holders: dict[str, list[int]] = {}
    for n, s in enumerate(sets):
        for word in s:
            holders.setdefault(word, []).append(n)
    return holders


def align(n: int, m: int, sims) -> list[tuple[int | None, int | None]]:
    """Order-preserving alignment maximising the summed similarity of matched pairs (weighted LCS).

    Labels play no part, so renumbered paragraphs still pair up; a pair below MATCH_MIN never
    matches, so a rewritten paragraph shows as one removed and one added rather than a noisy diff.
    Works on the sparse matches only (O(K log m) for K pairs at or above MATCH_MIN), and walks them
    with the same tie-breaking as the full table would (`align_by_table`, kept as the reference).
    """
    if not isinstance(sims, dict):
        return align_by_table(n, m, sims)
    matches = sorted(((i, j, s) for (i, j), s in sims.items() if s >= MATCH_MIN and i < n and j < m),
                     key=lambda x: (-x[0], x[1]))
    value: dict[tuple[int, int], float] = {}  # best total of a chain starting with this match
    rest: dict[tuple[int, int], float] = {}  # best total after it (the table's best[i+1][j+1])
    tree = _SuffixMax(m)
    row_start = 0
    while row_start < len(matches):  # one row at a time, so a row's matches never chain with each other
        row = matches[row_start]
        row_end = row_start
        while row_end < len(matches) and matches[row_end][0] == row[0]:
            row_end += 1
        for i, j, s in matches[row_start:row_end]:
            rest[i, j] = tree.above(j)
            value[i, j] = s + rest[i, j]
        for i, j, s in matches[row_start:row_end]:
            tree.put(j, value[i, j])
        row_start = row_end
    by_value: dict[float, list[tuple[int, int]]] = {}
    for key in sorted(value):
        by_value.setdefault(value[key], []).append(key)
    out: list[tuple[int | None, int | None]] = []
    i = j = 0
    best = max(value.values(), default=0.0)
    while i < n and j < m and best > 0.0:
        starts = [(a, b) for a, b in by_value[best] if a >= i and b >= j]  # the chains worth `best` from here
        last_row = max(a for a, _ in starts)
        same_column = [a for a, b in starts if b == j and a < last_row]
        a, b = (min(same_column), j) if same_column else (last_row, min(b for r, b in starts if r == last_row))
        out += [(k, None) for k in range(i, a)] + [(None, k) for k in range(j, b)] + [(a, b)]
        i, j, best = a + 1, b + 1, rest[a, b]
    out += [(k, None) for k in range(i, n)] + [(None, k) for k in range(j, m)]
    return out


class _SuffixMax:
    """Fenwick tree over columns: the largest value stored at a column greater than j."""

    def __init__(self, m: int):
        self.m, self.tree = m, [0.0] * (m + 1)

    def put(self, j: int, value: float) -> None:
        k = self.m - j  # column j at position m - j: columns after j come first
        while k <= self.m:
            if self.tree[k] < value:
                self.tree[k] = value
            k += k & -k

    def above(self, j: int) -> float:
        k, best = self.m - j - 1, 0.0
        while k > 0:
            best = max(best, self.tree[k])
            k -= k & -k
        return best


def align_by_table(n: int, m: int, sims) -> list[tuple[int | None, int | None]]:
    """The full-table form of `align` (O(n x m)): the reference its sparse walk must equal."""
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
    """Point an unpaired paragraph at its likely counterpart when order preservation kept them apart.

    The closest unpaired paragraph on the other side wins, the first in reading order on a tie; only the
    pairs the similarity table holds are looked at (any other reads 0, below MOVED_MIN).
    """
    index_a = {id(p): i for i, p in enumerate(paras_a)}
    index_b = {id(p): j for j, p in enumerate(paras_b)}
    lone_a = {index_a[id(p.a)] for p in pairs if p.status == ONLY_A}
    lone_b = {index_b[id(p.b)] for p in pairs if p.status == ONLY_B}
    near_a: dict[int, tuple[float, int]] = {}  # lone i -> (best similarity, -j) over lone j
    near_b: dict[int, tuple[float, int]] = {}
    cells = sims.items() if isinstance(sims, dict) else (((i, j), sims[i, j]) for i in lone_a for j in lone_b)
    for (i, j), s in cells:
        if i in lone_a and j in lone_b and s >= MOVED_MIN:
            near_a[i] = max(near_a.get(i, (s, -j)), (s, -j))
            near_b[j] = max(near_b.get(j, (s, -i)), (s, -i))
    for pair in pairs:
        if pair.status == ONLY_A and index_a[id(pair.a)] in near_a:
            pair.moved = paras_b[-near_a[index_a[id(pair.a)]][1]].para
        elif pair.status == ONLY_B and index_b[id(pair.b)] in near_b:
            pair.moved = paras_a[-near_b[index_b[id(pair.b)]][1]].para
