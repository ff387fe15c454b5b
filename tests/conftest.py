"""Shared fixtures: paths, and a real HTTP server on 127.0.0.1 that records what it receives."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run, so `make test` passes or fails the same
# way whatever the day; `HYPOTHESIS_PROFILE=explore make test` draws new ones, to look further.
settings.register_profile("reproducible", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "reproducible"))

# `generate` keeps a record of each run in the user's cache folder (generator/cache.py); the
# tests, and every `python -m generator` they start, keep theirs apart and start with none.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="ftgen-test-cache-")

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
SEED_EXAMPLES = Path(__file__).resolve().parent / "data" / "seed_examples"


def seed_example(name: str) -> Any:
    return json.loads((SEED_EXAMPLES / f"{name}.json").read_text())


@dataclass
class Recorded:
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: Any


@dataclass
class RecordingServer:
    """Answers each request with the next queued (status, body, headers), else 200 `{}`."""

    url: str
    requests: list[Recorded] = field(default_factory=list)
    replies: list[tuple[int, Any, dict[str, str], float]] = field(default_factory=list)

    def reply(self, body: Any, status: int = 200, headers: dict[str, str] | None = None, delay: float = 0.0) -> None:
        self.replies.append((status, body, headers or {}, delay))

    @property
    def last(self) -> Recorded:
        return self.requests[-1]


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    with recording_server() as state:
        yield state


@pytest.fixture
def other_server() -> Iterator[RecordingServer]:
    """A second one: another origin (another port) than `server`."""
    with recording_server() as state:
        yield state


@contextlib.contextmanager
def recording_server() -> Iterator[RecordingServer]:
    state = RecordingServer(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def handle_any(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            body = json.loads(raw) if raw and "json" in (self.headers.get("content-type") or "") else (raw or None)
            with lock:
                state.requests.append(
                    Recorded(
                        self.command,
                        parts.path,
                        parse_qsl(parts.query, keep_blank_values=True),
                        dict(self.headers),
                        body,
                    )
                )
                status, reply, headers, delay = state.replies.pop(0) if state.replies else (200, {}, {}, 0.0)
            time.sleep(delay)
            data = reply if isinstance(reply, bytes) else json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{httpd.server_port}/v1"
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--fuzz-all", action="store_true", help="schemathesis: every phase, more examples (make fuzz)")
