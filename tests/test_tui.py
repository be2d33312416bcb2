"""The chat: pure helpers (follow-ups, history, export, rendering) and Pilot-driven behaviour over the real engine."""

from __future__ import annotations

import html
import re
import threading
from pathlib import Path

import pytest
from rich.style import Style
from real_engine import Observed, WithoutLineage, build_fixture_engine, make_chat, open_engine

from assistant.errors import NormsError
from assistant.records import Answer, Filters, Hit
from assistant.tui.conversation import Turn
from assistant.tui.export import conversation_to_markdown, free_export_path
from assistant.tui.filtering import combine_filters, describe_filters, documents_matching
from assistant.tui.followup import interpret_followup
from assistant.tui.history import QuestionHistory, default_history_path
from assistant.tui.render import card_citation, clean_with_spans, hit_text, word_diff_text
from assistant.tui.screenshot import ask, settle

QUESTION = "What do States say about critical infrastructure?"
KNOWN = {"A/RES/73/27": "Developments in the field of information and telecommunications",
         "PARIS-CALL-2018": "Paris Call for Trust and Security in Cyberspace",
         "A/76/135": "Report of the Group of Governmental Experts on Advancing Responsible State Behaviour"}


# -- follow-ups ---------------------------------------------------------------------------------------
def test_followup_with_a_year_keeps_the_topic():
    understood = interpret_followup("and in 2021?", QUESTION, KNOWN)
    assert understood.question == QUESTION
    assert (understood.filters.since, understood.filters.until) == ("2021-01-01", "2021-12-31")
    assert understood.explanation.endswith("(year 2021)")


def test_followup_naming_a_document_by_title_symbol_or_acronym():
    assert interpret_followup("what about the Paris Call?", QUESTION, KNOWN).filters.docs == ["PARIS-CALL-2018"]
    assert interpret_followup("how about 73/27?", QUESTION, KNOWN).filters.docs == ["A/RES/73/27"]
    assert interpret_followup("and the GGE report?", QUESTION, KNOWN).filters.docs == ["A/76/135"]


def test_followup_ranges_and_open_ends():
    assert interpret_followup("and between 2015 and 2019?", QUESTION, KNOWN).filters.until == "2019-12-31"
    since = interpret_followup("what about since 2019", QUESTION, KNOWN).filters
    assert (since.since, since.until) == ("2019-01-01", None)
    assert interpret_followup("and after 2018", QUESTION, KNOWN).filters.since == "2019-01-01"


def test_followup_with_a_year_and_a_document():
    understood = interpret_followup("and in A/RES/73/27 in 2018?", QUESTION, KNOWN)
    assert understood.filters == Filters(docs=["A/RES/73/27"], since="2018-01-01", until="2018-12-31")
    assert understood.explanation.endswith("(year 2018; in A/RES/73/27)")


@pytest.mark.parametrize("text", [
    "and what about ransomware?",  # a new topic, not a new year or document
    "What are the norms adopted in 2021 by the General Assembly on critical infrastructure?",  # too long
    "and",
    "critical infrastructure protection norms",
])
def test_not_a_followup(text):
    assert interpret_followup(text, QUESTION, KNOWN) is None


def test_no_followup_without_a_previous_question():
    assert interpret_followup("and in 2021?", None, KNOWN) is None


# -- filters, history, export, rendering ---------------------------------------------------------------
def test_combine_and_describe_filters():
    base = Filters(docs=["A/RES/73/27"], since="2015-01-01", until="2016-12-31", kinds=["resolution"])
    combined = combine_filters(base, Filters(since="2021-01-01", until=None))
    assert combined == Filters(docs=["A/RES/73/27"], since="2021-01-01", until=None, kinds=["resolution"])
    assert describe_filters(combined) == "A/RES/73/27 · from 2021 · resolution"
    assert describe_filters(Filters()) == ""


def test_documents_matching_follows_the_engine_rule(fixture_index):
    engine = open_engine(fixture_index)
    docs = engine.documents()
    assert [d.symbol for d in documents_matching(docs, Filters(since="2021-01-01"))] == ["A/76/135"]
    assert documents_matching(docs, Filters(docs=["PARIS-CALL-2018"], since="2021-01-01")) == []
    for filters in (Filters(since="2016-01-01", until="2018-11-30"), Filters(kinds=["report"])):
        allowed = {d.symbol for d in documents_matching(docs, filters)}
        answered = {hit.symbol for hit in engine.ask(QUESTION, 10, filters).results}
        assert answered and answered <= allowed  # the chat's pre-check never hides what the engine would answer


