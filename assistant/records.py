"""Small dataclasses passed between the pipeline stages: Document, Paragraph, Hit, Answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


KINDS = ("resolution", "draft resolution", "report", "note", "statement compendium", "declaration", "other")


@dataclass
class Document:
    """One source document after reading: metadata plus its cleaned body lines."""

    symbol: str
    title: str
    date: str | None  # ISO YYYY-MM-DD
    kind: str  # one of KINDS
    language: str
    path: str
    body: list[str] = field(default_factory=list)  # cleaned lines of the body, masthead removed
    footnotes: dict[str, str] = field(default_factory=dict)  # "1" -> footnote text
    meta: dict = field(default_factory=dict)  # distribution, agenda item, adoption, ...


@dataclass
class Paragraph:
    """One citable unit of a document: what a user would quote with symbol + label."""

    symbol: str
    para: str  # "PP3", "1", "1.6", "1(a)", "fn2", "¶4"
    text: str  # the paragraph's own text, as displayed and quoted
    order: int  # position in the document
    role: str = "plain"  # what the paragraph is in its document: preambular | operative | sub | footnote | plain
    context: str = ""  # retrieval-only context: parent chapeau, section heading
    section: str = ""  # heading in force (e.g. "Annex", "Article 5", "Australia")
    parent: str | None = None  # label of the parent paragraph for sub-paragraphs
    footnotes: list[str] = field(default_factory=list)  # labels of the footnote paragraphs it cites: "fn1"
    cited_by: list[str] = field(default_factory=list)  # for footnotes: paragraphs citing it
    language: str = "en"
    page: int | None = None  # printed page the paragraph starts on (PDFs, Markdown with a page map)
    speaker: str = ""  # in a statement compendium: the State or group speaking, "(courtesy translation)" noted

    def citation(self, kind: str = "") -> str:
        return cite(self.symbol, self.para, kind, self.speaker, self.page)


@dataclass
class DocInfo:
    """A document as listed by `norms docs` and carried with every hit."""

    symbol: str
    title: str
    date: str | None
    kind: str
    language: str
    path: str
    paragraphs: int = 0
    sha256: str = ""


@dataclass
class Filters:
    """Restrictions a user puts on a question."""

    docs: list[str] = field(default_factory=list)  # symbols
    since: str | None = None  # ISO date (inclusive)
    until: str | None = None  # ISO date (inclusive)
    kinds: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.docs or self.since or self.until or self.kinds)

    def admits(self, doc: "DocInfo") -> bool:
        """Kind and date range (docs are matched by the engine, which resolves short symbols)."""
        if self.kinds and doc.kind not in self.kinds:
            return False
        if (self.since or self.until) and not doc.date:
            return False
        if self.since and doc.date < self.since:
            return False
        return not (self.until and doc.date > self.until)


@dataclass
class AlsoIn:
    """Another document repeating a hit's language (its paragraph is collapsed into the hit)."""

    symbol: str
    para: str
    date: str | None
    kind: str = ""


@dataclass
class Hit:
    """One answer paragraph, ranked, with its citation fields."""

    rank: int
    symbol: str
    para: str
    text: str
    score: float  # 0-1: 0.5 at the confidence line (search/confidence.py); higher answers more closely
    title: str
    date: str | None
    kind: str
    highlights: list[list[int]] = field(default_factory=list)  # [start, end) offsets into text
    also_in: list[AlsoIn] = field(default_factory=list)
    language: str = "en"
    section: str = ""
    similar_in: list[AlsoIn] = field(default_factory=list)  # near-identical paragraphs (differ by a phrase)
    confidence: str = "high"  # "low" when the paragraph is below the calibrated line (search/confidence.py)
    page: int | None = None  # printed page the paragraph starts on, when known
    speaker: str = ""  # who is speaking, in a statement compendium

    def citation(self) -> str:
        return cite(self.symbol, self.para, self.kind, self.speaker, self.page)


@dataclass
class Answer:
    """The result of one question: hits plus what the engine understood and noticed."""

    question: str
    results: list[Hit]
    request: dict = field(default_factory=dict)  # k and filters as applied
    notices: list[str] = field(default_factory=list)  # e.g. "unknown document: A/RES/99/1"
    confidence: str = "high"  # "low" when even the best hit is below the calibrated line


class Engine(Protocol):
    """What the CLI, the chat and the briefings need from the retrieval engine.

    An engine may also offer `lineage` (see TracingEngine); callers check with `can_trace` first.
    """

    def ask(self, question: str, k: int = 5, filters: Filters | None = None) -> Answer: ...

    def documents(self) -> list[DocInfo]: ...

    def paragraphs(self, symbol: str) -> list[Paragraph]: ...


class TracingEngine(Engine, Protocol):
    """An engine with the optional `lineage` method (the real Searcher has it; a minimal engine need not)."""

    def lineage(self, symbol: str, para: str) -> "Lineage":
        """SYMBOL's paragraph PARA through the corpus, a typed `assistant.lineage.trace.Lineage` (source, omitted,
        chain oldest first) that the presentation layer renders. NormsError if there is no such paragraph."""
        ...


def can_trace(engine: object) -> bool:
    """Whether `engine` has the optional `lineage` method (engines written before it keep working without)."""
    return callable(getattr(engine, "lineage", None))


SPEAKER_MARK = " ¶"  # a statement's paragraph label: "El Salvador ¶3" (counters restart per speaker)
TRANSLATION_NOTES = (" (courtesy translation)", " (unofficial translation)")


def speaker_name(speaker: str) -> str:
    """"El Salvador (courtesy translation)" -> "El Salvador": who speaks, whatever the language of the text."""
    for note in TRANSLATION_NOTES:
        if speaker.endswith(note):
            return speaker[: -len(note)]
    return speaker


def cite(symbol: str, para: str, kind: str = "", speaker: str = "", page: int | None = None) -> str:
    """`A/RES/73/27, para. 1.6`, `A/C.1/73/L.37, OP 1(a)`, `A/C.1/73/L.37, PP3`, `PARIS-CALL-2018, ¶4 (p. 2)`,
    `A/AC.292/2025/INF/5/Rev.1, El Salvador, ¶3 (p. 12)`.

    Drafts are cited by operative paragraph (OP), as delegations do; adopted texts by "para.". A statement's
    label carries its speaker ("El Salvador ¶3"), cited as "El Salvador, ¶3" (or the fuller `speaker`, which
    says when the text is a translation). Unnumbered paragraphs name their page when it is known, so that a
    reader can find them in the printed document.
    """
    if para[:1].isdigit():
        return f"{symbol}, {'OP' if kind == 'draft resolution' else 'para.'} {para}"
    who, mark, number = para.rpartition(SPEAKER_MARK)
    if mark and who and number.isdigit():
        label = f"{speaker or who}, ¶{number}"
    else:
        label = para
    if page and para.startswith("¶") or (page and mark and who and number.isdigit()):
        label += f" (p. {page})"
    return f"{symbol}, {label}"
