"""The `norms trace` and `norms compare` subcommands: parsers, argument handling and output."""

from __future__ import annotations

import argparse
import re

from assistant.cli.output import Command, add_common, json_line, open_engine, use_color, write
from assistant.errors import UsageError
from assistant.lineage import TRACE_LIMIT

FORMATS = ["text", "md", "json"]


def _trace_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("target", nargs="+", metavar="SYMBOL PARA | TEXT",
                   help='a paragraph ("A/RES/73/27 1.6", "L.37 OP 1(a)") or words to trace (quote them)')
    p.add_argument("--text", action="store_true", help="trace the arguments as text even if they look like a citation")
    p.add_argument("--limit", type=int, default=TRACE_LIMIT,
                   help=f"at most this many other paragraphs, the closest kept (default {TRACE_LIMIT})")
    p.add_argument("--format", choices=FORMATS, default="text")
    add_common(p)


def _compare_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("a", metavar="SYMBOL_A", help="the earlier text, e.g. a draft: A/C.1/73/L.37")
    p.add_argument("b", metavar="SYMBOL_B", help="the later text, e.g. the adopted resolution: A/RES/73/266")
    p.add_argument("--format", choices=FORMATS, default="text")
    add_common(p)


def run_trace(args) -> int:
    from assistant.lineage.trace import trace, trace_text
    from assistant.lineage.render import trace_to_dict, trace_to_markdown, trace_to_text

    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    words = [w for w in args.target if w.strip()]
    if not words:
        raise UsageError("nothing to trace: give a paragraph (SYMBOL PARA) or some words")
    searcher = open_engine(args)
    paragraph = None if args.text else paragraph_target(searcher, words)
    if paragraph:
        lineage = trace(searcher, *paragraph, limit=args.limit)
    else:
        lineage = trace_text(searcher, " ".join(words), limit=args.limit)
    _emit(args.format, lambda: trace_to_text(lineage, color=use_color()), lambda: trace_to_markdown(lineage),
          lambda: trace_to_dict(lineage))
    return 0


def paragraph_target(searcher, words: list[str]) -> tuple[str, str] | None:
    """(symbol, para) when the arguments name a paragraph, None when they are text to trace.

    Accepts "SYMBOL PARA", "SYMBOL para. 1.6" in two or three arguments, or one "A/RES/73/27, para. 1.6".
    A first word with a slash that is not a known document is an error, not text: it was meant as a symbol.
    """
    if len(words) == 1 and "/" in words[0] and not words[0].split()[1:]:
        raise UsageError(f"which paragraph of {words[0][:40]}? e.g. `norms trace {words[0][:40]} 1`")
    if len(words) == 1:
        m = re.fullmatch(r"\s*(\S+?),?\s+((?:para\.?|OP|paragraph)?\s*\S+)\s*", words[0], flags=re.I)
        if not m or "/" not in m.group(1) and not _known(searcher, m.group(1)):
            return None
        words = [m.group(1), m.group(2)]
    if len(words) > 3:
        return None
    symbol = words[0].rstrip(",")
    if "/" in symbol:
        searcher.resolve_symbol(symbol)  # unknown: say so rather than trace the symbol as words
        return symbol, " ".join(words[1:])
    return (symbol, " ".join(words[1:])) if _known(searcher, symbol) else None


def _known(searcher, symbol: str) -> bool:
    try:
        searcher.resolve_symbol(symbol)
    except UsageError:
        return False
    return True


def run_compare(args) -> int:
    from assistant.lineage.compare import compare
    from assistant.lineage.render import compare_to_dict, compare_to_markdown, compare_to_text

    searcher = open_engine(args)
    comparison = compare(searcher, args.a, args.b)
    _emit(args.format, lambda: compare_to_text(comparison, color=use_color()),
          lambda: compare_to_markdown(comparison), lambda: compare_to_dict(comparison))
    return 0


def _emit(fmt: str, text, markdown, data) -> None:
    write(json_line(data()) if fmt == "json" else markdown() if fmt == "md" else text())


COMMANDS = [
    Command("trace", "follow a paragraph's language through the corpus, oldest first, with what changed each time",
            _trace_arguments, run_trace),
    Command("compare", "align two documents paragraph by paragraph: unchanged, changed (word diff), only in one "
            "of them", _compare_arguments, run_compare),
]
