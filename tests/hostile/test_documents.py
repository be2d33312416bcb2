"""Hostile documents: pathological lines, decompression bombs, absurd list numbers, and arbitrary bytes.

Every case must end in a Document or in one DocumentError line naming the file, in linear time. The timeouts
below are hang guards only (a quadratic regex on a 1 MB line runs for hours), never speed assertions.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.documents.chunk import chunk_document
from assistant.documents.convert import source_text
from assistant.documents.docx import MAX_DOCX_PART_BYTES
from assistant.documents.ingest import Overrides, prepare
from assistant.documents.read import DocumentError, read_document
from assistant.errors import NormsError

ROOT = Path(__file__).resolve().parents[2]
MB = 1_000_000
HANG_GUARD = 60  # seconds; a linear pass over these files takes well under one

MASTHEAD = "United Nations\nA/RES/99/1\nGeneral Assembly\nDistr.: General\n3 January 2030\n\n"
# The shapes that made regexes backtrack: no spaces at all, or long runs of one punctuation mark.
SHAPES = {
    "letters": "a" * MB,
    "slashes": "/" * MB,
    "parentheses": "(" * MB,
    "digits": "7" * MB,
    "dots": "." * MB,
}
# Shorter shapes, each aimed at one pattern: a hyphenated line end, a leader without a page number,
# unclosed Markdown links and brackets, an unterminated escape sequence, spaced dots.
MORE_SHAPES = {
    "hyphen_end": "a" * MB + "1a-\nnext",
    "dash_end": "a" * MB + "1–\n2",
    "contents_leader": "\n\nContents\n\n" + ". " * (MB // 2) + "x\n\nA. Entry . . . . 3\n\n",
    "leader_no_page": ". " * (MB // 2) + "x",
    "dots_then_letter": "." * MB + "x",
    "open_links": "[](" * (MB // 3),
    "brackets": "[" * MB,
    "escape_start": "\x1b[" + "0" * MB,
    "sup": "<sup>1" * (MB // 6),
    "words_and_hyphens": "a-" * (MB // 5),  # 200,000 one-letter tokens: 400 KB is enough to catch a quadratic
    "apostrophes": "a'" * (MB // 5),
}


@contextmanager
def hang_guard(seconds: int = HANG_GUARD):
    """Fail (instead of hanging the suite) if the block runs past `seconds`."""

    def expired(signum, frame):
        raise TimeoutError(f"still running after {seconds} s: super-linear on this input?")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def resolution_with(line: str) -> str:
    return MASTHEAD + "The General Assembly,\n\n1. Calls upon States " + line + "\n\n2. " + line + "\n\n3. Decides.\n"


def read_and_chunk(path: Path):
    with hang_guard():
        try:
            return chunk_document(read_document(path))
        except DocumentError as error:
            assert str(error).startswith(str(path)) and "\n" not in str(error)
            return None


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_one_megabyte_lines_read_and_chunk(tmp_path, shape):
    path = tmp_path / "A_RES_99_1.txt"
    path.write_text(resolution_with(SHAPES[shape]), encoding="utf-8")
    paragraphs = read_and_chunk(path)
    assert paragraphs is not None and sum(len(p.text) for p in paragraphs) >= MB  # nothing lost


@pytest.mark.parametrize("line", ["/" * MB, ":" * MB, "1 " * (MB // 2), "[on the report of" + " " * MB + "x]"])
def test_one_megabyte_lines_in_the_masthead(tmp_path, line):
    """The masthead reader looks at the first lines with its own patterns (symbol, date, sponsors, formula),
    and indexing adds a heading unit made from them."""
    from assistant.documents.chunk import indexed_paragraphs

    path = tmp_path / "A_RES_99_1.txt"
    path.write_text(f"{line}\nA/RES/99/1\n{line}\nGeneral Assembly\n{line}\n\n1. Text.\n", encoding="utf-8")
    read_and_chunk(path)
    with hang_guard():
        indexed_paragraphs(read_document(path))


@pytest.mark.parametrize("shape", sorted(MORE_SHAPES))
def test_pathological_lines_read_and_chunk(tmp_path, shape):
    path = tmp_path / "A_RES_99_1.md"  # Markdown: its own rules, then every step a .txt file goes through
    path.write_text(resolution_with(MORE_SHAPES[shape]), encoding="utf-8")
    read_and_chunk(path)


def test_pathological_html_and_rule_lines(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><main><h1>Title</h1><p>" + "a" * MB + "</p><ol type='a'><li>" + "/" * MB +
                    "</li><li>" + "<" * MB + "</li></ol></main></body></html>", encoding="utf-8")
    rules = tmp_path / "A_RES_99_2.md"
    rules.write_text(MASTHEAD + "---\n\n" * 100_000 + "1. Text.\n", encoding="utf-8")  # a rule looks ahead
    with hang_guard():
        assert prepare(page, Overrides(symbol="A/RES/99/3"), "test").paragraphs
    read_and_chunk(rules)


def norms(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "NORMS_MODEL": "fake"}, timeout=HANG_GUARD * 3)


def test_cli_add_and_index_finish_on_one_megabyte_lines(tmp_path):
    """`add --dry-run` (every format reader) and `index --model fake` (chunk, BM25, fake vectors) end to end."""
    sources = tmp_path / "sources"
    sources.mkdir()
    cli_shapes = ("letters", "slashes", "parentheses")  # the others are read and chunked above
    for n, shape in enumerate(cli_shapes, 1):
        text = resolution_with(SHAPES[shape]).replace("A/RES/99/1", f"A/RES/99/{n}")
        (sources / f"A_RES_99_{n}.txt").write_text(text, encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    added = norms("add", str(sources), "--corpus", str(corpus), "--dry-run", "--model", "fake", cwd=tmp_path)
    assert added.returncode == 0, added.stderr.decode()[-2000:]
    assert b"Traceback" not in added.stderr and not list(corpus.iterdir())  # a dry run writes nothing
    indexed = norms("index", "--corpus", str(sources), "--index", str(tmp_path / "index"), "--model", "fake",
                    cwd=tmp_path)
    assert indexed.returncode == 0, indexed.stderr.decode()[-2000:]
    assert f"indexed {len(cli_shapes)} documents".encode() in indexed.stdout


def test_add_refuses_text_files_the_corpus_reader_would_refuse(tmp_path):
    from assistant.documents.read import MAX_TEXT_BYTES

    page = tmp_path / "huge.html"
    with open(page, "wb") as f:
        f.truncate(MAX_TEXT_BYTES + 1)  # sparse: instant to make, never parsed
    with pytest.raises(DocumentError, match="huge.html: too large"):
        source_text(page)


# -- DOCX: decompression bombs and list numbers ----------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def write_docx(path: Path, document_xml: str | bytes, numbering_xml: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", document_xml)
        if numbering_xml is not None:
            archive.writestr("word/numbering.xml", numbering_xml)
    return path


def body(*paragraphs: str) -> str:
    return f'<w:document xmlns:w="{W_NS}"><w:body>{"".join(paragraphs)}</w:body></w:document>'


def numbered(text: str, ilvl: str = "0", num_id: str = "1") -> str:
    return (f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr>'
            f"<w:r><w:t>{text}</w:t></w:r></w:p>")


def numbering(levels: str) -> str:
    return (f'<w:numbering xmlns:w="{W_NS}"><w:abstractNum w:abstractNumId="0">{levels}</w:abstractNum>'
            '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')


def level(ilvl: str, fmt: str, start: str, text: str = "%1.") -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/></w:lvl>')


def test_docx_bomb_is_refused_in_one_line(tmp_path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/document.xml", "w") as part:  # streamed: the test never holds it in memory
            part.write(f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>'.encode())
            block = b"a" * (1 << 20)
            for _ in range((MAX_DOCX_PART_BYTES >> 20) * 2):
                part.write(block)
            part.write(b"</w:t></w:r></w:p></w:body></w:document>")
    assert bomb.stat().st_size < 200_000  # small on disk, 64 MB inflated
    with hang_guard(), pytest.raises(DocumentError) as refused:
        source_text(bomb)
    message = str(refused.value)
    assert message.startswith(str(bomb)) and "word/document.xml" in message and "\n" not in message
    (tmp_path / "corpus").mkdir()
    added = norms("add", str(bomb), "--corpus", str(tmp_path / "corpus"), "--dry-run", cwd=tmp_path)
    assert added.returncode != 0 and b"Traceback" not in added.stderr
    assert b"bomb.docx" in added.stderr and len(added.stderr.decode().strip().splitlines()) == 1


@pytest.mark.parametrize("start", ["100000000", "9" * 20, "9" * 5000, "-3", "x", "\u0661\u0662", ""])
def test_docx_and_html_list_starts_are_clamped(tmp_path, start):
    levels = level("0", "lowerLetter", start) + level("1", "lowerRoman", start, "(%2)")
    docx = write_docx(tmp_path / "list.docx", body(numbered("first"), numbered("second", "1")), numbering(levels))
    html = tmp_path / "list.html"
    html.write_text(f'<html><body><ol type="a" start="{start}"><li>one</li><li>two</li></ol>'
                    f'<ol type="i" start="{start}"><li>three</li></ol></body></html>', encoding="utf-8")
    for path in (docx, html):
        with hang_guard(10):
            lines = [line for line in source_text(path).lines if line]
        assert len(lines) >= 2 and max(len(line) for line in lines) < 40, lines


@pytest.mark.parametrize("ilvl", ["20", "9", "-1", "x", "99999999999999999999"])
def test_docx_impossible_list_levels_are_ignored(tmp_path, ilvl):
    levels = level("0", "decimal", "1") + level(ilvl, "lowerLetter", "1", "(%9)")
    docx = write_docx(tmp_path / "levels.docx", body(numbered("first"), numbered("second", ilvl)), numbering(levels))
    lines = [line for line in source_text(docx).lines if line]
    assert lines[0] == "1. first" and lines[1].endswith("second")


# -- arbitrary input: a Document or one DocumentError, nothing else ------------------------------------

def read_any(path: Path) -> None:
    try:
        if path.suffix in (".txt", ".md"):
            chunk_document(read_document(path))
        prepare(path, Overrides(), "test")
    except NormsError as error:
        assert "\n" not in str(error).strip()


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(data=st.binary(max_size=4000), suffix=st.sampled_from([".txt", ".md", ".html", ".docx"]))
def test_arbitrary_bytes_read_or_fail_cleanly(tmp_path, data, suffix):
    path = tmp_path / f"A_RES_99_1{suffix}"
    path.write_bytes(data)
    read_any(path)


TEXTISH = st.lists(st.sampled_from(list("aZ7 .,;:()[]/-_*#<>&\"'\n\t\\|!`~") + [
    "\x1b", "\u00a0", "\u202e", "---", "<sup>1</sup>", "1. ", "(a) ", "\n\n", "Contents", " . . . . 3", "-\n"]),
    max_size=600).map("".join)


@FUZZ
@given(text=TEXTISH, suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_arbitrary_text_read_or_fail_cleanly(tmp_path, text, suffix):
    path = tmp_path / f"A_RES_99_1{suffix}"
    path.write_text(MASTHEAD + text, encoding="utf-8")
    read_any(path)


XML_PIECES = st.sampled_from([
    "<w:p>", "</w:p>", "<w:r>", "</w:r>", "<w:t>", "</w:t>", "text", "<w:tab/>", "<w:br/>",
    '<w:footnoteReference w:id="1"/>', '<w:pPr><w:numPr><w:ilvl w:val="3"/><w:numId w:val="1"/></w:numPr></w:pPr>',
    '<w:pPr><w:pStyle w:val="List"/></w:pPr>', "&amp;", "&lt;", "<!-- c -->", "<![CDATA[x]]>", "&#0;", "&bogus;"])


@FUZZ
@given(pieces=st.lists(XML_PIECES, max_size=40), numbering_start=st.text(max_size=30))
def test_arbitrary_docx_parts_read_or_fail_cleanly(tmp_path, pieces, numbering_start):
    levels = level("0", "lowerLetter", numbering_start.replace('"', "").replace("<", "").replace("&", ""))
    write_docx(tmp_path / "fuzz.docx", body(*pieces), numbering(levels))
    read_any(tmp_path / "fuzz.docx")


def test_docx_entity_expansion_is_refused(tmp_path):
    """A billion laughs in document.xml: expat's amplification limit, reported as one DocumentError line."""
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {name} "{("&" + previous + ";") * 10}">' for previous, name in zip("abcdefg", "bcdefgh"))
    docx = write_docx(tmp_path / "laughs.docx", f'<?xml version="1.0"?><!DOCTYPE d [{entities}]>'
                                                f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&h;'
                                                "</w:t></w:r></w:p></w:body></w:document>")
    with hang_guard(10), pytest.raises(DocumentError) as refused:
        source_text(docx)
    assert str(refused.value).startswith(str(docx)) and "\n" not in str(refused.value)
