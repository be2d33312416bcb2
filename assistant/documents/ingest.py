"""`norms add`: turn a PDF, web page, DOCX or text file into one canonical Markdown file in the corpus."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from assistant.documents.blocks import Block, blocks_of, is_heading, rejoin
from assistant.documents.chunk import chunk_document
from assistant.documents.check import is_un_symbol
from assistant.documents.convert import source_text
from assistant.errors import NormsError, UsageError
from assistant.fsio import atomic_write
from assistant.documents.furniture import PAGE_BREAK, fix_hyphenation, is_anchor, split_footnotes
from assistant.documents.masthead import Masthead, read_masthead
from assistant.records import KINDS, Document, Paragraph
from assistant.documents.read import DocumentError, build_document, decode_text, markdown_heading, read_document
from assistant.sanitize import one_line



@dataclass
class Overrides:
    """What the user said on the command line; None means "detect it"."""

    symbol: str | None = None
    title: str | None = None
    date: str | None = None
    kind: str | None = None
    source: str | None = None  # where the document is published, for the front matter

    def check(self) -> None:
        if self.date is not None and not _is_iso_date(self.date):
            raise UsageError(f"--date {self.date!r}: use YYYY-MM-DD")
        if self.kind is not None and self.kind not in KINDS:
            raise UsageError(f"--kind {self.kind!r}: use one of {', '.join(KINDS)}")
        if any(value is not None and not one_line(value) for value in (self.symbol, self.title, self.source)):
            raise UsageError("--symbol, --title and --source cannot be empty")


def _is_iso_date(text: str) -> bool:
    try:
        return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text)) and date.fromisoformat(text) is not None
    except ValueError:  # 2024-02-30
        return False


@dataclass
class Prepared:
    """A document read and rendered, not yet written."""

    doc: Document
    paragraphs: list[Paragraph]
    markdown: str

    @property
    def count(self) -> int:
        """Body paragraphs, as `norms docs` counts them (footnotes apart)."""
        return sum(1 for p in self.paragraphs if p.role != "footnote")

    @property
    def footnotes(self) -> int:
        return len(self.paragraphs) - self.count


@dataclass
class Added:
    """What `norms add` reports for one file."""

    source: Path
    doc: Document
    paragraphs: int
    target: Path
    replaced: Path | None = None
    warning: str = ""
    footnotes: int = 0


def target_folder(corpus: list[Path]) -> Path:
    """The first corpus folder receives new documents."""
    folder = corpus[0]
    if not folder.is_dir():
        raise UsageError(f"cannot add documents to {folder}: the first --corpus must be a folder, not a file")
    return folder


def file_name(symbol: str) -> str:
    """`A/RES/78/237` -> `A_RES_78_237.md`; anything odd for a file system becomes `-`."""
    stem = re.sub(r"[^\w.\-]+", "-", symbol.replace("/", "_")).strip(".-")
    if not stem:
        raise DocumentError(f"symbol {symbol!r} gives no usable file name")
    return stem + ".md"


def prepare(path: Path, overrides: Overrides, source: str, symbol_fallback: str | None = None) -> Prepared:
    """Read any supported file the way the corpus reader does and render its canonical Markdown."""
    text = source_text(path)
    # the clean-up build_document applies, so that the masthead found here is the one it finds
    lines = [line if line == PAGE_BREAK else line.replace("\u00a0", " ").replace("\u00ad", "").rstrip()
             for line in text.lines]
    masthead = read_masthead(lines)
    front = {k: v for k, v in text.front.items() if v}
    front.update({k: one_line(v) for k, v in vars(overrides).items() if v is not None})
    if symbol_fallback and not (front.get("symbol") or masthead.symbol):
        front["symbol"] = symbol_fallback
    hint = text.title_hint or (markdown_heading(decode_text(path)) if path.suffix.lower() == ".md" else "")
    if not (front.get("title") or masthead.title) and hint:
        front["title"] = one_line(hint)
    doc = build_document(path, lines, front)
    paragraphs = chunk_document(doc)
    if all(p.role == "footnote" for p in paragraphs):
        raise DocumentError(f"{path}: no paragraphs found (a scan without a text layer, or an empty page?)")
    if not doc.meta.get("source") and is_un_symbol(doc.symbol) and not re.match(r"^[a-z]+://", source):
        source = f"https://undocs.org/{doc.symbol}"  # where readers find a UN document, not this machine's copy
    doc.meta["source"] = doc.meta.get("source") or source  # a Markdown file's own provenance wins
    return Prepared(doc, paragraphs, render(doc, lines, masthead, paragraphs))


def page_starts(paragraphs: list[Paragraph]) -> str:
    """The front matter's page map: `1 PP1 | 2 3(b)`, the paragraph each page starts with ("" without pages)."""
    entries, page = [], None
    for p in paragraphs:
        if p.role != "footnote" and p.page is not None and p.page != page:
            entries.append(f"{p.page} {p.para}")
            page = p.page
    return " | ".join(entries)


