"""`norms fetch`: download English PDFs from the UN Official Document System (ODS), standard library only."""

from __future__ import annotations

import http.client
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from assistant import __version__
from assistant.errors import NormsError, UsageError
from assistant.documents.masthead import SYMBOL

DEFAULT_ODS_URL = "https://documents.un.org/api/symbol/access"
CORE_LIST = Path(__file__).resolve().parents[1] / "data" / "core_documents.txt"
BACKOFF_SECONDS = 2.0  # wait before the 2nd attempt; doubled before each further one
CHUNK_BYTES = 1 << 16


class FetchError(NormsError):
    """A download that failed for good; the message names the symbol and the reason."""


class _Retryable(Exception):
    """A failure worth another attempt: a timeout, a dropped connection, a 5xx or 429 answer."""


@dataclass
class FetchOptions:
    base_url: str = DEFAULT_ODS_URL
    timeout: float = 30.0  # seconds without an answer (or without new bytes) before giving up on an attempt
    max_bytes: int = 50 * 1024 * 1024
    attempts: int = 3

    def check(self) -> None:
        scheme = urllib.parse.urlsplit(self.base_url).scheme
        if scheme not in ("http", "https"):
            raise UsageError(f"--ods-url {self.base_url!r}: use an http:// or https:// address")
        if not self.timeout > 0:
            raise UsageError("--timeout must be more than 0 seconds")
        if self.max_bytes < 1024:
            raise UsageError("--max-bytes must be at least 1024")


def ods_base(cli_value: str | None) -> str:
    """--ods-url, else NORMS_ODS_URL, else the public ODS."""
    return cli_value or os.environ.get("NORMS_ODS_URL") or DEFAULT_ODS_URL


def ods_url(base: str, symbol: str) -> str:
    """`{base}?s=A/RES/78/237&l=en&t=pdf` (slashes kept readable; the ODS accepts them)."""
    query = urllib.parse.urlencode({"s": symbol, "l": "en", "t": "pdf"}, safe="/")
    return f"{base}{'&' if '?' in base else '?'}{query}"


def check_symbol(text: str) -> str:
    """A UN document symbol as typed, spaces removed; anything else is a usage error."""
    symbol = "".join(text.split())
    if not SYMBOL.match(symbol):
        raise UsageError(f"{text.strip()[:40]!r} is not a UN document symbol (like A/RES/78/237 or A/80/257)")
    return symbol


def core_symbols(path: Path = CORE_LIST) -> list[str]:
    """The curated list: one symbol per line; `#` starts a comment."""
    symbols = []
    for line in path.read_text(encoding="utf-8").splitlines():
        symbol = line.split("#", 1)[0].strip()
        if symbol:
            symbols.append(check_symbol(symbol))
    return symbols


def download_pdf(symbol: str, options: FetchOptions, sleep=time.sleep) -> bytes:
    """The PDF's bytes, checked to be a whole PDF; a few attempts with backoff on passing failures."""
    url = ods_url(options.base_url, symbol)
    try:
        for attempt in range(1, options.attempts + 1):
            try:
                return check_pdf(_get(url, options))
            except _Retryable as exc:
                if attempt == options.attempts:
                    raise FetchError(f"{exc}" + (f" (after {attempt} attempts)" if attempt > 1 else "")) from None
                sleep(BACKOFF_SECONDS * 2 ** (attempt - 1))
    except FetchError as exc:
        raise FetchError(f"{symbol}: {exc}") from None
    raise FetchError(f"{symbol}: no attempt made (attempts must be at least 1)")


def _get(url: str, options: FetchOptions) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": f"norms/{__version__}", "Accept": "application/pdf"})
    where = urllib.parse.urlsplit(url).netloc
    try:
        with urllib.request.urlopen(request, timeout=options.timeout) as answer:
            declared = answer.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > options.max_bytes:
                raise FetchError(_too_large(int(declared), options.max_bytes))
            parts, size = [], 0
            while chunk := answer.read(CHUNK_BYTES):
                size += len(chunk)
                if size > options.max_bytes:
                    raise FetchError(_too_large(size, options.max_bytes, at_least=True))
                parts.append(chunk)
            return b"".join(parts)
    except urllib.error.HTTPError as exc:
        if exc.code >= 500 or exc.code == 429:
            raise _Retryable(f"the ODS at {where} answered HTTP {exc.code}") from None
        if exc.code == 404:
            raise FetchError("not found at the ODS (HTTP 404): check the symbol") from None
        raise FetchError(f"the ODS at {where} refused the request (HTTP {exc.code})") from None
    except (TimeoutError, socket.timeout):
        raise _Retryable(f"no answer from {where} within {options.timeout:g} s") from None
    except http.client.IncompleteRead:
        raise _Retryable("the download was cut short") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise _Retryable(f"no answer from {where} within {options.timeout:g} s") from None
        if isinstance(reason, socket.gaierror):
            raise FetchError(f"cannot resolve {where} (no network?)") from None
        raise _Retryable(f"cannot reach {where} ({getattr(reason, 'strerror', None) or reason})") from None
    except (ConnectionError, http.client.HTTPException) as exc:
        raise _Retryable(f"the connection to {where} failed ({exc.__class__.__name__})") from None


def _too_large(size: int, limit: int, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    return f"the PDF is {more}{size / 2**20:.1f} MB, over the {limit / 2**20:.1f} MB limit (raise it with --max-bytes)"


def check_pdf(data: bytes) -> bytes:
    """A PDF starts with %PDF- and ends with %%EOF; the ODS answers unknown symbols with a web page."""
    head = data[:1024].lstrip().lower()
    if not data.startswith(b"%PDF-"):
        if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
            raise FetchError("the ODS answered with a web page, not a PDF (no English PDF for this symbol?)")
        if not data:
            raise FetchError("the ODS answered with an empty file")
        raise FetchError("the ODS answer is not a PDF")
    if b"%%EOF" not in data[-4096:]:
        raise FetchError("the PDF is truncated (no %%EOF at its end): the download was cut short")
    return data
