"""Word-level comparison of two paragraphs: normalised words, similarity ratios, equal/insert/delete runs."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from assistant.index.lexical import STOPWORDS

EQUAL, INSERT, DELETE = "equal", "insert", "delete"

# Curly quotes and apostrophes vary between a draft and its adopted text; they carry no meaning here.
_FOLD = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"', "\u00a0": " "})
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_CALL_END = r"(?=[\s,;.:]|$)"
_MONTHS = "january february march april may june july august september october november december"
_FUNCTION_WORDS = STOPWORDS | frozenset(_MONTHS.split())

CONTAINED_MIN_WORDS = 8  # a shorter text than this is contained in too many others to mean anything
CONTAINED_RUN = 2  # words in a row for a match to count towards containment
CONTAINED_WEIGHT = 0.6  # containment counts for less than same length and order: 0.83 contained ~ ratio 0.5


@dataclass
class DiffOp:
    """One run of a word diff: words kept, added (insert) or removed (delete), joined by single spaces."""

    op: str  # equal | insert | delete
    text: str


def words(text: str) -> list[str]:
    """Lowercased words without punctuation: "capacity-building;" and "Capacity building" are the same two words."""
    return _WORD.findall(text.translate(_FOLD).lower())


@dataclass
class Overlap:
    """How the words of two texts a and b line up, in order (difflib's matching blocks)."""

    ratio: float  # 2·matched / (len a + len b): 1.0 for the same words in the same order
    a_in_b: float  # share of a's words found in b: a kept inside a longer b, or quoted in it
    b_in_a: float
    len_a: int
    len_b: int

    def contained(self, min_words: int = CONTAINED_MIN_WORDS) -> float:
        """Share of the shorter text found in the longer (0 when it has fewer than min_words words).

        Containment catches a paragraph extended, merged into a longer one, or quoted in a statement,
        which the ratio undervalues because it also counts the added words.
        """
        if self.len_a <= self.len_b:
            return self.a_in_b if self.len_a >= min_words else 0.0
        return self.b_in_a if self.len_b >= min_words else 0.0


def overlap(a: list[str], b: list[str]) -> Overlap:
    if not a or not b:
        same = float(a == b)
        return Overlap(same, same, same, len(a), len(b))
    blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    matched = sum(block.size for block in blocks)
    # containment counts only runs of words: single "the", "of", "States" scattered through a long text
    # would otherwise make any short paragraph look quoted in it
    in_runs = sum(block.size for block in blocks if block.size >= CONTAINED_RUN)
    return Overlap(2 * matched / (len(a) + len(b)), in_runs / len(a), in_runs / len(b), len(a), len(b))


def content_words(ws: list[str]) -> list[str]:
    """Words that carry the subject: no stopwords, numbers, months or list letters ("43/78 H of 7 December 1988")."""
    return [w for w in ws if len(w) > 1 and w not in _FUNCTION_WORDS and not any(c.isdigit() for c in w)]


def may_reach(a: list[str], b: list[str], min_ratio: float, min_contained: float, min_words: int) -> bool:
    """Cheap upper bound from shared word counts: False when neither the ratio nor a containment can be met."""
    if not a or not b:
        return not a and not b
    shared = sum((Counter(a) & Counter(b)).values())
    return 2 * shared / (len(a) + len(b)) >= min_ratio or any(
        n >= min_words and shared / n >= min_contained for n in (len(a), len(b)))


def strip_note_markers(text: str, notes: set[str]) -> str:
    """Drop footnote call numbers left in extracted text ("report,2", "2013 3", "20152" for 2015 + note 2).

    Only numbers that are footnotes of the same document are removed, and only where a call
    would be printed, so "Article 2 (4)", "paragraph 1.6" and "resolution 73/27" survive.
    """
    if not notes:
        return text
    after_year, glued = _call_patterns(frozenset(notes))
    return glued.sub("", after_year.sub(r"\1", text))


@lru_cache(maxsize=4096)
def _call_patterns(notes: frozenset[str]) -> tuple[re.Pattern, re.Pattern]:
    calls = "|".join(sorted((re.escape(n) for n in notes), key=len, reverse=True))
    # after a year, glued or spaced: "20152", "2013 3", "2010,1" become the year alone
    after_year = re.compile(rf"\b((?:19|20)\d\d,?) ?(?:{calls}){_CALL_END}")
    # glued to a lowercase word ("Security1"), or after its punctuation, spaced or not ("Assembly, 5",
    # "Agenda”,14"); never after a number, so "paragraphs 3, 4 and 5" keeps its 4
    glued = re.compile(rf"(?:(?<=[a-z])|(?<=[a-z][.])|(?:(?<=[a-z][,;:”’\")])|(?<=[a-z][”’\")][,;:])) ?)"
                       rf"(?:{calls}){_CALL_END}")
    return after_year, glued


def _key(token: str) -> str:
    """What a display token is compared by: its words, so quote style and trailing punctuation do not count."""
    return " ".join(words(token)) or token


def diff(old: str, new: str) -> list[DiffOp]:
    """Word diff of two texts; equal runs show the new wording, replacements are a delete then an insert."""
    old_tokens, new_tokens = old.split(), new.split()
    matcher = SequenceMatcher(None, [_key(t) for t in old_tokens], [_key(t) for t in new_tokens], autojunk=False)
    ops: list[DiffOp] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _append(ops, EQUAL, new_tokens[j1:j2])
            continue
        if tag in ("replace", "delete"):
            _append(ops, DELETE, old_tokens[i1:i2])
        if tag in ("replace", "insert"):
            _append(ops, INSERT, new_tokens[j1:j2])
    return ops


def _append(ops: list[DiffOp], op: str, tokens: list[str]) -> None:
    if not tokens:
        return
    if ops and ops[-1].op == op:
        ops[-1].text += " " + " ".join(tokens)
    else:
        ops.append(DiffOp(op, " ".join(tokens)))


def whole(op: str, text: str) -> list[DiffOp]:
    """A text as a single run: all kept, all added or all removed."""
    text = " ".join(text.split())
    return [DiffOp(op, text)] if text else []


def counts(ops: list[DiffOp]) -> tuple[int, int]:
    """(words added, words removed) in a diff, for one-line summaries."""
    added = sum(len(o.text.split()) for o in ops if o.op == INSERT)
    removed = sum(len(o.text.split()) for o in ops if o.op == DELETE)
    return added, removed
