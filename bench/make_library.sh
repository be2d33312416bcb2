#!/usr/bin/env bash
# Rebuild the shipped library in corpus/ from the public documents in ../shared/corpus with `norms add`.
# Usage: bench/make_library.sh [CORPUS_FOLDER]   (default: corpus/; the seed A/C.1/73/L.37 is kept as it is)
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${SHARED:-../shared/corpus}"
CORPUS="${1:-corpus}"
PY="${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python)}"
norms() { "$PY" -m assistant "$@" --corpus "$CORPUS" --no-index --replace; }

# UN documents: symbol, title, date and kind come from the masthead; the source is https://undocs.org/SYMBOL
norms add \
  "$SHARED"/cyber/A_RES_73_27.txt "$SHARED"/cyber/A_RES_73_266.txt "$SHARED"/cyber/A_RES_75_240.txt \
  "$SHARED"/cyber/A_RES_76_19.txt "$SHARED"/cyber/A_RES_77_37.txt "$SHARED"/cyber/A_RES_78_16.pdf \
  "$SHARED"/cyber/A_RES_78_237.pdf "$SHARED"/cyber/A_RES_79_237.pdf "$SHARED"/cyber/A_RES_80_16.pdf \
  "$SHARED"/cyber/A_AC.292_2025_INF_5_Rev.1.pdf \
  "$SHARED"/unga-78-80/A_RES_79_243.txt "$SHARED"/unga-78-80/A_RES_78_213.txt "$SHARED"/unga-78-80/A_RES_79_175.txt

# The Paris Call has no masthead and no heading: its title, kind and source are given
norms add "$SHARED"/cyber/PARIS-CALL-2018.md --symbol PARIS-CALL-2018 \
  --title "Paris Call for Trust and Security in Cyberspace" --kind declaration \
  --source https://pariscall.international/en/call
