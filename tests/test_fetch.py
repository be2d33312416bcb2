"""`norms fetch` against a local stand-in for the UN ODS: success, and each failure as one clear line."""

from __future__ import annotations

import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.documents import fetch
from assistant.index.build import build_index
from assistant.cli.main import main
from assistant.documents.fetch import FetchError, FetchOptions, core_symbols, download_pdf, ods_url
from assistant.index.store import load_index, read_manifest

ROOT = Path(__file__).resolve().parent.parent
REAL_PDF = ROOT.parent / "shared" / "corpus" / "cyber" / "A_RES_78_237.pdf"
SEED = ROOT / "corpus" / "A_C.1_73_L.37.md"


def made_pdf(text: str) -> bytes:
    """A one-page PDF with a text layer, made on the spot (no masthead unless the text has one)."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_textbox(pymupdf.Rect(50, 50, 550, 800), text, fontsize=11)
    data = doc.tobytes()
    doc.close()
    return data


SCANNED_PDF = made_pdf("")  # a page without a text layer, as a scan gives
PLAIN_PDF = made_pdf("States should cooperate to prevent harmful ICT practices.\n\n"
                     "States should respond to appropriate requests for assistance by another State.\n")


class FakeODS(BaseHTTPRequestHandler):
    """Answers by symbol: what a real ODS does on a good day, and on its bad ones."""

    hits: list[str] = []
    flaky_left = 0

    def log_message(self, *args):  # keep test output clean
        pass

    def do_GET(self):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        symbol = query.get("s", [""])[0]
        type(self).hits.append(symbol)
        if query.get("l") != ["en"] or query.get("t") != ["pdf"]:
            return self.answer(400, b"bad request")
        if symbol == "A/RES/78/237":
            return self.answer(200, REAL_PDF.read_bytes())
        if symbol == "A/RES/99/7":
            return self.answer(200, PLAIN_PDF)
        if symbol == "A/RES/99/1":
            return self.answer(200, b"<!DOCTYPE html><html><body>Document not found</body></html>", "text/html")
        if symbol == "A/RES/99/2":
            return self.answer(200, PLAIN_PDF[: len(PLAIN_PDF) // 2])
        if symbol == "A/RES/99/3":
            time.sleep(1.5)
            return self.answer(200, PLAIN_PDF)
        if symbol == "A/RES/99/4":
            return self.answer(200, b"%PDF-1.7\n" + b"0" * 300_000 + b"\n%%EOF\n")
        if symbol == "A/RES/99/5":
            return self.stream_without_length(b"%PDF-1.7\n" + b"0" * 300_000 + b"\n%%EOF\n")
        if symbol == "A/RES/99/6":
            if type(self).flaky_left > 0:
                type(self).flaky_left -= 1
                return self.answer(503, b"busy")
            return self.answer(200, PLAIN_PDF)
        if symbol == "A/RES/99/9":
            return self.answer(200, SCANNED_PDF)
        if symbol == "A/RES/99/8":
            return self.answer(500, b"internal error")
        return self.answer(404, b"not found")

    def answer(self, status: int, body: bytes, kind: str = "application/pdf"):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def stream_without_length(self, body: bytes):
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the client hangs up on purpose (size cap, timeout): no traceback in the test output


@pytest.fixture
def ods(monkeypatch):
    server = QuietServer(("127.0.0.1", 0), FakeODS)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/api/symbol/access"
    monkeypatch.setenv("NORMS_ODS_URL", url)
    monkeypatch.setenv("no_proxy", "*")  # never send the local test server through a proxy
    monkeypatch.setattr(fetch, "BACKOFF_SECONDS", 0.01)
    FakeODS.hits, FakeODS.flaky_left = [], 0
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture
def library(tmp_path):
    """A corpus with one document and its index, as a user would have before fetching."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    (corpus / SEED.name).write_bytes(SEED.read_bytes())
    build_index([corpus], index, "fake")
    return corpus, index


def snapshot(corpus: Path, index: Path) -> tuple:
    files = {p.name: p.read_bytes() for p in corpus.iterdir()}
    return files, (index / "manifest.json").read_bytes()


def run(argv: list[str]) -> int:
    """`norms ARGV` through the real command line: routing, exit codes, errors on stderr."""
    return main(argv)


def fetch_into(library, *argv: str) -> int:
    corpus, index = library
    return run(["fetch", *argv, "--corpus", str(corpus), "--index", str(index), "--model", "fake"])


@pytest.mark.shared
def test_fetch_adds_the_pdf_and_updates_the_index(ods, library, capsys):
    assert fetch_into(library, "A/RES/78/237") == 0
    out = capsys.readouterr().out
    assert "A/RES/78/237" in out and "2023-12-22" in out and "resolution" in out
    corpus, index = library
    written = (corpus / "A_RES_78_237.md").read_text(encoding="utf-8")
    assert f"source: {ods}?s=A/RES/78/237&l=en&t=pdf" in written
    assert "A/RES/78/237" in load_index(index).docs
    assert FakeODS.hits == ["A/RES/78/237"]


def test_symbol_comes_from_the_request_when_the_pdf_has_no_masthead(ods, library, capsys):
    assert fetch_into(library, "A/RES/99/7") == 0
    corpus, index = library
    assert (corpus / "A_RES_99_7.md").exists()
    assert "A/RES/99/7" in load_index(index).docs


