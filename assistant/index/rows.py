"""Paragraph records on disk: one JSON object per row in a blob, a memory-mapped table of offsets beside it."""

# Why offsets + blob: a cold `ask` at 70k paragraphs must not parse every record. The table
# (start, end, document, role per row) is memory-mapped and tells the searcher which rows are
# searchable and whose they are without decoding anything; a record is decoded only when a
# question shows it. JSON per row keeps the store generic over Paragraph's fields (fields added
# later round-trip; fields a newer norms wrote and this one lacks are ignored) and readable with
# `norms index --export`.

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np

from assistant.errors import IndexMissing
from assistant.records import Paragraph

ROW_TABLE = np.dtype([("start", "<i8"), ("end", "<i8"), ("doc", "<i4"), ("role", "u1")])
ENCODING = ("utf-8", "surrogatepass")  # text read from odd files may hold lone surrogates: keep them


def _field_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(Paragraph))


def encode_rows(paragraphs: Sequence[Paragraph], doc_order: list[str],
                stored: Sequence[bytes | None] | None = None) -> tuple[bytes, np.ndarray, list[str]]:
    """The blob, the row table and the role names (role codes index into them) for `paragraphs`.

    `stored[i]`, when given, is paragraph i's record as the previous generation holds it: copied, not re-encoded.
    """
    doc_code = {symbol: n for n, symbol in enumerate(doc_order)}
    roles: list[str] = []
    role_code: dict[str, int] = {}
    table = np.zeros(len(paragraphs), dtype=ROW_TABLE)
    parts: list[bytes] = []
    position = 0
    names = _field_names()  # every field, read off the dataclass: new fields are stored without a change here
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    for row, p in enumerate(paragraphs):
        # a shallow dict: asdict() deep-copies every list and cost 25 s of a 70k-paragraph build (profiled)
        record = stored[row] if stored is not None and stored[row] is not None else \
            encoder.encode({name: getattr(p, name) for name in names}).encode(*ENCODING)
        if p.role not in role_code:
            role_code[p.role] = len(roles)
            roles.append(p.role)
        table[row] = (position, position + len(record), doc_code.get(p.symbol, -1), role_code[p.role])
        parts.append(record)
        position += len(record)
    if len(roles) > 255:
        raise ValueError("more than 255 paragraph roles")
    return b"".join(parts), table, roles


def paragraph_from(record: dict) -> Paragraph:
    """A stored record as a Paragraph: unknown fields dropped, the pre-rename "kind" read as the role."""
    if "kind" in record and "role" not in record:
        record["role"] = record.pop("kind")
    known = _KNOWN or _KNOWN.update(_field_names()) or _KNOWN
    if record.keys() <= known:
        return Paragraph(**record)
    return Paragraph(**{k: v for k, v in record.items() if k in known})


_KNOWN: set[str] = set()  # Paragraph's field names, filled on first use


