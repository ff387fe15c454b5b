"""The runtime where it is written (generator/runtime/), without generating a client first:
retries and backoff, Retry-After, typed errors, pagination, the key kept out of sight, and the
training-file checker. (tests/test_runtime.py runs the same runtime through a generated client.)"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Literal

import pydantic
import pytest

from conftest import RecordingServer
from generator.runtime import _runtime as rt
from generator.runtime import _training
from generator.runtime._base import APIModel


class Thing(APIModel):
    id: str


class Page(APIModel):
    data: list[Thing]
    has_more: bool


class _Clock:
    """The runtime's `time`, with its sleeps recorded instead of slept."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.delays.append(seconds)

    def __getattr__(self, name: str) -> object:
        return getattr(time, name)


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays the client waits between attempts."""
    clock = _Clock()
    monkeypatch.setattr(rt, "time", clock)
    return clock.delays


def client(server: RecordingServer, **options: object) -> rt.SyncAPIClient:
    credentials = {"ApiKeyAuth": "sk-secret"}  # the scheme of the runtime's own _constants
    return rt.SyncAPIClient(credentials=credentials, base_url=server.url, **options)  # type: ignore[arg-type]


def test_retries_with_exponential_backoff_and_jitter(server: RecordingServer, slept: list[float]) -> None:
    server.reply({}, status=503)
    server.reply({}, status=500)
    server.reply({"id": "a"})
    thing = client(server, max_retries=2).request(rt.ModelParser(Thing), "GET", "/things/a")
    assert thing.id == "a" and len(server.requests) == 3
    assert 0.375 <= slept[0] <= 0.5 and 0.75 <= slept[1] <= 1.0  # 0.5 s, then 1 s, less up to a quarter
    assert all(rt.SyncAPIClient(max_retries=9).retry_delay(n, None) <= rt.MAX_RETRY_DELAY for n in range(1, 10))


def test_retry_after_is_honoured_and_capped(server: RecordingServer, slept: list[float]) -> None:
    server.reply({}, status=429, headers={"retry-after": "3"})
    server.reply({}, status=429, headers={"retry-after": "3600"})
    server.reply({"id": "a"})
    client(server, max_retries=2).request(rt.ModelParser(Thing), "GET", "/things/a")
    assert slept == [3.0, rt.MAX_RETRY_AFTER]


def test_no_retry_for_a_client_error_and_a_typed_error_for_each_status(
    server: RecordingServer, slept: list[float]
) -> None:
    error = {"error": {"message": "no such thing", "type": "invalid_request_error", "param": "id", "code": "missing"}}
    server.reply(error, status=404, headers={"x-request-id": "req_1"})
    with pytest.raises(rt.NotFoundError) as raised:
        client(server).request(rt.ModelParser(Thing), "GET", "/things/b")
    assert (raised.value.status_code, raised.value.param, raised.value.code) == (404, "id", "missing")
    assert raised.value.request_id == "req_1" and slept == [] and len(server.requests) == 1


def test_pages_are_walked_with_the_cursor(server: RecordingServer) -> None:
    server.reply({"data": [{"id": "a"}, {"id": "b"}], "has_more": True})
    server.reply({"data": [{"id": "c"}], "has_more": False})
    page = client(server).request_page(rt.ModelParser(Page), "GET", "/things", query={"limit": 2})
    assert [t.id for t in page] == ["a", "b", "c"]
    assert server.requests[1].query == [("limit", "2"), ("after", "b")]


def test_the_key_is_sent_and_never_shown(server: RecordingServer) -> None:
    server.reply({"id": "a"})
    api = client(server)
    api.request(rt.ModelParser(Thing), "GET", "/things/a")
    assert server.last.headers["Authorization"] == "Bearer sk-secret"
    assert server.last.headers["User-Agent"] == rt.USER_AGENT
    assert "sk-secret" not in repr(api) and "sk-secret" not in str(vars(api).get("base_url"))


class Message(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(strict=True, extra="forbid")
    role: Literal["system", "user", "assistant"]
    content: str
    weight: Literal[0, 1] | None = None


class ChatLine(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(strict=True, extra="forbid")
    messages: list[Message]


def test_the_training_checker_reads_a_file_line_by_line(tmp_path: Path) -> None:
    lines = [
        {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]},
        {"messages": [{"role": "user", "content": "hi"}]},
        {"messages": [{"role": "bot", "content": "?"}]},
    ]
    path = tmp_path / "train.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n{not json\n")
    report = _training.check_file(path, "supervised", ChatLine)
    assert [(p.line, p.field) for p in report.problems] == [(2, "messages"), (3, "messages[0].role"), (4, "")]
    assert report.summary.examples == 1 and not report.ok
    assert report.problems[2].message.startswith("not JSON:")
