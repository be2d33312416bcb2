"""`norms docs --check`: broken-looking documents are flagged with the reason; sound ones are not."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from assistant.documents.chunk import chunk_document
from assistant.cli.ask import run_docs
from assistant.documents.check import check_corpus, check_document
from assistant.documents.furniture import PAGE_BREAK
from assistant.records import Document, Paragraph
from assistant.documents.read import read_document

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"

MASTHEAD = {"distribution": "General", "distributed": "2030-01-03"}
SENTENCE = "States should not conduct or knowingly support ICT activity that damages critical infrastructure."


def document(symbol="A/RES/99/1", meta=None, body=None) -> Document:
    return Document(symbol, "A title", "2030-01-02", "resolution", "en", "x.md",
                    body=body if body is not None else [SENTENCE], meta=MASTHEAD if meta is None else meta)


def paragraphs(*texts: str, language: str = "en") -> list[Paragraph]:
    return [Paragraph("A/RES/99/1", str(i + 1), t, i, role="operative", language=language) for i, t in enumerate(texts)]


def test_a_sound_document_has_no_reasons():
    assert check_document(document(), paragraphs(SENTENCE, SENTENCE)) == []


def test_no_paragraphs():
    notes_only = [Paragraph("A/RES/99/1", "fn1", "A/76/135.", 0, role="footnote")]
    assert check_document(document(), notes_only) == ["no paragraphs found"]


def test_a_un_symbol_without_a_masthead():
    reasons = check_document(document(meta={}), paragraphs(SENTENCE, SENTENCE))
    assert len(reasons) == 1 and "no UN masthead" in reasons[0]
    assert check_document(document(symbol="PARIS-CALL-2018", meta={}), paragraphs(SENTENCE, SENTENCE)) == []


def test_mostly_not_english():
    french = "Les États ne devraient pas mener ni soutenir sciemment des activités TIC qui endommagent des réseaux."
    reasons = check_document(document(), paragraphs(french, french, language="fr") + paragraphs(SENTENCE))
    assert len(reasons) == 1 and "mostly non-English" in reasons[0] and "fr" in reasons[0]


def test_suspiciously_short():
    assert check_document(document(), paragraphs("Decides."))[0].startswith("suspiciously short (1 words)")
    pages = [SENTENCE, PAGE_BREAK, "", PAGE_BREAK, "", PAGE_BREAK, ""]
    reasons = check_document(document(body=pages), paragraphs(SENTENCE, SENTENCE))
    assert len(reasons) == 1 and "for 4 pages" in reasons[0]


def test_garbled_text():
    broken = "St\ufffd\ufffdes sh\ufffdu\ufffdd n\ufffdt c\ufffdnduct (cid:12)(cid:15) activity that damages things."
    reasons = check_document(document(), paragraphs(broken, SENTENCE))
    assert any(r.startswith("garbled text") for r in reasons)


@pytest.mark.shared
def test_the_real_documents_look_sound():
    for folder in ("cyber", "seed"):
        for result in check_corpus([SHARED / folder]):
            assert result.reasons == [], result


@pytest.mark.shared
def test_a_real_document_cut_short_is_flagged(tmp_path):
    original = read_document(SHARED / "cyber" / "A_RES_73_27.txt")
    assert check_document(original, chunk_document(original)) == []
    headless = tmp_path / "A_RES_73_27.txt"  # the same text with its first page gone
    text = (SHARED / "cyber" / "A_RES_73_27.txt").read_text(encoding="utf-8")
    headless.write_text(text[text.index("Recalling its resolutions") :], encoding="utf-8")
    reasons = check_corpus([tmp_path])[0].reasons
    assert any("no UN masthead" in r for r in reasons)


def run_check(corpus: Path, fmt: str = "text") -> int:
    args = argparse.Namespace(corpus=[str(corpus)], index=str(corpus.parent / "no-index"), model="fake",
                              check=True, format=fmt)
    return run_docs(args)  # `norms docs --check`


def test_the_command_reads_files_not_the_index(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "GOOD-1.md").write_text(f"{SENTENCE}\n\n{SENTENCE}\n", encoding="utf-8")
    assert run_check(corpus) == 0
    assert "1 documents checked: all look sound" in capsys.readouterr().out
    (corpus / "A_RES_99_9.txt").write_text("Decides.\n", encoding="utf-8")
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.7 not really")
    assert run_check(corpus) == 1
    out = capsys.readouterr().out
    assert "A/RES/99/9" in out and "suspiciously short" in out and "no UN masthead" in out
    assert "unreadable: not a readable PDF" in out and "3 documents checked, 2 flagged" in out
    assert not (tmp_path / "no-index").exists()
    assert run_check(corpus, "json") == 1
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted(r["ok"] for r in rows) == [False, False, True]
