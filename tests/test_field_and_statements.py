"""Texts of the field win near-ties against general Assembly texts; "did any delegation ..." is asked of the statements."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from assistant.search import weights
from assistant.search.field import FULL_SHARE, field_of_documents
from assistant.search.names import CorpusNames
from corpus_fixtures import ROOT, fake_searcher, resolution

QUESTION = "Which text asks States to keep cable repair ships ready to repair damaged undersea cables?"
CYBER = resolution(95, 2030, """Noting that digital networks and ICTs depend on undersea cables,

1. Invites States and operators to keep cable repair ships ready so that they repair damaged undersea cables;
""").replace("Protection of undersea cables", "Cyber security of undersea cables")
FISHERIES = resolution(96, 2030, """Noting the importance of sustainable fisheries,

1. Calls upon States to keep cable repair ships ready to repair damaged undersea cables;
""").replace("Protection of undersea cables", "Sustainable fisheries")


def test_field_share_per_document():
    matches = np.array([1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0])
    doc_of_row = np.array([0] * 10 + [1])
    share = field_of_documents(matches, doc_of_row, 3)
    assert share[0] == pytest.approx(min(1.0, 0.1 / FULL_SHARE)) and share[1] == 1.0 and share[2] == 0.0


@pytest.fixture(scope="module")
def searchers(tmp_path_factory):
    out = {}
    for name, texts in (("mixed", {"A_RES_95_1.txt": CYBER, "A_RES_96_1.txt": FISHERIES}),
                        ("other field", {"A_RES_96_1.txt": FISHERIES})):
        folder = tmp_path_factory.mktemp(name.replace(" ", "-"))
        for file, text in texts.items():
            (folder / file).write_text(text, encoding="utf-8")
        out[name] = fake_searcher([folder], tmp_path_factory.mktemp(f"{name.replace(' ', '-')}-index"))
    return out


def test_a_near_tie_goes_to_the_text_of_the_field(searchers, monkeypatch):
    assert searchers["mixed"].ask(QUESTION, k=2).results[0].symbol == "A/RES/95/1"
    monkeypatch.setattr(weights, "OFF_FIELD_PENALTY", 0.0)  # the fixture needs the rule: by words the other text wins
    assert searchers["mixed"].ask(QUESTION, k=2).results[0].symbol == "A/RES/96/1"


def test_a_corpus_of_another_field_keeps_its_scores(searchers, monkeypatch):
    with_rule = [(h.symbol, h.para, h.score) for h in searchers["other field"].ask(QUESTION, k=3).results]
    monkeypatch.setattr(weights, "OFF_FIELD_PENALTY", 0.0)
    assert [(h.symbol, h.para, h.score) for h in searchers["other field"].ask(QUESTION, k=3).results] == with_rule


def test_a_text_named_by_its_subject_is_the_best_title_match():
    from assistant.records import DocInfo

    docs = {s: DocInfo(s, t, "2023-12-19", "resolution", "en", "") for s, t in (
        ("A/RES/78/213", "Promotion and protection of human rights in the context of digital technologies"),
        ("A/RES/78/100", "Report of the Human Rights Council"),
        ("A/RES/79/175", "The right to privacy in the digital age"))}
    names = CorpusNames(docs, [])
    words = {"human", "right", "digital", "technology"}
    assert names.titled(words) == {"A/RES/78/213", "A/RES/78/100", "A/RES/79/175"}  # half the words each
    assert names.titled(words, best=True) == {"A/RES/78/213"}


def test_any_delegation_is_asked_of_the_statements(tmp_path, monkeypatch):
    # the compendium (statements) beside a made-up resolution on the same subject
    shutil.copy(ROOT / "corpus" / "A_AC.292_2025_INF_5_Rev.1.md", tmp_path)
    (tmp_path / "A_RES_97_1.txt").write_text(resolution(97, 2030, """1. Invites delegations to contribute actively, based
on a firm commitment to the Working Group, a forum of crucial importance for developing countries;
"""), encoding="utf-8")
    searcher = fake_searcher([tmp_path], tmp_path / "index")

    def gap(question: str) -> float:
        """How far the Cuban statement's score stands above the resolution's paragraph."""
        scores = {h.symbol: h.score for h in searcher.ask(question, k=10).results}
        return scores["A/AC.292/2025/INF/5/Rev.1"] - scores["A/RES/97/1"]

    monkeypatch.setattr("assistant.search.searcher.shown_score", lambda fused, line=None: fused)
    asked = "Did any delegation say it contributes actively, based on a firm commitment to the Working Group?"
    lifted = gap(asked)
    monkeypatch.setattr(weights, "STATEMENT_BOOST", 0.0)
    assert lifted == pytest.approx(gap(asked) + 0.1, abs=1e-3)
    # a question not about what delegations said lifts no statement
    monkeypatch.setattr(weights, "STATEMENT_BOOST", 0.1)
    plain = "Is a firm commitment to the Working Group of crucial importance for developing countries?"
    with_boost = gap(plain)
    monkeypatch.setattr(weights, "STATEMENT_BOOST", 0.0)
    assert with_boost == pytest.approx(gap(plain), abs=1e-6)


def test_a_name_only_the_resolutions_hold_answers_nothing_asked_of_the_delegations(tmp_path, monkeypatch):
    shutil.copy(ROOT / "corpus" / "A_AC.292_2025_INF_5_Rev.1.md", tmp_path)
    (tmp_path / "A_RES_97_1.txt").write_text(resolution(97, 2030, """1. Welcomes the Zephyr Accord on Data Flows as
a tool for cooperation among States on the security of information and communications technologies;
"""), encoding="utf-8")
    searcher = fake_searcher([tmp_path], tmp_path / "index")
    asked = "Which delegation referred to the Zephyr Accord in its statement?"
    assert searcher.ask(asked, k=3).request["unknown_names"] == ["Zephyr Accord"]
    assert searcher.ask(asked, k=3).confidence == "low"
    # asked of the texts in general, the resolution holds the name
    assert searcher.ask("What does the General Assembly say about the Zephyr Accord?", k=3).request["unknown_names"] == []
    monkeypatch.setattr(weights, "STATEMENT_PHRASES", False)
    assert searcher.ask(asked, k=3).request["unknown_names"] == []
