"""`norms trace`: candidates, relations, date order, diffs against the previous version, output and the command."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

import assistant.cli.lineage as commands_lineage
from assistant.errors import UsageError
from assistant.lineage.trace import IDENTICAL, NEAR_IDENTICAL, RELATED, classify, label_key, trace, trace_text
from assistant.lineage.render import GREEN, RED, RESET, trace_to_dict, trace_to_markdown, trace_to_text
from assistant.lineage.worddiff import EQUAL, INSERT, content_words, overlap, words
from corpus_fixtures import fake_searcher, resolution

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"


NORM = ("Calls upon States not to conduct or knowingly support activity that intentionally damages "
        "undersea cables providing services to the public;")
NEAR = ("Calls upon all States not to conduct or knowingly support activity that intentionally damages "
        "undersea cables providing essential services to the public;")
QUOTING = ("Recalls that it calls upon States not to conduct or knowingly support activity that intentionally "
           "damages undersea cables providing services to the public, and stresses the need for regional "
           "cooperation in the repair of damaged cables;")
HOSTILE = NORM.replace("knowingly", "\x1b[31mknowingly\x1b[0m\x1b]8;;http://x\x07").replace("public", "pub\x9b2Jlic")
REPORT = "Requests the Secretary-General to submit a report on the implementation of the present resolution."
OTHER = "Encourages States to exchange views on the repair of undersea cables in regional forums."

DOCS = [  # session, year, op1, op2: symbol order is not date order
    (95, 2031, NORM, REPORT),
    (93, 2032, NORM, OTHER),
    (94, 2032, NEAR, REPORT),
    (96, 2033, QUOTING, REPORT),
    (97, 2034, HOSTILE, REPORT),
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    for session, year, op1, op2 in DOCS:
        text = resolution(session, year, "Recalling its earlier resolutions on the protection of undersea cables,"
                          f"\n\n1. {op1}\n\n2. {op2}")
        (folder / f"A_RES_{session}_1.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def searcher(corpus, tmp_path_factory):
    index = tmp_path_factory.mktemp("index")
    return fake_searcher([corpus], index)


@pytest.fixture(scope="module")
def lineage(searcher):
    return trace(searcher, "A/RES/95/1", "1")


def chain_of(lineage):
    return [(link.paragraph.symbol, link.paragraph.para, link.relation) for link in lineage.chain]


def test_chain_is_ordered_by_date_then_symbol(lineage):
    assert chain_of(lineage) == [
        ("A/RES/95/1", "1", IDENTICAL),
        ("A/RES/93/1", "1", IDENTICAL),
        ("A/RES/94/1", "1", NEAR_IDENTICAL),
        ("A/RES/96/1", "1", RELATED),
        ("A/RES/97/1", "1", IDENTICAL),
    ]
    dates = [link.doc.date for link in lineage.chain]
    assert dates == sorted(dates)


def test_source_is_included_and_marked(lineage):
    sources = [link for link in lineage.chain if link.is_source]
    assert len(sources) == 1 and sources[0].paragraph.symbol == "A/RES/95/1" and sources[0].similarity == 1.0
    assert (lineage.source.symbol, lineage.source.para, lineage.source.date) == ("A/RES/95/1", "1", "2031-12-05")


def test_unrelated_paragraphs_stay_out(lineage):
    assert not any(link.paragraph.para == "2" or link.paragraph.para.startswith("PP") for link in lineage.chain)


def test_each_version_is_diffed_against_the_closest_earlier_one(lineage):
    first, identical, near, quoting, hostile = lineage.chain
    assert first.previous is None and [op.op for op in first.diff] == [EQUAL]
    assert identical.previous is first and [op.op for op in identical.diff] == [EQUAL]
    assert near.previous is identical  # both earlier ones share its words; the latest wins
    assert [op.text for op in near.diff if op.op == INSERT] == ["all", "essential"]
    assert quoting.previous is not None and any(op.op == INSERT and "regional" in op.text for op in quoting.diff)
    assert 0.8 <= near.similarity < 1.0


def test_trace_of_text_finds_the_same_language(searcher):
    result = trace_text(searcher, NORM)
    assert result.source.symbol is None and not any(link.is_source for link in result.chain)
    found = {(link.paragraph.symbol, link.relation) for link in result.chain}
    assert {("A/RES/95/1", IDENTICAL), ("A/RES/93/1", IDENTICAL), ("A/RES/94/1", NEAR_IDENTICAL)} <= found
    with pytest.raises(UsageError, match="nothing to trace"):
        trace_text(searcher, " ;; ")
    with pytest.raises(UsageError, match="at least 5 words"):
        trace_text(searcher, "undersea cables")


def test_unknown_document_or_paragraph_is_a_usage_error(searcher):
    with pytest.raises(UsageError, match="unknown document"):
        trace(searcher, "A/RES/12/345", "1")
    with pytest.raises(UsageError, match="has no paragraph '9'"):
        trace(searcher, "A/RES/95/1", "9")


def relation(source: str, other: str, cosine: float):
    a, b = words(source), words(other)
    shared = len(set(content_words(a)) & set(content_words(b)))
    return classify(a == b, overlap(a, b), cosine, shared)


def test_lists_of_resolutions_relate_only_when_near_identical():
    first = "Recalling its resolutions 53/70 of 4 December 1998, 54/49 of 1 December 1999 and 55/28 of 20 November 2000,"
    other = "Recalling its resolutions 61/54 of 6 December 2006, 62/17 of 5 December 2007 and 63/37 of 2 December 2008,"
    assert relation(first, other, cosine=0.95) is None
    assert relation(first, first.replace(" and 55/28", ", 55/28"), cosine=0.99) == NEAR_IDENTICAL


def test_related_needs_runs_of_words_not_scattered_ones():
    norm = "States should protect their critical infrastructure from threats to the security of information systems"
    extended = ("States should protect their critical infrastructure from threats to the security of information systems, "
                "and should cooperate with the private sector in doing so")
    scattered = ("States of the region should, in their cooperation, consider critical questions of infrastructure and "
                 "respond to threats from many sources to the peace and security of the world and its information and "
                 "communication systems")
    assert relation(norm, extended, cosine=0.7) == RELATED  # kept inside a longer version
    assert relation(norm, scattered, cosine=0.7) is None


def test_labels_match_as_people_type_them():
    assert label_key("OP 1 (a)") == label_key("1(a)") == label_key("op1(a)")
    assert label_key("para. 1.6") == label_key("1.6") and label_key("pp3") == label_key("PP3")
    assert label_key("¶4") == label_key("¶ 4") != label_key("4")


def test_json_schema(lineage):
    data = json.loads(json.dumps(trace_to_dict(lineage)))
    assert set(data) == {"source", "omitted", "chain"}
    assert set(data["source"]) == {"symbol", "para", "citation", "date", "text"}
    for entry in data["chain"]:
        assert set(entry) == {"symbol", "para", "citation", "date", "kind", "relation", "similarity", "cosine",
                              "source", "text", "previous", "diff"}
        assert entry["relation"] in ("identical", "near-identical", "related")
        assert all(set(op) == {"op", "text"} and op["op"] in ("equal", "insert", "delete") for op in entry["diff"])
    assert data["chain"][0]["source"] is True and data["chain"][0]["previous"] is None
    assert data["chain"][2]["previous"] == {"symbol": "A/RES/93/1", "para": "1", "citation": "A/RES/93/1, para. 1"}


def test_text_and_markdown_rendering(lineage):
    text = trace_to_text(lineage)
    flat = " ".join(text.split())
    assert text.startswith("Trace of A/RES/95/1, para. 1\n4 other paragraphs: 2 identical, 1 near-identical, 1 related")
    assert "2031-12-05 A/RES/95/1, para. 1 [source]" in flat
    assert "Calls upon {+all+} States" in flat and "same words as A/RES/95/1, para. 1" in flat
    assert max(len(line) for line in text.splitlines()) <= 80
    md = trace_to_markdown(lineage)
    assert "| 2031-12-05 | A/RES/95/1, para. 1 (source) | identical | 1.00 |" in md
    assert "Calls upon **all** States" in md


def test_hostile_text_never_reaches_output_raw(lineage):
    colour = trace_to_text(lineage, color=True)
    assert f"{GREEN}all{RESET}" in colour
    outputs = [trace_to_text(lineage), trace_to_markdown(lineage), json.dumps(trace_to_dict(lineage), ensure_ascii=False),
               colour.replace(GREEN, "").replace(RED, "").replace(RESET, "")]
    for out in outputs:
        assert not any(c in out for c in "\x1b\x07\x9b"), repr(out)


# -- the command ---------------------------------------------------------------------------------------------
def run(argv, capsys):
    parser = argparse.ArgumentParser(prog="norms")
    sub = parser.add_subparsers(dest="command")
    for command in commands_lineage.COMMANDS:
        command.add_arguments(sub.add_parser(command.name))
    args = parser.parse_args(argv)
    code = {c.name: c.run for c in commands_lineage.COMMANDS}[args.command](args)
    return code, capsys.readouterr().out


def test_trace_and_compare_commands(corpus, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("NORMS_CORPUS", raising=False)
    where = ["--corpus", str(corpus), "--index", str(tmp_path / "index"), "--model", "fake"]
    code, out = run(["trace", "A/RES/95/1", "OP", "1", "--format", "json", *where], capsys)
    assert code == 0 and [e["symbol"] for e in json.loads(out)["chain"]][:2] == ["A/RES/95/1", "A/RES/93/1"]
    code, out = run(["trace", "A/RES/95/1, para. 1", *where], capsys)
    assert code == 0 and out.startswith("Trace of A/RES/95/1, para. 1") and "\x1b" not in out
    code, out = run(["trace", "knowingly", "support", "activity", "that", "intentionally", "--format", "md", *where],
                    capsys)
    assert code == 0 and out.startswith("## Trace of (text)")
    code, out = run(["compare", "A/RES/95/1", "A/RES/94/1", "--format", "md", *where], capsys)
    assert code == 0 and "~~Requests~~" not in out and "**all**" in out
    with pytest.raises(UsageError, match="which paragraph"):
        run(["trace", "A/RES/95/1", *where], capsys)
    with pytest.raises(UsageError, match="unknown document"):
        run(["trace", "A/RES/12/3", "1", *where], capsys)


def test_colour_only_for_a_terminal_without_no_color(monkeypatch):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert commands_lineage.use_color()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not commands_lineage.use_color()


# -- the real documents ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real_searcher(tmp_path_factory):
    if not (SHARED / "seed").is_dir() or not (SHARED / "cyber").is_dir():
        pytest.skip("../shared/corpus is not present")
    index = tmp_path_factory.mktemp("real-index")
    return fake_searcher([SHARED / "seed", SHARED / "cyber"], index)


def test_critical_infrastructure_norm_is_not_confused_with_its_siblings(real_searcher):
    # 73/27 1.6 (the 2015 GGE norm) shares "critical infrastructure" and "should not conduct or knowingly
    # support" with norms 1.7, 1.8 and 1.12, but they are different norms
    result = trace(real_searcher, "A/RES/73/27", "para. 1.6")
    assert [(link.paragraph.symbol, link.paragraph.para) for link in result.chain] == [("A/RES/73/27", "1.6")]


def test_dual_use_paragraph_traces_from_the_draft_to_2023(real_searcher):
    result = trace(real_searcher, "A/RES/75/240", "PP8")
    assert chain_of(result) == [
        ("A/C.1/73/L.37", "PP5", IDENTICAL),
        ("A/RES/73/27", "PP8", NEAR_IDENTICAL),  # "ICTs" for "information and communications technologies"
        ("A/RES/73/266", "PP5", IDENTICAL),
        ("A/RES/75/240", "PP8", IDENTICAL),
        ("A/RES/78/237", "PP4", IDENTICAL),
    ]
    assert result.chain[0].citation() == "A/C.1/73/L.37, PP5"


def test_list_of_resolutions_traces_only_its_own_series(real_searcher):
    result = trace(real_searcher, "A/RES/78/237", "PP1")
    assert {link.relation for link in result.chain} <= {IDENTICAL, NEAR_IDENTICAL}
    assert {"A/C.1/73/L.37", "A/RES/73/27", "A/RES/75/240", "A/RES/78/237"} <= {l.paragraph.symbol for l in result.chain}


def test_searcher_offers_lineage_as_a_typed_result(searcher, lineage):
    from assistant.lineage.trace import Lineage
    from assistant.records import can_trace

    assert can_trace(searcher)
    typed = searcher.lineage("A/RES/95/1", "1")
    assert isinstance(typed, Lineage)  # rendering is the presentation layer's job
    assert trace_to_dict(typed) == trace_to_dict(lineage)
    with pytest.raises(UsageError):
        searcher.lineage("A/RES/95/1", "99")
