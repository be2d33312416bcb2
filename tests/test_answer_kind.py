"""Questions that ask for a number, a person or a vote, and the words that only frame a question."""

from __future__ import annotations

import shutil

import pytest

import assistant.search.weights as weights
from assistant.search.answerkind import after_newest, answer_kind, gives
from assistant.search.silent import silent_states
from assistant.search.structure import is_question, unknown_phrases, without_frame
from corpus_fixtures import ROOT, fake_searcher, resolution

WITH_NUMBER = resolution(97, 2031, """Noting the work of the expert group on undersea cable repair,

1. Decides that the expert group on undersea cable repair shall hold twelve meetings of up to five days each;

2. Requests the expert group on undersea cable repair to report on its meetings to the Assembly;
""")
WITHOUT_NUMBER = resolution(98, 2032, """Noting the work of the expert group on undersea cable repair,

1. Decides that the expert group on undersea cable repair shall hold its meetings as needed;

2. Requests the expert group on undersea cable repair to report on its meetings to the Assembly;
""")


@pytest.mark.parametrize("question, kind", [
    ("How many States have ratified the convention so far?", "number"),
    ("How much funding did the Assembly approve?", "number"),
    ("What budget did the General Assembly approve for the mechanism?", "number"),
    ("What is the minimum key length for government encryption?", "number"),
    ("Who chaired the 2019-2021 Group of Governmental Experts?", "person"),
    ("How did each country vote when resolution 73/27 was adopted?", "vote"),
    ("In which city will the first session of the Conference of the States Parties be held?", "place"),
    ("Where will the cybercrime treaty be signed?", "place"),
    ("Who carried out the December 2015 cyberattack on the power grid?", "perpetrator"),
    ("Which State was blamed for the WannaCry ransomware?", "perpetrator"),
    ("How hard is it to prove who was behind a cyber incident?", None),  # attribution in general, no incident
    ("Do the texts acknowledge how much headway has been made?", None),  # a degree, not a quantity
    ("Can someone convicted abroad be moved to finish the prison term at home?", None),
    ("What prison term does the convention prescribe for illegal access?", "number"),
    ("Who is responsible for protecting critical infrastructure?", None),
    ("Which delegate introduced the draft in the First Committee?", "person"),
    ("What was the vote when the General Assembly adopted resolution 79/243?", "vote"),
    ("What does 77/37 decide about the programme of action?", None),
    ("Who sponsored draft resolution A/C.1/73/L.37?", None),  # the sponsors are in the heading: States, not a person
    ("Should States protect critical infrastructure?", None),
    ("How does the convention define ransomware?", "definition"),
    ("Who was the UN High Commissioner for Human Rights at the time?", "person"),
    ("By what deadline must supporters implement the principles?", "deadline"),
    ("How soon after the convention enters into force must its parties first meet?", "deadline"),
    ("What counts as a 'serious crime' under the convention?", "definition"),
])
def test_what_kind_of_answer_a_question_asks_for(question, kind):
    assert answer_kind(question) == kind


def test_which_paragraphs_give_a_number():
    assert gives("Decides to convene additional intersessional meetings of up to 10 days across 2024 and 2025;", "number")
    assert gives("shall enter into force on the ninetieth day after the deposit of the fortieth instrument", "number")
    # years, dates, symbols and references are not quantities
    assert not gives("Recalling its resolution 73/27 of 5 December 2018 and paragraph 3 of A/RES/75/240,", "number")
    assert not gives("(a) To continue to study existing and potential threats;", "number")
    assert gives("The Chair, Ambassador Burhan Gafoor, presented the report.", "person")
    assert not gives("The Chair presented the report to the group.", "person")
    assert gives("The draft resolution was adopted by a recorded vote of 119 to 46, with 14 abstentions.", "vote")
    assert not gives("Resolution adopted by the General Assembly on 5 December 2018.", "vote")
    assert not gives("Adopted by the General Assembly on 5 December 2018 at its 45th plenary meeting.", "number")
    assert gives("This Convention shall be open for signature in Hanoi in 2025.", "place")
    assert not gives("Decides that the group shall hold its organizational session in June 2019, in accordance with"
                     " Article 5.", "place")
    assert gives("Russia considers that the attack was carried out from the territory of Ukraine.", "perpetrator")
    assert not gives("States should not knowingly allow their territory to be used for wrongful acts.", "perpetrator")


