"""Server-sent events and results typed by what is asked for: an event stream read event by
event as it arrives (sync and async), OpenAI's `stream: true` switch typed by overloads, a
response offered in several media types typed by `accept`; the stubs sending events from an
async iterator; each over HTTP on 127.0.0.1, and the overloads checked by mypy."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from generator.config import Settings
from generator.output import write_tree
from generator.pipeline import build
from helpers import import_from, serve_asgi


def content(schema: dict[str, Any], media: str = "application/json") -> dict[str, Any]:
    return {media: {"schema": schema}}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Streams API", "version": "1"},
    "paths": {
        "/ticks": {
            "get": {
                "operationId": "listTicks",
                "responses": {"200": {"description": "ok", "content": content(ref("Tick"), "text/event-stream")}},
            }
        },
        "/logs": {
            "get": {
                "operationId": "tailLogs",
                "responses": {
                    "200": {"description": "ok", "content": content({"type": "string"}, "text/event-stream")}
                },
            }
        },
        "/completions": {
            "post": {
                "operationId": "createCompletion",
                "requestBody": {"required": True, "content": content(ref("CompletionRequest"))},
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {**content(ref("Completion")), **content(ref("Chunk"), "text/event-stream")},
                    }
                },
            }
        },
        "/planets/{planet_id}": {
            "get": {
                "operationId": "getPlanet",
                "parameters": [{"name": "planet_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {**content(ref("Planet")), **content({"type": "string"}, "application/xml")},
                    }
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Tick": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}},
            "Chunk": {"type": "object", "required": ["delta"], "properties": {"delta": {"type": "string"}}},
            "Completion": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}},
            "CompletionRequest": {
                "type": "object",
                "required": ["prompt"],
                "properties": {"prompt": {"type": "string"}, "stream": {"type": "boolean"}},
            },
            "Planet": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
        }
    },
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, ModuleType, Path]:
    folder = tmp_path_factory.mktemp("streams")
    (folder / "streams.yaml").write_text(yaml.safe_dump(SPEC, sort_keys=False))
    settings = Settings(
        specs=(folder / "streams.yaml",), client_package="streams_client", stubs_package="streams_stubs"
    )
    write_tree(build(settings).files, folder / "out")
    client, stubs = import_from(folder / "out", "streams_client", "streams_stubs")
    return client, stubs, folder / "out"


class Slow:
    """Sends an event stream a piece at a time: the second event only once the test says so."""

    def __init__(self) -> None:
        self.go_on = threading.Event()
        self.bodies: list[bytes] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.end_headers()
                self.wfile.write(b': keep-alive\n\nevent: tick\nid: 1\ndata: {"n":\n')
                self.wfile.write(b"data: 1}\n\n")  # one event, its data over two lines
                self.wfile.flush()
                outer.go_on.wait(10)
                self.wfile.write(b'retry: 500\ndata: {"n": 2}\n\ndata: [DONE]\n\ndata: {"n": 3}\n\n')

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                outer.bodies.append(self.rfile.read(length))
                streamed = b'"stream": true' in outer.bodies[-1] or b'"stream":true' in outer.bodies[-1]
                self.send_response(200)
                if streamed:
                    self.send_header("content-type", "text/event-stream")
                    self.end_headers()
                    self.wfile.write(b'data: {"delta": "he"}\n\ndata: {"delta": "llo"}\n\ndata: [DONE]\n\n')
                else:
                    self.send_header("content-type", "application/json")
                    self.end_headers()
                    self.wfile.write(b'{"text": "hello"}')

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.go_on.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def slow() -> Iterator[Slow]:
    server = Slow()
    yield server
    server.close()


def test_events_arrive_one_by_one_before_the_stream_ends(generated: tuple[ModuleType, ...], slow: Slow) -> None:
    client = generated[0].Client(base_url=slow.url, max_retries=0)
    with client.ticks.retrieve() as stream:
        events = iter(stream)
        first = next(events)  # the server is holding the second event back meanwhile
        assert first.n == 1 and not slow.go_on.is_set()
        slow.go_on.set()
        assert [tick.n for tick in events] == [2]  # `[DONE]` ends it; what follows is never read
    assert repr(stream).startswith("Stream(GET http://127.0.0.1:")


def test_async_events_arrive_one_by_one(generated: tuple[ModuleType, ...], slow: Slow) -> None:
    async def scenario() -> list[int]:
        client = generated[0].AsyncClient(base_url=slow.url, max_retries=0)
        seen = []
        async with await client.ticks.retrieve() as stream:
            async for tick in stream:
                seen.append(tick.n)
                slow.go_on.set()  # only after the first event has been received
        return seen

    assert asyncio.run(scenario()) == [1, 2]


def test_stream_true_switches_to_events_typed_by_an_overload(generated: tuple[ModuleType, ...], slow: Slow) -> None:
    client = generated[0].Client(base_url=slow.url, max_retries=0)
    assert client.completions.create(prompt="hi").text == "hello"
    chunks = client.completions.create(prompt="hi", stream=True)
    assert "".join(chunk.delta for chunk in chunks) == "hello"
    assert slow.bodies == [b'{"prompt":"hi"}', b'{"prompt":"hi","stream":true}']


def test_correct_code_type_checks_with_the_overloads(generated: tuple[ModuleType, ...], tmp_path: Path) -> None:
    out = generated[2]
    (out / "use_streams.py").write_text(
        "from streams_client import Client\n"
        "c = Client(base_url='http://x')\n"
        "completion = c.completions.create(prompt='hi')\n"
        "print(completion.text)\n"
        "for chunk in c.completions.create(prompt='hi', stream=True):\n"
        "    print(chunk.delta)\n"
        "print(c.planets.retrieve('earth').name)\n"  # the JSON model by default
        "xml: bytes = c.planets.retrieve('earth', accept='application/xml')\n"
        "for tick in c.ticks.retrieve():\n"
        "    print(tick.n + 1)\n"
        "for line in c.logs.retrieve():\n"
        "    print(line.upper())\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "use_streams.py"], cwd=out, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_the_accept_asked_for_decides_the_result(generated: tuple[ModuleType, ...], server: Any) -> None:
    client = generated[0].Client(base_url=server.url, max_retries=0)
    server.reply({"name": "earth"})
    assert client.planets.retrieve("earth").name == "earth"
    assert server.last.headers["Accept"] == "application/json"
    server.reply(b"<planet>earth</planet>", headers={"content-type": "application/xml"})
    client.planets.retrieve("earth", accept="application/xml")
    assert server.last.headers["Accept"] == "application/xml"


def test_the_stubs_send_events_as_the_service_yields_them(generated: tuple[ModuleType, ...]) -> None:
    client_module, stubs, _ = generated
    import streams_client.models as models  # already imported: the stubs import it

    class Service:
        async def list_ticks(self) -> AsyncIterator[Any]:
            async def ticks() -> AsyncIterator[Any]:
                yield models.Tick(n=1)
                yield {"n": 2}

            return ticks()

        async def tail_logs(self) -> AsyncIterator[str]:
            async def lines() -> AsyncIterator[str]:
                yield "first line"
                yield "two\nlines"

            return lines()

        async def create_completion(self, *, body: Any) -> Any:
            if body.stream:

                async def chunks() -> AsyncIterator[Any]:
                    yield {"delta": "a"}
                    yield {"delta": "b"}

                return chunks()
            return models.Completion(text="ab")

    with pytest.warns(UserWarning, match="getPlanet"):
        app = stubs.create_app(Service())
    with serve_asgi(app) as url:
        client = client_module.Client(base_url=url, max_retries=0)
        assert [t.n for t in client.ticks.retrieve()] == [1, 2]
        assert list(client.logs.retrieve()) == ["first line", "two\nlines"]
        assert [c.delta for c in client.completions.create(prompt="x", stream=True)] == ["a", "b"]
        assert client.completions.create(prompt="x").text == "ab"
