"""Hostile input and bad moments: killed builds, concurrent builds, no network, escape sequences."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.index.store import load_index

ROOT = Path(__file__).resolve().parent.parent

RESOLUTION = """United Nations
A/RES/90/{n}
General Assembly
Distr.: General
5 December 2035

90/{n}. Topic number {n}

The General Assembly,

Recalling its earlier work on topic {n} and on {words},

1. Calls upon States to consider topic {n} and {words};

2. Decides to remain seized of the matter.
"""


def norms(*args, env=None, stdin=None, timeout=300):
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, cwd=ROOT, input=stdin,
                          env={**os.environ, "NORMS_MODEL": "fake", **(env or {})}, timeout=timeout)


def many_documents(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        words = " ".join(f"word{(n * 7 + i) % 997}" for i in range(400))
        (folder / f"A_RES_90_{n}.txt").write_text(RESOLUTION.format(n=n, words=words), encoding="utf-8")
    return folder


def paused_build(corpus: Path, index: Path, meeting: Path, **popen) -> subprocess.Popen:
    """`norms index` that stops, holding the lock, just before writing its new generation (assistant/testhooks.py)."""
    meeting.mkdir(exist_ok=True)
    env = {**os.environ, "NORMS_MODEL": "fake", "NORMS_TEST_PAUSE_AT": f"write:{meeting}"}
    return subprocess.Popen([sys.executable, "-m", "assistant", "index", "--corpus", str(corpus), "--index", str(index)],
                            cwd=ROOT, env=env, **popen)


def wait_until_paused(proc: subprocess.Popen, meeting: Path) -> None:
    """Until the build has written its marker: an event on disk, not a guess at how long a build takes."""
    deadline = time.monotonic() + 120  # a hang guard only
    while not (meeting / "write.reached").exists():
        assert proc.poll() is None, "the build ended before reaching its pause point"
        assert time.monotonic() < deadline, "the build never reached its pause point"
        time.sleep(0.02)


def test_kill_9_mid_build_leaves_previous_index_usable(tmp_path):
    corpus = many_documents(tmp_path / "corpus", 3)
    index = tmp_path / "index"
    assert norms("index", "--corpus", str(corpus), "--index", str(index)).returncode == 0
    before = load_index(index)
    many_documents(corpus, 20)
    proc = paused_build(corpus, index, tmp_path / "meeting", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_paused(proc, tmp_path / "meeting")  # read, chunked and embedded; lock held; nothing written yet
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    after = load_index(index)
    assert [(p.symbol, p.para) for p in after.paragraphs] == [(p.symbol, p.para) for p in before.paragraphs]
    # the lock died with the process: the next build neither waits nor fails, and leaves nothing behind
    result = norms("index", "--corpus", str(corpus), "--index", str(index))
    assert result.returncode == 0 and b"waiting" not in result.stderr
    assert len(load_index(index).docs) == 20
    assert not [p for p in index.iterdir() if p.name.startswith(".building-")]


def test_second_build_waits_for_the_first_and_nothing_is_corrupted(tmp_path):
    corpus = many_documents(tmp_path / "corpus", 30)
    index = tmp_path / "index"
    meeting = tmp_path / "meeting"
    first = paused_build(corpus, index, meeting, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_until_paused(first, meeting)  # the first holds the lock
    second = subprocess.Popen([sys.executable, "-m", "assistant", "index", "--corpus", str(corpus), "--index",
                               str(index)], cwd=ROOT, env={**os.environ, "NORMS_MODEL": "fake"},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    said = b""
    while b"waiting" not in said:  # the second says it waits, then blocks on the lock
        line = second.stderr.readline()
        assert line, f"the second build ended without waiting: {said!r}"
        said += line
    (meeting / "write.release").touch()
    out1, err1 = first.communicate(timeout=300)
    out2, err2 = second.communicate(timeout=300)
    assert first.returncode == 0 and second.returncode == 0, (err1, said + err2)
    assert b"Traceback" not in err1 + said + err2
    assert len(load_index(index).docs) == 30
    assert b"up to date" in out2  # it found the first's work instead of redoing it


@pytest.mark.slow
def test_no_network_needed(tmp_path):
    """ask and index work with every socket connection refused."""
    block = tmp_path / "block"
    block.mkdir()
    (block / "sitecustomize.py").write_text(
        "import socket\n"
        "def _refuse(*a, **k):\n    raise OSError('network blocked by test')\n"
        "socket.socket.connect = _refuse\nsocket.create_connection = _refuse\n", encoding="utf-8")
    env = {"PYTHONPATH": f"{block}{os.pathsep}{ROOT}", "NORMS_MODEL": ""}
    index = tmp_path / "index"
    seed = ROOT / "corpus" / "A_C.1_73_L.37.md"  # one document: the real model, without indexing the library
    result = norms("ask", "When would the group of governmental experts be established?", "--corpus", str(seed),
                   "--index", str(index), "--format", "json", env=env, timeout=600)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert json.loads(result.stdout)["results"]


def test_escape_sequences_in_documents_never_reach_the_terminal(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    hostile = RESOLUTION.format(n=1, words="cables \x1b[2J\x1b]0;pwned\x07 \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ \x07\x08 [bold]x[/bold]")
    (corpus / "A_RES_90_1.txt").write_text(hostile, encoding="utf-8")
    index = tmp_path / "index"
    for fmt in ("text", "json", "md"):
        result = norms("ask", "topic cables", "--corpus", str(corpus), "--index", str(index), "--format", fmt)
        assert result.returncode == 0, result.stderr.decode()
        out = result.stdout.decode()
        assert "\x1b" not in out and "\x07" not in out and "\x08" not in out
        assert "cables" in out
    shown = norms("show", "A/RES/90/1", "--corpus", str(corpus), "--index", str(index)).stdout.decode()
    assert "\x1b" not in shown and "[bold]x[/bold]" in shown


def test_oversized_and_broken_files_get_a_message_each(tmp_path):
    corpus = many_documents(tmp_path / "corpus", 2)
    big = corpus / "huge.txt"
    with open(big, "wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, instant to make
    (corpus / "scan.pdf").write_bytes(b"%PDF-1.4\n%broken")
    (corpus / "front.md").write_text("---\nsymbol A/RES/1/1\n---\nbody\n", encoding="utf-8")
    result = norms("index", "--corpus", str(corpus), "--index", str(tmp_path / "index"))
    err = result.stderr.decode()
    assert result.returncode == 1 and "Traceback" not in err
    assert "huge.txt: too large" in err
    assert "scan.pdf" in err and "front.md" in err
    assert len(load_index(tmp_path / "index").docs) == 2


@pytest.mark.parametrize("question", ["\x1b[31m\x1b[0m", "\t \n"])
def test_control_only_question_is_empty(tmp_path, question):
    corpus = many_documents(tmp_path / "corpus", 1)
    result = norms("ask", question, "--corpus", str(corpus), "--index", str(tmp_path / "index"))
    assert result.returncode == 2 and b"empty question" in result.stderr
