"""The build's progress on a terminal: one rich.progress bar per stage with items/s and a time estimate."""

from __future__ import annotations

import sys
import time

STAGE_UNITS = {"read": "files", "embed": "paragraphs"}


class BuildProgress:
    """progress(stage, done, total) as build_index calls it; silent when stderr is not a terminal.

    rich is imported on the first call, so commands that build nothing never pay for it.
    """

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.stage: str | None = None
        self.live = None
        self.task = None
        self.drawn = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if stage != self.stage or self.live is None:
            self._start(stage, total)
        self.live.update(self.task, completed=done, total=max(total, 1))
        self.rate()
        now = time.monotonic()
        if done >= total:
            self.close()
        elif now - self.drawn >= 0.1:  # redraw on progress, not from a timer thread
            self.drawn = now
            self.live.refresh()

    def _start(self, stage: str, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.close()
        unit = STAGE_UNITS.get(stage, "items")
        self.live = Progress(
            TextColumn(f"{stage:>6}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"), TextColumn("ETA"), TimeRemainingColumn(),
            console=Console(file=self.stream), transient=False, auto_refresh=False,
        )
        self.live.start()
        self.task = self.live.add_task(stage, total=max(total, 1), rate="")
        self.stage, self.unit, self.drawn = stage, unit, 0.0

    def close(self) -> None:
        """Finish the current bar (leaves it on screen) and stop redrawing."""
        if self.live is not None:
            task = self.live.tasks[0]
            speed = task.finished_speed or task.speed
            self.live.update(self.task, rate=f"{speed:,.1f} {self.unit}/s" if speed else "")
            self.live.refresh()
            self.live.stop()
        self.live, self.task = None, None

    def rate(self) -> None:
        """Refresh the items/s field from rich's own speed estimate."""
        if self.live is not None:
            speed = self.live.tasks[0].speed
            self.live.update(self.task, rate=f"{speed:,.1f} {self.unit}/s" if speed else "")
