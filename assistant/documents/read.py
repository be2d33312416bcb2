"""Read corpus files (.md, .txt, .pdf) into Documents: text lines, front matter and masthead metadata."""

from __future__ import annotations

import os
import re
from pathlib import Path

from assistant.errors import NormsError
from assistant.documents.language import detect_language
from assistant.documents.furniture import PAGE_BREAK, fix_hyphenation, split_contents, split_footnotes, strip_furniture
from assistant.documents.masthead import cut_colophons, guess_kind, read_masthead, symbol_from_filename
from assistant.records import Document

SUFFIXES = (".md", ".txt", ".pdf")
MAX_TEXT_BYTES = 16 * 1024 * 1024  # ~2.5 million words: far beyond any UN document; refuse, don't choke
MAX_PDF_BYTES = 200 * 1024 * 1024
FRONT_MATTER_KEYS = {"symbol", "title", "date", "kind", "language", "source", "added", "pages"}
_FIRST_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.M)
_PAGE_START = re.compile(r"^(\d{1,4})\s+(\S.*)$")  # "12 El Salvador ¶3": page 12 starts with that paragraph


class DocumentError(NormsError):
    """A corpus file that cannot be read; the message names the file and the reason."""


def corpus_files(paths: list[Path]) -> list[Path]:
    """Every readable document under the given folders or files, sorted for a stable order.

    A folder's README.md describes the folder (the shipped library's provenance); it is not a document.
    """
    found: list[Path] = []
    for root in paths:
        if root.is_file():
            found.append(root)
        elif root.is_dir():
            found.extend(p for p in sorted(root.rglob("*")) if p.is_file() and p.suffix.lower() in SUFFIXES
                         and p.name.lower() != "readme.md"
                         and not any(part.startswith(".") for part in p.relative_to(root).parts))
        else:
            raise NormsError(f"corpus not found: {root}")
    return found


def read_document(path: Path) -> Document:
    """Read one file into a Document, or raise DocumentError saying why not."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DocumentError(f"{path}: unsupported file type {suffix or '(none)'} (use .md, .txt or .pdf)")
    heading = ""
    try:
        check_size(path, MAX_PDF_BYTES if suffix == ".pdf" else MAX_TEXT_BYTES)
        if suffix == ".pdf":
            lines, front = pdf_lines(path), {}
        else:
            text = decode_text(path)
    except OSError as exc:  # unreadable (permissions), vanished since listed, a link loop: name it like other bad files
        raise DocumentError(f"{path}: cannot read ({exc.strerror or type(exc).__name__})") from None
    if suffix != ".pdf":
        front, text = split_front_matter(text, path)
        if suffix == ".md":
            heading = markdown_heading(text)
            text = markdown_to_text(text)
        lines = text.splitlines()
    return build_document(path, lines, front, heading)


def markdown_heading(text: str) -> str:
    """The text of the first `#` heading of a Markdown text, or ""."""
    first = _FIRST_HEADING.search(text)
    return markdown_to_text(first.group(1)).strip() if first else ""


def check_size(path: Path, limit: int) -> int:
    """The file's size, or DocumentError when it is unreadable, empty or over the limit."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read ({exc.strerror})") from None
    if size == 0:
        raise DocumentError(f"{path}: empty file")
    if size > limit:
        raise DocumentError(f"{path}: too large ({size >> 20} MB; the limit is {limit >> 20} MB)")
    return size


