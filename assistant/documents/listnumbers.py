"""List numbers as a reader sees them ("(iv)", "(aa)", "12."), and numbering attributes read without traps."""

from __future__ import annotations

MAX_LIST_NUMBER = 9999  # list numbers above this are not a document's numbering ("start=100000000" is a trap)


def roman(n: int) -> str:
    if n > 3999:
        return str(n)  # no Roman numeral is written past mmmcmxcix
    out = ""
    for value, numeral in zip((1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1),
                              "m cm d cd c xc l xl x ix v iv i".split()):
        count, n = divmod(n, value)
        out += numeral * count
    return out


def letters(n: int) -> str:
    if not 0 < n <= 26 * 4:
        return str(n)  # Word stops at "zzzz"; "a" * 3.8 million (start="100000000") is no label
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)  # a..z, aa..zz as Word numbers them


def list_number(value: str | None, default: int | None, low: int = 0, high: int = MAX_LIST_NUMBER) -> int | None:
    """A numbering attribute (<ol start>, w:start, w:ilvl) as an int in [low, high]; `default` when it is missing,
    out of range or not plain ASCII digits (int() takes "١٢" and refuses 5,000 digits)."""
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 9 or not low <= int(text) <= high:
        return default
    return int(text)
