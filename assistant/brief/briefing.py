"""`norms brief`: answer a file of questions with one engine and write a cited briefing (md, html, jsonl)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Sequence, TextIO
from urllib.parse import quote

from assistant.brief.questions import Item, Question, Section, read_questions
from assistant.brief.render import render_html, render_jsonl, render_markdown
from assistant.errors import NormsError, UsageError
from assistant.fsio import atomic_write
from assistant.records import Answer, DocInfo, Engine, Hit, can_trace
from assistant.sanitize import one_line
from assistant.lineage.trace import Lineage

__all__ = ["Briefing", "Outcome", "Part", "CorpusSummary", "Reference", "build_briefing", "prepare_brief", "deliver_brief", "run_brief",
           "render_markdown", "render_html", "render_jsonl", "choose_format", "undocs_url"]

FORMATS = ("md", "html", "jsonl")
EXTENSIONS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".jsonl": "jsonl", ".json": "jsonl"}
# Series prefixes of UN document symbols that undocs.org resolves; anything else (PARIS-CALL-2018,
# national statements) gets no link rather than a broken one.
UN_SERIES = re.compile(r"(A|S|E|T|ST|CCPR|CERD|CEDAW|CRC|CAT|CRPD|CMW|DP|TD|UNEP|ECE|ESCAP|FCCC)/\S", re.I)


@dataclass
class Outcome:
    """One question of the briefing: its number, what was asked, and the answer or why there is none."""

    number: int
    question: Question
    answer: Answer | None = None
    error: str | None = None  # "questions.yaml:7: entry has no question"
    # With --lineage: one per result, None where the engine could not trace it (render.py turns it into text/JSON).
    lineages: list[Lineage | None] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.answer.question if self.answer else self.question.text


@dataclass
class Part:
    """The questions under one section heading (title None: those before the first heading)."""

    title: str | None
    outcomes: list[Outcome] = field(default_factory=list)


@dataclass
class CorpusSummary:
    label: str  # "corpus/ (1 document)", as the caller names it
    documents: int
    first_date: str | None
    last_date: str | None
    undated: int = 0


@dataclass
class Reference:
    """A cited document for the references list."""

    symbol: str
    title: str
    date: str | None
    url: str | None  # https://undocs.org/<symbol> for UN symbols


@dataclass
class Briefing:
    title: str
    corpus: CorpusSummary
    parts: list[Part]
    references: list[Reference]
    kinds: dict[str, str] = field(default_factory=dict)  # symbol -> kind, to cite also-in paragraphs
    with_lineage: bool = False  # --lineage: every cited paragraph carries its lineage

    @property
    def outcomes(self) -> list[Outcome]:
        return [outcome for part in self.parts for outcome in part.outcomes]

    @property
    def failures(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.error]


def undocs_url(symbol: str) -> str | None:
    return f"https://undocs.org/{quote(symbol, safe='/.-()')}" if UN_SERIES.match(symbol) else None


def build_briefing(items: Sequence[Item], engine: Engine, k: int, *, title: str | None = None,
                   corpus_label: str = "", progress: Callable[[int, int], None] | None = None,
                   lineage: bool = False) -> Briefing:
    """Ask every question once, in order; a question that fails is kept with its reason.

    With `lineage`, every cited paragraph is traced too (None for it when the engine cannot trace).
    """
    documents = engine.documents()
    parts = [Part(None)]
    total = sum(isinstance(item, Question) for item in items)
    number = 0
    for item in items:
        if isinstance(item, Section):
            parts.append(Part(item.title))
            continue
        number += 1
        outcome = _answer(item, number, engine, k)
        if lineage and outcome.answer:
            outcome.lineages = [_lineage(engine, hit) for hit in outcome.answer.results]
        parts[-1].outcomes.append(outcome)
        if progress:
            progress(number, total)
    if not parts[0].outcomes and len(parts) > 1:
        parts.pop(0)  # no questions before the first heading: no untitled part
    return Briefing(title or "Briefing", summarise_corpus(documents, corpus_label), parts,
                    _references(parts, documents), {d.symbol: d.kind for d in documents}, with_lineage=lineage)


def _answer(item: Question, number: int, engine: Engine, k: int) -> Outcome:
    if item.problem:
        return Outcome(number, item, error=item.where(item.problem))
    try:
        answer = engine.ask(item.text, k=item.k or k, filters=item.filters)
    except NormsError as exc:  # unknown document, empty question, ...: this question only
        return Outcome(number, item, error=item.where(one_line(str(exc))))
    return Outcome(number, item, answer)


def _lineage(engine: Engine, hit: Hit) -> Lineage | None:
    if not can_trace(engine):
        return None
    try:
        return engine.lineage(hit.symbol, hit.para)  # type: ignore[attr-defined]
    except NormsError:  # a paragraph the tracer cannot find: the briefing says "not available" for it
        return None


def summarise_corpus(documents: list[DocInfo], label: str) -> CorpusSummary:
    dates = sorted(d.date for d in documents if d.date)
    return CorpusSummary(one_line(label), len(documents), dates[0] if dates else None,
                         dates[-1] if dates else None, len(documents) - len(dates))


def _references(parts: list[Part], documents: list[DocInfo]) -> list[Reference]:
    """Every document a hit or an also-in cites, oldest first, undated last."""
    known = {d.symbol: d for d in documents}
    cited: dict[str, Reference] = {}
    for outcome in (o for part in parts for o in part.outcomes if o.answer):
        for hit in outcome.answer.results:
            doc = known.get(hit.symbol)
            cited.setdefault(hit.symbol, Reference(hit.symbol, doc.title if doc else hit.title,
                                                   doc.date if doc else hit.date, undocs_url(hit.symbol)))
            for also in hit.also_in:
                doc = known.get(also.symbol)
                cited.setdefault(also.symbol, Reference(also.symbol, doc.title if doc else "",
                                                        doc.date if doc else also.date, undocs_url(also.symbol)))
    return sorted(cited.values(), key=lambda r: (r.date is None, r.date or "", r.symbol))


def choose_format(fmt: str | None, output: str | None) -> str:
    """--format wins; otherwise the output file's extension; otherwise Markdown."""
    if fmt:
        if fmt not in FORMATS:
            raise UsageError(f"unknown format {fmt!r} (choose md, html or jsonl)")
        return fmt
    if output and output != "-":
        return EXTENSIONS.get(Path(output).suffix.lower(), "md")
    return "md"


