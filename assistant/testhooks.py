"""A pause point for tests of kills and races: NORMS_TEST_PAUSE_AT=<stage>:<folder> makes that stage wait.

The process writes <folder>/<stage>.reached (its pid), then waits until <folder>/<stage>.release exists, so a
test can kill it or start a rival at a known point instead of sleeping and hoping. Unset, it costs one lookup.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

PAUSE_LIMIT = 300.0  # seconds; a test that forgot to release must not leave a process behind forever


def pause_at(stage: str) -> None:
    wanted, _, folder = os.environ.get("NORMS_TEST_PAUSE_AT", "").partition(":")
    if wanted != stage or not folder:
        return
    Path(folder, f"{stage}.reached").write_text(str(os.getpid()), encoding="utf-8")
    release = Path(folder, f"{stage}.release")
    deadline = time.monotonic() + PAUSE_LIMIT
    while not release.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
