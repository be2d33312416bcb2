"""Tests for assistant.search.references: which documents and paragraphs a question names."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.search.references import References, parse_references

KNOWN = [
    "A/RES/73/27",
    "A/RES/73/266",
    "A/RES/75/240",
    "A/RES/76/19",
    "A/RES/77/37",
    "A/RES/78/16",
    "A/RES/78/237",
    "A/RES/79/237",
    "A/RES/80/16",
    "A/C.1/73/L.37",
    "A/AC.292/2025/INF/5/Rev.1",
    "PARIS-CALL-2018",
    "A/RES/79/243",
    "A/RES/79/175",
    "A/RES/78/213",
    "A/70/174",
]
ALIASES = {"paris call": "PARIS-CALL-2018", "2015 gge report": "A/70/174"}


def parse(question: str) -> References:
    return parse_references(question, KNOWN, ALIASES)


# --- Documents -----------------------------------------------------------------------------------

SYMBOL_CASES = [
    # full symbols, any case, spaces after slashes, surrounding punctuation
    ("What does A/RES/73/27 say?", ["A/RES/73/27"]),
    ("what does a/res/73/27 say?", ["A/RES/73/27"]),
    ("Compare A/ RES/ 73/ 27 with A/RES/73/266", ["A/RES/73/27", "A/RES/73/266"]),
    ("Text of A/C.1/73/L.37 please", ["A/C.1/73/L.37"]),
    ("Is A/AC.292/2025/INF/5/Rev.1 the latest?", ["A/AC.292/2025/INF/5/Rev.1"]),
    ("is a/ac.292/2025/inf/5/rev.1 final", ["A/AC.292/2025/INF/5/Rev.1"]),
    ("The norms are in A/70/174.", ["A/70/174"]),
    ("The draft is A/C.1/73/L.37.", ["A/C.1/73/L.37"]),
    ("Both A/RES/73/27, and A/RES/77/37; agree", ["A/RES/73/27", "A/RES/77/37"]),
    ("The resolution (A/RES/73/27) says", ["A/RES/73/27"]),
    ("A/RES/73/27's mandate", ["A/RES/73/27"]),
    ("A/RES/73/27’s mandate", ["A/RES/73/27"]),
    ("A/RES/73/27 and again A/RES/73/27 and a/res/73/27", ["A/RES/73/27"]),
    ("Symbols in order: A/RES/78/16 then A/RES/73/27", ["A/RES/78/16", "A/RES/73/27"]),
    ("Tell me about PARIS-CALL-2018", ["PARIS-CALL-2018"]),
    # short forms
    ("What does 73/27 establish?", ["A/RES/73/27"]),
    ("resolution 77/37", ["A/RES/77/37"]),
    ("res. 77/37", ["A/RES/77/37"]),
    ("GA resolution 78/237", ["A/RES/78/237"]),
    ("General Assembly resolution 78/237", ["A/RES/78/237"]),
    ("A/RES 73/27", ["A/RES/73/27"]),
    ("the report 70/174", ["A/70/174"]),
    ("73/266 vs 73/27", ["A/RES/73/266", "A/RES/73/27"]),
    ("resolutions 73/27 and 73/266", ["A/RES/73/27", "A/RES/73/266"]),
    ("L.37", ["A/C.1/73/L.37"]),
    ("draft L.37", ["A/C.1/73/L.37"]),
    ("73/L.37", ["A/C.1/73/L.37"]),
    ("INF/5/Rev.1", ["A/AC.292/2025/INF/5/Rev.1"]),
    ("See 2025/INF/5/Rev.1.", ["A/AC.292/2025/INF/5/Rev.1"]),
    # aliases: case-insensitive, on word boundaries, any whitespace
    ("What does the Paris Call say about elections?", ["PARIS-CALL-2018"]),
    ("what does the PARIS   CALL say", ["PARIS-CALL-2018"]),
    ("The 2015 GGE report norms", ["A/70/174"]),
    ("the parisian callers", []),
    # the reference-style questions from the brief
    ("What does 77/37 decide about the programme of action?", ["A/RES/77/37"]),
    ("Under the L.37 draft, when would the new group be formed?", ["A/C.1/73/L.37"]),
    (
        "When was the working group created by 73/27 due to hold its organizational session?",
        ["A/RES/73/27"],
    ),
    ("Does A/RES/73/266 address cooperation between states against criminals?", ["A/RES/73/266"]),
    ("What milestone does 78/237 commemorate in its preamble?", ["A/RES/78/237"]),
]


@pytest.mark.parametrize(("question", "symbols"), SYMBOL_CASES)
def test_symbols(question: str, symbols: list[str]) -> None:
    refs = parse(question)
    assert refs.symbols == symbols
    assert refs.unknown == []


UNKNOWN_CASES = [
    ("What does A/RES/99/1 say?", [], ["A/RES/99/1"]),
    ("a/res/99/1", [], ["A/RES/99/1"]),
    ("A/RES/73/270", [], ["A/RES/73/270"]),  # not A/RES/73/27
    ("A/RES/73/27/Add.1", [], ["A/RES/73/27/Add.1"]),
    ("a/ac.292/2025/inf/5/rev.2", [], ["A/AC.292/2025/INF/5/Rev.2"]),
    ("S/RES/2341", [], ["S/RES/2341"]),
    ("E/2019/1", [], ["E/2019/1"]),
    ("A/75/816", [], ["A/75/816"]),
    ("resolution 99/1", [], ["99/1"]),
    ("res. 99/1", [], ["99/1"]),
    ("decision 72/512", [], ["72/512"]),
    ("document 99/1", [], ["99/1"]),
    ("A/RES 99/1", [], ["A/RES/99/1"]),
    ("resolutions 99/1, 99/2 and 99/3", [], ["99/1", "99/2", "99/3"]),
    ("draft L.99", [], ["L.99"]),
    ("A/RES/73/27 and A/RES/99/1", ["A/RES/73/27"], ["A/RES/99/1"]),
    ("A/RES/99/1 then a/res/99/1", [], ["A/RES/99/1"]),
]


@pytest.mark.parametrize(("question", "symbols", "unknown"), UNKNOWN_CASES)
def test_unknown_symbols(question: str, symbols: list[str], unknown: list[str]) -> None:
    refs = parse(question)
    assert refs.symbols == symbols
    assert refs.unknown == unknown


NOT_REFERENCES = [
    "Can a government hire intermediaries to carry out unlawful cyber operations on its behalf?",
    "How much extra time between formal sessions did the GA grant the working group for 2024-2025?",
    "What did Iran propose about the 2021–2025 OEWG?",
    "Is the hotline staffed 24/7?",
    "Do 3/4 of States support it?",
    "The group met on 12/05/2021.",
    "Does 173/27 exist?",  # not 73/27
    "What about 73/2?",  # not 73/27 or 73/266
    "What about 73/2666?",
    "Is TCP/IP and/or HTTP covered?",
    "A/B testing of s/he pronouns",
    "two-day meetings in 2019 lasting 5 years",
    "Which 11 norms apply in 2015?",
    "the 2021/22 session",
    "l.37 of the poem",
    "",
    "   ",
]


@pytest.mark.parametrize("question", NOT_REFERENCES)
def test_ordinary_text_names_nothing(question: str) -> None:
    refs = parse(question)
    assert (refs.symbols, refs.unknown, refs.paras) == ([], [], [])
    assert refs.rest == " ".join(question.split())
    assert refs.only_reference is False


MALFORMED = [
    ("A/RES/", [], [], []),
    ("A/RES/73/", [], [], []),
    ("What is A/RES/ about?", [], [], []),
    ("A/C.1/73/L.", [], [], []),
    ("L.", [], [], []),
    ("para (f)", [], [], []),
    ("paragraph", [], [], []),
    ("para 2019", [], [], []),
    ("OP", [], [], []),
    ("PP", [], [], []),
    ("footnote", [], [], []),
    ("(A/RES/73/27", ["A/RES/73/27"], [], []),
    ("A/RES/73/27)", ["A/RES/73/27"], [], []),
    ("para 13(f", [], [], ["13"]),  # unbalanced: keep the number, not the letter
    ("para 13f)", [], [], []),
    ("A/RES/73/27/", ["A/RES/73/27"], [], []),  # a dangling slash is ignored
    ("//73/27//", [], [], []),
]


@pytest.mark.parametrize(("question", "symbols", "unknown", "paras"), MALFORMED)
def test_malformed_references(
    question: str, symbols: list[str], unknown: list[str], paras: list[str]
) -> None:
    refs = parse(question)
    assert (refs.symbols, refs.unknown, refs.paras) == (symbols, unknown, paras)


def test_several_known_drafts_with_the_same_number_are_all_returned() -> None:
    known = KNOWN + ["A/C.1/74/L.37"]
    refs = parse_references("What changed in L.37?", known)
    assert refs.symbols == ["A/C.1/73/L.37", "A/C.1/74/L.37"]


def test_ambiguous_tail_is_not_guessed() -> None:
    known = ["A/AC.292/2025/INF/5/Rev.1", "A/AC.290/2021/INF/5/Rev.1"]
    assert parse_references("INF/5/Rev.1", known).symbols == []
    assert parse_references("2025/INF/5/Rev.1", known).symbols == ["A/AC.292/2025/INF/5/Rev.1"]


def test_without_aliases_and_with_alias_outside_corpus() -> None:
    assert parse_references("the Paris Call", KNOWN).symbols == []
    assert parse_references("the Paris Call", KNOWN, {"paris call": "X/1/2"}).symbols == []


def test_empty_corpus() -> None:
    refs = parse_references("A/RES/73/27 1.6", [])
    assert (refs.symbols, refs.unknown, refs.paras) == ([], ["A/RES/73/27"], ["1.6"])


# --- Paragraphs ----------------------------------------------------------------------------------

PARA_CASES = [
    ("para 13(f)", ["13(f)"]),
    ("para. 1.6", ["1.6"]),
    ("Para 3", ["3"]),
    ("paragraph 3", ["3"]),
    ("paragraphs 3 and 5", ["3", "5"]),
    ("paras 3, 5, and 7", ["3", "5", "7"]),
    ("paras 3-5", ["3", "4", "5"]),
    ("paragraphs 3 to 5", ["3", "4", "5"]),
    ("paras 1.6-1.8", ["1.6", "1.8"]),
    ("OP3", ["3"]),
    ("OP 3", ["3"]),
    ("OPs 3 and 4", ["3", "4"]),
    ("OP 1(a)", ["1(a)"]),
    ("operative paragraph 3", ["3"]),
    ("PP2", ["PP2"]),
    ("PP 2", ["PP2"]),
    ("preambular paragraph 2", ["PP2"]),
    ("preambular paragraphs 2 and 4", ["PP2", "PP4"]),
    ("What does 78/213 affirm in its first operative paragraph?", ["1"]),
    ("the third preambular paragraph of 75/240", ["PP3"]),
    ("its first paragraph", []),  # which part is not said: no label
    ("para 13 (f)", ["13(f)"]),
    ("13 (f)", ["13(f)"]),
    ("1(a)", ["1(a)"]),
    ("para 13(F)", ["13(f)"]),
    ("para 1(a)(ii)", ["1(a)(ii)"]),
    ("13(a), (b) and (c)", ["13(a)", "13(b)", "13(c)"]),
    ("norms 13(a) to (k)", [f"13({c})" for c in "abcdefghijk"]),
    ("norm 13(f)", ["13(f)"]),
    ("para 1(a)(i)-(iii)", ["1(a)(i)", "1(a)(ii)", "1(a)(iii)"]),
    ("footnote 2", ["fn2"]),
    ("fn. 2", ["fn2"]),
    ("¶4", ["¶4"]),
    ("¶ 4", ["¶4"]),
    ("A/RES/73/27 1.6", ["1.6"]),
    ("A/RES/73/27, 1.6", ["1.6"]),
    ("A/70/174 13(f)", ["13(f)"]),
    ("A/RES/73/27 3?", ["3"]),
    ("para 3 and footnote 2 and PP4", ["3", "fn2", "PP4"]),
    ("para 3, which says", ["3"]),
    ("para 3 (see above)", ["3"]),
    # not paragraphs
    ("A/RES/73/27 5 years later", []),
    ("in 2019", []),
    ("5 years", []),
    ("two-day meetings", []),
    ("norm 3", []),
    ("Article 2(a) of the Charter", []),
    ("pp. 3-5 of the book", []),
    ("version 1.6 of the software", []),
    ("What milestone does 78/237 commemorate in its preamble?", []),
]


@pytest.mark.parametrize(("question", "paras"), PARA_CASES)
def test_paragraph_labels(question: str, paras: list[str]) -> None:
    assert parse(question).paras == paras


# --- Rest and only_reference ---------------------------------------------------------------------

ONLY_REFERENCE_CASES = [
    ("A/RES/73/27 1.6", True, ["A/RES/73/27"], ["1.6"]),
    ("73/27 para 1.6", True, ["A/RES/73/27"], ["1.6"]),
    ("L.37 OP 3", True, ["A/C.1/73/L.37"], ["3"]),
    ("PP2 of 78/237", True, ["A/RES/78/237"], ["PP2"]),
    ("What does paragraph 3 of resolution 77/37 say?", True, ["A/RES/77/37"], ["3"]),
    ("Show the text of A/RES/73/27 para 1.6", True, ["A/RES/73/27"], ["1.6"]),
    ("see A/70/174, para. 13(f).", True, ["A/70/174"], ["13(f)"]),
    ("A/RES/99/1", True, [], []),
    ("What does 77/37 decide about the programme of action?", False, ["A/RES/77/37"], []),
    ("What milestone does 78/237 commemorate in its preamble?", False, ["A/RES/78/237"], []),
    ("Does A/RES/73/266 address cooperation between states against criminals?", False, ["A/RES/73/266"], []),
    ("What does the text say?", False, [], []),  # no reference at all
    ("", False, [], []),
]


@pytest.mark.parametrize(("question", "only", "symbols", "paras"), ONLY_REFERENCE_CASES)
def test_only_reference(question: str, only: bool, symbols: list[str], paras: list[str]) -> None:
    refs = parse(question)
    assert refs.only_reference is only
    assert refs.symbols == symbols
    assert refs.paras == paras


REST_CASES = [
    (
        "What does 77/37 decide about the programme of action?",
        "What does decide about the programme of action?",
    ),
    (
        "Under the L.37 draft, when would the new group be formed?",
        "Under the draft, when would the new group be formed?",
    ),
    ("Does A/RES/73/266 address   cooperation?", "Does address cooperation?"),
    ("What does GA resolution 78/237 say about it?", "What does say about it?"),
    ("Is the mandate (A/RES/73/27) narrow?", "Is the mandate narrow?"),
    ("A/RES/73/27's mandate", "mandate"),
    ("The norms are in A/70/174.", "The norms are in."),
    ("What does para 13(f) of the 2015 GGE report require?", "What does of the require?"),
    ("A/RES/73/27 1.6", ""),
    ("  many   spaces\there ", "many spaces here"),
]


@pytest.mark.parametrize(("question", "rest"), REST_CASES)
def test_rest(question: str, rest: str) -> None:
    assert parse(question).rest == rest


@pytest.mark.parametrize(
    ("question", "part"),
    [
        ("What milestone does 78/237 commemorate in its preamble?", "preambular"),
        ("PP2 of 78/237", "preambular"),
        ("the preambular paragraphs of 73/27", "preambular"),
        ("L.37 OP 3", "operative"),
        ("the operative part of 73/27", "operative"),
        ("What does 73/27 say?", ""),
        ("PP2 and OP3", ""),
    ],
)
def test_part(question: str, part: str) -> None:
    assert parse(question).part == part


# --- Robustness ----------------------------------------------------------------------------------

LONG_INPUTS = [
    "A/" * 50_000,
    "1/" * 50_000,
    "a" * 100_000,
    " " * 100_000 + "A/RES/73/27",
    "A/" + "a" * 100_000 + "_",
    "para 1." * 20_000,
    "(a)" * 30_000,
    "resolutions " + "1/1, " * 20_000,
    "What does A/RES/73/27 1.6 say? " * 3_000,
]


@pytest.mark.parametrize("question", LONG_INPUTS, ids=lambda q: repr(q[:12]))
def test_very_long_inputs_are_fast(question: str) -> None:
    started = time.perf_counter()
    refs = parse(question)
    assert time.perf_counter() - started < 3
    assert set(refs.symbols) <= set(KNOWN)


def test_long_question_keeps_order_and_deduplicates() -> None:
    refs = parse("What does A/RES/73/27 1.6 say? " * 3_000 + " and 77/37")
    assert refs.symbols == ["A/RES/73/27", "A/RES/77/37"]
    assert refs.paras == ["1.6"]


FRAGMENTS = [
    "A/RES/73/27", "a/res/", "73/27", "/", "L.37", "L.", "para", " ", "13(f)", "(", ")", "OP", "PP", "3",
    "1.6", ".", ",", "resolution ", "draft ", "¶", "footnote ", "Paris Call", "INF/5/Rev.1", "'s", "-",
    "and ", "2019", "A/", "S/RES/", "\n", "\u00a0", "ſ", "K",
]


@settings(max_examples=300, deadline=None)
@given(
    question=st.one_of(
        st.text(max_size=200),
        st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=5)), max_size=30).map("".join),
    ),
    known=st.lists(st.one_of(st.sampled_from(KNOWN), st.text(max_size=15)), max_size=8),
)
def test_never_raises_and_only_returns_known_symbols(question: str, known: list[str]) -> None:
    aliases = {"paris call": "PARIS-CALL-2018", "gge": known[0]} if known else None
    refs = parse_references(question, known, aliases)
    assert set(refs.symbols) <= set(known)
    assert len(refs.symbols) == len(set(refs.symbols))
    assert all(refs.paras) and all(refs.unknown)
    assert refs.rest == " ".join(refs.rest.split())


def test_speakers_named_in_a_question_are_found_and_topics_are_not():
    from assistant.search.references import parse_references

    speakers = ["El Salvador", "Switzerland", "Israel", "Iran (Islamic Republic of)", "European Union",
                "Russian Federation", "Nicaragua", "Nicaragua (joint statement of the Group of Like-Minded States)"]
    found = lambda q: parse_references(q, ["A/RES/73/27"], None, speakers).speakers  # noqa: E731
    assert found("What did Switzerland say about international law?") == ["Switzerland"]
    assert found("What is the position of the EU on capacity-building?") == ["European Union"]
    assert found("what did iran say about ransomware") == ["Iran (Islamic Republic of)"]
    assert found("What did Russia say about Switzerland?") == ["Russian Federation"]
    assert found("What did Nicaragua say?") == ["Nicaragua", "Nicaragua (joint statement of the Group of Like-Minded States)"]
    assert found("What did the General Assembly say about Israel?") == []
    assert found("Which norm protects critical infrastructure?") == []
    assert parse_references("What did Switzerland say?", ["A/RES/73/27"]).speakers == []  # no statements indexed


@pytest.mark.parametrize("printed, symbol, para", [
    ("A/RES/73/27, para. 1.6", "A/RES/73/27", "1.6"),
    ("A/C.1/73/L.37, OP 1(a)", "A/C.1/73/L.37", "1(a)"),
    ("A/C.1/73/L.37, PP3", "A/C.1/73/L.37", "PP3"),
    ("PARIS-CALL-2018, ¶4 (p. 2)", "PARIS-CALL-2018", "¶4"),
    ("A/AC.292/2025/INF/5/Rev.1, El Salvador, ¶3 (p. 7)", "A/AC.292/2025/INF/5/Rev.1", "El Salvador ¶3"),
    ("A/AC.292/2025/INF/5/Rev.1, El Salvador (courtesy translation), ¶25", "A/AC.292/2025/INF/5/Rev.1",
     "El Salvador ¶25"),
    ("A/AC.292/2025/INF/5/Rev.1, Tunisia (on behalf of the Arab Group), ¶2", "A/AC.292/2025/INF/5/Rev.1",
     "Tunisia (on behalf of the Arab Group) ¶2"),
    ("A/RES/79/243, annex art. 9(2)", "A/RES/79/243", "annex art. 9(2)"),
])
def test_printed_citations_parse_back(printed, symbol, para):
    from assistant.search.references import Citation, parse_citation

    assert parse_citation(printed) == Citation(symbol, para)


def test_a_bare_symbol_is_no_citation():
    from assistant.search.references import parse_citation

    assert parse_citation("A/RES/73/27") is None and parse_citation("A/RES/73/27, ") is None
