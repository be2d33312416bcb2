"""Write an SVG screenshot of the chat answering one question (for the README), run headless.

    python -m assistant.tui.screenshot docs/chat.svg [--model fake] [--question "..."]

indexes the shipped corpus (corpus/) into a temporary folder with the real model (or the fake embedder,
which is instant but ranks by shared words only) and photographs the real engine's answer.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path
from typing import Callable

from assistant.records import Engine

DEFAULT_QUESTION = "Which reports should guide States in their use of ICTs?"  # the shipped draft answers it


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


def screenshot_of_shipped_corpus(path: str | Path, model: str | None, question: str) -> Path:
    """The chat over the shipped corpus, indexed into a scratch folder (the user's index/ is left alone)."""
    from assistant.settings import SHIPPED_CORPUS, make_settings, open_searcher

    with tempfile.TemporaryDirectory() as scratch:
        settings = make_settings([str(SHIPPED_CORPUS)], str(Path(scratch) / "index"), model)
        engine = open_searcher(settings)
        return save_screenshot(path, lambda progress: engine, questions=(question,))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m assistant.tui.screenshot", description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="docs/chat.svg")
    parser.add_argument("--model", help="embedding model (default: the packaged MiniLM; `fake` for a quick one)")
    parser.add_argument("--question", default=DEFAULT_QUESTION)
    args = parser.parse_args(argv)
    print(screenshot_of_shipped_corpus(args.path, args.model, args.question))


if __name__ == "__main__":
    main()
