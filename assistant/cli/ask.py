"""What each `norms` subcommand does, given parsed arguments; returns the exit code."""

from __future__ import annotations

import io
import json
import sys
import time

from assistant.settings import Settings, ensure_index, make_settings, open_searcher
from assistant.errors import UsageError
from assistant.records import Filters
from assistant.present import answer_to_dict, answer_to_markdown, answer_to_text, document_to_dict, document_to_text
from assistant.sanitize import strip_controls
from assistant.index.progress import BuildProgress as ProgressBar  # rich bars; rich loads on first use


def say(message: str) -> None:
    print(f"norms: {strip_controls(message)}", file=sys.stderr)


def settings_of(args) -> Settings:
    return make_settings(args.corpus, args.index, args.model)


def cmd_index(args) -> int:
    settings = settings_of(args)
    started = time.monotonic()
    report = ensure_index(settings, say, ProgressBar(), rebuild=args.rebuild)
    took = time.monotonic() - started
    if getattr(args, "export", None):
        from assistant.index.store import export_jsonl

        written = export_jsonl(settings.index, args.export)
        print(f"exported {written} paragraphs to {args.export}")
    if report is None or report.up_to_date:
        from assistant.index.store import read_manifest

        manifest = read_manifest(settings.index)
        print(f"index up to date: {len(manifest.files)} documents, {manifest.count} paragraphs ({took:.1f} s) in {settings.index}")
        return 0
    print(f"indexed {report.documents} documents, {report.paragraphs} paragraphs in {settings.index} "
          f"({report.read} files read, {report.embedded} paragraphs embedded, {report.reused} reused; {took:.1f} s)")
    for err in report.errors:
        print(f"  skipped: {strip_controls(err)}", file=sys.stderr)
    return 1 if report.errors else 0


def filters_of(args) -> Filters:
    from assistant.search.searcher import parse_when

    return Filters(docs=args.doc or [], since=parse_when(args.since, end=False), until=parse_when(args.until, end=True),
                   kinds=args.kind or [])


def cmd_ask(args) -> int:
    if args.question != "-" and not args.question.strip():
        raise UsageError("empty question")
    if args.k < 1:
        raise UsageError("-k must be at least 1")
    filters = filters_of(args)
    questions = _stdin_questions() if args.question == "-" else [args.question]
    searcher = open_searcher(settings_of(args), say, ProgressBar())
    color = sys.stdout.isatty() and args.format == "text"
    failed = 0
    for question in questions:
        try:
            answer = searcher.ask(question, k=args.k, filters=filters)
        except UsageError as exc:
            if args.question != "-":
                raise
            failed += 1
            say(f"{exc}: {strip_controls(question)[:60]!r}")
            continue
        for notice in answer.notices if args.format != "text" else []:
            say(notice)
        if args.format == "json":
            sys.stdout.write(json.dumps(answer_to_dict(answer), ensure_ascii=False) + "\n")
        elif args.format == "md":
            sys.stdout.write(answer_to_markdown(answer) + "\n")
        else:
            sys.stdout.write(answer_to_text(answer, color=color) + ("\n" if len(questions) > 1 else ""))
        sys.stdout.flush()
    return 1 if failed else 0


def _stdin_questions() -> list[str]:
    """One question per line; blank lines skipped; undecodable bytes replaced, never a crash."""
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    text = data.decode("utf-8", errors="replace")
    questions = [line.strip() for line in io.StringIO(text) if line.strip()]
    if not questions:
        raise UsageError("no questions on standard input")
    return questions


def cmd_docs(args) -> int:
    from assistant.index.build import shown

    searcher = open_searcher(settings_of(args), say, ProgressBar())
    docs = searcher.documents()
    if args.format == "json":
        for d in docs:
            print(json.dumps({"symbol": d.symbol, "date": d.date, "kind": d.kind, "title": strip_controls(d.title),
                              "language": d.language, "paragraphs": d.paragraphs, "path": shown(d.path)}, ensure_ascii=False))
        return 0
    for d in docs:
        title = strip_controls(d.title)
        print(f"{d.symbol:<28} {d.date or 'undated':<10}  {d.kind:<20} {d.paragraphs:>5}  {title[:60]}")
    print(f"{len(docs)} documents, {sum(d.paragraphs for d in docs)} paragraphs")
    for reason in searcher.index.skipped():
        print(f"skipped: {strip_controls(reason)}")
    return 0


def cmd_show(args) -> int:
    searcher = open_searcher(settings_of(args), say, ProgressBar())
    info = searcher.resolve_symbol(args.symbol)
    paragraphs = searcher.paragraphs(info.symbol)
    if args.para:
        wanted = _normalise_label(args.para)
        chosen = [p for p in paragraphs if _normalise_label(p.para) == wanted]
        if not chosen:
            labels = ", ".join(p.para for p in paragraphs[:12])
            raise UsageError(f"{info.symbol} has no paragraph {strip_controls(args.para)[:20]!r} (it has {labels}, ...)")
        paragraphs = chosen
    if args.format == "json":
        print(json.dumps(document_to_dict(info, paragraphs), ensure_ascii=False))
    else:
        sys.stdout.write(document_to_text(info, paragraphs))
    return 0


def _normalise_label(label: str) -> str:
    """"OP 1 (a)", "op1(a)" and "1(a)" are the same paragraph; "para. 1.6" is "1.6"."""
    import re

    s = re.sub(r"\s+", "", label).lower()
    s = re.sub(r"^(?:op|para\.?|paragraph)", "", s)
    return s


def cmd_chat(args) -> int:
    from assistant.tui.app import default_history_path, make_app

    settings = settings_of(args)

    def open_engine(progress):
        return open_searcher(settings, lambda m: None, progress)

    from assistant.index.build import is_stale
    from assistant.index.store import read_manifest

    app = make_app(open_engine, history_path=default_history_path(), export_dir=_export_dir(),
                   index_exists=lambda: read_manifest(settings.index) is not None and not is_stale(
                       settings.corpus, settings.index, settings.model), k=args.k)
    app.run()
    return 0


def _export_dir():
    from pathlib import Path

    return Path.cwd()


def cmd_brief(args) -> int:
    from assistant.brief.briefing import run_brief

    settings = settings_of(args)
    label = ", ".join(_short_path(p) for p in settings.corpus)
    return run_brief(args.questions, engine_loader=lambda: open_searcher(settings, say, ProgressBar()),
                     output=args.output, fmt=args.format, k=args.k, no_timestamp=args.no_timestamp,
                     corpus_label=label, stdin=sys.stdin, stdout=sys.stdout, stderr=sys.stderr,
                     lineage=args.lineage)


def _short_path(path) -> str:
    """Relative to the working folder when that is shorter: briefings should not leak home folders."""
    import os

    relative = os.path.relpath(path)
    return relative if len(relative) < len(str(path)) else str(path)


def cmd_eval(args) -> int:
    from assistant.search.evaluate import load_gold, render_report, run_eval

    gold = [item for path in args.questions for item in load_gold(path)]
    searcher = open_searcher(settings_of(args), say, ProgressBar())
    report = run_eval(searcher, gold, k=max(args.k, 10))
    print(json.dumps(report, ensure_ascii=False) if args.json else render_report(report))
    return 0
