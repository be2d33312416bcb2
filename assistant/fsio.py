"""Write files safely: one atomic_write for every writer (index, briefings, added documents, exports)."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def atomic_write(path: str | os.PathLike, data: str | bytes, *, mode: int | None = None) -> Path:
    """Write `data` to `path` so that a reader sees the old content or the new, never a mix.

    A regular file (or a new name) is replaced atomically: a temporary file beside it is written,
    flushed to disk and renamed over it. A symlink is followed, so the link keeps pointing where it
    did and its target is what changes. Anything else already at the path (a device such as
    /dev/null, a FIFO, a terminal) is written in place, since replacing it would destroy it.
    Returns the path actually written. `mode` defaults to the replaced file's mode, else 0o666 less
    the umask (the permissions any ordinary program would give a new file).
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target = Path(os.path.realpath(os.fspath(path)))
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(f"{path} is a folder")
        with open(target, "wb") as handle:  # device, FIFO, socket-like: write through, never replace
            handle.write(payload)
        return target
    if mode is None:
        mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask()
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise
    fsync_folder(target.parent)
    return target


def fsync_folder(folder: str | os.PathLike) -> None:
    """Make a rename in `folder` durable (best effort: some file systems refuse to open folders)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
