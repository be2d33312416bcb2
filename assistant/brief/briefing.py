"""`norms brief`: answer a file of questions with one engine and write a cited briefing (md, html, jsonl)."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Sequence, TextIO
from urllib.parse import quote

from assistant.brief.questions import Item, Question, Section, read_questions
from assistant.brief.render import render_html, render_jsonl, render_markdown
from assistant.errors import NormsError, UsageError
from assistant.records import Answer, DocInfo, Engine, Hit, can_trace
from assistant.sanitize import one_line

__all__ = ["Briefing", "Outcome", "Part", "CorpusSummary", "Reference", "build_briefing", "run_brief",
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
    # With --lineage: one per result, in the trace_to_dict shape, None where the engine could not trace it.
    lineages: list[dict | None] = field(default_factory=list)

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


def _lineage(engine: Engine, hit: Hit) -> dict | None:
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


class ProgressLine:
    """`brief [#####.....] 3/10` redrawn in place on a terminal; built only when stderr is one."""

    def __init__(self, stream: TextIO, width: int = 30):
        self.stream, self.width = stream, width

    def __call__(self, done: int, total: int) -> None:
        filled = self.width * done // max(total, 1)
        self.stream.write(f"\rbrief [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def write_atomically(path: str, text: str) -> None:
    """Write through a temporary file in the same folder, then rename: never a half briefing."""
    target = Path(path)
    try:
        mode = target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def run_brief(source: str, *, engine_loader: Callable[[], Engine], output: str | None, fmt: str | None, k: int,
              no_timestamp: bool, corpus_label: str, stdin: TextIO, stdout: TextIO, stderr: TextIO,
              now: Callable[[], datetime] = datetime.now, lineage: bool = False) -> int:
    """The `norms brief` command: 0 all answered, 2 some questions not answered, 1 (or the error's) fatal."""

    def say(message: str) -> None:
        stderr.write(message + "\n")

    try:
        fmt = choose_format(fmt, output)
        if k < 1:
            raise UsageError("k must be at least 1")
        questions = read_questions(source, stdin)  # before the engine: a bad file fails fast
    except NormsError as exc:
        say(f"norms: {exc}")
        return exc.exit_code
    if not questions.questions:
        say(f"norms: {questions.name}: no questions")
        return 1
    for question in questions.questions:
        if question.problem:
            say(question.where(question.problem))
    try:
        engine = engine_loader()
    except NormsError as exc:
        say(f"norms: {exc}")
        return exc.exit_code
    if lineage and not can_trace(engine):
        say("norms: lineage is not available with this engine; each paragraph says so")
    progress = ProgressLine(stderr) if stderr.isatty() else None
    briefing = build_briefing(questions.items, engine, k, title=questions.title, corpus_label=corpus_label,
                              progress=progress, lineage=lineage)
    for outcome in briefing.failures:
        if not outcome.question.problem:  # input problems were reported above
            say(outcome.error)
    text = render(briefing, fmt, None if no_timestamp else now())
    if output and output != "-":
        try:
            write_atomically(output, text)
        except OSError as exc:
            say(f"norms: cannot write {output}: {(exc.strerror or str(exc)).lower()}")
            return 1
    else:
        stdout.write(text)
        stdout.flush()
    failed = len(briefing.failures)
    if failed:
        say(f"norms: {failed} of {len(briefing.outcomes)} questions not answered")
    return 2 if failed else 0
