"""The reading commands: `norms index`, `ask`, `docs` (and `docs --check`) and `show`."""

from __future__ import annotations

import argparse
import io
import re
import sys
import time

from assistant.cli.output import (Command, ProgressBar, add_common, json_line, open_engine, say, settings_of,
                                  use_color, write)
from assistant.errors import UsageError
from assistant.sanitize import one_line, strip_controls


def _index_arguments(p: argparse.ArgumentParser) -> None:
    add_common(p)
    p.add_argument("--rebuild", action="store_true", help="rebuild from scratch, reusing nothing")
    p.add_argument("--export", metavar="FILE.jsonl", help="write the index's documents and paragraphs as JSON lines")


def run_index(args) -> int:
    from assistant.settings import ensure_index

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
        print(f"index up to date: {len(manifest.files)} documents, {manifest.count} paragraphs and footnotes "
              f"({took:.1f} s) in {settings.index}")
        return 0
    print(f"indexed {report.documents} documents, {report.paragraphs - report.footnotes} paragraphs "
          f"and {report.footnotes} footnotes in {settings.index} "
          f"({report.read} files read, {report.embedded} paragraphs embedded, {report.reused} reused; {took:.1f} s)")
    for err in report.errors:
        print(f"  skipped: {strip_controls(err)}", file=sys.stderr)
    return 1 if report.errors else 0


def add_filter_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--doc", action="append", metavar="SYMBOL", help="only this document (repeatable)")
    p.add_argument("--since", metavar="YEAR|DATE", help="only documents dated on or after")
    p.add_argument("--until", metavar="YEAR|DATE", help="only documents dated on or before")
    p.add_argument("--kind", action="append", metavar="KIND",
                   help="only this kind: resolution, 'draft resolution', report, note, 'statement compendium', declaration, other")


def _ask_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("question", help="the question, or - to read questions from standard input")
    p.add_argument("-k", type=int, default=5, help="how many paragraphs (default 5)")
    p.add_argument("--format", choices=["text", "json", "md"], default="text")
    add_filter_options(p)
    add_common(p)


def run_ask(args) -> int:
    from assistant.dates import make_filters
    from assistant.present import answer_to_dict, answer_to_markdown, answer_to_text

    if args.question != "-" and not one_line(args.question).strip(ZERO_WIDTH):
        raise UsageError("empty question")
    if args.k < 1:
        raise UsageError("-k must be at least 1")
    filters = make_filters(args.doc, args.since, args.until, args.kind)
    questions = _stdin_questions() if args.question == "-" else [args.question]
    searcher = open_engine(args)
    color = use_color() and args.format == "text"
    failed = 0
    for question in questions:
        try:
            if not one_line(question).strip(ZERO_WIDTH):
                raise UsageError("empty question")
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
            write(json_line(answer_to_dict(answer)))
        elif args.format == "md":
            write(answer_to_markdown(answer) + "\n")
        else:
            write(answer_to_text(answer, color=color) + ("\n" if len(questions) > 1 else ""))
    return 1 if failed else 0


# zero-width space, non-joiner, joiner, word joiner, BOM: a question of only these is empty
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff "


def _stdin_questions() -> list[str]:
    """One question per line; blank lines skipped; undecodable bytes replaced (and said), never a crash."""
    if sys.stdin is None or sys.stdin.closed:
        raise UsageError("no questions on standard input (it is closed)")
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    lines = data.splitlines()
    bad = [n for n, line in enumerate(lines, 1) if not _decodes(line)]
    if bad:
        say(f"standard input: not UTF-8 on line {', '.join(map(str, bad[:10]))}; bad bytes replaced")
    text = data.decode("utf-8", errors="replace")
    questions = [line.strip() for line in io.StringIO(text) if line.strip()]
    if not questions:
        raise UsageError("no questions on standard input")
    return questions


def _decodes(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _docs_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--check", action="store_true",
                   help="check each corpus file's text (read from the files, not the index); exit 1 if any looks broken")
    add_common(p)


def run_docs(args) -> int:
    if args.check:
        return _check_docs(args)
    from assistant.present import document_line, documents_summary, docinfo_to_dict
    from assistant.index.build import shown

    settings = settings_of(args)
    from assistant.settings import open_searcher

    searcher = open_searcher(settings, say, ProgressBar())
    docs = searcher.documents()
    if args.format == "json":
        write("".join(json_line(docinfo_to_dict(d)) for d in docs))
        say(f"index: {settings.index}")
        return 0
    write("".join(document_line(d) + "\n" for d in docs))
    write(documents_summary(docs) + "\n")
    write("".join(f"skipped: {strip_controls(shown(reason))}\n" for reason in searcher.index.skipped()))
    write(f"index: {strip_controls(str(settings.index))}\n")
    return 0


def _check_docs(args) -> int:
    """Check every corpus file's text; exit 1 when any looks broken."""
    from assistant.documents.check import check_corpus

    results = check_corpus(settings_of(args).corpus)
    flagged = [r for r in results if r.reasons]
    if args.format == "json":
        write("".join(json_line({"symbol": strip_controls(r.symbol), "path": strip_controls(r.path),
                                 "ok": not r.reasons, "reasons": [strip_controls(x) for x in r.reasons]})
                      for r in results))
    else:
        for r in flagged:
            print(f"{strip_controls(r.symbol) or '(unreadable)'}  {strip_controls(r.path)}")
            for reason in r.reasons:
                print(f"  - {strip_controls(reason)}")
        print(f"{len(results)} documents checked, {len(flagged)} flagged" if flagged
              else f"{len(results)} documents checked: all look sound")
    return 1 if flagged else 0


def _show_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("symbol")
    p.add_argument("para", nargs="?", help="paragraph label: PP3, 1, 1.6, 1(a), fn2, ¶4")
    p.add_argument("--format", choices=["text", "json"], default="text")
    add_common(p)


def run_show(args) -> int:
    from assistant.present import document_to_dict, document_to_text

    from assistant.search.references import parse_citation

    searcher = open_engine(args)
    cited = None if args.para else parse_citation(args.symbol)  # a citation pasted back: "A/RES/73/27, para. 1.6"
    info = searcher.resolve_symbol(cited.symbol if cited else args.symbol)
    paragraphs = searcher.paragraphs(info.symbol)
    para = cited.para if cited else args.para
    if para:
        wanted = _normalise_label(para)
        chosen = [p for p in paragraphs if _normalise_label(p.para) == wanted]
        if not chosen:
            labels = ", ".join(strip_controls(p.para) for p in paragraphs[:12])
            raise UsageError(f"{info.symbol} has no paragraph {strip_controls(para)[:60]!r} (it has {labels}, ...)")
        paragraphs = chosen
    write(json_line(document_to_dict(info, paragraphs)) if args.format == "json"
          else document_to_text(info, paragraphs))
    return 0


def _normalise_label(label: str) -> str:
    """"OP 1 (a)", "op1(a)" and "1(a)" are the same paragraph; "para. 1.6" is "1.6"."""
    s = re.sub(r"\s+", "", label).lower()
    return re.sub(r"^(?:op|para\.?|paragraph)", "", s)


COMMANDS = [
    Command("index", "build or update the index of the corpus", _index_arguments, run_index),
    Command("ask", "answer a question with cited paragraphs ('-' reads one question per line)", _ask_arguments, run_ask),
    Command("docs", "list the indexed documents", _docs_arguments, run_docs),
    Command("show", "print a document or one of its paragraphs", _show_arguments, run_show),
]
