"""Find the documents and paragraphs a question names (symbols, short forms, aliases, paragraph labels)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.search.citations import Citation, named_speakers, parse_citation

__all__ = ["Citation", "References", "parse_citation", "parse_references"]


@dataclass
class References:
    """What a question refers to, and what is left of it for retrieval."""

    symbols: list[str] = field(default_factory=list)  # known symbols named, in order, deduplicated
    unknown: list[str] = field(default_factory=list)  # symbol-like references not in the corpus
    paras: list[str] = field(default_factory=list)  # labels in corpus style: "1.6", "13(f)", "PP2", "fn2"
    rest: str = ""  # the question without its references, whitespace folded
    only_reference: bool = False  # nothing substantive besides the references
    part: str = ""  # "preambular" | "operative" | "": the part of a document the question points at
    speakers: list[str] = field(default_factory=list)  # speakers named ("What did Switzerland say ..."), as indexed


# --- Document references -------------------------------------------------------------------------

# One component of a symbol: "RES", "73", "C.1", "AC.292", "L.37", "Rev.1". A dot must join two
# letters/digits, so the period ending a sentence ("... in A/70/174.") is never glued to the symbol.
_COMP = r"[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*"
# The slash between components; people also type "A/ RES/ 73/ 27".
_SLASH = r"\s?/\s{0,2}"
# A reference starts at a token boundary: not inside a word, a path or a dotted name ("x73/27", "b/73/27").
_START = r"(?<![\w/.])"
# ...and ends at one: not mid-word and not before ".5" or "/28" (then it is part of something longer).
_END = r"(?!\w|\.\w|" + _SLASH + r"\w)"

# A full UN document symbol: a series prefix (A = General Assembly, S = Security Council, E = ECOSOC,
# ...) and slash-separated components. Only used for symbols the corpus lacks; _plausible() checks shape.
_UN_SYMBOL = re.compile(
    _START + r"(?:A|S|E|ST|CD|DP|TD|UNEP|CCPR|CRC|CEDAW|CERD)(?:" + _SLASH + _COMP + r")+" + _END, re.I
)
# Any slash-separated run of components: short forms ("73/27") and tails of known symbols
# ("INF/5/Rev.1", "73/L.37"). Dates such as 12/05/2021 match too but resolve to nothing.
_SLASHED = re.compile(_START + _COMP + r"(?:" + _SLASH + _COMP + r")+" + _END)
# A session/number pair like 73/27 (session up to 3 digits, so "2021/22" is not one).
_SESSION_NUMBER = re.compile(r"([0-9]{1,3})" + _SLASH + r"([0-9]{1,4})")
# The draft short form "L.37". Capital L only: a lowercase "l.37" is more likely a line number.
_DRAFT = re.compile(_START + r"L\.([0-9]{1,4})" + _END)
# Words that introduce a document number: "GA resolution 78/237", "res. 77/37", "draft L.37",
# "A/RES 73/27". Searched just before a reference; the cue is removed from `rest` along with it.
_CUE_BEFORE = re.compile(
    r"(?<!\w)(?:(?:(?:UN\s*)?GA|General\s+Assembly)\s+)?(?:draft\s+)?"
    r"(?:resolutions?|res\.?|decisions?|documents?|doc\.|draft|A\s?/\s?RES\s?/?)\s*$",
    re.I,
)
# In "resolutions 73/27, 99/1 and 99/2" every number in the list carries the plural cue.
_CUE_LIST_BEFORE = re.compile(
    r"(?<!\w)(?:resolutions|decisions|documents)\s+"
    r"(?:[0-9]{1,3}\s?/\s?[0-9]{1,4}\s*(?:,\s*(?:and\s+|or\s+)?|&\s*|and\s+|or\s+))+$",
    re.I,
)
# "A/RES/73/27's": the possessive goes with the reference when it is cut out of the question.
_POSSESSIVE = re.compile(r"['’]s(?!\w)")
# Parts of a symbol that UN style writes in title case ("Rev.1", "Add.2", "Corr.1").
_TITLE_CASE_PARTS = frozenset({"REV", "ADD", "CORR", "AMEND"})


# --- Paragraph references ------------------------------------------------------------------------

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

# --- Rest of the question ------------------------------------------------------------------------

# Words that carry no content once references are gone: "What does A/RES/73/27 1.6 say?"
_FILLER = frozenset(
    """a an and or of in on at for the see show me please para paras paragraph paragraphs op ops pp pps
    operative preambular footnote footnotes fn resolution resolutions res document documents doc draft
    what whats does do say says said text full quote read display give is it its s ga un general assembly
    """.split()
)
_WORD = re.compile(r"[^\W_]+")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")  # left by "(A/RES/73/27)"
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:?!)\]])")
_REPEATED_COMMA = re.compile(r",(?:\s*,)+")
# Words pointing at the preamble or the operative part, for References.part ("in its preamble").
_PREAMBLE = re.compile(r"(?<!\w)(?:preamb(?:le|ular)|(?-i:PPs?)\s?[0-9])", re.I)
_OPERATIVE = re.compile(r"(?<!\w)(?:operative|(?-i:OPs?)\s?[0-9])", re.I)


@dataclass
class _Span:
    start: int
    end: int
    kind: str  # "symbol" | "unknown" | "para"
    values: list[str]


@dataclass
class _Corpus:
    """The known symbols and aliases, indexed for matching."""

    by_key: dict[str, str]  # _key(symbol) -> symbol as the corpus spells it
    by_number: dict[tuple[int, int], str]  # (73, 27) -> "A/RES/73/27" (else "A/73/27" style)
    literal: re.Pattern[str] | None  # any known symbol as written
    aliases: list[tuple[re.Pattern[str], str]]  # longest phrase first

    def ending_with(self, tail_key: str) -> list[str]:
        return [symbol for key, symbol in self.by_key.items() if key.endswith("/" + tail_key)]


class _Scan:
    """The question plus the spans claimed so far; each character belongs to at most one reference."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.taken = bytearray(len(text))
        self.spans: list[_Span] = []

    def free(self, start: int, end: int) -> bool:
        return 1 not in self.taken[start:end]

    def add(self, start: int, end: int, kind: str, values: list[str]) -> None:
        self.taken[start:end] = b"\x01" * (end - start)
        self.spans.append(_Span(start, end, kind, values))

    def add_document(self, start: int, end: int, kind: str, values: list[str]) -> None:
        """Claim a document reference together with its cue word and a possessive 's."""
        cue = _CUE_BEFORE.search(self.text, max(0, start - 40), start)
        if cue and self.free(cue.start(), start):
            start = cue.start()
        possessive = _POSSESSIVE.match(self.text, end)
        if possessive:
            end = possessive.end()
        self.add(start, end, kind, values)


