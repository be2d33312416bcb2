"""Find the paragraph labels a question names: "para 13(f)", "OP 3", "PP2", "paragraphs 3 to 5", "A/RES/73/27 1.6"."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.search.references import Scan


# --- Paragraph label shapes ------------------------------------------------------------------------

# A paragraph label as the corpus writes it: "3", "1.6", "13(f)", "1(a)(ii)". Numbers have at most three
# digits, so a year (2019) is never a label, and a label must not run on into a word ("5th", "3D").
_LABEL = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,3})*(?:\s?\((?:[a-z]|[ivx]{2,5})\))*(?!\w|\.[0-9])", re.I)
# Preambular paragraphs and footnotes are plain numbers.
_INT_LABEL = re.compile(r"[0-9]{1,3}(?!\w|\.[0-9])")
# A sub-paragraph without its number, continuing a list: "13(a), (b) and (c)", "13(a) to (k)".
_SUB_ONLY = re.compile(r"\((?:[a-z]|[ivx]{2,5})\)(?!\w)", re.I)
# Between labels of one list: "3, 5", "3 and 5", "3, and 5", "3 & 5", "3 or 5".
_LIST_SEP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|&\s*|and\s+|or\s+)", re.I)
# Between the ends of a range: "3-5", "3 – 5", "13(a) to (k)", "3 through 5".
_RANGE_SEP = re.compile(r"\s*(?:-|–|—|to\s|through\s)\s*", re.I)
# Words that announce paragraph labels. OP/PP count in capitals only: "pp. 3" usually means pages.
# "norm" announces only lettered labels ("norm 13(f)"); see _find_cued_labels.
_PARA_CUE = re.compile(
    r"(?<!\w)(?:"
    r"(?P<op>(?:operative|(?-i:OP))\s+para(?:graph)?s?\.?|(?-i:OPs?)\.?)"
    r"|(?P<pp>(?:preambular|preamble|(?-i:PP))\s+para(?:graph)?s?\.?|(?-i:PPs?)\.?)"
    r"|(?P<fn>foot-?notes?|fns?\.?)"
    r"|(?P<para>(?:sub-?)?para(?:graph)?s?\.?)"
    r"|(?P<pilcrow>¶{1,2})"
    r"|(?P<norm>norms?)"
    r")\s*(?=[0-9])",
    re.I,
)
# "13(f)" or "13 (f)" without any cue: a number with a lettered sub-paragraph is distinctive enough.
_GLUED_SUB = re.compile(r"(?<![\w./])[0-9]{1,3}(?:\.[0-9]{1,3})*\s?\((?:[a-z]|[ivx]{2,5})\)(?!\w)", re.I)
# ...unless it belongs to something that is not a paragraph: "Article 2(a)", "rule 3(b)".
_NOT_PARA_BEFORE = re.compile(r"(?<!\w)(?:articles?|art\.|rules?|principles?|sections?|chapters?)\s*$", re.I)
# What may follow a bare number right after a symbol for it to be a label: "A/RES/73/27 3?"
# ("A/RES/73/27 5 years later" is not one). Dotted or lettered labels need no such check.
_BARE_END = re.compile(r"\s*(?:$|[?!.,;:)\]])")
# Between a symbol and the label that directly follows it: "A/RES/73/27 1.6", "A/70/174, 13(f)".
_GAP_AFTER_DOC = re.compile(r"\s*,?\s*")
_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
_MAX_RANGE = 30  # a longer "range" is more likely a typo than a request for 100 paragraphs


# --- Paragraph passes (run after the document passes, each claiming spans the later ones must not reuse) ---


def find_labels(scan: Scan) -> None:
    """Claim every paragraph label of the question on `scan`, cued ones first."""
    _find_cued_labels(scan)
    _find_ordinal_labels(scan)
    _find_glued_labels(scan)
    _find_labels_after_documents(scan)


def _find_cued_labels(scan: Scan) -> None:
    """`para 13(f)`, `paragraphs 3 and 5`, `OP 3`, `PP2`, `preambular paragraph 2`, `footnote 2`, `¶4`."""
    for m in _PARA_CUE.finditer(scan.text):
        kind = m.lastgroup or "para"
        label_re = _INT_LABEL if kind in ("pp", "fn") else _LABEL
        labels, end = _read_labels(scan.text, m.end(), label_re)
        if not labels or not scan.free(m.start(), end):
            continue
        if kind == "norm" and "(" not in labels[0]:  # "norm 3" is too vague; "norm 13(f)" is the GGE style
            continue
        scan.add(m.start(), end, "para", [_styled(kind, label) for label in labels])


_ORDINALS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
             "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth").split()
# "its first operative paragraph", "the third preambular paragraph": the paragraph counted in that part
_ORDINAL_PARA = re.compile(rf"(?<!\w)({'|'.join(_ORDINALS)})\s+(operative|preambular)\s+paragraph(?!\w)", re.I)


def _find_ordinal_labels(scan: Scan) -> None:
    for m in _ORDINAL_PARA.finditer(scan.text):
        if scan.free(m.start(), m.end()):
            number = _ORDINALS.index(m.group(1).lower()) + 1
            scan.add(m.start(), m.end(), "para", [f"PP{number}" if m.group(2).lower() == "preambular" else str(number)])


def _styled(kind: str, label: str) -> str:
    """Label in corpus style for the cue that announced it."""
    if kind == "pp":
        return "PP" + label
    if kind == "fn":
        return "fn" + label
    if kind == "pilcrow" and label.isdigit():
        return "¶" + label  # unnumbered paragraphs (e.g. the Paris Call) are labelled ¶1, ¶2, ...
    return label


def _find_glued_labels(scan: Scan) -> None:
    for m in _GLUED_SUB.finditer(scan.text):
        if _NOT_PARA_BEFORE.search(scan.text, max(0, m.start() - 20), m.start()):
            continue
        labels, end = _read_labels(scan.text, m.start(), _LABEL)
        if labels and scan.free(m.start(), end):
            scan.add(m.start(), end, "para", labels)


def _find_labels_after_documents(scan: Scan) -> None:
    """`A/RES/73/27 1.6`, `A/70/174, 13(f)`: a label directly after a document reference."""
    text = scan.text
    for doc in [s for s in scan.spans if s.kind != "para"]:
        gap = _GAP_AFTER_DOC.match(text, doc.end)
        labels, end = _read_labels(text, gap.end(), _LABEL)
        if not labels or not scan.free(gap.end(), end):
            continue
        first = _LABEL.match(text, gap.end())
        bare_number = first is not None and first.group().isdigit()
        if bare_number and not _BARE_END.match(text, first.end()):
            continue  # "A/RES/73/27 5 years later": a count, not a paragraph
        scan.add(gap.end(), end, "para", labels)


def _read_labels(text: str, pos: int, label_re: re.Pattern[str]) -> tuple[list[str], int]:
    """Labels from pos: `3`, `3 and 5`, `3-5`, `13(a), (b) and (c)`, `13(a) to (k)`; and where they end."""
    first = label_re.match(text, pos)
    if first is None:
        return [], pos
    labels = [_tidy_label(first.group())]
    end = first.end()
    while (step := _next_labels(text, end, label_re, labels[-1])) is not None:
        more, end = step
        labels.extend(label for label in more if label not in labels)
    return labels, end


def _next_labels(
    text: str, pos: int, label_re: re.Pattern[str], previous: str
) -> tuple[list[str], int] | None:
    """The next item of a label list after `previous`, expanded if it closes a range."""
    for sep, is_range in ((_RANGE_SEP, True), (_LIST_SEP, False)):
        gap = sep.match(text, pos)
        if gap is None:
            continue
        m = label_re.match(text, gap.end())
        if m:
            label = _tidy_label(m.group())
        else:
            # "(b)" alone continues the paragraph before it: "13(a), (b)" -> 13(b),
            # "1(a)(i), (ii)" -> 1(a)(ii)
            m = _SUB_ONLY.match(text, gap.end()) if label_re is _LABEL and "(" in previous else None
            if m is None:
                continue
            label = previous.rpartition("(")[0] + m.group().lower()
        return (_expand(previous, label)[1:] if is_range else [label]), m.end()
    return None


def _tidy_label(raw: str) -> str:
    return "".join(raw.split()).lower()


def _expand(first: str, last: str) -> list[str]:
    """`3`..`5` -> 3, 4, 5; `13(a)`..`13(c)` -> 13(a), 13(b), 13(c); otherwise just the two ends."""
    if first.isdigit() and last.isdigit() and 0 < int(last) - int(first) <= _MAX_RANGE:
        return [str(n) for n in range(int(first), int(last) + 1)]
    base, _, sub_a = first[:-1].rpartition("(")  # "1(a)(i)" -> "1(a)", "i"
    base_b, _, sub_b = last[:-1].rpartition("(")
    if not (base and base == base_b and first.endswith(")") and last.endswith(")")):
        return [first, last]
    if sub_a in _ROMAN and sub_b in _ROMAN and _ROMAN.index(sub_a) < _ROMAN.index(sub_b):
        subs = _ROMAN[_ROMAN.index(sub_a) : _ROMAN.index(sub_b) + 1]
    elif len(sub_a) == len(sub_b) == 1 and sub_a < sub_b:
        subs = [chr(c) for c in range(ord(sub_a), ord(sub_b) + 1)]
    else:
        subs = [sub_a, sub_b]
    return [f"{base}({sub})" for sub in subs]
