#!/usr/bin/env bash
# One command sets everything up: a virtual environment in .venv with the CPU build of torch
# (installed first, so nothing pulls the multi-GB CUDA build), then norms and its test tools.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet "torch==2.13.0"
.venv/bin/python -m pip install --quiet -e ".[test]"
echo "norms is set up: run .venv/bin/norms ask \"your question\" (or source .venv/bin/activate first)"
