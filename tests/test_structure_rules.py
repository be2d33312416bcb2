"""Where a text says what is asked: its agenda paragraph, a preamble that welcomes, a treaty's articles, the year's copy."""

from __future__ import annotations

import pytest

import assistant.search.weights as weights
from assistant.index.lexical import tokenize
from assistant.search.citations import named_speakers
from assistant.search.structure import asks_follow_up, asks_mandate, is_fact_question, keeps_on_agenda, title_words
from corpus_fixtures import fake_searcher, resolution


def titled(session: int, year: int, title: str, body: str) -> str:
    return resolution(session, year, body).replace("Protection of undersea cables", title)


# Each text's paragraphs share the question's words; only the structure tells the answering one apart.
AGENDA = resolution(94, 2030, """Noting the report on undersea cable protection,

1. Calls upon States to protect undersea cables and to report to the Assembly on undersea cable protection;

2. Decides to include in the provisional agenda of its ninety-fifth session the item entitled "Protection of
undersea cables".
""")
WELCOMING = titled(93, 2030, "Expert group on cable repair", """Welcoming the work of the expert group on cable repair,

1. Requests the expert group on cable repair to report to the Assembly on the work of the group on cable repair;
""")
TREATY = titled(92, 2030, "Convention against Cable Sabotage", """Determined to let States freeze the money of gangs,
so that States freeze the money of cable sabotage gangs under this convention against cable sabotage,

1. Each State Party shall enable the freezing of proceeds of cable sabotage.
""")
RULES = titled(89, 2030, "Cable repair cooperation", """Stressing that States can refuse cable repair help harming security,

1. A State may refuse to give cable repair help when giving it would harm the security of that State.
""")
PROGRESS_2030 = titled(91, 2030, "Cable repair group", """Recalling that, at its eighth session, on 12 July 2030, the
cable repair group considered its progress report on cable repair,

1. Decides to continue the cable repair group.
""")
PROGRESS_2031 = titled(90, 2031, "Cable repair group", """Recalling that, at its eleventh session, on 11 July 2031,
the cable repair group considered its final report on cable repair,

1. Decides to end the cable repair group.
""")


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rules")
    for session, text in ((94, AGENDA), (93, WELCOMING), (92, TREATY), (91, PROGRESS_2030), (90, PROGRESS_2031),
                          (89, RULES)):
        (folder / f"A_RES_{session}_1.txt").write_text(text, encoding="utf-8")
    return fake_searcher([folder], tmp_path_factory.mktemp("rules-index"))


def top(answer) -> tuple[str, str]:
    return answer.results[0].symbol, answer.results[0].para


# (question, the paragraph that answers, the rule's weight, what comes first without the rule)
RULE_CASES = [
    # "will it come back?": the paragraph keeping the question on the agenda
    ("Will the Assembly come back to undersea cable protection at a later session?", ("A/RES/94/1", "2"),
     "FOLLOW_UP_BOOST", ("A/RES/94/1", "1")),
    # a text that welcomes nothing in its operative part welcomes in its preamble
    ("What does resolution 93/1 welcome about the expert group on cable repair?", ("A/RES/93/1", "PP1"),
     "PREAMBLE_VERB_BOOST", ("A/RES/93/1", "1")),
    # a treaty's rules are in its articles, not its preamble
    ("Does the cable sabotage convention let States freeze the money of cable sabotage gangs?", ("A/RES/92/1", "1"),
     "TREATY_PREAMBLE_PENALTY", ("A/RES/92/1", "PP1")),
    # what is allowed is set by operative paragraphs
    ("Can a State refuse cable repair help that would harm its security?", ("A/RES/89/1", "1"),
     "MODAL_PREAMBLE_PENALTY", ("A/RES/89/1", "PP1")),
]


@pytest.mark.parametrize("question, answer, rule, without", RULE_CASES, ids=[c[2] for c in RULE_CASES])
def test_the_structure_rule_finds_the_paragraph_that_answers(searcher, monkeypatch, question, answer, rule, without):
    assert top(searcher.ask(question, k=3)) == answer
    monkeypatch.setattr(weights, rule, 0.0)
    assert top(searcher.ask(question, k=3)) == without


def test_agenda_paragraphs_are_told_apart():
    assert keeps_on_agenda("Also decides to include in the provisional agenda of its eightieth session the item")
    assert keeps_on_agenda("Decides to continue its consideration of the question at its eighty-first session")
    assert not keeps_on_agenda("Decides to convene an open-ended working group")


def test_what_a_treaty_is_for_is_asked_of_its_preamble_too(searcher):
    searcher.keep_features = []
    searcher.ask("Why is the cable sabotage convention meant to let States freeze the money of cable sabotage gangs?", k=3)
    searcher.ask("Does the cable sabotage convention let States freeze the money of cable sabotage gangs?", k=3)
    (_, purpose), (_, rule) = searcher.keep_features
    searcher.keep_features = None
    assert "treaty_preamble" not in purpose and "treaty_preamble" in rule


@pytest.mark.parametrize("question", ["When will the General Assembly next take up human rights and technology?",
                                      "Will the topic come back on the Assembly's agenda next year?",
                                      "When will the Assembly take up privacy again?"])
def test_asking_when_the_assembly_returns_to_a_question(question):
    assert asks_follow_up(question)


def test_a_year_in_the_question_picks_the_copy_of_near_identical_words(searcher, monkeypatch):
    question = "On what date in 2030 did the cable repair group consider its progress report on cable repair?"
    answer = searcher.ask(question, k=3)
    assert top(answer) == ("A/RES/91/1", "PP1")
    assert [(s.symbol, s.para) for s in answer.results[0].similar_in] == [("A/RES/90/1", "PP1")]
    monkeypatch.setattr(weights, "YEAR_COPY", False)
    assert top(searcher.ask(question, k=3)) == ("A/RES/90/1", "PP1")  # otherwise the most recent copy


def test_a_state_that_sponsored_a_text_is_not_asked_as_a_speaker():
    question = "Did the 2023 resolution sponsored by Russia treat the working group as the central forum?"
    assert named_speakers(question, ("Russian Federation",)) == []
    assert named_speakers("What did Russia say about the working group?", ("Russian Federation",)) == ["Russian Federation"]
    assert not is_fact_question(question)
    assert is_fact_question("Who sponsored draft resolution A/C.1/73/L.37?")
    assert is_fact_question("Which States co-sponsored the draft?")


@pytest.mark.parametrize("question", ["What is the full title of resolution 76/19?",
                                      "Under what title was draft resolution A/C.1/73/L.37 tabled?",
                                      "What is the title of the Paris Call?"])
def test_a_texts_title_is_a_heading_fact(question):
    assert is_fact_question(question)


def test_a_plural_names_a_kind_of_text_not_one_text():
    assert title_words("Do the UN human rights resolutions on technology say X?", tokenize) == set()
    assert title_words("What does the 2023 resolution on rights and digital technologies say?", tokenize) >= {"right", "digital"}


def test_what_a_body_was_expected_to_do_asks_its_mandate():
    assert asks_mandate("Was the working group that began in 2021 also expected to weigh proposals by States?")
    assert asks_mandate("What was the mechanism supposed to do?")
    assert not asks_mandate("Are States expected to protect critical infrastructure?")  # no body named
