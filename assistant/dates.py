"""Dates and kinds a user types (--since/--until/--kind, brief files, chat): validated once, here."""

from __future__ import annotations

import datetime as dt
import re

from assistant.errors import UsageError
from assistant.records import KINDS, Filters
from assistant.sanitize import one_line

# ASCII digits only: str.isdigit and \d would take Arabic-Indic or full-width digits, which no document date uses
_YEAR = re.compile(r"[0-9]{4}", re.ASCII)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def parse_when(value, end: bool, name: str = "date") -> str | None:
    """A year (the whole year, inclusive) or a real calendar date, as an ISO date; UsageError otherwise.

    `value` may be text, a whole-number year, or a date (YAML reads `2018-12-31` as one).
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):  # YAML reads `2018-12-31 10:00` as a timestamp
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
    if _YEAR.fullmatch(text):
        return f"{text}-12-31" if end else f"{text}-01-01"
    if _DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise UsageError(f"{name} must be a real date, not {text!r}") from None
    shown = repr(one_line(value)[:40]) if isinstance(value, str) else f"a {type(value).__name__}"
    raise UsageError(f"{name} must be a year or a date (YYYY or YYYY-MM-DD), not {shown}")


def check_kinds(kinds: list[str], name: str = "kind") -> list[str]:
    """The kinds as given, each one of records.KINDS; UsageError naming the first unknown one."""
    for kind in kinds:
        if kind not in KINDS:
            raise UsageError(f"{name}: unknown kind {one_line(kind)[:40]!r} (one of: {', '.join(KINDS)})")
    return list(kinds)


def make_filters(docs: list[str] | None = None, since=None, until=None, kinds: list[str] | None = None,
                 prefix: str = "--") -> Filters:
    """Validated Filters: real dates, known kinds, since not after until."""
    filters = Filters(docs=list(docs or []), since=parse_when(since, end=False, name=f"{prefix}since"),
                      until=parse_when(until, end=True, name=f"{prefix}until"),
                      kinds=check_kinds(list(kinds or []), name=f"{prefix}kind"))
    if filters.since and filters.until and filters.since > filters.until:
        raise UsageError(f"{prefix}since ({filters.since}) is after {prefix}until ({filters.until})")
    return filters