@pytest.fixture(scope="module")
def cable_searchers(tmp_path_factory):
    out = {}
    for name, text in (("with", WITH_NUMBER), ("without", WITHOUT_NUMBER)):
        folder = tmp_path_factory.mktemp(f"cables-{name}")
        (folder / "A_RES_9X_1.txt").write_text(text, encoding="utf-8")
        out[name] = fake_searcher([folder], tmp_path_factory.mktemp(f"cables-{name}-index"))
    return out


def test_a_number_question_is_low_when_no_near_paragraph_gives_a_number(cable_searchers, monkeypatch):
    question = "How many meetings shall the expert group on undersea cable repair hold?"
    given = cable_searchers["with"].ask(question, k=3)
    assert "answer_kind_missing" not in given.request
    missing = cable_searchers["without"].ask(question, k=3)
    assert missing.request["answer_kind_missing"] == "number"
    assert missing.confidence == "low" and all(h.confidence == "low" and h.score < 0.5 for h in missing.results)
    assert any("none of the nearest gives a number" in n for n in missing.notices)
    # the ranking itself is unchanged: only the confidence and the shown score move
    monkeypatch.setattr(weights, "ANSWER_KIND", False)
    plain = cable_searchers["without"].ask(question, k=3)
    assert [(h.symbol, h.para) for h in plain.results] == [(h.symbol, h.para) for h in missing.results]
    assert "answer_kind_missing" not in plain.request


@pytest.mark.parametrize("question, asked", [
    ("Do the UN texts say governments may fight false news?", "governments may fight false news?"),
    ("Is there General Assembly language saying a country should refrain from smear campaigns?",
     "a country should refrain from smear campaigns?"),
    ("Does the Paris Call say anything about hackers meddling in votes?", "hackers meddling in votes?"),
    ("Does a State's authority extend over networks inside its borders, according to GA resolutions?",
     "Does a State's authority extend over networks inside its borders?"),
    ("Do States cooperate on incident response?", "Do States cooperate on incident response?"),  # no frame
    ("Does the resolution say that?", "Does the resolution say that?"),  # nothing left: kept whole
])
def test_the_words_asking_whether_the_texts_say_something_are_a_frame(question, asked):
    assert without_frame(question) == asked


def test_the_dense_query_leaves_the_frame_out(cable_searchers, monkeypatch):
    searcher = cable_searchers["with"]
    seen: list[str] = []
    encode = searcher.encoder.encode
    monkeypatch.setattr(searcher.encoder, "encode", lambda texts, *a, **kw: seen.extend(texts) or encode(texts, *a, **kw))
    searcher.ask("Do the resolutions recognise that cable repair experts should meet?", k=3)
    assert seen and not seen[-1].startswith("Do the resolutions") and seen[-1].startswith("cable repair experts should meet")
    monkeypatch.setattr(weights, "DENSE_WITHOUT_FRAME", False)
    searcher.ask("Do the resolutions recognise that cable repair experts should meet?", k=3)
    assert seen[-1].startswith("Do the resolutions recognise")


@pytest.mark.parametrize("question, silent", [
    ("What did China say in its national statement?", ["China"]),
    ("According to France, should the norms become binding?", ["France"]),
    ("What is the UK position on attribution?", ["United Kingdom of Great Britain and Northern Ireland"]),
    ("Does Japan think the norms are binding?", ["Japan"]),
    ("What did Russia say about the mechanism?", []),  # Russia has statements in the corpus
    ("What did the EU say about capacity-building?", []),  # not a State of the list
    ("Which country offered to host the signing ceremony?", []),  # no State named as a speaker
    ("What does the Assembly ask of us?", []),  # "us" is not the US
])
def test_states_asked_to_have_spoken_without_a_statement_in_the_corpus(question, silent):
    speakers = ["Argentina", "European Union", "Russian Federation", "United States of America"]
    assert silent_states(question, speakers) == silent


