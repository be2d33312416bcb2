"""SVG snapshots of the chat over the real engine on the fixture corpus, at 100x30 and 80x24 (pytest-textual-snapshot).

The pictures show real rankings, so a deliberate change of ranking or citations changes them too. Regenerate with
`python -m pytest tests/test_tui_snapshots.py --snapshot-update`, then look at the SVGs in tests/__snapshots__/
(the report pytest writes shows old and new side by side) before committing them.
"""

from __future__ import annotations

import pytest
from real_engine import Observed, build_fixture_engine, make_chat, open_engine

from assistant.records import Filters
from assistant.tui.screenshot import ask, settle

QUESTION = "What do States say about critical infrastructure?"
WIDE, SMALL = (100, 30), (80, 24)


@pytest.fixture
def new_chat(fixture_index):
    """The chat over a fresh Searcher on the session's fixture index."""
    return lambda tmp_path, **options: make_chat(tmp_path, Observed(open_engine(fixture_index)), **options)


def asking(*questions: str, then: tuple[str, ...] = ()):
    """A run_before that waits for the engine, asks `questions`, then presses `then`."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        for question in questions:
            await ask(pilot, question)
        if then:
            await pilot.press(*then)
            await settle(pilot)

    return run_before


def test_answer_wide(snap_compare, tmp_path, new_chat):
    assert snap_compare(new_chat(tmp_path), terminal_size=WIDE, run_before=asking(QUESTION))


def test_answer_small(snap_compare, tmp_path, new_chat):
    assert snap_compare(new_chat(tmp_path), terminal_size=SMALL, run_before=asking(QUESTION))


def test_card_focused_small(snap_compare, tmp_path, new_chat):
    assert snap_compare(new_chat(tmp_path), terminal_size=SMALL,
                        run_before=asking(QUESTION, then=("tab", "down")))


def test_followup_wide(snap_compare, tmp_path, new_chat):
    assert snap_compare(new_chat(tmp_path), terminal_size=WIDE, run_before=asking(QUESTION, "and in 2021?"))


def test_viewer_with_footnote_wide(snap_compare, tmp_path, new_chat):
    question = "guided by the reports of the Group of Governmental Experts"
    assert snap_compare(new_chat(tmp_path), terminal_size=WIDE,
                        run_before=asking(question, then=("tab", "enter")))


def test_lineage_wide(snap_compare, tmp_path, new_chat):
    question = "What does A/RES/73/27 para. 1.6 say?"  # 2015 GGE word for word, and the 2021 report's restatement
    assert snap_compare(new_chat(tmp_path), terminal_size=WIDE, run_before=asking(question, then=("tab", "t")))


def test_filters_dialog_small(snap_compare, tmp_path, new_chat):
    app = new_chat(tmp_path)

    async def run_before(pilot) -> None:
        await settle(pilot)
        app.filters = Filters(docs=["A/RES/73/27"], since="2018-01-01", until="2021-12-31")
        await pilot.press("f2")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_keys_wide(snap_compare, tmp_path, new_chat):
    assert snap_compare(new_chat(tmp_path), terminal_size=WIDE, run_before=asking(then=("f1",)))


def test_no_index_confirm_small(snap_compare, tmp_path, new_chat):
    assert snap_compare(new_chat(tmp_path, index_exists=False), terminal_size=SMALL, run_before=asking())


def test_bad_moments_small(snap_compare, tmp_path, new_chat):
    """A question with no word of the corpus (the engine still gives its nearest paragraphs), a filter no
    document passes, and an empty question: inline messages, no crash."""
    app = new_chat(tmp_path)

    async def run_before(pilot) -> None:
        await settle(pilot)
        await ask(pilot, "zebra xylophone")
        app.filters = Filters(docs=["PARIS-CALL-2018"], since="2021-01-01", until="2021-12-31")
        await ask(pilot, QUESTION)
        await ask(pilot, "")

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_light_theme_small(snap_compare, tmp_path, new_chat):
    assert snap_compare(new_chat(tmp_path), terminal_size=SMALL,
                        run_before=asking(QUESTION, then=("tab", "f5")))


def test_markup_shown_literally_small(snap_compare, tmp_path, tmp_path_factory):
    hostile = "[bold]x[/bold] critical infrastructure [@click=app.quit]quit[/] \x1b[31mred\x1b[0m"
    extra = tmp_path_factory.mktemp("hostile") / "A_RES_99_1.md"
    extra.write_text(f"---\nsymbol: A/RES/99/1\ntitle: '[red]Title[/red]'\ndate: 2019-01-01\nkind: resolution\n---\n"
                     f"1. Calls upon States to protect undersea cables;\n\n2. {hostile}\n", encoding="utf-8")
    engine = build_fixture_engine(extra.parent / "index", [extra])
    assert snap_compare(make_chat(tmp_path, engine), terminal_size=SMALL, run_before=asking("bold quit red"))
