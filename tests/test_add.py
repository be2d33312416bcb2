"""`norms add`: every format becomes canonical Markdown that chunks like the original; metadata, refusals, atomicity."""

from __future__ import annotations

import csv
import os
import re
import stat
import zipfile
from pathlib import Path

import pytest

from assistant.documents.chunk import chunk_document
from assistant.cli.main import main
from assistant.documents.ingest import Overrides, add_file, escape
from assistant.documents.read import read_document, split_front_matter
from assistant.index.store import load_index
from corpus_fixtures import ROOT, SMALL_RESOLUTION

SHARED = ROOT.parent / "shared" / "corpus"
CYBER = SHARED / "cyber"
needs_shared = pytest.mark.shared  # tests/conftest.py skips these without ../shared/corpus


def run(argv: list[str], capsys=None) -> int:
    """`norms ARGV` through the real command line: routing, exit codes, errors on stderr."""
    return main(argv)


def units(paragraphs) -> list[tuple]:
    return [(p.para, p.text, p.role, p.footnotes) for p in paragraphs]


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    return folder


def corpus_state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# ---- every real document: the Markdown copy chunks exactly like the original ----

def shared_documents() -> list[Path]:
    if not CYBER.is_dir():
        return []
    files = sorted(p for p in CYBER.iterdir() if p.suffix in (".pdf", ".txt", ".md"))
    return files + [SHARED / "seed" / "A_C.1_73_L.37.md"]


@needs_shared
@pytest.mark.parametrize("original", shared_documents(), ids=lambda p: p.name)
def test_markdown_copy_has_the_paragraphs_of_the_original(original, corpus):
    before = chunk_document(read_document(original))
    added = add_file(original, corpus, {}, Overrides())
    assert added.warning == ""
    copy = read_document(added.target)
    assert units(chunk_document(copy)) == units(before)
    assert (copy.symbol, copy.date, copy.kind) == (added.doc.symbol, added.doc.date, added.doc.kind)


