"""The corpus subcommands: `norms add`, `norms fetch` and `norms docs --check`; each returns the exit code."""

from __future__ import annotations

import argparse
import math
import os
import re
import tempfile
from pathlib import Path

from assistant.cli.output import Command, ProgressBar, add_common, say, settings_of
from assistant.errors import NormsError, UsageError
from assistant.sanitize import one_line


def _add_arguments(p: argparse.ArgumentParser) -> None:
    from assistant.records import KINDS

    p.add_argument("files", nargs="+", metavar="FILE|DIR", help="files, or folders to take every supported file from")
    p.add_argument("--symbol", help="the document symbol, when the masthead lacks it (one file only)")
    p.add_argument("--title", help="the title, instead of the detected one (one file only)")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the date, instead of the detected one")
    p.add_argument("--kind", choices=KINDS, help="the kind, instead of the detected one")
    p.add_argument("--source", metavar="URL", help="where the document is published (default: https://undocs.org/"
                   "SYMBOL for UN documents, else the file's path)")
    _corpus_options(p)
    p.add_argument("--dry-run", action="store_true", help="show what would be added; write nothing")


def _fetch_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("symbols", nargs="*", metavar="SYMBOL", help="document symbols, e.g. A/RES/78/237 A/80/257")
    p.add_argument("--core", action="store_true", help="also fetch the curated list of core cyber-norms documents")
    p.add_argument("--ods-url", metavar="URL", help="ODS address (default: NORMS_ODS_URL or the public ODS)")
    p.add_argument("--timeout", type=_seconds, default=30.0, metavar="SECONDS",
                   help="give up on an attempt after this long without an answer (default 30)")
    p.add_argument("--max-bytes", type=_byte_size, default=50 * 2**20, metavar="SIZE",
                   help="refuse larger PDFs; 50M, 200K or bytes (default 50M)")
    _corpus_options(p)


