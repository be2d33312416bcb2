"""Errors that reach the user as one clear line (the CLI prints them without a traceback)."""


class NormsError(Exception):
    """A problem the user can act on; str(error) is the whole message."""

    exit_code = 1


class UsageError(NormsError):
    """Bad input on the command line or in a question (exit 2)."""

    exit_code = 2


class IndexMissing(NormsError):
    """No usable index where one was expected."""
