"""`norms trace` of a chapeau ("Calls upon Member States:") follows it with its list, not its formula words."""

from __future__ import annotations

from assistant.lineage.trace import trace
from corpus_fixtures import fake_searcher, resolution

LIST_A = ("1. Calls upon Member States:\n\n(a) To protect undersea cables from deliberate damage;\n\n"
          "(b) To share information on incidents affecting undersea cables;\n\n2. Decides to remain seized of the matter.")
LIST_B = ("1. Calls upon Member States:\n\n(a) To consider ratifying the convention on maritime boundaries;\n\n"
          "(b) To report on the delimitation of their continental shelf;\n\n2. Decides to remain seized of the matter.")


def test_a_chapeau_is_traced_with_its_sub_paragraphs(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "A_RES_95_1.txt").write_text(resolution(95, 2031, LIST_A), encoding="utf-8")
    (corpus / "A_RES_96_1.txt").write_text(resolution(96, 2032, LIST_A), encoding="utf-8")
    (corpus / "A_RES_97_1.txt").write_text(resolution(97, 2033, LIST_B), encoding="utf-8")
    searcher = fake_searcher([corpus], tmp_path / "index")
    lineage = trace(searcher, "A/RES/95/1", "1")
    assert lineage.source.text.startswith("Calls upon Member States: To protect undersea cables")
    same = [(link.paragraph.symbol, link.paragraph.para, link.relation) for link in lineage.chain if not link.is_source]
    assert ("A/RES/96/1", "1", "identical") in same
    # the same formula over another list is not the same paragraph, nor are the source's own sub-paragraphs
    assert not any(symbol == "A/RES/97/1" and relation == "identical" for symbol, _, relation in same)
    assert not any(symbol == "A/RES/95/1" for symbol, _, _ in same)
