"""Stored vectors read row by row with pread: a question touches a few hundred rows, not the whole file."""

# Why not np.load(mmap_mode="r"): on this kernel a page fault in a cached file maps a whole large
# folio (up to 2 MB), so touching 40 scattered rows of a 109 MB vectors file added 74 MB of RSS
# (measured; MADV_RANDOM did not help). Reading the rows a question needs costs one pread per row.

from __future__ import annotations

import os
from pathlib import Path

import numpy as np


class VectorFile:
    """A .npy matrix of float32 rows on disk, indexed like an array (int, slice, or array of rows)."""

    def __init__(self, path: Path):
        with open(path, "rb") as handle:
            version = np.lib.format.read_magic(handle)
            read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, fortran, dtype = read_header(handle)
            self.offset = handle.tell()
        if fortran or len(shape) != 2 or dtype != np.float32:
            raise ValueError(f"{path.name} is not a C-ordered float32 matrix")
        self.shape = tuple(shape)
        self.dtype = np.dtype(np.float32)
        self.ndim = 2
        self.row_bytes = self.shape[1] * 4
        self.fd = os.open(path, os.O_RDONLY)  # held open: a build may delete the file, the rows stay readable
        if os.fstat(self.fd).st_size < self.offset + self.shape[0] * self.row_bytes:
            os.close(self.fd)
            raise ValueError(f"{path.name} is shorter than its header says")

    def __len__(self) -> int:
        return self.shape[0]

    def _row(self, row: int) -> np.ndarray:
        data = os.pread(self.fd, self.row_bytes, self.offset + row * self.row_bytes)
        return np.frombuffer(data, dtype=np.float32)

    def _span(self, start: int, stop: int) -> np.ndarray:
        count = max(0, stop - start)
        data = os.pread(self.fd, count * self.row_bytes, self.offset + start * self.row_bytes) if count else b""
        return np.frombuffer(data, dtype=np.float32).reshape(count, self.shape[1])

    def __getitem__(self, key):
        if isinstance(key, (int, np.integer)):
            row = int(key) + (len(self) if key < 0 else 0)
            if not 0 <= row < len(self):
                raise IndexError(key)
            return self._row(row)
        if isinstance(key, slice):
            start, stop, step = key.indices(len(self))
            span = self._span(start, stop) if step > 0 else self._span(stop + 1, start + 1)[::-1]
            return span[::abs(step)] if step not in (1, -1) else span
        rows = np.asarray(key)
        if rows.dtype == bool:
            rows = np.flatnonzero(rows)
        out = np.empty((len(rows), self.shape[1]), dtype=np.float32)
        for n, row in enumerate(rows.tolist()):
            out[n] = self[row]
        return out

    def __array__(self, dtype=None, copy=None):
        whole = self._span(0, len(self))
        return whole.astype(dtype) if dtype is not None and dtype != np.float32 else whole

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __del__(self):
        try:
            self.close()
        except (OSError, AttributeError):
            pass