def _seconds(text: str) -> float:
    """A finite number of seconds (`inf` and `nan` are usage errors here; FetchOptions.check wants it above 0)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number of seconds")
    return value


def _corpus_options(p) -> None:
    p.add_argument("--replace", action="store_true", help="overwrite a document already in the corpus")
    p.add_argument("--no-index", action="store_true", help="leave the index alone (run `norms index` later)")
    add_common(p)


def _byte_size(text: str) -> int:
    m = re.fullmatch(r"\s*(\d+)\s*([kmg]?)i?b?\s*", text.lower())
    if not m:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 50M, 200K or 1048576")
    return int(m.group(1)) * 1024 ** " kmg".index(m.group(2) or " ")


def expand_sources(arguments: list[str]) -> list[Path]:
    """Files as given; folders contribute their supported files (hidden ones skipped), sorted."""
    from assistant.documents.convert import SOURCE_SUFFIXES

    found: list[Path] = []
    for argument in arguments:
        from assistant.settings import user_path

        path = user_path(argument, "add")
        if path.is_dir():
            found += [p for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES
                      and not any(part.startswith(".") for part in p.relative_to(path).parts)]
        elif path.exists():
            found.append(path)
        else:
            raise UsageError(f"no such file or folder: {one_line(argument)[:200]}")
    return found


def corpus_symbols(corpus: list[Path], index: Path) -> dict[str, Path]:
    """Symbol -> file for every document already in the corpus; the index manifest spares re-reading."""
    from assistant.index.build import file_state
    from assistant.documents.read import corpus_files, read_document
    from assistant.index.store import read_manifest

    try:
        manifest = read_manifest(index)
    except NormsError:
        manifest = None
    known: dict[str, Path] = {}
    for path in corpus_files(corpus):
        entry = manifest.files.get(os.fspath(path.resolve()), {}) if manifest else {}
        state = file_state(path)
        if entry.get("symbol") and entry.get("size") == state["size"] and entry.get("mtime_ns") == state["mtime_ns"]:
            symbol = entry["symbol"]
        else:
            try:
                symbol = read_document(path).symbol
            except NormsError:
                continue  # an unreadable file claims no symbol; `norms docs --check` reports it
        known.setdefault(symbol, path)
    return known


def cmd_add(args) -> int:
    from assistant.documents.ingest import Overrides, add_file, target_folder

    settings = settings_of(args)
    folder = target_folder(settings.corpus)
    overrides = Overrides(args.symbol, args.title, args.date, args.kind, args.source)
    overrides.check()
    sources = expand_sources(args.files)
    if not sources:
        raise UsageError("no .pdf, .html, .docx, .txt or .md files in " + ", ".join(args.files))
    if len(sources) > 1 and (args.symbol or args.title):
        raise UsageError("--symbol and --title name one document: give one file with them")
    known = corpus_symbols(settings.corpus, settings.index)
    failed = added = 0
    for path in sources:
        try:
            result = add_file(path, folder, known, overrides, replace=args.replace, dry_run=args.dry_run)
        except Exception as exc:  # one bad file must not stop the others; say why in one line
            failed += 1
            say(_one_error(exc, str(path)))
            continue
        added += 1
        _report(f"{path.name}: {'would be added' if args.dry_run else 'added'} as", result)
    return _finish(settings, added and not (args.dry_run or args.no_index), failed)


def cmd_fetch(args) -> int:
    from assistant.documents.fetch import FetchOptions, check_symbol, core_symbols, download_pdf, ods_base, ods_url
    from assistant.documents.ingest import Overrides, add_file, file_name, target_folder

    symbols = [check_symbol(s) for s in args.symbols] + (core_symbols() if args.core else [])
    symbols = list(dict.fromkeys(symbols))
    if not symbols:
        raise UsageError("name at least one document symbol, or use --core")
    options = FetchOptions(ods_base(args.ods_url), args.timeout, args.max_bytes)
    options.check()
    settings = settings_of(args)
    folder = target_folder(settings.corpus)
    known = corpus_symbols(settings.corpus, settings.index)
    failed = added = 0
    with tempfile.TemporaryDirectory(prefix="norms-fetch-") as scratch:
        for symbol in symbols:
            if symbol in known and not args.replace:
                print(f"{symbol}: already in the corpus ({known[symbol]}); skipped (--replace fetches it again)")
                continue
            pdf = Path(scratch) / (file_name(symbol).removesuffix(".md") + ".pdf")
            try:
                data = download_pdf(symbol, options)
                pdf.write_bytes(data)
                result = add_file(pdf, folder, known, Overrides(), replace=args.replace,
                                  source=ods_url(options.base_url, symbol), symbol_fallback=symbol)
            except Exception as exc:  # as in `add`: report, go on with the next symbol
                failed += 1
                say(_one_error(exc, symbol, scratch_file=os.fspath(pdf)))
                continue
            finally:
                pdf.unlink(missing_ok=True)
            if result.doc.symbol != symbol:
                result.warning = f"the PDF's masthead names {result.doc.symbol}, not {symbol}"
            added += 1
            _report(f"{symbol}: fetched ({len(data) / 2**20:.1f} MB), added as", result)
    return _finish(settings, added and not args.no_index, failed)


def _one_error(exc: Exception, subject: str, scratch_file: str = "") -> str:
    """NormsErrors already read well; anything else is a bug, still said in one line with the file."""
    message = str(exc) if isinstance(exc, NormsError) else f"could not convert ({exc.__class__.__name__}: {exc})"
    message = one_line(message.replace(scratch_file, subject) if scratch_file else message)
    return message if message.startswith(subject) else f"{subject}: {message}"


def _report(headline: str, result) -> None:
    from assistant.present import safe

    doc = safe(result.doc)
    headline, target = one_line(headline), one_line(str(result.target))
    print(f"{headline} {target}")
    print(f"  symbol {doc.symbol} | date {doc.date or 'undated'} | kind {doc.kind} | language {doc.language} "
          f"| {result.paragraphs} paragraphs and {result.footnotes} footnotes")
    print(f"  title  {one_line(doc.title)}")
    if result.replaced is not None:
        print(f"  replaced {one_line(str(result.replaced))}")
    if result.warning:
        print(f"  warning: {one_line(result.warning)}")


def _finish(settings, update_index: bool, failed: int) -> int:
    """Bring the index up to date once, after all files; the corpus changes stand even if this fails."""
    if update_index:
        from assistant.settings import ensure_index

        try:
            report = ensure_index(settings, say, ProgressBar())
        except NormsError as exc:
            say(f"the corpus is updated but the index is not ({exc}); run `norms index`")
            return 1
        if report is not None and not report.up_to_date:
            print(f"index updated: {report.documents} documents, {report.paragraphs - report.footnotes} paragraphs "
                  f"and {report.footnotes} footnotes in {settings.index}")
            for error in report.errors:  # other corpus files the index could not take; not this command's failure
                say(f"index skipped {error}")
    return 1 if failed else 0


COMMANDS = [
    Command("add", "put PDF, HTML, DOCX, TXT or MD files into the corpus as Markdown", _add_arguments, cmd_add),
    Command("fetch", "download English PDFs from the UN Official Document System and add them", _fetch_arguments,
            cmd_fetch),
]