def parse_references(question: str, known: list[str], aliases: dict[str, str] | None = None,
                     speakers: list[str] | None = None) -> References:
    """Split a question into the documents and paragraphs it names and the text left for retrieval.

    `speakers` are the speakers of the corpus's statements; those the question names go to
    References.speakers (their names stay in `rest`: the statements say them too).
    """
    text = question if isinstance(question, str) else ""
    corpus = _corpus(tuple(known), tuple(sorted((aliases or {}).items())))
    scan = _Scan(text)
    _find_known(scan, corpus)
    _find_aliases(scan, corpus)
    _find_full_symbols(scan, corpus)
    _find_short_forms(scan, corpus)
    _find_drafts(scan, corpus)
    _find_cued_labels(scan)
    _find_ordinal_labels(scan)
    _find_glued_labels(scan)
    _find_labels_after_documents(scan)
    refs = _result(scan)
    refs.speakers = named_speakers(text, tuple(sorted(set(speakers or ()))))
    return refs


# --- Corpus index --------------------------------------------------------------------------------


def _key(symbol: str) -> str:
    """Comparison form of a symbol: no whitespace, case-folded."""
    return "".join(symbol.split()).casefold()


@lru_cache(maxsize=32)
def _corpus(known: tuple[str, ...], aliases: tuple[tuple[str, str], ...]) -> _Corpus:
    by_key: dict[str, str] = {}
    for symbol in known:
        if isinstance(symbol, str) and symbol.strip():
            by_key.setdefault(_key(symbol), symbol)
    by_number: dict[tuple[int, int], str] = {}
    for pattern in (r"a/res/([0-9]+)/([0-9]+)", r"a/([0-9]+)/([0-9]+)"):  # resolutions win
        for key, symbol in by_key.items():
            m = re.fullmatch(pattern, key)
            if m:
                by_number.setdefault((int(m[1]), int(m[2])), symbol)
    literal = None
    if by_key:
        spellings = sorted(by_key.values(), key=len, reverse=True)  # longest first: alternation is ordered
        alternatives = ["".join(_SLASH if ch == "/" else re.escape(ch) for ch in s) for s in spellings]
        literal = re.compile(_START + "(?:" + "|".join(alternatives) + ")" + _END, re.I)
    alias_patterns = []
    for phrase, symbol in sorted(aliases, key=lambda item: len(item[0]), reverse=True):
        words = str(phrase).split()
        target = by_key.get(_key(str(symbol)))
        if words and target:  # an alias for a document outside the corpus cannot be answered
            pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)", re.I)
            alias_patterns.append((pattern, target))
    return _Corpus(by_key, by_number, literal, alias_patterns)


