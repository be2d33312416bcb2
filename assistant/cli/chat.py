"""`norms chat`: the terminal chat over the same Searcher (Textual is imported only when it starts)."""

from __future__ import annotations

import argparse

from assistant.cli.output import Command, add_common, settings_of


def _chat_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("-k", type=int, default=5)
    p.add_argument("--export-dir", metavar="DIR",
                   help="where `e` writes the conversation (default: exports/ in norms' user-data folder)")
    add_common(p)


def run_chat(args) -> int:
    from assistant.index.build import is_stale
    from assistant.index.store import read_manifest
    from assistant.settings import data_folder, open_searcher, user_path
    from assistant.tui.app import make_app

    settings = settings_of(args)
    folder = data_folder()  # history and exports; a UsageError here, before the screen opens, if there is none

    def open_engine(progress):
        return open_searcher(settings, lambda m: None, progress)

    exports = user_path(args.export_dir, "--export-dir") if args.export_dir else folder / "exports"
    app = make_app(open_engine, history_path=folder / "history.txt", export_dir=exports,
                   index_exists=lambda: read_manifest(settings.index) is not None and not is_stale(
                       settings.corpus, settings.index, settings.model), k=args.k)
    app.run()
    return 0


COMMANDS = [Command("chat", "the terminal chat (also `norms` with no arguments in a terminal)", _chat_arguments, run_chat)]
