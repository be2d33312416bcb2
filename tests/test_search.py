"""Retrieval on a fixture corpus with the fake embedder: fusion, references, filters, grouping, highlights."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

import assistant.search.searcher as search_module
import assistant.search.weights as weights
from assistant.errors import UsageError
from assistant.search.highlight import best_sentences, sentences
from assistant.records import Filters
from assistant.dates import parse_when
from corpus_fixtures import fake_searcher

ROOT = Path(__file__).resolve().parent.parent

RESOLUTION = """United Nations
A/RES/{session}/{number}
General Assembly
Distr.: General
{day} December {year}

Resolution adopted by the General Assembly on {day} December {year}

{session}/{number}. Developments in the field of information and telecommunications

The General Assembly,

Recalling that undersea cables carry most international data traffic,

Expressing concern that a number of States are developing ICT capabilities for military purposes,

1. Calls upon States to protect undersea cables from deliberate damage;

2. {op2}
"""


def write(folder: Path, session: int, number: int, year: int, op2: str) -> None:
    text = RESOLUTION.format(session=session, number=number, year=year, day=5, op2=op2)
    (folder / f"A_RES_{session}_{number}.txt").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copy(ROOT / "corpus" / "A_C.1_73_L.37.md", folder)
    write(folder, 75, 240, 2020, "Decides to convene an open-ended working group on security in 2021.")
    write(folder, 78, 237, 2023, "Encourages States to report vulnerabilities responsibly. Welcomes the directory.")
    index = tmp_path_factory.mktemp("index")
    return fake_searcher([folder], index)


def test_repeated_language_collapses_into_one_hit(searcher):
    answer = searcher.ask("protect undersea cables from deliberate damage", k=5)
    top = answer.results[0]
    assert top.para == "1" and "undersea cables" in top.text
    others = {(a.symbol, a.para) for a in top.also_in}
    assert others == {(s, "1") for s in {"A/RES/75/240", "A/RES/78/237"} - {top.symbol}}
    # the k results are k different answers
    texts = [h.text for h in answer.results]
    assert len(texts) == len(set(texts))


def test_doc_filter_shows_that_documents_paragraph(searcher):
    answer = searcher.ask("protect undersea cables", k=3, filters=Filters(docs=["A/RES/78/237"]))
    assert answer.results and all(h.symbol == "A/RES/78/237" for h in answer.results)
    assert answer.request["filters"]["docs"] == ["A/RES/78/237"]


def test_named_document_restricts_results(searcher):
    answer = searcher.ask("What does 75/240 decide about a working group?", k=3)
    assert {h.symbol for h in answer.results} == {"A/RES/75/240"}
    assert answer.results[0].para == "2"
    assert answer.request["documents_named"] == ["A/RES/75/240"]


def test_reference_only_question_returns_that_paragraph_first(searcher):
    answer = searcher.ask("A/C.1/73/L.37 3", k=3)
    assert (answer.results[0].symbol, answer.results[0].para) == ("A/C.1/73/L.37", "3")
    answer = searcher.ask("L.37 OP 1(a)", k=3)
    assert (answer.results[0].symbol, answer.results[0].para) == ("A/C.1/73/L.37", "1(a)")


def test_unknown_symbol_is_reported(searcher):
    answer = searcher.ask("What does A/RES/99/999 say about cables?", k=3)
    assert any("A/RES/99/999" in n and "unknown" in n for n in answer.notices)


def test_year_and_kind_filters(searcher):
    answer = searcher.ask("undersea cables", k=5, filters=Filters(since="2021-01-01"))
    assert {h.symbol for h in answer.results} | {a.symbol for h in answer.results for a in h.also_in} <= {"A/RES/78/237"}
    answer = searcher.ask("working group", k=5, filters=Filters(kinds=["draft resolution"]))
    assert {h.symbol for h in answer.results} == {"A/C.1/73/L.37"}
    answer = searcher.ask("cables", k=5, filters=Filters(until="1990-12-31"))
    assert answer.results == [] and answer.notices


def test_unknown_document_filter_is_an_error(searcher):
    with pytest.raises(UsageError, match="unknown document"):
        searcher.ask("cables", filters=Filters(docs=["A/RES/12/34"]))


def test_empty_question_is_an_error(searcher):
    with pytest.raises(UsageError):
        searcher.ask("   \x1b[31m  ")


def test_long_question_is_truncated_with_notice(searcher):
    answer = searcher.ask("cables " * 3000, k=1)
    assert len(answer.question) == search_module.MAX_QUESTION
    assert any("truncated" in n for n in answer.notices)


def test_highlights_are_offsets_into_text(searcher):
    answer = searcher.ask("report vulnerabilities responsibly", k=3, filters=Filters(docs=["A/RES/78/237"]))
    hit = answer.results[0]
    assert hit.highlights
    start, end = hit.highlights[0]
    assert 0 <= start < end <= len(hit.text)
    assert hit.text[start:end] == "Encourages States to report vulnerabilities responsibly."


def test_sentences_cover_text_and_best_sentence_wins():
    text = "States should protect cables. States should report vulnerabilities; Welcomes the directory."
    spans = sentences(text)
    assert [text[a:b] for a, b in spans] == ["States should protect cables.", "States should report vulnerabilities;",
                                             "Welcomes the directory."]
    assert best_sentences(text, "vulnerability reporting") == [[30, 67]]
    assert best_sentences(text, "nothing in common") == []


def test_fusion_uses_both_signals(searcher, monkeypatch):
    """A word only BM25 can match (the fake embedder hashes it elsewhere) still ranks with fusion on."""
    question = "deliberate damage"
    monkeypatch.setattr(weights, "BM25_WEIGHT", 0.0)
    dense_only = [h.text for h in searcher.ask(question, k=3).results]
    monkeypatch.setattr(weights, "BM25_WEIGHT", 5.0)
    lexical_heavy = searcher.ask(question, k=3).results
    assert "deliberate damage" in lexical_heavy[0].text
    assert isinstance(dense_only, list)
    scores = [h.score for h in lexical_heavy]
    assert scores == sorted(scores, reverse=True)


def test_parse_when():
    assert parse_when("2021", end=False) == "2021-01-01"
    assert parse_when("2021", end=True) == "2021-12-31"
    assert parse_when("2020-05-06", end=True) == "2020-05-06"
    with pytest.raises(UsageError):
        parse_when("last year", end=False)


def test_documents_and_paragraphs(searcher):
    docs = searcher.documents()
    assert [d.symbol for d in docs] == ["A/C.1/73/L.37", "A/RES/75/240", "A/RES/78/237"]
    paras = searcher.paragraphs("a/res/75/240")
    assert [p.para for p in paras] == ["heading", "PP1", "PP2", "1", "2"]  # the heading unit comes first
    assert np.all(np.diff([p.order for p in paras]) > 0)