def render(doc: Document, lines: list[str], masthead: Masthead, paragraphs: list[Paragraph] | None = None) -> str:
    """Front matter, the masthead as printed, the body's paragraphs, footnotes, the closing colophon.

    The masthead and colophon stay so that re-reading finds the same metadata and preamble. Page
    furniture is gone and paragraphs split by page breaks are whole again, because a Markdown file has
    no page breaks; footnotes go to the end (or, when their numbers restart, between paragraphs).
    """
    front = {"symbol": doc.symbol, "title": doc.title, "date": doc.date, "kind": doc.kind,
             "language": doc.language, "source": doc.meta.get("source", ""), "added": date.today().isoformat(),
             "pages": page_starts(paragraphs or [])}
    out = ["---"] + [f"{key}: {one_line(value)}" for key, value in front.items() if value] + ["---", ""]
    out += _plain_lines(lines[: masthead.body_start])
    blocks = [block for block in rejoin(blocks_of(doc.body)) if block.text]
    runs = _footnote_runs(doc.footnotes)
    early = runs[:-1]
    for j, block in enumerate(blocks):
        if early and j > 0 and _zone_fits(blocks[j - 1].text, block.lines):
            out += _zone(early.pop(0))
        out += _block_lines(block, doc.symbol) + [""]
        if j == 0 and doc.meta.get("contents"):  # after the first paragraph, where the reader seeks the body
            out += _contents(doc.meta["contents"])
    for run in early + runs[-1:]:  # runs left in `early` found no place: the round-trip check will say so
        out += _zone(run)
    if masthead.body_end is not None:
        out += _plain_lines(lines[masthead.body_end :])
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def _contents(entries: list[str]) -> list[str]:
    """The table of contents, with the dot leaders read.split_contents knows it by (the chunker uses it)."""
    return ["## Contents", ""] + [escape(entry) + " . . . . ." for entry in entries] + [""]


def _footnote_runs(notes: dict[str, str]) -> list[list[tuple[str, str]]]:
    """Footnotes in reading order, cut where numbers do not run on: within a footnote zone the reader
    takes a line starting with another number for the rest of the note above."""
    runs: list[list[tuple[str, str]]] = []
    previous = ""
    for key, note in notes.items():
        mark = key.split("~")[0]  # the reader keys a restarted "1" as "1~2"; the page prints "1"
        if not runs or (mark.isdigit() and previous.isdigit() and int(mark) != int(previous) + 1):
            runs.append([])
        runs[-1].append((mark, " ".join(note.split())))
        previous = mark
    return runs


def _zone(run: list[tuple[str, str]]) -> list[str]:
    """A rule and its footnotes, in the `<sup>n</sup>` form read.markdown_to_text turns back into a zone."""
    out = ["---" if run[0][0].isdigit() else escape("__________"), ""]
    for label, note in run:
        out += [f"{f'<sup>{label}</sup>' if label.isdigit() else escape(label)} {escape(note)}", ""]
    return out


def _zone_fits(previous: str, lines: list[str]) -> bool:
    """Can a footnote zone (read back as a page break) stand before these lines without changing the paragraphs?"""
    glued = len(rejoin([Block([previous], False), Block(list(lines), True)])) == 1
    swallowed = lines[0] not in split_footnotes(["__________", "1 x", "", *lines])[0]
    return not glued and not swallowed


def _block_lines(block: Block, symbol: str) -> list[str]:
    """A heading on one `##` line; a paragraph keeps its printed lines, which the chunker reads labels from.

    A line that would pass for page furniture on its own ("78/330" wrapped onto a line) joins its
    neighbour, or the reader would strip it again; so does a line after a hyphen, which the reader
    would join without the space a page break left there ("gender- responsive").
    """
    if is_heading(block.text):
        return ["## " + escape(block.text)]
    lines: list[str] = []
    for line in (x.strip() for x in block.lines):
        if lines and (is_anchor(line, symbol) or is_anchor(lines[-1], symbol)
                      or len(fix_hyphenation([lines[-1], line])) == 1):
            lines[-1] += " " + line
        else:
            lines.append(line)
    return [escape(line) for line in lines]