def test_progress_is_posted_about_once_per_percent():
    from assistant.tui.messages import EngineProgress, progress_poster

    posted: list[EngineProgress] = []
    report = progress_poster(posted.append)
    for done in range(1, 10001):
        report("embedding", done, 10000)
    report("writing", 0, 0)
    assert 100 <= len(posted) <= 102 and posted[-2].done == 10000 and posted[-1].stage == "writing"


def test_history_recall_keeps_the_draft(tmp_path):
    history = QuestionHistory(tmp_path / "h.txt")
    for q in ("first", "second", "second"):
        history.add(q)
    assert history.entries == ["first", "second"]
    assert history.back("draft") == "second"
    assert history.back("second") == "first"
    assert history.back("first") is None
    assert history.forward() == "second"
    assert history.forward() == "draft"
    assert QuestionHistory(tmp_path / "h.txt").entries == ["first", "second"]


def test_default_history_path(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_history_path() == tmp_path / "norms" / "history.txt"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
    assert default_history_path().parts[-4:] == (".local", "share", "norms", "history.txt")


def test_markdown_export_cites_every_paragraph(tmp_path):
    hit = Hit(1, "A/C.1/73/L.37", "1(a)", "To be guided\nby the reports;", 0.9, "Advancing", "2018-10-18",
              "draft resolution")
    turns = [Turn(1, "guided by reports?", question="guided by reports?", answer=Answer("q", [hit])),
             Turn(2, "zebra", answer=Answer("zebra", []), message="No paragraphs found.")]
    markdown = conversation_to_markdown(turns)
    assert "**1. A/C.1/73/L.37, OP 1(a)** — Advancing (2018-10-18)" in markdown
    assert "> To be guided\n> by the reports;" in markdown
    assert "*No paragraphs found.*" in markdown
    (tmp_path / "norms-chat.md").write_text("earlier")
    assert free_export_path(tmp_path).name == "norms-chat-2.md"


def test_card_citation_and_clean_spans():
    hit = Hit(1, "A/RES/73/27", "1.6", "", 1.0, "", None, "resolution")
    assert card_citation(hit) == "A/RES/73/27 · para. 1.6"
    clean, spans = clean_with_spans("a\x1b[31mbc\x1b[0m de", [[1, 12]])
    assert clean == "abc de" and spans == [(1, 3)]  # "bc", the escapes gone


def test_hit_text_is_literal_and_marks_words():
    text = hit_text("[bold]x[/bold] critical \x1b[2Jinfrastructure", [[0, 14]], "critical infrastructure",
                    Style(bold=True), Style(underline=True))
    assert text.plain == "[bold]x[/bold] critical infrastructure"
    assert len(text.spans) == 3


def test_word_diff_text_is_literal_and_styles_changes():
    ops = [{"op": "equal", "text": "[bold]States"}, {"op": "delete", "text": "should\x1b[2J"},
           {"op": "insert", "text": "shall  [/]"}, {"op": "equal", "text": ""}]
    text = word_diff_text(ops, Style(underline=True), Style(strike=True))
    assert text.plain == "[bold]States should shall [/]"
    assert [(text.plain[s.start:s.end], s.style) for s in text.spans] == [
        ("should", Style(strike=True)), ("shall [/]", Style(underline=True))]


# -- the app, over the real Searcher on the fixture corpus ----------------------------------------------
LINEAGE_QUESTION = "What does A/RES/73/27 para. 1.6 say?"  # a named paragraph: the engine pins it first


@pytest.fixture
def engine(fixture_index) -> Observed:
    return Observed(open_engine(fixture_index))


def cards_of(app, turn: int | None = None):
    from assistant.tui.widgets import ResultCard

    return list(app.screen.query(f"#turn-{turn} ResultCard" if turn else ResultCard))


def screen_lines(app) -> list[str]:
    """The screen as text, rebuilt from the SVG screenshot (what a user would actually see)."""
    lines: dict[int, str] = {}
    for line, content in re.findall(r'<text [^>]*line-(\d+)\)">([^<]*)</text>', app.export_screenshot()):
        lines[int(line)] = lines.get(int(line), "") + html.unescape(content).replace("\xa0", " ")
    return [lines[n] for n in sorted(lines)]


def message_of(app, turn_number: int) -> str:
    return str(app.query_one(f"#turn-{turn_number} .turn-message").render())


def rendered(widget, selector: str) -> str:
    return str(widget.query_one(selector).render())


@pytest.mark.asyncio
async def test_start_loads_in_the_background_and_answers_with_the_engines_hits(tmp_path, engine):
    expected = engine.engine.ask(QUESTION, 5)
    app = make_chat(tmp_path, engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.status_text.startswith(f"Ready · {len(engine.documents())} documents")
        await ask(pilot, QUESTION)
        cards = cards_of(app)
        assert [(c.hit.symbol, c.hit.para) for c in cards] == [(h.symbol, h.para) for h in expected.results]
        assert card_citation(expected.results[0]) in rendered(cards[0], ".card-citation")
        assert engine.asked == [(QUESTION, 5, Filters())]


@pytest.mark.asyncio
async def test_repeated_language_is_one_card_with_also_in(tmp_path, engine):
    app = make_chat(tmp_path, engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await ask(pilot, QUESTION)
        repeated = [c for c in cards_of(app) if c.hit.also_in]
        assert repeated, "73/27 adopted norm 13 (f) of the 2015 report word for word: one hit for both"
        card = repeated[0]
        assert (card.hit.symbol, card.hit.para) == ("A/RES/73/27", "1.6")  # the adopted resolution, not the report
        assert "also in A/70/174, para. 13(f) (2015)" in rendered(card, ".card-also")
        shown = {(c.hit.symbol, c.hit.para) for c in cards_of(app)}
        assert ("A/70/174", "13(f)") not in shown


@pytest.mark.asyncio
async def test_question_asked_while_loading_is_answered_when_ready(tmp_path, engine):
    opened = threading.Event()

    def slow_open(progress):
        opened.wait(timeout=30)
        return engine

    from assistant.tui import make_app

    app = make_app(slow_open, history_path=None, export_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.status_text == "Loading the index and the model…"  # painted before the engine is open
        app.query_one("#question").value = QUESTION
        await pilot.press("enter")
        await pilot.pause()
        assert "Waiting for the index" in message_of(app, 1)
        opened.set()
        await settle(pilot)
        assert app.turns[0].state == "answered" and cards_of(app)


@pytest.mark.asyncio
async def test_newer_question_drops_the_stale_answer(tmp_path, fixture_index):
    gate = threading.Event()
    engine = Observed(open_engine(fixture_index), gate=gate)
    app = make_chat(tmp_path, engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.query_one("#question").value = "slowly critical infrastructure"
        await pilot.press("enter")
        await pilot.pause()
        await ask(pilot, "Paris Call individuals")
        gate.set()
        await settle(pilot)
        assert [t.state for t in app.turns] == ["skipped", "answered"]
        assert not cards_of(app, 1) and cards_of(app, 2)


@pytest.mark.asyncio
async def test_cards_navigation_and_document_viewer(tmp_path, engine):
    from assistant.tui.viewer import DocumentScreen, ParagraphBlock

    app = make_chat(tmp_path, engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await ask(pilot, QUESTION)
        cards = cards_of(app)
        await pilot.press("tab")
        assert app.focused is cards[0]
        await pilot.press("down")
        assert app.focused is cards[1]
        await pilot.press("up")
        assert app.focused is cards[0]
        await pilot.press("tab")
        assert app.focused is cards[1]
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen)
        focused = app.focused
        assert isinstance(focused, ParagraphBlock)
        assert (focused.paragraph.symbol, focused.paragraph.para) == (cards[1].hit.symbol, cards[1].hit.para)
        labels = [b.paragraph.para for b in app.screen.query(ParagraphBlock)]
        assert labels == [p.para for p in engine.paragraphs(cards[1].hit.symbol)]  # the whole document, in order
        await pilot.press("escape")
        assert not isinstance(app.screen, DocumentScreen) and app.focused is cards[1]
        await pilot.press("escape")
        assert app.focused.id == "question"


@pytest.mark.asyncio
async def test_t_on_a_card_shows_the_lineage_and_escape_returns(tmp_path, engine):
    from assistant.tui.lineage_view import LineageScreen

    app = make_chat(tmp_path, engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await ask(pilot, LINEAGE_QUESTION)
        await pilot.press("tab")
        card = app.focused
        assert (card.hit.symbol, card.hit.para) == ("A/RES/73/27", "1.6")
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, LineageScreen)
        headings = [str(h.render()) for h in app.screen.query(".lineage-heading")]
        # the 2015 GGE norm word for word, this result, the 2021 report's restatement: oldest first
        assert [h.split("  ·  ")[0] for h in headings] == [
            "2015-07-22  A/70/174, para. 13(f)", "2018-12-05  A/RES/73/27, para. 1.6", "2021-07-14  A/76/135, para. 42"]
        assert headings[1].endswith("this result") and "near-identical" in headings[2]
        assert "1 identical, 1 near-identical" in rendered(app.screen, ".lineage-summary")
        later = app.screen.query("DiffBody").last().render()
        assert later.plain.startswith("Norm 13 (f): A State should not")
        changed = {later.plain[span.start:span.end] for span in later.spans}
        assert changed == {"Norm 13 (f):"}  # the only words the 2021 report added
        await pilot.press("escape")
        assert not isinstance(app.screen, LineageScreen) and app.focused is card


@pytest.mark.asyncio
async def test_lineage_from_the_palette_and_from_an_engine_without_it(tmp_path, fixture_index):
    from assistant.tui.lineage_view import LineageScreen

    for engine, opens in ((Observed(open_engine(fixture_index)), True),
                          (WithoutLineage(open_engine(fixture_index)), False)):
        app = make_chat(tmp_path, engine)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await ask(pilot, "Paris Call individuals")
            top = cards_of(app)[0].hit
            app.action_lineage_result()  # no card focused: the first one
            await settle(pilot)
            assert isinstance(app.screen, LineageScreen) is opens
            if opens:
                headings = [str(h.render()) for h in app.screen.query(".lineage-heading")]
                assert any(top.citation() in h and h.endswith("this result") for h in headings)
            else:
                assert [n.message for n in app._notifications] == [
                    "Sorry, lineage is not available with this engine."]


@pytest.mark.asyncio
async def test_viewer_lists_and_reaches_footnotes(tmp_path, engine):
    from assistant.tui.viewer import ParagraphBlock

    app = make_chat(tmp_path, engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await ask(pilot, "guided by the reports of the Group of Governmental Experts")
        top = cards_of(app)[0].hit
        assert (top.symbol, top.para) == ("A/C.1/73/L.37", "1(a)")
        paragraphs = {p.para: p for p in engine.paragraphs(top.symbol)}
        await pilot.press("tab", "enter")
        await settle(pilot)
        notes = [str(n.render()) for n in app.focused.query(".paragraph-note")]
        assert notes == [f"footnote {label[2:]}: {paragraphs[label].text}" for label in paragraphs["1(a)"].footnotes]
        assert notes[0].startswith("footnote 1: ")
        await pilot.press("n")
        assert isinstance(app.focused, ParagraphBlock) and app.focused.paragraph.para == "fn1"
        await pilot.press("n")  # back to the first paragraph citing it: the preamble welcomes the same reports
        assert app.focused.paragraph.para == paragraphs["fn1"].cited_by[0]


@pytest.mark.asyncio
async def test_copy_puts_citation_and_text_on_the_clipboard(tmp_path, engine):
    app = make_chat(tmp_path, engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await ask(pilot, QUESTION)
        first, second = (c.hit for c in cards_of(app)[:2])
        await pilot.press("tab", "c")
        assert app.last_copied == f"{first.citation()}\n{first.text}"
        assert app.clipboard == app.last_copied
        await pilot.press("down", "escape")  # the palette's "Copy result" means the card last focused
        app.action_copy_result()
        assert app.last_copied.startswith(f"{second.citation()}\n")


@pytest.mark.asyncio
async def test_filters_dialog_restricts_the_search(tmp_path, engine):
    from textual.widgets import Input, SelectionList

    from assistant.tui.dialogs import FiltersScreen

    app = make_chat(tmp_path, engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, FiltersScreen)
        app.screen.query_one("#filter-docs", SelectionList).select("A/RES/73/27")
        app.screen.query_one("#filter-since", Input).value = "2018"
        app.screen.query_one("#filter-until", Input).value = "2019"
        await pilot.click("#apply")
        await settle(pilot)
        assert app.filters == Filters(docs=["A/RES/73/27"], since="2018-01-01", until="2019-12-31")
        assert "A/RES/73/27 · 2018–2019" in app.sub_title
        await ask(pilot, QUESTION)
        assert {c.hit.symbol for c in cards_of(app)} == {"A/RES/73/27"}
        assert engine.asked[-1][2].docs == ["A/RES/73/27"]


@pytest.mark.asyncio
async def test_filter_that_matches_no_document_says_so(tmp_path, engine):
    app = make_chat(tmp_path, engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.filters = Filters(docs=["PARIS-CALL-2018"], since="2021-01-01", until="2021-12-31")
        await ask(pilot, QUESTION)
        assert "No document matches the filters (PARIS-CALL-2018 · 2021)" in message_of(app, 1)
        assert engine.asked == []


@pytest.mark.asyncio
async def test_export_writes_markdown_with_citations(tmp_path, engine):
    app = make_chat(tmp_path, engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await ask(pilot, QUESTION)
        await ask(pilot, "Which reports of the Group of Governmental Experts should guide States?")
        await pilot.press("f3")
        await pilot.pause()
        assert app.last_export == tmp_path / "exports" / "norms-chat.md"
        markdown = app.last_export.read_text()
        assert markdown.startswith("# norms conversation\n\n## 1. What do States say about critical")
        for turn in (1, 2):  # each turn's top card, cited as the chat showed it
            assert f"**1. {cards_of(app, turn)[0].hit.citation()}**" in markdown
        assert "Also in: A/70/174, para. 13(f)" in markdown  # under 73/27 para. 1.6


@pytest.mark.asyncio
async def test_history_recall_and_persistence(tmp_path, engine):
    app = make_chat(tmp_path, engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await ask(pilot, "first question")
        await ask(pilot, "second question")
        field = app.query_one("#question")
        await pilot.press("up")
        assert field.value == "second question"
        await pilot.press("up")
        assert field.value == "first question"
        await pilot.press("down", "down")
        assert field.value == ""
    again = make_chat(tmp_path, engine)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.press("up")
        assert again.query_one("#question").value == "second question"


@pytest.mark.asyncio
async def test_followup_is_understood_and_can_be_turned_off(tmp_path, engine):
    app = make_chat(tmp_path, engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await ask(pilot, QUESTION)
        await ask(pilot, "and in 2021?")
        understood = rendered(app, "#turn-2 .turn-understood")
        assert understood == f"Understood as: “{QUESTION}” (year 2021)"
        assert engine.asked[-1] == (QUESTION, 5, Filters(since="2021-01-01", until="2021-12-31"))
        assert {c.hit.symbol for c in cards_of(app, 2)} == {"A/76/135"}  # the one 2021 document
        await ask(pilot, "what about the Paris Call?")
        assert engine.asked[-1] == (QUESTION, 5, Filters(docs=["PARIS-CALL-2018"]))  # the topic, not "and in 2021?"
        assert {c.hit.symbol for c in cards_of(app, 3)} == {"PARIS-CALL-2018"}
        await pilot.press("f4")
        assert app.followups is False and "follow-ups off" in app.sub_title
        await ask(pilot, "and in 2021?")
        assert engine.asked[-1] == ("and in 2021?", 5, Filters())


@pytest.mark.asyncio
async def test_empty_question_and_engine_error(tmp_path, fixture_index, engine):
    app = make_chat(tmp_path, engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await ask(pilot, "   ")
        assert "Type a question first" in rendered(app, "#notice") and app.turns == []
        assert engine.asked == []
    failing = make_chat(tmp_path, Observed(open_engine(fixture_index), fail="the index is damaged; rebuild it"))
    async with failing.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await ask(pilot, QUESTION)
        assert message_of(failing, 1) == "The search failed: the index is damaged; rebuild it"


@pytest.mark.asyncio
async def test_engine_that_cannot_load_is_reported(tmp_path):
    from assistant.tui import make_app

    def broken(progress):
        raise NormsError("index is from an older norms; run `norms index --rebuild`")

    app = make_app(broken, history_path=None, export_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.status_text.startswith("Could not load the index: index is from an older norms")
        assert app.status_text.endswith("(Ctrl+B tries again)")
        await ask(pilot, QUESTION)
        assert "the index could not be loaded" in message_of(app, 1)


@pytest.mark.asyncio
async def test_missing_index_is_built_after_confirmation(tmp_path, engine):
    from assistant.tui.dialogs import ConfirmScreen

    app = make_chat(tmp_path, engine, index_exists=False, building_steps=5)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert app.engine_state == "ready"
        await ask(pilot, QUESTION)
        assert cards_of(app)
    declined = make_chat(tmp_path, engine, index_exists=False)
    async with declined.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await ask(pilot, QUESTION)
        assert "There is no index yet" in message_of(declined, 1)


@pytest.mark.asyncio
async def test_build_shows_progress_while_the_ui_stays_live(tmp_path, engine):
    from textual.widgets import ProgressBar

    from assistant.tui import make_app

    halfway, finish = threading.Event(), threading.Event()

    def build(progress):
        for done in range(1, 4):
            progress("embedding paragraphs", done, 6)
        halfway.set()
        finish.wait(timeout=30)
        return engine

    app = make_app(build, history_path=None, export_dir=tmp_path, index_exists=lambda: False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("y")
        assert halfway.wait(timeout=30)
        bar = app.query_one("#progress", ProgressBar)
        for _ in range(100):  # the progress messages cross threads: wait for them, not for a time
            if bar.progress == 3:
                break
            await pilot.pause()
        assert bar.display and bar.progress == 3 and bar.total == 6
        assert app.status_text == "Building the index: embedding paragraphs (3/6)"
        await pilot.press("enter")  # the UI answers while the build runs (an empty question here)
        assert "Type a question first" in rendered(app, "#notice")
        finish.set()
        await settle(pilot)
        assert app.engine_state == "ready" and not bar.display


HOSTILE_TEXT = "[bold]x[/bold] critical infrastructure [@click=app.quit]quit[/] \x1b[31mred\x1b[0m \x1b]0;title\x07"


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory) -> Path:
    """The fixture corpus plus a resolution whose title and text are Rich markup and terminal escapes."""
    folder = tmp_path_factory.mktemp("hostile")
    extra = folder / "A_RES_99_1.md"
    extra.write_text(f"---\nsymbol: A/RES/99/1\ntitle: '[red]Title[/red]'\ndate: 2019-01-01\nkind: resolution\n---\n"
                     f"1. Calls upon States to protect undersea cables;\n\n2. {HOSTILE_TEXT}\n", encoding="utf-8")
    build_fixture_engine(folder / "index", [extra])
    return folder / "index"


@pytest.mark.asyncio
async def test_document_text_is_shown_literally_never_as_markup(tmp_path, hostile_index):
    from assistant.tui.viewer import DocumentScreen

    app = make_chat(tmp_path, Observed(open_engine(hostile_index)))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await ask(pilot, "bold quit red")
        card = cards_of(app)[0]
        assert (card.hit.symbol, card.hit.para) == ("A/RES/99/1", "2")
        body = card.query_one("HitBody").render().plain
        assert body.startswith("[bold]x[/bold] critical infrastructure [@click=app.quit]quit[/] red")
        assert "\x1b" not in body and "\x07" not in body
        assert rendered(card, ".card-title") == "[red]Title[/red]"
        assert any("[bold]x[/bold] critical infrastructure [@click=app.quit]quit[/] red" in line
                   for line in screen_lines(app))
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen)
        shown = rendered(app.focused, ".paragraph-text")
        assert shown.startswith("[bold]x[/bold]") and "\x1b" not in shown
        await pilot.click(".paragraph-text")  # a literal [@click=app.quit] must not quit
        assert app.is_running


@pytest.mark.asyncio
async def test_palette_keys_and_theme(tmp_path, engine):
    from assistant.tui.dialogs import KeysScreen

    app = make_chat(tmp_path, engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await ask(pilot, QUESTION)
        await pilot.press("f1")
        assert isinstance(app.screen, KeysScreen)
        await pilot.press("escape")
        await pilot.press("f5")
        assert app.theme == "textual-light"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"export conv")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.last_export is not None and app.last_export.exists()


def test_save_screenshot_writes_an_svg(tmp_path, fixture_index):
    from assistant.tui.screenshot import DEFAULT_QUESTION, save_screenshot

    engine = open_engine(fixture_index)
    out = save_screenshot(tmp_path / "chat.svg", lambda progress: engine, size=(80, 24))
    top = engine.ask(DEFAULT_QUESTION).results[0]
    assert out.read_text().startswith("<svg") and top.symbol in out.read_text()
