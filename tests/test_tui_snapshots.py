"""SVG snapshots of the chat over the fixture engine, at 100x30 and 80x24 (pytest-textual-snapshot).

Update after a deliberate change of looks with `pytest tests/test_tui_snapshots.py --snapshot-update`,
then look at the SVGs in tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

from tui_fixtures import FakeEngine, make_fake_app

from assistant.records import DocInfo, Filters, Paragraph
from assistant.tui.screenshot import ask, settle

QUESTION = "What do States say about critical infrastructure?"
WIDE, SMALL = (100, 30), (80, 24)


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


def test_answer_wide(snap_compare, tmp_path):
    assert snap_compare(make_fake_app(tmp_path), terminal_size=WIDE, run_before=asking(QUESTION))


def test_answer_small(snap_compare, tmp_path):
    assert snap_compare(make_fake_app(tmp_path), terminal_size=SMALL, run_before=asking(QUESTION))


def test_card_focused_small(snap_compare, tmp_path):
    assert snap_compare(make_fake_app(tmp_path), terminal_size=SMALL,
                        run_before=asking(QUESTION, then=("tab", "down")))


def test_followup_wide(snap_compare, tmp_path):
    assert snap_compare(make_fake_app(tmp_path), terminal_size=WIDE, run_before=asking(QUESTION, "and in 2021?"))


def test_viewer_with_footnote_wide(snap_compare, tmp_path):
    question = "guided by the reports of the Group of Governmental Experts"
    assert snap_compare(make_fake_app(tmp_path), terminal_size=WIDE,
                        run_before=asking(question, then=("tab", "enter")))


def test_lineage_wide(snap_compare, tmp_path):
    assert snap_compare(make_fake_app(tmp_path), terminal_size=WIDE, run_before=asking(QUESTION, then=("tab", "t")))


def test_filters_dialog_small(snap_compare, tmp_path):
    app = make_fake_app(tmp_path)

    async def run_before(pilot) -> None:
        await settle(pilot)
        app.filters = Filters(docs=["A/RES/73/27"], since="2018-01-01", until="2021-12-31")
        await pilot.press("f2")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_keys_wide(snap_compare, tmp_path):
    assert snap_compare(make_fake_app(tmp_path), terminal_size=WIDE, run_before=asking(then=("f1",)))


def test_no_index_confirm_small(snap_compare, tmp_path):
    assert snap_compare(make_fake_app(tmp_path, index_exists=False), terminal_size=SMALL, run_before=asking())


def test_bad_moments_small(snap_compare, tmp_path):
    """An empty question, no results, and a filter no document passes: inline messages, no crash."""
    app = make_fake_app(tmp_path)

    async def run_before(pilot) -> None:
        await settle(pilot)
        await ask(pilot, "zebra xylophone")
        app.filters = Filters(docs=["PARIS-CALL-2018"], since="2021-01-01", until="2021-12-31")
        await ask(pilot, QUESTION)
        await ask(pilot, "")

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_light_theme_small(snap_compare, tmp_path):
    assert snap_compare(make_fake_app(tmp_path), terminal_size=SMALL,
                        run_before=asking(QUESTION, then=("tab", "f5")))


def test_markup_shown_literally_small(snap_compare, tmp_path):
    hostile = "[bold]x[/bold] critical infrastructure [@click=app.quit]quit[/] \x1b[31mred\x1b[0m"
    doc = DocInfo("A/RES/99/1", "[red]Title[/red]", "2019-01-01", "resolution", "en", "")
    engine = FakeEngine(extra=[Paragraph("A/RES/99/1", "2", hostile, 2, "operative")], extra_docs=[doc])
    assert snap_compare(make_fake_app(tmp_path, engine), terminal_size=SMALL, run_before=asking("bold quit red"))
