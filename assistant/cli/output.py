"""What every `norms` command shares: the Command record, common options, settings, messages, progress, colour."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass
from typing import Callable

from assistant.sanitize import strip_controls
from assistant.index.progress import STAGE_UNITS as BUILD_STAGES, BuildProgress


@dataclass(frozen=True)
class Command:
    """One subcommand: its name and help, how it adds its arguments, and what runs it (returns the exit code)."""

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def add_common(p: argparse.ArgumentParser) -> None:
    """--corpus, --index and --model, which every command that reads the corpus or index takes."""
    p.add_argument("--corpus", action="append", metavar="PATH",
                   help="corpus folder or file (repeatable; default: NORMS_CORPUS or the shipped corpus/)")
    p.add_argument("--index", metavar="DIR", help="index folder (default: NORMS_INDEX; index/ for the shipped "
                   "corpus, a folder in the user's cache for any other)")
    p.add_argument("--model", metavar="NAME_OR_DIR",
                   help="sentence-transformers model folder or name (default: the packaged all-MiniLM-L6-v2)")


def settings_of(args: argparse.Namespace):
    """The one way settings are built: command-line values, then the environment, then the defaults."""
    from assistant.settings import make_settings

    return make_settings(args.corpus, args.index, args.model)


def say(message: str) -> None:
    """A message for the user on stderr, `norms: ` first, escapes removed."""
    print(f"norms: {strip_controls(message)}", file=sys.stderr)


def is_terminal(stream) -> bool:
    """Whether `stream` is an open terminal (a closed or missing stream is not)."""
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):
        return False


def use_color() -> bool:
    """ANSI emphasis only for a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return is_terminal(sys.stdout) and not os.environ.get("NO_COLOR")


class ProgressBar:
    """One line on stderr, redrawn in place; silent when stderr is not a terminal."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = is_terminal(self.stream)
        self.last = 0.0
        self.stage = None
        self.build = BuildProgress(self.stream)  # the index build's stages get rich bars with items/s and ETA

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if stage in BUILD_STAGES:
            self.build.enabled = True
            self.build(stage, done, total)
            return
        now = time.monotonic()
        if stage == self.stage and done < total and now - self.last < 0.1:
            return
        self.last, self.stage = now, stage
        width = 30
        filled = int(width * done / max(total, 1))
        self.stream.write(f"\r{stage:>6} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def open_engine(args: argparse.Namespace):
    """A Searcher over the up-to-date index the arguments name, with messages and progress on stderr."""
    from assistant.settings import open_searcher

    return open_searcher(settings_of(args), say, ProgressBar())


def json_line(data) -> str:
    """One JSON object on one line; text stays readable (no \\u escapes) and always encodes as UTF-8."""
    return json.dumps(data, ensure_ascii=False).encode("utf-8", "backslashreplace").decode("utf-8") + "\n"


def write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
