"""Find the documents and paragraphs a question names (symbols, short forms, aliases, paragraph labels)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.search.citations import Citation, named_speakers, parse_citation
from assistant.search.labels import find_labels

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
class Span:
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


class Scan:
    """The question plus the spans claimed so far; each character belongs to at most one reference."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.taken = bytearray(len(text))
        self.spans: list[Span] = []

    def free(self, start: int, end: int) -> bool:
        return 1 not in self.taken[start:end]

    def add(self, start: int, end: int, kind: str, values: list[str]) -> None:
        self.taken[start:end] = b"\x01" * (end - start)
        self.spans.append(Span(start, end, kind, values))

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
    scan = Scan(text)
    _find_known(scan, corpus)
    _find_aliases(scan, corpus)
    _find_full_symbols(scan, corpus)
    _find_short_forms(scan, corpus)
    _find_drafts(scan, corpus)
    find_labels(scan)
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


def _find_known(scan: Scan, corpus: _Corpus) -> None:
    if corpus.literal is None:
        return
    for m in corpus.literal.finditer(scan.text):
        symbol = corpus.by_key.get(_key(m.group()))
        if symbol and scan.free(*m.span()):
            scan.add_document(m.start(), m.end(), "symbol", [symbol])


def _find_aliases(scan: Scan, corpus: _Corpus) -> None:
    for pattern, symbol in corpus.aliases:
        for m in pattern.finditer(scan.text):
            if scan.free(*m.span()):
                scan.add(m.start(), m.end(), "symbol", [symbol])


def _find_full_symbols(scan: Scan, corpus: _Corpus) -> None:
    for m in _UN_SYMBOL.finditer(scan.text):
        if not scan.free(*m.span()):
            continue
        symbol = _tidy_symbol(m.group())
        if _key(symbol) in corpus.by_key:
            scan.add_document(m.start(), m.end(), "symbol", [corpus.by_key[_key(symbol)]])
        elif _plausible(symbol):
            scan.add_document(m.start(), m.end(), "unknown", [symbol])


def _find_short_forms(scan: Scan, corpus: _Corpus) -> None:
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


def _add_session_number(scan: Scan, corpus: _Corpus, start: int, end: int, pair: re.Match[str]) -> None:
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


def _find_drafts(scan: Scan, corpus: _Corpus) -> None:
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


# --- Result --------------------------------------------------------------------------------------


def _result(scan: Scan) -> References:
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


def _remaining(text: str, spans: list[Span]) -> str:
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
