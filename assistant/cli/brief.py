"""The report commands: `norms brief` (a file of questions to a cited briefing) and `norms eval` (retrieval scores)."""

from __future__ import annotations

import argparse
import io
import os
import sys

from assistant.cli.output import Command, ProgressBar, add_common, json_line, open_engine, settings_of, write
from assistant.errors import UsageError
from assistant.sanitize import strip_controls


def _brief_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("questions", help="questions file (.txt one per line, .yaml/.yml/.json), or - for stdin")
    p.add_argument("-o", "--output", metavar="FILE", help="write here (default: standard output)")
    p.add_argument("--format", choices=["md", "html", "jsonl"], help="default: from -o's extension, else md")
    p.add_argument("-k", type=int, default=3, help="paragraphs per question (default 3)")
    p.add_argument("--no-timestamp", action="store_true", help="omit the generation time (byte-identical output)")
    p.add_argument("--lineage", action="store_true",
                   help="under each cited paragraph, its other versions in the corpus (as `norms trace` finds them)")
    add_common(p)


def run_brief(args) -> int:
    from assistant.brief.briefing import deliver_brief, prepare_brief
    from assistant.settings import open_searcher, user_path

    settings = settings_of(args)
    source = args.questions if args.questions == "-" else os.fspath(user_path(args.questions, "questions file"))
    output = args.output if args.output in (None, "-") else os.fspath(user_path(args.output, "-o"))
    bar = ProgressBar()
    result = prepare_brief(source, engine_loader=lambda: open_searcher(settings, _tell, bar), output=output,
                           fmt=args.format, k=args.k, no_timestamp=args.no_timestamp,
                           corpus_label=", ".join(_short_path(p) for p in settings.corpus),
                           stdin=_stdin_text() if source == "-" else None, lineage=args.lineage,
                           progress=lambda done, total: bar("brief", done, total))
    for problem in result.problems[:-1] if result.briefing.failures else result.problems:
        _tell(problem)
    deliver_brief(result, output, sys.stdout)
    if result.briefing.failures:
        _tell(result.problems[-1])
    return result.exit_code


def _tell(message: str) -> None:
    """Brief's messages already carry their origin (`questions.yaml:7: ...` or `norms: ...`)."""
    print(strip_controls(message), file=sys.stderr)


def _stdin_text() -> io.StringIO:
    """Standard input as text: bad UTF-8 replaced and the lines that had it named, as `ask -` does."""
    if sys.stdin is None or sys.stdin.closed:
        raise UsageError("no questions on standard input (it is closed)")
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    bad = []
    for number, line in enumerate(data.splitlines(), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(number)
    if bad:
        _tell(f"norms: standard input: not UTF-8 on line {', '.join(map(str, bad[:10]))}; bad bytes replaced")
    return io.StringIO(data.decode("utf-8", errors="replace"))


def _short_path(path) -> str:
    """Relative to the working folder when that is shorter: briefings should not leak home folders."""
    relative = os.path.relpath(path)
    return relative if len(relative) < len(str(path)) else str(path)


def _eval_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("questions", nargs="+",
                   help="JSONL with question, type and gold [{symbol, quote}]; an empty gold list marks a question "
                        "the corpus cannot answer (counted in the confidence split)")
    p.add_argument("-k", type=int, default=10)
    p.add_argument("--json", action="store_true", help="machine-readable result")
    add_common(p)


def run_eval(args) -> int:
    from assistant.search.evaluate import load_gold, render_report, run_eval as score
    from assistant.settings import user_path

    gold = [item for path in args.questions for item in load_gold(os.fspath(user_path(path, "questions file")))]
    report = score(open_engine(args), gold, k=max(args.k, 10))
    write(json_line(report) if args.json else render_report(report) + "\n")
    return 0


COMMANDS = [
    Command("brief", "answer a file of questions as a cited briefing", _brief_arguments, run_brief),
    Command("eval", "score retrieval against gold questions (recall@k, MRR)", _eval_arguments, run_eval),
]
