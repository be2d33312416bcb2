"""Write an SVG screenshot of the chat answering one question (for the README), run headless.

    python -m assistant.tui.screenshot docs/chat.svg

uses the test suite's fixture engine (tests/tui_fixtures.py), so the picture needs no index or model.
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
import tempfile
from pathlib import Path
from typing import Callable

from assistant.records import Engine

DEFAULT_QUESTION = "What do States say about critical infrastructure?"
PROJECT_ROOT = Path(__file__).resolve().parents[2]


async def settle(pilot, rounds: int = 50) -> None:
    """Wait until the app has loaded its engine and answered (workers done, messages handled)."""
    app = pilot.app
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not app.busy:
            break
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def ask(pilot, question: str) -> None:
    """Type `question` into the input as a user would finish it (Enter), then settle."""
    from assistant.tui.widgets import QuestionInput

    field = pilot.app.query_one(QuestionInput)
    field.focus()
    field.value = question
    await pilot.press("enter")
    await settle(pilot)


def save_screenshot(path: str | Path, open_engine: Callable[..., Engine], *,
                    questions: tuple[str, ...] = (DEFAULT_QUESTION,), size: tuple[int, int] = (100, 30)) -> Path:
    """Run the chat headless over `open_engine`, ask `questions`, and write the screen as SVG to `path`."""
    from assistant.tui.app import make_app

    target = Path(path)

    async def run() -> str:
        with tempfile.TemporaryDirectory() as scratch:
            app = make_app(open_engine, history_path=None, export_dir=Path(scratch))
            async with app.run_test(size=size) as pilot:
                await settle(pilot)
                for question in questions:
                    await ask(pilot, question)
                return app.export_screenshot(title="norms")

    svg = asyncio.run(run())
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(svg, encoding="utf-8")
    return target


def fixture_engine_opener() -> Callable[..., Engine]:
    """open_engine for the fixture corpus of the tests (imported by path: tests/ is not a package)."""
    spec = importlib.util.spec_from_file_location("tui_fixtures", PROJECT_ROOT / "tests" / "tui_fixtures.py")
    if spec is None or spec.loader is None:
        raise SystemExit("tests/tui_fixtures.py not found: run this from a checkout of norms")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return lambda progress: module.FakeEngine()


if __name__ == "__main__":
    out = save_screenshot(sys.argv[1] if len(sys.argv) > 1 else "docs/chat.svg", fixture_engine_opener())
    print(out)