def test_what_a_state_without_a_statement_said_is_low_and_says_so(tmp_path_factory):
    folder = tmp_path_factory.mktemp("statements")
    shutil.copy(ROOT / "corpus" / "A_AC.292_2025_INF_5_Rev.1.md", folder)  # the OEWG compendium the project ships
    searcher = fake_searcher([folder], tmp_path_factory.mktemp("statements-index"))
    heard = searcher.ask("What did Brazil say about capacity-building?", k=3)
    assert "held_low" not in heard.request and heard.results[0].speaker.startswith("Brazil")
    unheard = searcher.ask("What did Chile say about capacity-building?", k=3)
    assert unheard.request["held_low"] == "statement" and unheard.confidence == "low"
    assert any("no statement by Chile" in n for n in unheard.notices)
    assert all(h.score < 0.5 for h in unheard.results)


def test_a_speaker_heard_only_in_another_language_is_ranked_by_shared_words(tmp_path_factory, monkeypatch):
    folder = tmp_path_factory.mktemp("french")
    shutil.copy(ROOT / "corpus" / "A_AC.292_2025_INF_5_Rev.1.md", folder)  # Niger's statement is in French
    searcher = fake_searcher([folder], tmp_path_factory.mktemp("french-index"))
    question = "What did Niger want clarified about due diligence in the final report?"
    first = searcher.ask(question, k=3).results[0]
    assert first.para == "Niger ¶4" and first.language == "fr" and "diligence raisonnable" in first.text
    monkeypatch.setattr(weights, "KEYWORDS_WHEN_ALL_FOREIGN", False)
    assert searcher.ask(question, k=3).results[0].para != "Niger ¶4"


def test_two_names_the_corpus_never_mentions_hold_the_answer_low(cable_searchers):
    one = cable_searchers["with"].ask("What did the Zorbanian panel say about undersea cable repair meetings?", k=3)
    assert one.request["unknown_names"] == ["Zorbanian"] and "held_low" not in one.request
    two = cable_searchers["with"].ask("What did the Zorbanian panel tell the Quexal board about undersea cable repair "
                                      "meetings?", k=3)
    assert two.request["held_low"] == "names" and two.confidence == "low"
    assert any("never mentions: Zorbanian, Quexal" in n for n in two.notices)
    # one name is enough when it heads the thing asked about (an instrument, an incident)
    headed = cable_searchers["with"].ask("What did the Zorbanian attack do to undersea cable repair meetings?", k=3)
    assert headed.request["unknown_names"] == ["Zorbanian"] and headed.request["held_low"] == "names"


def test_names_of_capitalised_words_no_text_holds():
    texts = ["States should cooperate through the Global Mechanism and its dedicated thematic groups."]
    known = lambda name: name == "South Korea"  # noqa: E731 - e.g. a State's other name
    assert unknown_phrases("Is the Counter Ransomware Initiative open to every State?", texts, known) == [
        "Counter Ransomware Initiative"]
    assert unknown_phrases("What does the Global Mechanism do?", texts, known) == []  # held by a text
    assert unknown_phrases("Does the EU Cyber Resilience Act oblige makers?", texts, known) == ["Cyber Resilience Act"]
    assert unknown_phrases("What did South Korea say?", texts, known) == []
    assert unknown_phrases("Global Mechanism thematic groups", texts, known) == []  # first word: the sentence's
    assert is_question("Is the Counter Ransomware Initiative open?") and not is_question("Counter Ransomware Initiative")


def test_a_question_about_a_name_no_near_paragraph_holds_is_low(cable_searchers, monkeypatch):
    searcher = cable_searchers["with"]
    known = searcher.ask("How does the Expert Group on undersea cable repair hold its meetings?", k=3)
    assert "held_low" not in known.request
    question = "How do the Cable Guardians hold their meetings on undersea cable repair?"  # one word unknown
    unknown = searcher.ask(question, k=3)
    assert unknown.request["held_low"] == "names" and unknown.request["unknown_names"] == ["Cable Guardians"]
    assert any("never mentions: Cable Guardians)" in n for n in unknown.notices)
    # a search-box query of the same words is a lookup, not a question about something else
    lookup = searcher.ask("Cable Guardians undersea cable repair meetings", k=3)
    assert "held_low" not in lookup.request and lookup.request["unknown_names"] == ["Guardians"]
    monkeypatch.setattr(weights, "PHRASE_NAMES", False)
    assert "held_low" not in searcher.ask(question, k=3).request


