"""atomic_write: regular files replaced atomically, links followed, devices and FIFOs written in place."""

import os
import stat
import threading

import pytest

from assistant.fsio import atomic_write


def test_regular_file_replaced_with_its_mode_kept(tmp_path):
    target = tmp_path / "out.md"
    target.write_text("old")
    os.chmod(target, 0o640)
    atomic_write(target, "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]  # no temporary file left behind


def test_new_file_gets_ordinary_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "new.md", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o644


def test_symlink_keeps_pointing_at_its_target(tmp_path):
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    atomic_write(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "new"


def test_fifo_is_written_through_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(open(fifo, "rb").read()))
    reader.start()
    atomic_write(fifo, "through the pipe")
    reader.join(timeout=10)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_character_device_is_not_replaced():
    if not os.access("/dev/null", os.W_OK):
        pytest.skip("no writable /dev/null")
    atomic_write("/dev/null", "discarded")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_folder_is_refused_and_failed_write_leaves_old_content(tmp_path):
    with pytest.raises(IsADirectoryError):
        atomic_write(tmp_path, "x")
    target = tmp_path / "keep.md"
    target.write_text("old")


    with pytest.raises(TypeError):
        atomic_write(target, 12345)  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.md"]
