"""assistant.dates: the one parser of the dates and kinds users type (CLI, chat filters, briefings)."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.dates import check_kinds, make_filters, parse_when
from assistant.errors import UsageError


def test_years_dates_and_yaml_values():
    assert parse_when("2021", end=False) == "2021-01-01" and parse_when("2021", end=True) == "2021-12-31"
    assert parse_when(" 2020-02-29 ", end=False) == "2020-02-29"
    assert parse_when(2019, end=True) == "2019-12-31"
    assert parse_when(dt.date(2018, 12, 31), end=False) == "2018-12-31"
    assert parse_when(dt.datetime(2018, 12, 31, 10, 0), end=True) == "2018-12-31"
    assert parse_when(None, end=False) is None and parse_when("", end=True) is None


@pytest.mark.parametrize("value, words", [("2018-02-30", "real date"), ("2021-02-29", "real date"),
                                          ("2020-13-45", "real date"), ("٢٠٢٠", "year or a date"),
                                          ("２０２０", "year or a date"), ("last year", "year or a date"),
                                          (True, "a bool"), (["2020"], "a list"), ("2020-1-5", "year or a date")])
def test_bad_dates_are_usage_errors_naming_the_option(value, words):
    with pytest.raises(UsageError, match=words) as caught:
        parse_when(value, end=False, name="--since")
    assert str(caught.value).startswith("--since") and caught.value.exit_code == 2


def test_kinds_and_ranges():
    assert check_kinds(["resolution", "draft resolution"]) == ["resolution", "draft resolution"]
    with pytest.raises(UsageError, match="unknown kind 'nonsense'"):
        check_kinds(["resolution", "nonsense"], name="--kind")
    filters = make_filters(["A/RES/73/27"], "2018", "2018", ["resolution"])
    assert (filters.docs, filters.since, filters.until, filters.kinds) == (
        ["A/RES/73/27"], "2018-01-01", "2018-12-31", ["resolution"])
    with pytest.raises(UsageError, match=r"--since \(2022-01-01\) is after --until \(2020-12-31\)"):
        make_filters(since="2022", until="2020")