# --- Document passes (each claims spans the later passes must not reuse) -------------------------


def _find_known(scan: _Scan, corpus: _Corpus) -> None:
    if corpus.literal is None:
        return
    for m in corpus.literal.finditer(scan.text):
        symbol = corpus.by_key.get(_key(m.group()))
        if symbol and scan.free(*m.span()):
            scan.add_document(m.start(), m.end(), "symbol", [symbol])


def _find_aliases(scan: _Scan, corpus: _Corpus) -> None:
    for pattern, symbol in corpus.aliases:
        for m in pattern.finditer(scan.text):
            if scan.free(*m.span()):
                scan.add(m.start(), m.end(), "symbol", [symbol])


def _find_full_symbols(scan: _Scan, corpus: _Corpus) -> None:
    for m in _UN_SYMBOL.finditer(scan.text):
        if not scan.free(*m.span()):
            continue
        symbol = _tidy_symbol(m.group())
        if _key(symbol) in corpus.by_key:
            scan.add_document(m.start(), m.end(), "symbol", [corpus.by_key[_key(symbol)]])
        elif _plausible(symbol):
            scan.add_document(m.start(), m.end(), "unknown", [symbol])


def _find_short_forms(scan: _Scan, corpus: _Corpus) -> None:
    """`73/27` and `resolution 77/37`; tails such as `INF/5/Rev.1` that end exactly one known symbol."""
    for m in _SLASHED.finditer(scan.text):
        if not scan.free(*m.span()):
            continue
        pair = _SESSION_NUMBER.fullmatch(m.group())
        if pair:
            _add_session_number(scan, corpus, m.start(), m.end(), pair)
            continue
        matches = corpus.ending_with(_key(m.group()))
        if len(matches) == 1:
            scan.add_document(m.start(), m.end(), "symbol", matches)


def _add_session_number(scan: _Scan, corpus: _Corpus, start: int, end: int, pair: re.Match[str]) -> None:
    symbol = corpus.by_number.get((int(pair[1]), int(pair[2])))
    if symbol:
        scan.add_document(start, end, "symbol", [symbol])
        return
    # An unknown NN/NN is only a reference when a cue says so: "24/7" and "3/4 of States" are not.
    text = scan.text
    cue = _CUE_BEFORE.search(text, max(0, start - 40), start)
    if cue is None and not _CUE_LIST_BEFORE.search(text, max(0, start - 200), start):
        return
    written = f"{pair[1]}/{pair[2]}"
    if cue and re.search(r"A\s?/\s?RES", cue.group(), re.I):
        written = "A/RES/" + written
    scan.add_document(start, end, "unknown", [written])