@pytest.mark.parametrize("question, after", [
    ("What decisions did the Global Mechanism take at its first session in 2032?", True),
    ("When will the group meet in 2032?", False),  # what a text plans for a later year may be in it
    ("What was the group supposed to do in 2032?", False),
    ("What did the group agree in 2031?", False),  # the newest text's own year
    ("What did the group agree?", False),
    ("What did the Assembly decide on privacy at its eighty-seventh session?", True),  # opens in 1945 + 87 = 2032
    ("What did the Assembly decide on privacy at its eighty-sixth session?", False),  # opens in 2031
    ("What will the Assembly take up at its ninetieth session?", False),
])
def test_what_happened_after_the_newest_text(question, after):
    assert after_newest(question, 2031) is after


def test_a_number_answers_only_when_it_counts_what_is_asked():
    # "how many experts": two meetings are not a count of experts, whatever the closeness of the paragraph
    meetings = "Requests the Chair of the group to organize two two-day informal consultative meetings, open to all."
    assert gives(meetings, "number") and not gives(meetings, "number", "How many experts sat on the group?")
    assert gives(meetings, "number", "How many consultative meetings did the Chair organize?")
    # the counted thing may be named by a word of the question's other words ("ratify" / "ratification")
    entry = "shall enter into force on the ninetieth day after the deposit of the fortieth instrument of ratification"
    assert gives(entry, "number", "How many countries must ratify the treaty before it takes effect?")
    # time and money are counted in their units
    extra = "Decides to convene additional intersessional meetings of up to 10 days across 2024 and 2025;"
    assert gives(extra, "number", "How much extra time between sessions did the Assembly grant?")
    assert not gives(extra, "number", "How much money did the Assembly budget for the extra meetings?")
    assert gives("a contribution of $2.5 million to the trust fund", "number", "How much money was pledged?")
    assert not gives("two sessions of a duration of 10 days each", "number", "Within how many years must a State act?")
    # what is counted is what follows "how many": sessions numbered are not delegations counted
    sessions = "Recalling that the group held its tenth and eleventh substantive sessions in 2025,"
    assert gives(sessions, "number", "How many substantive sessions did the group hold in 2025?")
    assert not gives(sessions, "number", "How many delegations took the floor at the eleventh substantive session?")
    # the Assembly's session numbers and paragraph references count nothing
    assert not gives("for further discussion at its seventy-eighth session", "number", "How many States submitted views?")
    assert not gives("[on the report of the First Committee (A/77/385, para. 11)]", "number", "How many States sponsored it?")


def test_a_time_limit_answers_a_deadline_question():
    question = "How soon after the convention enters into force must its parties first meet?"
    assert gives("The Conference shall be convened not later than one year following the entry into force.", "deadline",
                 question)
    assert not gives("States should respond to appropriate requests for assistance by another State.", "deadline",
                     question)


def test_a_definition_answers_a_definition_question():
    question = "What counts as a 'serious crime' under the convention?"
    assert gives("“Serious crime” shall mean conduct constituting an offence punishable by a maximum deprivation of "
                 "liberty of at least four years", "definition", question)
    # the marker must follow the term asked about, not another one
    assert not gives("“Traffic data” shall mean any electronic data relating to a communication", "definition", question)
    assert not gives("States Parties shall adopt measures to establish serious crimes as offences", "definition", question)


def test_a_question_about_what_happened_after_the_newest_text_is_low(cable_searchers):
    answer = cable_searchers["with"].ask("How many meetings did the expert group on undersea cable repair hold in 2035?", k=3)
    assert answer.request["held_low"] == "after" and answer.confidence == "low"
    assert any("the newest text is of 2031" in n for n in answer.notices)
