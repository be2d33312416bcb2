"""The `norms` command: one registry of subcommands, one parser, one error and exit-code path."""

from __future__ import annotations

import argparse
import errno
import os
import sys

from assistant import __version__
from assistant.errors import NormsError, UsageError


def commands() -> list:
    """Every subcommand, in the order `norms --help` lists them (the family modules import nothing heavy)."""
    from assistant.cli import ask, brief, chat, corpus, lineage

    return [*ask.COMMANDS, *chat.COMMANDS, *brief.COMMANDS, *corpus.COMMANDS, *lineage.COMMANDS]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="norms", description="Cited answers from cyber-norms documents: "
                                     "UN resolutions, GGE and OEWG reports, drafts and State statements.")
    parser.add_argument("--version", action="version", version=f"norms {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in commands():
        command.add_arguments(sub.add_parser(command.name, help=command.help))
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    if not argv:
        from assistant.cli.output import is_terminal

        if is_terminal(sys.stdin) and is_terminal(sys.stdout):
            argv = ["chat"]
        else:
            return _guarded(lambda: parser.print_help() or 0)
    args = parser.parse_args(argv)  # usage errors: argparse says them in one line (arguments repr-escaped), exit 2
    if args.command is None:
        return _guarded(lambda: parser.print_help() or 0)
    handler = {c.name: c.run for c in commands()}[args.command]
    return _guarded(lambda: handler(args))


def _guarded(run) -> int:
    """Run a command; every failure a user can meet ends as one `norms: ...` line and its exit code."""
    _quiet_encoding_errors()
    try:
        return run()
    except NormsError as exc:
        return _fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except BrokenPipeError:
        _silence_stdout()  # quiet exit under `| head`
        return 0
    except RecursionError:
        return _fail("input nested too deeply", 2)
    except OSError as exc:  # output to a full disk or /dev/full, a closed stream
        if exc.errno == errno.ENOSPC:
            _silence_stdout()
            return _fail("cannot write the output: no space left on the device", 1)
        _silence_stdout()
        return _fail(f"cannot write the output: {(exc.strerror or str(exc)).lower()}", 1)
    except ValueError as exc:  # "I/O operation on closed file": stdout or stdin closed by the caller
        if "closed file" not in str(exc):
            raise
        _silence_stdout()
        return _fail("standard input or output is closed", 1)


def _fail(message: str, code: int) -> int:
    from assistant.sanitize import one_line

    try:
        print(f"norms: {one_line(message)}", file=sys.stderr)
    except (OSError, ValueError, AttributeError):
        pass  # stderr itself is gone: the exit code still tells
    return code


def _quiet_encoding_errors() -> None:
    """Text with undecodable bytes (arguments, file names) is printed escaped rather than raising."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, OSError):
            pass


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush of unwritten output cannot fail again."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        sys.stdout = open(os.devnull, "w")


def run() -> None:
    sys.exit(main())


__all__ = ["main", "run", "build_parser", "UsageError"]