def _find_drafts(scan: _Scan, corpus: _Corpus) -> None:
    """`L.37` and `draft L.37`: every known symbol ending in /L.37 (a draft number recurs across years)."""
    for m in _DRAFT.finditer(scan.text):
        if not scan.free(*m.span()):
            continue
        matches = corpus.ending_with(_key(m.group()))
        if matches:
            scan.add_document(m.start(), m.end(), "symbol", matches)
        else:
            scan.add_document(m.start(), m.end(), "unknown", [m.group()])


def _tidy_symbol(raw: str) -> str:
    """`a/ res/73/27` -> `A/RES/73/27`; `a/ac.292/2025/inf/5/rev.1` -> `A/AC.292/2025/INF/5/Rev.1`."""
    parts = []
    for part in re.split(r"\s*/\s*", raw.strip()):
        head, dot, tail = part.partition(".")
        if dot and head.upper() in _TITLE_CASE_PARTS:
            parts.append(head.capitalize() + dot + tail.upper())
        else:
            parts.append(part.upper())
    return "/".join(parts)


def _plausible(symbol: str) -> bool:
    """Shape check for symbols outside the corpus: `A/RES/` and `A/RES/73` are fragments, not symbols."""
    parts = symbol.split("/")
    if len(parts) < 3 or not any(ch.isdigit() for ch in parts[-1]):
        return False
    if parts[0] == "A" and parts[1] == "RES":  # A/RES/<session>/<number>
        return len(parts) >= 4
    return True


# --- Paragraph passes ----------------------------------------------------------------------------


def _find_cued_labels(scan: _Scan) -> None:
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


def _find_ordinal_labels(scan: _Scan) -> None:
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


def _find_glued_labels(scan: _Scan) -> None:
    for m in _GLUED_SUB.finditer(scan.text):
        if _NOT_PARA_BEFORE.search(scan.text, max(0, m.start() - 20), m.start()):
            continue
        labels, end = _read_labels(scan.text, m.start(), _LABEL)
        if labels and scan.free(m.start(), end):
            scan.add(m.start(), end, "para", labels)


def _find_labels_after_documents(scan: _Scan) -> None:
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


# --- Result --------------------------------------------------------------------------------------


def _result(scan: _Scan) -> References:
    refs = References()
    spans = sorted(scan.spans, key=lambda span: span.start)
    for span in spans:
        bucket = {"symbol": refs.symbols, "unknown": refs.unknown, "para": refs.paras}[span.kind]
        bucket.extend(value for value in dict.fromkeys(span.values) if value not in bucket)
    refs.rest = _remaining(scan.text, spans)
    leftover = [w for w in _WORD.findall(refs.rest.casefold()) if w not in _FILLER]
    refs.only_reference = bool(spans) and not leftover
    refs.part = _part(scan.text)
    return refs


def _remaining(text: str, spans: list[_Span]) -> str:
    """The question with the spans cut out, tidied so no "()" or " ," is left behind."""
    pieces, pos = [], 0
    for span in spans:
        pieces.append(text[pos : span.start])
        pos = span.end
    pieces.append(text[pos:])
    rest = " ".join(" ".join(pieces).split())
    rest = _EMPTY_BRACKETS.sub(" ", rest)
    rest = _REPEATED_COMMA.sub(",", rest)
    rest = _SPACE_BEFORE_PUNCT.sub(r"\1", rest)
    return " ".join(rest.split()).lstrip(",;:. ")


def _part(text: str) -> str:
    preamble, operative = bool(_PREAMBLE.search(text)), bool(_OPERATIVE.search(text))
    if preamble != operative:
        return "preambular" if preamble else "operative"
    return ""
