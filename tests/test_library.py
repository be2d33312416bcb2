"""The shipped library in corpus/: sound, dated, titled, of the right kind; its citations read back; its speakers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.documents.check import check_corpus
from assistant.documents.chunk import chunk_document
from assistant.documents.read import corpus_files, read_document
from assistant.records import cite
from assistant.search.references import parse_citation
from corpus_fixtures import ROOT, fake_searcher

LIBRARY = ROOT / "corpus"
KINDS = {  # every shipped document and the kind it must read as
    "A/C.1/73/L.37": "draft resolution", "A/RES/73/27": "resolution", "A/RES/73/266": "resolution",
    "A/RES/75/240": "resolution", "A/RES/76/19": "resolution", "A/RES/77/37": "resolution",
    "A/RES/78/16": "resolution", "A/RES/78/237": "resolution", "A/RES/79/237": "resolution",
    "A/RES/80/16": "resolution", "A/AC.292/2025/INF/5/Rev.1": "statement compendium",
    "PARIS-CALL-2018": "declaration", "A/RES/79/243": "resolution", "A/RES/78/213": "resolution",
    "A/RES/79/175": "resolution",
}
COMPENDIUM = "A/AC.292/2025/INF/5/Rev.1"


@pytest.fixture(scope="module")
def library() -> dict:
    """symbol -> (Document, paragraphs) for every shipped file."""
    out = {}
    for path in corpus_files([LIBRARY]):
        doc = read_document(path)
        out[doc.symbol] = (doc, chunk_document(doc))
    return out


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    return fake_searcher([LIBRARY], tmp_path_factory.mktemp("library-index"))


def test_the_library_holds_the_core_documents_each_dated_titled_and_of_its_kind(library):
    assert {symbol: doc.kind for symbol, (doc, _) in library.items()} == KINDS
    for symbol, (doc, paragraphs) in library.items():
        assert doc.date and doc.language == "en", symbol
        assert len(doc.title.split()) >= 5 and doc.title != symbol and "_" not in doc.title, symbol
        assert sum(p.role != "footnote" for p in paragraphs) >= 7, symbol
    assert library["PARIS-CALL-2018"][0].title == "Paris Call for Trust and Security in Cyberspace"
    assert library["A/RES/79/243"][0].title.startswith("United Nations Convention against Cybercrime")


def test_docs_check_finds_the_whole_library_sound():
    results = check_corpus([LIBRARY])
    assert len(results) == len(KINDS)
    assert {r.symbol: r.reasons for r in results if r.reasons} == {}


def test_the_readme_lists_every_file_and_is_no_document_itself():
    listed = {line.split("|")[1].strip() for line in (LIBRARY / "README.md").read_text(encoding="utf-8").splitlines()
              if line.startswith("| ") and line.split("|")[1].strip().endswith(".md")}
    assert listed == {p.name for p in corpus_files([LIBRARY])}
    assert "README.md" not in listed


def test_every_converted_file_names_its_source_and_the_pdfs_their_pages():
    for path in corpus_files([LIBRARY]):
        head = path.read_text(encoding="utf-8").split("\n---", 1)[0]
        if path.name == "A_C.1_73_L.37.md":
            continue  # the seed, shipped as the project started with it
        doc = read_document(path)
        source = doc.meta["source"]
        assert source == (f"https://undocs.org/{doc.symbol}" if "/" in doc.symbol else "https://pariscall.international/en/call")
        assert ("\npages: " in head) == (path.stem in {"A_RES_78_16", "A_RES_78_237", "A_RES_79_237", "A_RES_80_16",
                                                      "A_AC.292_2025_INF_5_Rev.1"}), path.name


def test_library_text_has_no_footnote_calls_glued_to_words(library):
    _, paragraphs = library["A/RES/73/266"]
    one_a = next(p for p in paragraphs if p.para == "1(a)")
    assert "by the 2010, 2013 and 2015 reports of the Group" in one_a.text
    assert one_a.footnotes == ["fn1", "fn2", "fn3"]
    _, paragraphs = library["A/RES/76/19"]
    by_label = {p.para: p for p in paragraphs}
    assert by_label["1"].text.endswith("International Security;") and by_label["1"].footnotes == ["fn2"]
    assert by_label["2"].text.endswith("International Security;") and by_label["2"].footnotes == ["fn3"]
    assert by_label["fn3"].cited_by == ["2"]


def test_compendium_paragraphs_belong_to_speakers_whose_counters_restart(library):
    _, paragraphs = library[COMPENDIUM]
    body = [p for p in paragraphs if p.role != "footnote"]
    speakers = {p.speaker for p in body if p.speaker}
    assert {"El Salvador", "El Salvador (courtesy translation)", "Switzerland", "Switzerland (unofficial translation)",
            "Russian Federation", "European Union"} <= speakers
    firsts = {}
    for p in body:
        if p.speaker:
            firsts.setdefault(p.speaker.split(" (")[0], p.para)
    assert firsts["El Salvador"] == "El Salvador ¶1" and firsts["European Union"] == "European Union ¶1"
    third = next(p for p in body if p.para == "El Salvador ¶3")
    assert third.text.startswith("El Salvador ha participado") and third.page == 7
    assert cite(COMPENDIUM, third.para, "statement compendium", third.speaker, third.page) == \
        "A/AC.292/2025/INF/5/Rev.1, El Salvador, ¶3 (p. 7)"
    translated = next(p for p in body if p.speaker == "El Salvador (courtesy translation)")
    assert translated.para == "El Salvador ¶25" and translated.text.startswith("El Salvador extends")
    assert all(p.speaker for p in body if p.para not in ("1", "2"))  # the Secretariat's two opening paragraphs


def test_every_citation_of_the_library_reads_back_to_its_paragraph(searcher):
    from assistant.cli.ask import _normalise_label

    checked = 0
    for info in searcher.documents():
        paragraphs = searcher.paragraphs(info.symbol)
        for p in paragraphs:
            cited = parse_citation(cite(p.symbol, p.para, info.kind, p.speaker, p.page))
            assert cited is not None, p.para
            doc = searcher.resolve_symbol(cited.symbol)
            found = [q for q in paragraphs if _normalise_label(q.para) == _normalise_label(cited.para)]
            assert doc.symbol == p.symbol and [q.para for q in found] == [p.para]
            checked += 1
    assert checked > 1200


def test_a_question_naming_a_state_is_answered_from_its_statements(searcher):
    answer = searcher.ask("What did Switzerland say about international law?", k=4)
    assert answer.results and all(h.speaker.startswith("Switzerland") for h in answer.results)
    assert answer.request["speakers_named"] == ["Switzerland"]
    assert all(h.citation().startswith(f"{COMPENDIUM}, Switzerland") and "(p. 2" in h.citation() for h in answer.results)
    other = searcher.ask("Which norm protects critical infrastructure?", k=5)
    assert other.request["speakers_named"] == []


def norms(*args: str, index: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NORMS_MODEL": "fake", "NORMS_INDEX": str(index), "NORMS_CORPUS": str(LIBRARY)}
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=300)


def test_pasted_citations_print_their_paragraph_and_unknown_ones_fail(tmp_path):
    index = tmp_path / "index"
    asked = norms("ask", "What did El Salvador say about critical infrastructure?", "-k", "3", "--format", "json",
                  index=index)
    assert asked.returncode == 0, asked.stderr
    hits = json.loads(asked.stdout)["results"]
    assert hits and all(h["speaker"] and h["page"] for h in hits)
    assert all(parse_citation(h["citation"]).para == h["para"] for h in hits)  # each reads back (shown below: one)
    pasted = [hits[0]["citation"], "A/RES/73/27, para. 1.6", "A/C.1/73/L.37, OP 1(a)"]
    for citation in pasted:
        shown = norms("show", citation, "--format", "json", index=index)
        assert shown.returncode == 0, shown.stderr
        data = json.loads(shown.stdout)
        assert len(data["paragraphs"]) == 1, citation
    shown = json.loads(norms("show", f"{COMPENDIUM}, El Salvador, ¶3", "--format", "json", index=index).stdout)
    assert shown["paragraphs"][0]["text"].startswith("El Salvador ha participado")
    assert shown["paragraphs"][0]["speaker"] == "El Salvador" and shown["paragraphs"][0]["page"] == 7
    for wrong in ("A/RES/73/27, para. 1.99", f"{COMPENDIUM}, Switzerland, ¶99"):
        failed = norms("show", wrong, index=index)
        assert failed.returncode != 0 and failed.stdout == ""
        assert failed.stderr.startswith("norms: ") and len(failed.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_the_readme_question_is_answered_from_the_library_with_the_real_model():
    # Exactly the README's command: the shipped corpus into the default index/ (built by the README's first
    # ask, as in CI, so this reuses it; on a new checkout it is built here once, as a user's first ask would).
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    for name in ("NORMS_MODEL", "NORMS_INDEX", "NORMS_CORPUS"):
        env.pop(name, None)
    asked = subprocess.run([sys.executable, "-m", "assistant", "ask", "Which norm protects critical infrastructure?",
                            "-k", "3", "--format", "json"], capture_output=True, text=True, env=env, cwd=ROOT,
                           timeout=1800)
    assert asked.returncode == 0, asked.stderr
    cited = [h["citation"] for h in json.loads(asked.stdout)["results"]]
    assert {"A/RES/73/27, para. 1.6", "A/RES/73/27, para. 1.7"} <= set(cited)
    swiss = subprocess.run([sys.executable, "-m", "assistant", "ask", "What did Switzerland say about international "
                            "humanitarian law?", "-k", "3", "--format", "json"], capture_output=True, text=True,
                           env=env, cwd=ROOT, timeout=600)
    hits = json.loads(swiss.stdout)["results"]
    assert hits[0]["speaker"].startswith("Switzerland") and "humanitarian law" in hits[0]["text"]


def test_a_pasted_speaker_citation_asked_as_a_question_comes_first(searcher):
    answer = searcher.ask(f"{COMPENDIUM}, El Salvador, ¶3", k=2)
    assert answer.results[0].para == "El Salvador ¶3" and answer.results[0].speaker == "El Salvador"
