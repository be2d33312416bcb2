"""Pages and footnote calls: every PDF paragraph knows its page; calls glued to words are taken out and linked."""

from __future__ import annotations

import pytest

from assistant.documents.check import check_document
from assistant.documents.chunk import chunk_document
from assistant.documents.ingest import Overrides, add_file
from assistant.documents.notecalls import glued_calls, take_calls
from assistant.documents.read import read_document
from assistant.records import cite

PDFS = ["A_RES_78_16.pdf", "A_RES_78_237.pdf", "A_RES_79_237.pdf", "A_RES_80_16.pdf", "A_AC.292_2025_INF_5_Rev.1.pdf"]


def _page_texts(path) -> list[str]:
    import pymupdf

    with pymupdf.open(path) as pdf:
        return [" ".join(page.get_text().split()) for page in pdf]


@pytest.mark.shared
@pytest.mark.parametrize("name", PDFS)
def test_every_paragraph_starts_on_the_page_the_pdf_prints_it(shared_corpus, name):
    path = shared_corpus / "cyber" / name
    pages = _page_texts(path)
    body = [p for p in chunk_document(read_document(path)) if p.role != "footnote"]
    misplaced = [p.para for p in body if p.page is None or " ".join(p.text.split()[:6]) not in pages[p.page - 1]]
    # right-to-left text comes out of MuPDF in another order than the chunker joins it: at most one such paragraph
    assert len(misplaced) <= 1, misplaced
    assert body[-1].page == len(pages) or body[-1].page == len(pages) - 1


@pytest.mark.shared
def test_the_markdown_copy_keeps_the_pages_in_its_page_map(shared_corpus, tmp_path):
    path = shared_corpus / "cyber" / "A_AC.292_2025_INF_5_Rev.1.pdf"
    added = add_file(path, tmp_path, {}, Overrides())
    assert added.warning == ""
    front = added.target.read_text(encoding="utf-8").split("\n---", 1)[0]
    assert "\npages: 1 1 | 3 Argentina ¶1 | " in front
    original = [(p.para, p.page, p.speaker) for p in chunk_document(read_document(path))]
    assert [(p.para, p.page, p.speaker) for p in chunk_document(read_document(added.target))] == original


@pytest.mark.shared
def test_footnote_calls_are_separated_in_txt_and_pdf_sources(shared_corpus):
    paragraphs = {p.para: p for p in chunk_document(read_document(shared_corpus / "cyber" / "A_RES_73_266.txt"))}
    assert "International Security and the 2010, 2013 and 2015 reports transmitted" in paragraphs["PP10"].text
    assert paragraphs["PP10"].footnotes == ["fn1", "fn2", "fn3"]
    assert "the 2010, 2013 and 2015 reports of the Group" in paragraphs["1(a)"].text
    paragraphs = {p.para: p for p in chunk_document(read_document(shared_corpus / "cyber" / "A_RES_78_16.pdf"))}
    assert "and the first and second annual progress reports" in paragraphs["PP8"].text
    assert paragraphs["PP8"].footnotes == ["fn1", "fn2"]
    assert "General Assembly resolution 77/37, including" in paragraphs["PP21"].text
    assert paragraphs["fn4"].cited_by == ["PP21"] and paragraphs["fn4"].page == paragraphs["PP21"].page


def test_calls_glued_or_spaced_come_out_in_reading_order():
    assert take_calls("by the 2010,1 20132 and 20153 reports", ["1", "2", "3"]) == \
        ("by the 2010, 2013 and 2015 reports", [0, 1, 2])
    assert take_calls("the 2010, 1 2013 2 and 2015 3 reports", ["1", "2", "3"]) == \
        ("the 2010, 2013 and 2015 reports", [0, 1, 2])
    assert take_calls("in the Context of International Security;3", ["3"]) == \
        ("in the Context of International Security;", [0])
    assert take_calls("Declaration of Human Rights 1 and the Covenant, 2 the", ["1", "2"]) == \
        ("Declaration of Human Rights and the Covenant, the", [0, 1])
    # the next call is 5: an earlier or later number is text, however it is printed
    assert take_calls("Security;3 and the report,5 said", ["5"]) == ("Security;3 and the report, said", [0])


@pytest.mark.parametrize("text", [
    "see paragraph 1 of this article", "on 22 and 23 September 2024", "the UNDC2 building",
    "the estimated annual 4 trillion dollar gap", "para. 1.6 of the report", "resolution 2 of the Council",
])
def test_numbers_that_belong_to_the_text_stay(text):
    assert take_calls(text, ["1", "2", "4", "6", "22"]) == (text, [])


def test_docs_check_reports_text_still_glued_to_calls(tmp_path):
    source = tmp_path / "NOTE-1.txt"
    source.write_text("The reports of the Group of Governmental Experts on Developments in the Field of Information "
                      "and Telecommunications in the Context of International Security;3 guide States.\n",
                      encoding="utf-8")
    doc = read_document(source)
    reasons = check_document(doc, chunk_document(doc))
    assert any("glued to footnote calls" in r and "Security;3" in r for r in reasons)
    assert glued_calls("A/CONF.157/24/Rev.1 and SDG16 and COVID-19") == []


def test_a_markdown_file_without_masthead_takes_its_first_heading_as_title(tmp_path):
    source = tmp_path / "call.md"
    source.write_text("![logo](x.png)\n\n# Paris Call for Trust and Security in Cyberspace\n\n"
                      "We reaffirm our support to an open, secure, stable, accessible and peaceful cyberspace.\n",
                      encoding="utf-8")
    doc = read_document(source)
    assert doc.title == "Paris Call for Trust and Security in Cyberspace" and doc.kind == "declaration"
    (tmp_path / "out").mkdir()
    added = add_file(source, tmp_path / "out", {}, Overrides())
    assert "title: Paris Call for Trust and Security in Cyberspace" in added.target.read_text(encoding="utf-8")


def test_unnumbered_paragraphs_are_cited_with_their_page():
    assert cite("PARIS-CALL-2018", "¶4", "declaration", "", 2) == "PARIS-CALL-2018, ¶4 (p. 2)"
    assert cite("A/RES/73/27", "1.6", "resolution", "", 3) == "A/RES/73/27, para. 1.6"
    assert cite("X/1", "Switzerland ¶12", "statement compendium", "Switzerland (unofficial translation)", 23) == \
        "X/1, Switzerland (unofficial translation), ¶12 (p. 23)"
    assert cite("X/1", "El Salvador ¶3") == "X/1, El Salvador, ¶3"