def decode_text(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise DocumentError(f"{path}: looks binary (NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def pdf_lines(path: Path) -> list[str]:
    """Text of every page, with PAGE_BREAK lines between pages."""
    import pymupdf  # heavy: only when a PDF is read

    try:
        doc = pymupdf.open(path)
    except Exception as exc:  # pymupdf raises its own types for damaged files
        raise DocumentError(f"{path}: not a readable PDF ({exc})") from None
    with doc:
        if doc.needs_pass:
            raise DocumentError(f"{path}: the PDF is encrypted")
        if doc.is_repaired:
            # MuPDF rebuilds truncated or corrupt files and then returns partial or garbled text;
            # indexing that would put wrong words in citations, so the file is refused instead
            raise DocumentError(f"{path}: damaged PDF (truncated or corrupt; MuPDF had to repair it)")
        lines: list[str] = []
        try:
            for page in doc:
                lines.extend(page.get_text().splitlines())
                lines.append(PAGE_BREAK)
        except Exception as exc:
            raise DocumentError(f"{path}: damaged PDF ({exc})") from None
    if not any(line.strip() for line in lines if line != PAGE_BREAK):
        raise DocumentError(f"{path}: the PDF has no text layer (scanned?)")
    return lines


def split_front_matter(text: str, path: Path) -> tuple[dict, str]:
    """A leading `---` block of `key: value` lines; returns (fields, the rest of the text)."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 4)
    if end < 0:
        raise DocumentError(f"{path}: front matter starts with --- but never ends")
    fields: dict[str, str] = {}
    for n, line in enumerate(text[4:end].splitlines(), start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip().isidentifier():
            raise DocumentError(f"{path}:{n}: front matter line is not 'key: value'")
        fields[key.strip().lower()] = value.strip().strip("\"'")
    rest = text[end + 4 :]
    return fields, rest[1:] if rest.startswith("\n") else rest


_MD_SUP_NOTE = re.compile(r"^\s*<sup>(\d+)</sup>\s*")
_MD_SUP = re.compile(r"<sup>(\d+)</sup>")
_MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")  # no nested brackets: each scan stops at the next one
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: a backslash makes ASCII punctuation literal
_MD_ESCAPED = re.compile("\x00(\\d+)\x00")


def markdown_to_text(text: str) -> str:
    """Markdown to the plain layout of a UN text: headings, emphasis and links dropped, footnotes kept.

    A `---` rule followed by `<sup>n</sup>` lines is a page break with footnotes, written in
    the rule-of-underscores form the footnote splitter knows; `<sup>n</sup>` in text becomes [n].
    """
    out: list[str] = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        stripped = line.strip()
        if re.fullmatch(r"-{3,}|\*{3,}|_{3,}", stripped):
            nxt = next((lines[j] for j in range(i + 1, len(lines)) if lines[j].strip()), "")  # no copy of the rest: linear
            out.append("__________" if _MD_SUP_NOTE.match(nxt) else "")
            continue
        if stripped.startswith("!["):
            continue  # an image line carries no text
        line = _MD_ESCAPE.sub(lambda m: f"\x00{ord(m.group(1))}\x00", line)  # shielded from the rules below
        line = _MD_SUP_NOTE.sub(lambda m: m.group(1) + " ", line)
        line = _MD_SUP.sub(lambda m: f"[{m.group(1)}]", line)
        line = _MD_LINK.sub(lambda m: m.group(1), line)
        line = re.sub(r"^\s{0,3}#{1,6}\s+", "", line)
        bullet = re.match(r"^(\s*)[*+]\s+", line)
        if bullet:  # keep list items as "- item"
            line = bullet.group(1) + "- " + line[bullet.end():]
        line = line.replace("**", "").replace("*", "")
        out.append(_MD_ESCAPED.sub(lambda m: chr(int(m.group(1))), line).rstrip())
    return "\n".join(out)


def page_map(value: str, path: Path) -> dict[str, int]:
    """Front matter `pages: 1 PP1 | 2 3(b) | 12 El Salvador ¶3`: the paragraph each page starts with."""
    found: dict[str, int] = {}
    for entry in value.split(" | "):
        m = _PAGE_START.match(entry.strip())
        if not m:
            raise DocumentError(f"{path}: front matter pages entry {entry.strip()[:40]!r} is not 'PAGE LABEL'")
        found[m.group(2)] = int(m.group(1))
    return found


def build_document(path: Path, lines: list[str], front: dict, heading: str = "") -> Document:
    """Masthead metadata, front matter over it, the file name as the last resort for the symbol.

    Without a masthead title the document's first heading (a Markdown `#` line) is its title.
    """
    lines = [line.replace("\u00a0", " ").replace("\u00ad", "").rstrip() if line != PAGE_BREAK else line for line in lines]
    mh = read_masthead(lines)
    symbol = front.get("symbol") or mh.symbol or symbol_from_filename(path.stem)
    title = front.get("title") or mh.title or heading or path.stem
    body = lines[mh.body_start : mh.body_end]
    body = strip_furniture(body, symbol, title + " " + " ".join(str(v) for v in mh.meta.values() if v))
    body, contents = split_contents(body)
    body, meetings = cut_colophons(body)
    body, notes = split_footnotes(body)
    body = fix_hyphenation(body)
    text_sample = " ".join(line for line in body[:400] if line != PAGE_BREAK)
    date = front.get("date") or mh.date
    if date and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise DocumentError(f"{path}: front matter date {date!r} is not YYYY-MM-DD")
    meta = dict(mh.meta)
    if contents:
        meta["contents"] = contents
    if meetings and "meeting" not in meta:
        meta["meeting"] = meetings[-1]
    if front.get("source"):
        meta["source"] = front["source"]
    if PAGE_BREAK in lines:  # a PDF: count its pages (text files lose their form feeds when split into lines)
        meta["first_page"] = 1 + lines[: mh.body_start].count(PAGE_BREAK)
    elif front.get("pages"):
        meta["page_map"] = page_map(front["pages"], path)
    return Document(
        symbol=symbol,
        title=" ".join(title.split()),
        date=date,
        kind=front.get("kind") or (mh.kind if mh.symbol or front.get("symbol") else guess_kind(symbol, title, mh.meta)),
        language=front.get("language") or detect_language(text_sample),
        path=os.fspath(path),
        body=body,
        footnotes=notes,
        meta=meta,
    )
