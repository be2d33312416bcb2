"""The `norms` command: thin subcommands over the pipeline; heavy imports happen inside them."""

from __future__ import annotations

import argparse
import json
import os
import sys

from assistant import __version__
from assistant.errors import NormsError, UsageError


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", action="append", metavar="PATH",
                   help="corpus folder or file (repeatable; default: NORMS_CORPUS or the shipped corpus/)")
    p.add_argument("--index", metavar="DIR", help="index folder (default: NORMS_INDEX or index/)")
    p.add_argument("--model", metavar="NAME_OR_DIR",
                   help="sentence-transformers model folder or name (default: the packaged all-MiniLM-L6-v2)")


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--doc", action="append", metavar="SYMBOL", help="only this document (repeatable)")
    p.add_argument("--since", metavar="YEAR|DATE", help="only documents dated on or after")
    p.add_argument("--until", metavar="YEAR|DATE", help="only documents dated on or before")
    p.add_argument("--kind", action="append", metavar="KIND",
                   help="only this kind: resolution, 'draft resolution', report, note, 'statement compendium', other")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="norms", description="Cited answers from cyber-norms documents: "
                                     "UN resolutions, GGE and OEWG reports, drafts and State statements.")
    parser.add_argument("--version", action="version", version=f"norms {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("index", help="build or update the index of the corpus")
    _common(p)
    p.add_argument("--rebuild", action="store_true", help="rebuild from scratch, reusing nothing")
    p.add_argument("--export", metavar="FILE.jsonl", help="write the index's documents and paragraphs as JSON lines")

    p = sub.add_parser("ask", help="answer a question with cited paragraphs ('-' reads one question per line)")
    p.add_argument("question", help="the question, or - to read questions from standard input")
    p.add_argument("-k", type=int, default=5, help="how many paragraphs (default 5)")
    p.add_argument("--format", choices=["text", "json", "md"], default="text")
    _filters(p)
    _common(p)

    p = sub.add_parser("docs", help="list the indexed documents")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--check", action="store_true",
                   help="check each corpus file's text (read from the files, not the index); exit 1 if any looks broken")
    _common(p)

    p = sub.add_parser("show", help="print a document or one of its paragraphs")
    p.add_argument("symbol")
    p.add_argument("para", nargs="?", help="paragraph label: PP3, 1, 1.6, 1(a), fn2, ¶4")
    p.add_argument("--format", choices=["text", "json"], default="text")
    _common(p)

    p = sub.add_parser("chat", help="the terminal chat (also `norms` with no arguments in a terminal)")
    p.add_argument("-k", type=int, default=5)
    _common(p)

    p = sub.add_parser("brief", help="answer a file of questions as a cited briefing")
    p.add_argument("questions", help="questions file (.txt one per line, .yaml/.yml/.json), or - for stdin")
    p.add_argument("-o", "--output", metavar="FILE", help="write here (default: standard output)")
    p.add_argument("--format", choices=["md", "html", "jsonl"], help="default: from -o's extension, else md")
    p.add_argument("-k", type=int, default=3, help="paragraphs per question (default 3)")
    p.add_argument("--no-timestamp", action="store_true", help="omit the generation time (byte-identical output)")
    p.add_argument("--lineage", action="store_true",
                   help="under each cited paragraph, its other versions in the corpus (as `norms trace` finds them)")
    _common(p)

    p = sub.add_parser("eval", help="score retrieval against gold questions (recall@k, MRR)")
    p.add_argument("questions", nargs="+",
                   help="JSONL with question, type and gold [{symbol, quote}]; an empty gold list marks a question "
                        "the corpus cannot answer (counted in the confidence split)")
    p.add_argument("-k", type=int, default=10)
    p.add_argument("--json", action="store_true", help="machine-readable result")
    _common(p)
    from assistant.cli.corpus import add_parsers as add_corpus_parsers
    from assistant.cli.lineage import add_parsers as add_lineage_parsers

    add_corpus_parsers(sub, _common)
    add_lineage_parsers(sub, _common)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    if not argv:
        if sys.stdin.isatty() and sys.stdout.isatty():
            argv = ["chat"]
        else:
            parser.print_help()
            return 0
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        import assistant.cli.ask as commands

        if hasattr(args, "handler"):  # subcommands defined outside commands.py (add, fetch, trace, compare)
            return args.handler(args)
        if args.command == "docs" and args.check:
            from assistant.cli.corpus import cmd_docs_check

            return cmd_docs_check(args)
        return getattr(commands, f"cmd_{args.command}")(args)
    except NormsError as exc:
        print(f"norms: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("norms: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # quiet exit under `| head`
        return 0


def run() -> None:
    sys.exit(main())


def dump_json(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)


__all__ = ["main", "run", "build_parser", "UsageError"]