def readme_table() -> dict[str, tuple[str, str]]:
    """file -> (symbol, date) from ../shared/corpus/README.md's table of cyber/."""
    rows = {}
    for line in (SHARED / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and re.fullmatch(r"\d{4}-\d{2}-\d{2}", cells[2]):
            symbol = cells[1] if "/" in cells[1] else Path(cells[0]).stem
            rows[cells[0]] = (symbol, cells[2])
    return rows


@needs_shared
def test_metadata_of_every_cyber_document_matches_the_readme(corpus):
    table = readme_table()
    assert len(table) == len(list(CYBER.iterdir()))
    for name, (symbol, day) in table.items():
        added = add_file(CYBER / name, corpus, {}, Overrides(), dry_run=True)
        assert (added.doc.symbol, added.doc.date) == (symbol, day), name
        if "/" in symbol:  # a UN document: the title comes from its masthead, not from the file name
            assert added.doc.title and added.doc.title != Path(name).stem, name


@needs_shared
def test_metadata_of_a_sample_of_general_assembly_documents(corpus):
    with open(SHARED / "unga-78-80.tsv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for row in rows[::60]:
        added = add_file(SHARED / "unga-78-80" / row["file"], corpus, {}, Overrides(), dry_run=True)
        doc = added.doc
        assert doc.symbol == row["symbol"]
        session = int(re.search(r"/(\d{2})/", row["symbol"]).group(1))
        year = 1945 + session  # session 78 opened in September 2023
        assert doc.date and f"{year}-09-01" <= doc.date <= f"{year + 1}-09-30", (row["symbol"], doc.date)


# ---- HTML, DOCX, TXT and MD sources ----

PAGE = """<!DOCTYPE html><html><head><title>A/RES/99/1 | United Nations Digital Library</title>
<style>p {{ color: red }}</style><script>var menu = "Skip to content";</script></head>
<body><header><a href="/">UN Home</a> <nav><ul><li>Skip to content</li><li>Documents</li></ul></nav></header>
<div class="cookie-banner">We use cookies on this site.</div>
<main><article>{body}</article></main>
<aside role="complementary">Related documents: A/RES/98/1</aside>
<footer><p>Copyright United Nations. Terms of use.</p></footer></body></html>"""


def html_of(text: str) -> str:
    blocks = [b for b in text.split("\n\n") if b.strip()]
    return PAGE.format(body="\n".join("<p>" + "<br>".join(b.splitlines()) + "</p>" for b in blocks))


def test_html_keeps_the_main_text_and_drops_the_site(corpus, tmp_path):
    page = tmp_path / "resolution.html"
    page.write_text(html_of(SMALL_RESOLUTION), encoding="utf-8")
    added = add_file(page, corpus, {}, Overrides())
    written = added.target.read_text(encoding="utf-8")
    for chrome in ("Skip to content", "cookies", "Copyright", "Related documents", "UN Home", "color: red", "var menu"):
        assert chrome not in written
    doc = read_document(added.target)
    assert (doc.symbol, doc.date, doc.kind) == ("A/RES/99/1", "2030-01-02", "resolution")
    assert doc.title == "Protecting undersea cables"
    paragraphs = chunk_document(doc)
    assert [(p.para, p.text) for p in paragraphs] == [
        ("PP1", "Noting that undersea cables carry most international data traffic,"),
        ("1", "Calls upon States to protect undersea cables from deliberate damage;"),
        ("2", "Decides to remain seized of the matter."),
    ]


def test_html_lists_keep_their_numbers_and_a_plain_page_takes_its_heading(corpus, tmp_path):
    page = tmp_path / "statement.htm"
    page.write_text("<html><body><nav>Home</nav><h1>Statement on cyber norms</h1>"
                    "<p>We recall the agreed framework of responsible State behaviour.</p>"
                    "<ol><li>States should not damage critical infrastructure.</li>"
                    "<li>States should protect <b>supply chains</b>:<ol type='a'><li>in software;</li>"
                    "<li>in hardware.</li></ol></li></ol></body></html>", encoding="utf-8")
    added = add_file(page, corpus, {}, Overrides(symbol="STATEMENT-1", date="2024-05-01"))
    paragraphs = chunk_document(read_document(added.target))
    labels = {p.para: p.text for p in paragraphs}
    assert labels["1"] == "States should not damage critical infrastructure."
    assert labels["2"] == "States should protect supply chains:"
    assert labels["2(a)"] == "in software;" and labels["2(b)"] == "in hardware."
    assert added.doc.title == "Statement on cyber norms" and added.target.name == "STATEMENT-1.md"


def test_docx_made_with_python_docx(corpus, tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    masthead, *blocks = SMALL_RESOLUTION.split("\n\n")
    for line in masthead.splitlines():  # one Word paragraph per printed line, as UN masthead tables come out
        document.add_paragraph(line)
    for block in blocks:
        text = " ".join(block.split())
        if re.match(r"\d\. ", text):  # operative paragraphs numbered by Word's list style, not typed
            document.add_paragraph(text[3:], style="List Number")
        else:
            document.add_paragraph(text)
    document.core_properties.title = "Undersea cables"
    path = tmp_path / "A_RES_99_1.docx"
    document.save(path)
    added = add_file(path, corpus, {}, Overrides())
    doc = added.doc
    assert (doc.symbol, doc.date, doc.title) == ("A/RES/99/1", "2030-01-02", "Protecting undersea cables")
    texts = {p.para: p.text for p in chunk_document(read_document(added.target))}
    assert texts == {"PP1": "Noting that undersea cables carry most international data traffic,",
                     "1": "Calls upon States to protect undersea cables from deliberate damage;",
                     "2": "Decides to remain seized of the matter."}


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def write_docx(path: Path, body: str, numbering: str = "", footnotes: str = "") -> None:
    """The smallest .docx Word would open: enough to test numbering and footnotes without python-docx."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml",
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", f"<w:document {W_NS}><w:body>{body}</w:body></w:document>")
        if numbering:
            z.writestr("word/numbering.xml", f"<w:numbering {W_NS}>{numbering}</w:numbering>")
        if footnotes:
            z.writestr("word/footnotes.xml", f"<w:footnotes {W_NS}>{footnotes}</w:footnotes>")


def para(text: str, num: tuple[int, int] | None = None, note: str | None = None, after: str = "") -> str:
    props = f'<w:pPr><w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr></w:pPr>' if num else ""
    ref = f'<w:r><w:footnoteReference w:id="{note}"/></w:r>' if note else ""
    tail = f'<w:r><w:t xml:space="preserve">{after}</w:t></w:r>' if after else ""
    return f'<w:p>{props}<w:r><w:t xml:space="preserve">{text}</w:t></w:r>{ref}{tail}</w:p>'


def test_docx_automatic_numbering_and_footnotes(corpus, tmp_path):
    numbering = ('<w:abstractNum w:abstractNumId="0">'
                 '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
                 '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
                 '<w:lvlText w:val="(%2)"/></w:lvl>'
                 '</w:abstractNum><w:num w:numId="7"><w:abstractNumId w:val="0"/></w:num>')
    footnotes = ('<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                 '<w:footnote w:id="2">' + para("See A/76/135.") + "</w:footnote>")
    body = "".join([
        para("Draft statement on ICT security"),
        para("Welcoming the report of the Group of Governmental Experts,", note="2", after=" and its recommendations,"),
        para("Calls upon States:", num=(7, 0)),
        para("to apply the norms;", num=(7, 1)),
        para("to build capacity;", num=(7, 1)),
        para("Decides to remain seized of the matter.", num=(7, 0)),
    ])
    path = tmp_path / "draft.docx"
    write_docx(path, body, numbering, footnotes)
    added = add_file(path, corpus, {}, Overrides(symbol="DRAFT-ICT-1"))
    paragraphs = {p.para: p for p in chunk_document(read_document(added.target))}
    assert paragraphs["1"].text == "Calls upon States:"
    assert paragraphs["1(a)"].text == "to apply the norms;" and paragraphs["1(b)"].text == "to build capacity;"
    assert paragraphs["2"].text == "Decides to remain seized of the matter."
    assert paragraphs["fn1"].text == "See A/76/135."
    assert "fn1" in next(p.footnotes for p in paragraphs.values() if p.text.startswith("Welcoming"))


def test_txt_and_md_sources_keep_their_front_matter_and_write_ours(corpus, tmp_path):
    source = tmp_path / "note.md"
    source.write_text("---\nsymbol: NOTE-7\ntitle: A note on norms\ndate: 2021-03-04\n---\n\n# Heading\n\n"
                      "States *should* cooperate to prevent harmful ICT practices, as agreed.\n", encoding="utf-8")
    added = add_file(source, corpus, {}, Overrides(kind="note"))
    front, rest = split_front_matter(added.target.read_text(encoding="utf-8"), added.target)
    assert {k: front[k] for k in ("symbol", "title", "date", "kind", "language")} == {
        "symbol": "NOTE-7", "title": "A note on norms", "date": "2021-03-04", "kind": "note", "language": "en"}
    assert front["source"] == str(source.resolve()) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", front["added"])
    assert "States should cooperate" in rest


def test_markdown_look_alikes_in_the_text_survive(corpus, tmp_path):
    tricky = ["* Circulated without formal editing.", "# 5 is not a heading", "+ not a bullet", "---",
              "See [the report](A/76/135) and <sup>2</sup> as printed; 2*3 = 6, a\\*b.", "![not an image](x)"]
    source = tmp_path / "TRICKY-1.txt"
    source.write_text("\n\n".join(tricky) + "\n", encoding="utf-8")
    before = chunk_document(read_document(source))
    added = add_file(source, corpus, {}, Overrides())
    assert added.warning == ""
    assert units(chunk_document(read_document(added.target))) == units(before)
    assert escape("plain text, no marks") == "plain text, no marks"


# ---- the command: refusals, failures, the index ----

def test_add_reports_what_it_detected_and_updates_the_index(corpus, tmp_path, capsys):
    source = tmp_path / "A_RES_99_1.txt"
    source.write_text(SMALL_RESOLUTION, encoding="utf-8")
    index = tmp_path / "index"
    code = run(["add", str(source), "--corpus", str(corpus), "--index", str(index), "--model", "fake"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "A/RES/99/1" in out and "2030-01-02" in out and "resolution" in out and "3 paragraphs" in out
    assert "Protecting undersea cables" in out
    assert sorted(p.name for p in corpus.iterdir()) == ["A_RES_99_1.md"]
    assert "A/RES/99/1" in load_index(index).docs


def test_a_second_document_with_the_same_symbol_needs_replace(corpus, tmp_path, capsys):
    first = corpus / "A_RES_99_1.txt"  # the same resolution already in the corpus, under another name
    first.write_text(SMALL_RESOLUTION, encoding="utf-8")
    source = tmp_path / "cables.txt"
    source.write_text(SMALL_RESOLUTION.replace("deliberate damage", "any damage"), encoding="utf-8")
    common = ["--corpus", str(corpus), "--index", str(tmp_path / "index"), "--model", "fake"]
    assert run(["add", str(source), *common]) == 1
    assert "already in the corpus" in capsys.readouterr().err
    assert sorted(p.name for p in corpus.iterdir()) == ["A_RES_99_1.txt"]
    assert run(["add", str(source), "--replace", *common]) == 0
    assert sorted(p.name for p in corpus.iterdir()) == ["A_RES_99_1.md"]
    assert "any damage" in (corpus / "A_RES_99_1.md").read_text(encoding="utf-8")


def test_one_bad_file_does_not_stop_the_others(corpus, tmp_path, capsys):
    good = tmp_path / "A_RES_99_1.txt"
    good.write_text(SMALL_RESOLUTION, encoding="utf-8")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7 this is not really a PDF")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    code = run(["add", str(tmp_path / "broken.pdf"), str(good), str(tmp_path / "empty.txt"), str(tmp_path / "old.doc"),
                "--corpus", str(corpus), "--index", str(tmp_path / "index"), "--model", "fake"])
    captured = capsys.readouterr()
    assert code == 1
    errors = [line for line in captured.err.splitlines() if line.startswith("norms: ") and "embedding" not in line]
    assert len(errors) == 3 and all("Traceback" not in e for e in errors)
    assert "save it as .docx or PDF" in captured.err and "empty file" in captured.err
    assert sorted(p.name for p in corpus.iterdir()) == ["A_RES_99_1.md"]


def test_a_failed_write_leaves_the_corpus_as_it_was(corpus, tmp_path, monkeypatch):
    (corpus / "PARIS.md").write_text("A call for trust and security in cyberspace, agreed by many.\n", encoding="utf-8")
    before = corpus_state(corpus)
    source = tmp_path / "A_RES_99_1.txt"
    source.write_text(SMALL_RESOLUTION, encoding="utf-8")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("assistant.documents.ingest.os.replace", refuse)
    with pytest.raises(OSError):
        add_file(source, corpus, {}, Overrides())
    assert corpus_state(corpus) == before


def test_overrides_and_their_checks(corpus, tmp_path, capsys):
    source = tmp_path / "statement.txt"
    source.write_text("We reaffirm that international law applies to the use of ICTs by States.\n", encoding="utf-8")
    common = ["--corpus", str(corpus), "--no-index", "--model", "fake"]
    assert run(["add", str(source), "--date", "5 May 2024", *common]) == 2
    assert run(["add", str(source), str(source), "--symbol", "X/1", "--title", "T", *common]) == 2
    assert run(["add", str(source), "--symbol", "STMT/2024/1", "--title", "Our statement", "--date", "2024-05-05",
                "--kind", "other", *common]) == 0
    doc = read_document(corpus / "STMT_2024_1.md")
    assert (doc.symbol, doc.title, doc.date, doc.kind) == ("STMT/2024/1", "Our statement", "2024-05-05", "other")
    assert "--date" in capsys.readouterr().err


def test_the_corpus_must_be_a_folder(tmp_path, capsys):
    source = tmp_path / "a.txt"
    source.write_text("Some text about norms of responsible State behaviour.\n", encoding="utf-8")
    assert run(["add", str(source), "--corpus", str(source), "--model", "fake"]) == 2
    assert "must be a folder" in capsys.readouterr().err


# ---- languages of a multilingual document ----

def compendium() -> list:
    return [p for p in chunk_document(read_document(CYBER / "A_AC.292_2025_INF_5_Rev.1.pdf")) if p.role != "footnote"]


def starting(paragraphs, opening: str):
    """The paragraph that opens with these words (a printed number like "1. " before them is allowed)."""
    return next(p for p in paragraphs if opening in p.text[: len(opening) + 6])


@needs_shared
def test_compendium_paragraph_languages_where_the_text_is_long_enough():
    paragraphs = compendium()
    expected = {
        "es": ["Hago uso de la palabra", "El Salvador expresa un profundo", "Deseamos expresar nuestro sincero"],
        "fr": ["La délégation Suisse se félicite", "Tout d’abord j’adresse mes félicitations"],
        "ru": ["Российская делегация благодарит"],
        "en": ["Australia aligns with the Pacific", "El Salvador extends its deep appreciation",
               "The Swiss delegation welcomes", "In line with our commitment to international security"],
    }
    for language, openings in expected.items():
        for opening in openings:
            assert starting(paragraphs, opening).language == language, opening
    arabic = [p for p in paragraphs if re.search("[\u0600-\u06ff]", p.text) and len(p.text) > 60]
    assert arabic and {p.language for p in arabic} == {"ar"}


@needs_shared
def test_compendium_every_statement_paragraph_has_its_own_language():
    paragraphs = compendium()
    first = paragraphs.index(starting(paragraphs, "Hago uso de la palabra")) - 1  # "Sr. Presidente,"
    last = paragraphs.index(starting(paragraphs, "Muchas gracias."))
    assert paragraphs[first].text.startswith("Sr. Presidente")
    assert {p.language for p in paragraphs[first : last + 1]} == {"es"}  # the whole Argentine statement
    assert starting(paragraphs, "Merci, Monsieur le Président").language == "fr"
    assert {p.language for p in paragraphs if re.search("[А-Яа-я]", p.text)} == {"ru"}
    assert {p.language for p in paragraphs if re.search("[\u0600-\u06ff]", p.text)} == {"ar"}


def test_added_files_get_the_permissions_of_any_new_file(corpus, tmp_path):
    source = tmp_path / "A_RES_99_1.txt"
    source.write_text(SMALL_RESOLUTION, encoding="utf-8")
    added = add_file(source, corpus, {}, Overrides())
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(added.target.stat().st_mode) == 0o666 & ~umask
    assert not [p for p in corpus.iterdir() if p.name.startswith(".norms-add-")]  # no staged copy left behind
