"""Filters as the chat builds, combines, describes and pre-checks them (no Textual here)."""

from __future__ import annotations

from dataclasses import replace

from assistant.records import DocInfo, Filters


def year_bounds(since_year: int | None, until_year: int | None) -> tuple[str | None, str | None]:
    """A year range to the inclusive ISO dates `Filters` expects."""
    since = f"{since_year:04d}-01-01" if since_year is not None else None
    until = f"{until_year:04d}-12-31" if until_year is not None else None
    return since, until


def combine_filters(base: Filters, extra: Filters) -> Filters:
    """`base` (the filter panel) overridden by whatever `extra` (a follow-up) sets.

    A follow-up that names a year replaces the whole date range, not just one end of it.
    """
    dates_set = extra.since is not None or extra.until is not None
    return Filters(
        docs=list(extra.docs or base.docs),
        since=extra.since if dates_set else base.since,
        until=extra.until if dates_set else base.until,
        kinds=list(extra.kinds or base.kinds),
    )


def copy_filters(filters: Filters) -> Filters:
    return replace(filters, docs=list(filters.docs), kinds=list(filters.kinds))


def document_passes(doc: DocInfo, filters: Filters) -> bool:
    """The engine's rule (Filters.admits) plus the document list, matched by exact symbol."""
    if filters.docs and doc.symbol.upper() not in {s.upper() for s in filters.docs}:
        return False
    return filters.admits(doc)


def documents_matching(docs: list[DocInfo], filters: Filters) -> list[DocInfo]:
    return [d for d in docs if document_passes(d, filters)]


def describe_dates(since: str | None, until: str | None) -> str:
    """`2021`, `2018–2021`, `from 2018`, `until 2021`; full dates when not whole years."""
    start = since[:4] if since and since.endswith("-01-01") else since
    end = until[:4] if until and until.endswith("-12-31") else until
    if start and end:
        return start if start == end else f"{start}–{end}"
    if start:
        return f"from {start}"
    if end:
        return f"until {end}"
    return ""


def describe_filters(filters: Filters) -> str:
    """One line for the header: documents · years · kinds; empty when there are no filters."""
    parts = []
    if filters.docs:
        parts.append(", ".join(filters.docs))
    dates = describe_dates(filters.since, filters.until)
    if dates:
        parts.append(dates)
    if filters.kinds:
        parts.append(", ".join(filters.kinds))
    return " · ".join(parts)
