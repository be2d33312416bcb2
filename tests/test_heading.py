"""The heading unit: each document's own facts (sponsors, adoption, committee report) as a citable paragraph."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from assistant.documents.chunk import chunk_document, indexed_paragraphs
from assistant.documents.heading import heading_text, masthead_facts
from assistant.documents.read import read_document
from corpus_fixtures import ROOT, SEED, fake_searcher

L37_SPONSORS = ("Australia, Austria, Belgium, Bulgaria, Canada, Croatia, Cyprus, Czechia, Denmark, Estonia, Finland, "
                "France, Georgia, Germany, Greece, Hungary, Ireland, Israel, Italy, Japan, Latvia, Lithuania, "
                "Luxembourg, Malawi, Malta, Netherlands, Poland, Portugal, Romania, Slovakia, Slovenia, Spain, Sweden, "
                "Ukraine, United Kingdom of Great Britain and Northern Ireland and United States of America")


def test_seed_heading_names_the_draft_and_its_sponsors():
    doc = read_document(SEED)
    paragraphs = indexed_paragraphs(doc)
    heading = paragraphs[0]
    assert (heading.para, heading.role, heading.order) == ("heading", "heading", 0)
    assert f"Sponsors: {L37_SPONSORS}: draft resolution." in heading.text  # the masthead's own words
    assert "A/C.1/73/L.37: Advancing responsible State behaviour in cyberspace" in heading.text
    assert "First Committee" in heading.text
    # the agenda item's title, one blank line under the item in the Markdown
    assert ("Seventy-third session, agenda item 96: Developments in the field of information and telecommunications "
            "in the context of international security.") in heading.text
    assert "18 October 2018" in heading.text
    # the body paragraphs are the chunker's, unchanged and numbered after the heading
    assert [p.para for p in paragraphs[1:]] == [p.para for p in chunk_document(doc)]
    assert [p.order for p in paragraphs] == list(range(len(paragraphs)))


@pytest.mark.shared
def test_real_pdf_heading_carries_the_adoption_line(shared_corpus):
    doc = read_document(shared_corpus / "cyber" / "A_RES_78_237.pdf")
    text = heading_text(doc)
    # the masthead's own words in their order, so a quote of them finds the unit
    assert text.startswith("United Nations A/RES/78/237 General Assembly Distr.: General 28 December 2023. "
                           "Seventy-eighth session, agenda item 94: Developments in the field of information and "
                           "telecommunications in the context of international security. ")
    assert ("Resolution adopted by the General Assembly on 22 December 2023 "
            "[on the report of the First Committee (A/78/404, para. 14)], at its 50th (resumed) plenary meeting.") in text
    assert "A/RES/78/237: Developments in the field" in text


def test_report_bracket_over_two_lines_and_without_reference():
    facts = masthead_facts(["Resolution adopted by the General Assembly", "on 18 December 2023",
                            "[without reference to a Main Committee", "(A/78/L.25)]", "First Committee"])
    assert facts["report_of"] == "without reference to a Main Committee (A/78/L.25)"
    assert facts["committee"] == "First Committee"


def test_fact_questions_are_answered_from_the_heading(tmp_path):
    searcher = fake_searcher([SEED], tmp_path / "index")
    answer = searcher.ask("Who sponsored draft resolution A/C.1/73/L.37?", k=3)
    assert answer.results[0].para == "heading" and "Sponsors: Australia" in answer.results[0].text
    assert answer.results[0].citation() == "A/C.1/73/L.37, heading"
    # any other question is answered by the body: the heading only repeats the title
    other = searcher.ask("a group of governmental experts to be established in 2019 on equitable geographical "
                         "distribution", k=3)
    assert other.results[0].para == "3"


def test_show_prints_the_heading(tmp_path):
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "NORMS_INDEX": str(tmp_path / "index"), "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "assistant", "show", "A/C.1/73/L.37", "heading", "--format", "json",
                             "--corpus", str(SEED), "--model", "fake"], capture_output=True, env=env, cwd=ROOT,
                            timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert [p["para"] for p in data["paragraphs"]] == ["heading"]
    assert L37_SPONSORS in data["paragraphs"][0]["text"]


def test_agenda_title_is_the_block_under_the_agenda_item_only():
    lines = ["United Nations", "A/RES/76/19", "", "General Assembly", "Distr.: General", "8 December 2021", "",
             "Seventy-sixth session", "Agenda item 95", "Developments in the field of information and",
             "telecommunications in the context of international security", "",
             "Resolution adopted by the General Assembly", "on 6 December 2021", "",
             "[on the report of the First Committee (A/76/439, para. 7)]", "",
             "76/19. Developments in the field", "", "The General Assembly,", "", "Recalling its resolutions,"]
    from assistant.documents.masthead import read_masthead
    meta = read_masthead(lines).meta
    assert meta["agenda_title"] == ("Developments in the field of information and telecommunications in the context "
                                    "of international security")
    # no title under the item: the adoption line that follows is not taken for one
    bare = lines[:9] + lines[12:]
    assert "agenda_title" not in read_masthead(bare).meta
    assert read_masthead(bare).meta["adopted"] == "2021-12-06"