def render(briefing: Briefing, fmt: str, generated: datetime | None) -> str:
    if fmt == "jsonl":
        return render_jsonl(briefing)  # the `ask --format json` schema has no place for a time
    if fmt == "html":
        return render_html(briefing, generated=generated)
    return render_markdown(briefing, generated=generated)


@dataclass
class BriefResult:
    """A rendered briefing and the one-line problems to tell the user (input problems, unanswered questions)."""

    text: str
    briefing: Briefing
    problems: list[str]

    @property
    def exit_code(self) -> int:
        """0 when every question was answered, 2 when some were not."""
        return 2 if self.briefing.failures else 0


def prepare_brief(source: str, *, engine_loader: Callable[[], Engine], output: str | None, fmt: str | None, k: int,
                  no_timestamp: bool, corpus_label: str, stdin: TextIO, lineage: bool = False,
                  progress: Callable[[int, int], None] | None = None,
                  now: Callable[[], datetime] = datetime.now) -> BriefResult:
    """Read the questions, answer them with one engine and render; NormsError when nothing can be produced."""
    fmt = choose_format(fmt, output)
    if k < 1:
        raise UsageError("k must be at least 1")
    questions = read_questions(source, stdin)  # before the engine: a bad file fails fast
    if not questions.questions:
        raise NormsError(f"{questions.name}: no questions")
    problems = [q.where(q.problem) for q in questions.questions if q.problem]
    engine = engine_loader()
    if lineage and not can_trace(engine):
        problems.append("norms: lineage is not available with this engine; each paragraph says so")
    briefing = build_briefing(questions.items, engine, k, title=questions.title, corpus_label=corpus_label,
                              progress=progress, lineage=lineage)
    problems += [o.error for o in briefing.failures if not o.question.problem]  # input problems are listed above
    if briefing.failures:
        problems.append(f"norms: {len(briefing.failures)} of {len(briefing.outcomes)} questions not answered")
    return BriefResult(render(briefing, fmt, None if no_timestamp else now()), briefing, problems)


def deliver_brief(result: BriefResult, output: str | None, stdout: TextIO) -> None:
    """Write the briefing to `output` (atomically, through links and devices) or to `stdout`."""
    if output and output != "-":
        try:
            atomic_write(output, result.text)
        except OSError as exc:
            raise NormsError(f"cannot write {one_line(output)[:200]}: {(exc.strerror or str(exc)).lower()}") from None
    else:
        stdout.write(result.text)
        stdout.flush()


def run_brief(source: str, *, engine_loader: Callable[[], Engine], output: str | None, fmt: str | None, k: int,
              no_timestamp: bool, corpus_label: str, stdin: TextIO, stdout: TextIO, stderr: TextIO,
              now: Callable[[], datetime] = datetime.now, lineage: bool = False) -> int:
    """prepare_brief + deliver_brief with explicit streams, for tests; `norms brief` composes the same two."""
    from assistant.cli.output import ProgressBar

    bar = ProgressBar(stderr)
    try:
        result = prepare_brief(source, engine_loader=engine_loader, output=output, fmt=fmt, k=k,
                               no_timestamp=no_timestamp, corpus_label=corpus_label, stdin=stdin, lineage=lineage,
                               now=now, progress=lambda done, total: bar("brief", done, total))
        for problem in result.problems[:-1] if result.briefing.failures else result.problems:
            stderr.write(problem + "\n")
        deliver_brief(result, output, stdout)
    except NormsError as exc:
        stderr.write(f"norms: {exc}\n")
        return exc.exit_code
    if result.briefing.failures:
        stderr.write(result.problems[-1] + "\n")
    return result.exit_code