@pytest.mark.parametrize("symbol, options, message", [
    ("A/RES/99/404", [], "not found at the ODS (HTTP 404)"),
    ("A/RES/99/1", [], "answered with a web page, not a PDF"),
    ("A/RES/99/2", [], "the PDF is truncated"),
    ("A/RES/99/3", ["--timeout", "0.3"], "no answer from 127.0.0.1"),
    ("A/RES/99/4", ["--max-bytes", "100K"], "over the 0.1 MB limit"),
    ("A/RES/99/5", ["--max-bytes", "100K"], "over the 0.1 MB limit"),
    ("A/RES/99/8", [], "answered HTTP 500 (after 3 attempts)"),
    ("A/RES/99/9", [], "no text layer"),
], ids=["404", "html", "truncated", "slow", "too-large", "too-large-unannounced", "server-error", "scanned"])
def test_each_failure_is_one_clear_line_and_changes_nothing(ods, library, capsys, symbol, options, message):
    before = snapshot(*library)
    assert fetch_into(library, symbol, *options) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"norms: {symbol}: ") and message in err[0], err
    assert f"{symbol}: {symbol}" not in err[0] and "norms-fetch-" not in err[0]  # no scratch file names
    assert snapshot(*library) == before


def test_passing_failures_are_retried_with_backoff_but_a_404_is_not(ods, library):
    FakeODS.flaky_left = 2
    assert fetch_into(library, "A/RES/99/6") == 0
    assert FakeODS.hits == ["A/RES/99/6"] * 3
    FakeODS.hits = []
    assert fetch_into(library, "A/RES/99/404") == 1
    assert FakeODS.hits == ["A/RES/99/404"]


def test_one_failure_does_not_stop_the_others(ods, library, capsys):
    assert fetch_into(library, "A/RES/99/404", "A/RES/99/7") == 1
    assert (library[0] / "A_RES_99_7.md").exists()


def test_a_document_already_in_the_corpus_is_not_downloaded_again(ods, library, capsys):
    assert fetch_into(library, "A/C.1/73/L.37") == 0
    assert "already in the corpus" in capsys.readouterr().out and FakeODS.hits == []


def test_symbols_and_options_are_checked_before_any_download(ods, library, capsys):
    assert fetch_into(library, "not a symbol") == 2
    assert fetch_into(library, "A/RES/99/7", "--ods-url", "file:///etc/passwd") == 2
    assert fetch_into(library, "A/RES/99/7", "--timeout", "0") == 2
    assert fetch_into(library) == 2
    assert FakeODS.hits == []


def test_core_fetches_every_symbol_of_the_curated_list(ods, library, capsys):
    assert fetch_into(library, "--core") == 1  # the stand-in knows none of them
    expected = set(core_symbols()) - {"A/C.1/73/L.37"}  # already in the corpus
    assert set(FakeODS.hits) == expected
    # each symbol asked for once; a busy machine may cost a retry, never more than the bounded attempts
    assert max(FakeODS.hits.count(s) for s in expected) <= 3


def test_the_curated_list():
    symbols = core_symbols()
    assert len(symbols) == len(set(symbols))
    for report in ["A/65/201", "A/68/98", "A/70/174", "A/76/135", "A/75/816", "A/77/275", "A/78/265", "A/79/214",
                   "A/80/257", "A/C.1/73/L.37"]:
        assert report in symbols
    resolutions = "53/70 54/49 55/28 56/19 57/53 58/32 59/61 60/45 61/54 62/17 63/37 64/25 65/41 66/24 67/27 68/243 " \
                  "69/28 70/237 71/28 73/27 73/266 74/28 74/29 75/32 75/240 76/19 77/36 77/37 78/16 78/237 79/237 80/16"
    assert [s for s in symbols if s.startswith("A/RES/")] == [f"A/RES/{n}" for n in resolutions.split()]


def test_the_ods_address():
    assert ods_url("https://documents.un.org/api/symbol/access", "A/AC.292/2025/INF/5/Rev.1") == \
        "https://documents.un.org/api/symbol/access?s=A/AC.292/2025/INF/5/Rev.1&l=en&t=pdf"
    assert ods_url("http://x/get?key=1", "A/80/257") == "http://x/get?key=1&s=A/80/257&l=en&t=pdf"


def test_download_pdf_directly(ods):
    assert download_pdf("A/RES/99/7", FetchOptions(base_url=ods)) == PLAIN_PDF
    with pytest.raises(FetchError, match=r"^A/RES/99/404: not found"):
        download_pdf("A/RES/99/404", FetchOptions(base_url=ods))
    waits = []
    with pytest.raises(FetchError, match="after 3 attempts"):
        download_pdf("A/RES/99/8", FetchOptions(base_url=ods), sleep=waits.append)
    assert waits == [0.01, 0.02]


def test_nothing_listens(tmp_path, monkeypatch):
    monkeypatch.setattr(fetch, "BACKOFF_SECONDS", 0.0)
    monkeypatch.setenv("no_proxy", "*")
    with pytest.raises(FetchError, match="cannot reach 127.0.0.1"):
        download_pdf("A/RES/99/7", FetchOptions(base_url="http://127.0.0.1:9/api", timeout=2))
    assert read_manifest(tmp_path) is None