class ParagraphRows(Sequence[Paragraph]):
    """The index's paragraphs, row i matching vector i; records are decoded on first access."""

    def __init__(self, blob, table: np.ndarray, roles: list[str], symbols: list[str], where: str = "index"):
        self.blob, self.table, self.role_names, self.symbols, self.where = blob, table, roles, symbols, where
        self._cache: dict[int, Paragraph] = {}
        self._lookup: dict[str, dict[str, int]] = {}

    @classmethod
    def in_memory(cls, paragraphs: Iterable[Paragraph], symbols: list[str] | None = None) -> "ParagraphRows":
        """The same interface over a list (for callers that build paragraphs themselves)."""
        paragraphs = list(paragraphs)
        symbols = symbols if symbols is not None else list(dict.fromkeys(p.symbol for p in paragraphs))
        blob, table, roles = encode_rows(paragraphs, symbols)
        rows = cls(blob, table, roles, symbols, "memory")
        rows._cache = dict(enumerate(paragraphs))
        return rows

    @classmethod
    def open(cls, blob_path: Path, table_path: Path, roles: list[str], symbols: list[str]) -> "ParagraphRows":
        """Memory-map a stored generation; checks the table against the blob without reading records."""
        table = np.load(table_path, allow_pickle=False, mmap_mode="r")
        if table.dtype != ROW_TABLE or table.ndim != 1:
            raise ValueError(f"{table_path.name} is not a paragraph table")
        size = blob_path.stat().st_size
        blob = np.memmap(blob_path, dtype=np.uint8, mode="r") if size else b""
        if len(table) and (int(table["end"][-1]) != size or int(table["start"][0]) != 0):
            raise ValueError(f"{blob_path.name} does not match its table ({size} bytes)")
        if len(table) and (int(table["role"].max()) >= len(roles) or int(table["doc"].max()) >= len(symbols)):
            raise ValueError(f"{table_path.name} names roles or documents the index does not have")
        rows = cls(blob, table, roles, symbols, str(blob_path.parent))
        if len(table):
            rows[0], rows[len(table) - 1]  # a damaged blob shows at its ends first
        return rows

    def __len__(self) -> int:
        return len(self.table)

    def __getitem__(self, row):
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(len(self)))]
        row = int(row)
        if row < 0:
            row += len(self)
        cached = self._cache.get(row)
        if cached is not None:
            return cached
        if not 0 <= row < len(self):
            raise IndexError(row)
        start, end = int(self.table["start"][row]), int(self.table["end"][row])
        try:
            record = json.loads(bytes(self.blob[start:end]).decode(*ENCODING))
            paragraph = paragraph_from(record)
        except (ValueError, TypeError) as exc:
            raise IndexMissing(f"index at {self.where}: paragraph record {row} is damaged ({str(exc)[:80]}); "
                               "run `norms index --rebuild`") from None
        self._cache[row] = paragraph
        return paragraph

    def many(self, rows: list[int], raw: list[bytes] | None = None) -> list[Paragraph]:
        """Several records at once (an update reuses every unchanged document's): one read of their span.

        `raw`, when given, receives each record's stored bytes, so a new generation can copy them.
        """
        if not rows:
            return []
        picked = np.asarray(self.table[np.asarray(rows)])
        low, high = int(picked["start"].min()), int(picked["end"].max())
        span = bytes(self.blob[low:high])
        out = []
        for row, start, end in zip(rows, picked["start"].tolist(), picked["end"].tolist()):
            if raw is not None:
                raw.append(span[start - low:end - low])
            cached = self._cache.get(row)
            if cached is None:
                try:
                    cached = paragraph_from(json.loads(span[start - low:end - low].decode(*ENCODING)))
                except (ValueError, TypeError) as exc:
                    raise IndexMissing(f"index at {self.where}: paragraph record {row} is damaged ({str(exc)[:80]}); "
                                       "run `norms index --rebuild`") from None
                self._cache[row] = cached
            out.append(cached)
        return out

    def __iter__(self) -> Iterator[Paragraph]:
        for row in range(len(self)):
            yield self[row]

    # -- column views: no record decoded ---------------------------------------------------------
    def doc_codes(self) -> np.ndarray:
        """Per row, the position of its document in `symbols` (the order of StoredIndex.docs)."""
        return np.asarray(self.table["doc"], dtype=np.int32)

    def roles(self) -> np.ndarray:
        return np.asarray(self.role_names, dtype=object)[np.asarray(self.table["role"])] if len(self) else np.array([], dtype=object)

    def rows_of(self, symbol: str) -> list[int]:
        """Rows of one document, in stored order."""
        try:
            code = self.symbols.index(symbol)
        except ValueError:
            return []
        return np.flatnonzero(self.doc_codes() == code).tolist()

    def of_document(self, symbol: str) -> list[Paragraph]:
        return [self[row] for row in self.rows_of(symbol)]

    def row_of(self, symbol: str, para: str) -> int | None:
        """The row of SYMBOL's paragraph PARA; decodes only that document's records."""
        labels = self._lookup.get(symbol)
        if labels is None:
            labels = {}
            for row in self.rows_of(symbol):
                labels[self[row].para] = row  # the last one wins, as in a dict built over all rows
            self._lookup[symbol] = labels
        return labels.get(para)


class RowLookup:
    """`(symbol, para) -> row` as the searcher's dict, answered lazily per document."""

    def __init__(self, rows: ParagraphRows):
        self.rows = rows

    def __contains__(self, key) -> bool:
        return self.rows.row_of(*key) is not None

    def __getitem__(self, key) -> int:
        row = self.rows.row_of(*key)
        if row is None:
            raise KeyError(key)
        return row

    def get(self, key, default=None):
        row = self.rows.row_of(*key)
        return default if row is None else row