def _plain_lines(lines: list[str]) -> list[str]:
    """Masthead or colophon lines without job numbers, barcodes and runs of blank lines."""
    out: list[str] = []
    for line in lines:
        if line == PAGE_BREAK or is_anchor(line, None) or not line.strip():
            if out and out[-1]:
                out.append("")
            continue
        out.append(escape(line.strip()))
    return out + ([""] if out and out[-1] else [])


_LINK = re.compile(r"(!?)\[(?=[^\[\]]*\]\()")  # stops at the next [: linear on "[[[["
_RULE = re.compile(r"-{3,}|\*{3,}|_{3,}")


def escape(text: str) -> str:
    """Backslash-escape exactly what read.markdown_to_text would otherwise reinterpret or drop."""
    text = re.sub(r"\\(?=[!-/:-@\[-`{-~])", r"\\\\", text)  # a literal backslash before punctuation
    text = text.replace("*", "\\*").replace("<sup>", "\\<sup>")
    text = _LINK.sub(lambda m: ("\\!" if m.group(1) else "") + "\\[", text)
    if re.match(r"#{1,6}(\s|$)|[+](\s|$)|!\[", text) or _RULE.fullmatch(text):
        text = "\\" + text
    return text


def check_target(doc: Document, folder: Path, known: dict[str, Path], replace: bool) -> tuple[Path, Path | None]:
    """Where the document goes and which file it replaces; refusals as DocumentError."""
    target = folder / file_name(doc.symbol)
    existing = known.get(doc.symbol)
    if existing is not None and not replace:
        raise DocumentError(f"{doc.symbol} is already in the corpus ({existing}); use --replace to overwrite it")
    if existing is not None and folder.resolve() not in existing.resolve().parents:
        raise DocumentError(f"{doc.symbol} is in {existing}, outside {folder}; --replace only replaces files there")
    holder = next((s for s, p in known.items() if p.resolve() == target.resolve()), None)
    if target.exists() and holder != doc.symbol:
        if holder is not None:
            raise DocumentError(f"{target} holds {holder}, another document; give this one another --symbol")
        if not replace:
            raise DocumentError(f"{target} exists and cannot be read; use --replace to overwrite it")
    return target, existing


def write_document(prepared: Prepared, folder: Path, known: dict[str, Path], replace: bool) -> Added:
    """Stage beside the target, check the copy reads back the same, then write it in place atomically
    (fsio.atomic_write: flushed to disk, with the permissions an ordinary program gives a new file)."""
    doc = prepared.doc
    target, existing = check_target(doc, folder, known, replace)
    try:  # a hidden name: `norms index` running meanwhile does not see the half-written file
        fd, staged_name = tempfile.mkstemp(prefix=".norms-add-", suffix=".md", dir=folder)
    except OSError as exc:
        raise DocumentError(f"cannot write to {folder} ({exc.strerror})") from None
    staged = Path(staged_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(prepared.markdown)
        warning = round_trip_warning(prepared, staged)
        atomic_write(target, prepared.markdown)
    finally:
        staged.unlink(missing_ok=True)
    if existing is not None and existing.resolve() != target.resolve():
        existing.unlink(missing_ok=True)  # replaced by a file of another name (e.g. a .pdf by its .md)
    known[doc.symbol] = target
    return Added(Path(doc.path), doc, prepared.count, target, existing, warning, prepared.footnotes)


def round_trip_warning(prepared: Prepared, staged: Path) -> str:
    """"" when the Markdown copy chunks into the same paragraphs as the original, else what differs."""
    try:
        again = chunk_document(read_document(staged))
    except NormsError as exc:
        raise DocumentError(f"{prepared.doc.path}: the Markdown copy does not read back ({exc})") from None
    before = [(p.para, p.text, p.page, p.speaker) for p in prepared.paragraphs]
    after = [(p.para, p.text, p.page, p.speaker) for p in again]
    if before == after:
        return ""
    longer = before if len(before) > len(after) else after
    at = next((a[0] for a, b in zip(before, after) if a != b), longer[min(len(before), len(after))][0])
    return (f"the Markdown copy has {len(after)} paragraphs where the original has {len(before)} "
            f"(first difference at {at or 'the start'})")


def add_file(path: Path, folder: Path, known: dict[str, Path], overrides: Overrides, *, replace: bool = False,
             source: str | None = None, symbol_fallback: str | None = None, dry_run: bool = False) -> Added:
    """Convert one file and put it into `folder`; raises NormsError and leaves the folder as it was."""
    prepared = prepare(path, overrides, source or os.fspath(path.resolve()), symbol_fallback)
    if dry_run:
        target, existing = check_target(prepared.doc, folder, known, replace)
        return Added(path, prepared.doc, prepared.count, target, existing, footnotes=prepared.footnotes)
    return write_document(prepared, folder, known, replace)

