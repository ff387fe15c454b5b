"""The bytes on the wire: a client generated from `wire_spec` sends every cell of the style
table and every body encoding to its own generated stubs, served on 127.0.0.1. Each request is
recorded as it arrives (raw path, query, headers, body) and each value as the service gets it."""

from __future__ import annotations

import re
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from wire_spec import cells, operation_path, wire_spec

from generator.config import Settings
from generator.output import write_tree
from generator.pipeline import build
from helpers import import_from, serve_asgi

# The values of the specification's table, as a caller passes them and a service gets them.
CALLED = {"string": "blue", "array": ["blue", "black", "brown"], "object": {"R": 100, "G": 200, "B": 150}}
TABLE = {  # (location, style, explode, shape) -> what the request carries
    ("path", "simple", False): ("blue", "blue,black,brown", "R,100,G,200,B,150"),
    ("path", "simple", True): ("blue", "blue,black,brown", "R=100,G=200,B=150"),
    ("path", "label", False): (".blue", ".blue,black,brown", ".R,100,G,200,B,150"),  # 3.0.4's corrected row
    ("path", "label", True): (".blue", ".blue.black.brown", ".R=100.G=200.B=150"),
    ("path", "matrix", False): (";color=blue", ";color=blue,black,brown", ";color=R,100,G,200,B,150"),
    ("path", "matrix", True): (";color=blue", ";color=blue;color=black;color=brown", ";R=100;G=200;B=150"),
    ("query", "form", False): ("color=blue", "color=blue,black,brown", "color=R,100,G,200,B,150"),
    ("query", "form", True): ("color=blue", "color=blue&color=black&color=brown", "R=100&G=200&B=150"),
    ("query", "spaceDelimited", False): (None, "color=blue%20black%20brown", "color=R%20100%20G%20200%20B%20150"),
    ("query", "pipeDelimited", False): (None, "color=blue|black|brown", "color=R|100|G|200|B|150"),
    ("query", "deepObject", True): (None, None, "color[R]=100&color[G]=200&color[B]=150"),
    ("header", "simple", False): ("blue", "blue,black,brown", "R,100,G,200,B,150"),
    ("header", "simple", True): ("blue", "blue,black,brown", "R=100,G=200,B=150"),
    ("cookie", "form", False): ("color=blue", "color=blue,black,brown", "color=R,100,G,200,B,150"),
    ("cookie", "form", True): ("color=blue", "color=blue; color=black; color=brown", "R=100; G=200; B=150"),
}  # fmt: skip


class Recorder:
    """ASGI middleware keeping each request as it arrived, before any routing or decoding."""

    def __init__(self, app: Any) -> None:
        self.app, self.requests = app, []  # type: ignore[var-annotated]

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        headers = {k.decode().lower(): v.decode("latin-1") for k, v in scope["headers"]}
        self.requests.append((scope["raw_path"].decode(), scope["query_string"].decode(), headers, body))
        sent = False

        async def replay() -> Any:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


class Service:
    """Keeps what each operation was called with; the download streams what it is asked for."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def download(self, *, name: str) -> Any:
        from starlette.responses import StreamingResponse

        size = int(name)

        def chunks() -> Iterator[bytes]:
            block = bytes(range(256)) * 4096  # 1 MiB
            for start in range(0, size, len(block)):
                yield block[: min(len(block), size - start)]

        return StreamingResponse(chunks(), media_type="application/octet-stream")

    async def report(self, *, name: str) -> Any:
        from starlette.responses import Response

        return Response(f"name,value\n{name},1\n", media_type="text/csv")

    async def media(self, *, name: str) -> Any:
        from starlette.responses import Response

        body, media = {"json": (b'{"R":1,"G":2,"B":3}', "application/json"), "csv": (b"R,G,B\n", "text/csv")}.get(
            name, (b"\x89PNG", "image/png")
        )
        return Response(body, media_type=media)

    def __getattr__(self, operation: str) -> Any:
        async def record(**kwargs: Any) -> None:
            self.calls.append((operation, kwargs))

        return record


class Wire:
    def __init__(self, client: Any, service: Service, recorder: Recorder, out: Path) -> None:
        self.client, self.service, self.recorder, self.out = client, service, recorder, out

    @property
    def last(self) -> tuple[str, str, dict[str, str], bytes]:
        return self.recorder.requests[-1]

    def call(self, path: str, **kwargs: Any) -> Any:
        """Call the method of the resource at `path` (`/query/form/plain/array` -> its one method)."""
        resource = self.client
        for segment in path.strip("/").split("/"):
            if not segment.startswith("{"):
                resource = getattr(resource, segment.lower())
        methods = [m for m in dir(resource) if not m.startswith("_") and callable(getattr(resource, m))]
        return getattr(resource, methods[0])(**kwargs)


@pytest.fixture(scope="module")
def wire(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wire]:
    folder = tmp_path_factory.mktemp("wire")
    spec = folder / "wire.yaml"
    spec.write_text(yaml.safe_dump(wire_spec(), sort_keys=False))
    result = build(
        Settings(specs=(spec,), out=folder / "out", client_package="wire_client", stubs_package="wire_stubs")
    )
    write_tree(result.files, folder / "out")
    client_module, stubs = import_from(folder / "out", "wire_client", "wire_stubs")
    service = Service()
    recorder = Recorder(stubs.create_app(service))
    with serve_asgi(recorder) as url:
        with client_module.Client(api_key="k", base_url=url, max_retries=0) as client:
            yield Wire(client, service, recorder, folder / "out")


def test_the_generated_code_passes_mypy_strict(wire: Wire) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null", "wire_client", "wire_stubs"],
        cwd=wire.out, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def wire_text(location: str, request: tuple[str, str, dict[str, str], bytes]) -> str:
    raw_path, query, headers, _ = request
    if location == "path":
        return raw_path.rsplit("/", 1)[1]
    if location == "query":
        return query
    return headers["color" if location == "header" else "cookie"]


@pytest.mark.parametrize(("location", "style", "explode", "shape"), cells())
def test_every_cell_of_the_style_table_goes_both_ways(
    wire: Wire, location: str, style: str, explode: bool, shape: str
) -> None:
    wire.call(operation_path(location, style, explode, shape), color=CALLED[shape])
    expected = TABLE[location, style, explode][list(CALLED).index(shape)]
    assert wire_text(location, wire.last) == expected
    operation, arguments = wire.service.calls[-1]
    got = arguments["color"]
    assert operation == f"{location}_{style.lower()}_{'exploded' if explode else 'plain'}_{shape}".replace("deepobject", "deep_object").replace("spacedelimited", "space_delimited").replace("pipedelimited", "pipe_delimited")  # fmt: skip
    assert (got.model_dump(by_alias=True) if shape == "object" else got) == CALLED[shape]


AWKWARD = ["a/b", "a?b#c", "x y", "ünï", "..", ".", "a,b=c;d", "%41", "a.b", "&=+"]


@pytest.mark.parametrize("style", ["simple", "label", "matrix"])
@pytest.mark.parametrize("explode", [False, True])
def test_path_values_stay_one_segment_and_come_back_whole(wire: Wire, style: str, explode: bool) -> None:
    for shape, value in [("string", AWKWARD[0]), *[("string", v) for v in AWKWARD[1:]], ("array", AWKWARD)]:
        wire.call(operation_path("path", style, explode, shape), color=value)
        raw_path = wire.last[0]
        assert raw_path.count("/") == operation_path("path", style, explode, shape).count("/"), raw_path
        assert wire.service.calls[-1][1]["color"] == value


@pytest.mark.parametrize(("location", "style", "explode"), [("query", "form", True), ("query", "form", False), ("query", "pipeDelimited", False), ("cookie", "form", True), ("header", "simple", False)])  # fmt: skip
def test_awkward_values_survive_every_location(wire: Wire, location: str, style: str, explode: bool) -> None:
    values = [v for v in AWKWARD if location != "header" or v.isascii()]
    wire.call(operation_path(location, style, explode, "array"), color=values)
    assert wire.service.calls[-1][1]["color"] == values


def test_a_bad_value_is_a_400_naming_the_parameter(wire: Wire) -> None:
    client_errors = wire.client._client  # noqa: SLF001
    import httpx

    with httpx.Client(base_url=str(client_errors.base_url)) as http:
        bad_matrix = http.get("path/matrix/plain/string/color=blue")  # no leading ';'
        bad_object = http.get("query/form/plain/object", params={"color": "R,100,G"})
        bad_type = http.get("query/deepobject/exploded/object?color[R]=red&color[G]=1&color[B]=2")
        missing = http.get("query/form/plain/array")
        bad_key = http.get("query/deepobject/exploded/object?color[R=1&color[G]=2")
    for response in (bad_matrix, bad_object, bad_type, missing, bad_key):
        assert response.status_code == 400, response.text
        assert response.json()["error"]["param"] == "color", response.text
    assert "';'" in bad_matrix.json()["error"]["message"]
    assert "malformed key 'color[R'" in bad_key.json()["error"]["message"]


def test_form_body_byte_for_byte(wire: Wire) -> None:
    wire.call(
        "/bodies/form",
        name="Ada L",
        age=36,
        active=True,
        address={"city": "Paris", "lines": ["1 rue", "B"]},
        expand=["sources", "customer"],
        tags=["a", "b&c"],
        point={"x": 1, "y": 2},
        meta={"k": "v"},
    )
    _, _, headers, body = wire.last
    assert headers["content-type"] == "application/x-www-form-urlencoded"
    assert body.decode() == (
        "name=Ada%20L&age=36&active=true"
        "&address[city]=Paris&address[lines][0]=1%20rue&address[lines][1]=B"
        "&expand[0]=sources&expand[1]=customer"
        "&tags=a&tags=b%26c"
        "&point=x,1,y,2"
        "&meta=%7B%22k%22%3A%22v%22%7D"
    )
    operation, arguments = wire.service.calls[-1]
    assert operation == "post_form"
    assert arguments["body"].model_dump(exclude_unset=True) == {
        "name": "Ada L", "age": 36, "active": True, "address": {"city": "Paris", "lines": ["1 rue", "B"]},
        "expand": ["sources", "customer"], "tags": ["a", "b&c"], "point": {"x": 1, "y": 2}, "meta": {"k": "v"},
    }  # fmt: skip


def multipart_parts(headers: dict[str, str], body: bytes) -> list[bytes]:
    boundary = re.search(r"boundary=(\S+)", headers["content-type"])
    assert boundary and headers["content-type"].startswith("multipart/form-data")
    delimiter = b"--" + boundary.group(1).encode()
    assert body.endswith(delimiter + b"--\r\n")
    return [part.strip(b"\r\n") for part in body.split(delimiter)[1:-1]]


def test_multipart_body_byte_for_byte(wire: Wire, tmp_path: Path) -> None:
    picture = tmp_path / "cat.png"
    picture.write_bytes(b"\x89PNG\r\n")
    cases: list[tuple[Any, bytes]] = [
        (picture, b'Content-Disposition: form-data; name="file"; filename="cat.png"\r\nContent-Type: image/png'),
        (b"\x89PNG\r\n", b'Content-Disposition: form-data; name="file"; filename="upload"\r\nContent-Type: image/png'),
        (("c.png", picture.open("rb"), None, {"X-Part": "1"}), b'Content-Disposition: form-data; name="file"; filename="c.png"\r\nX-Part: 1\r\nContent-Type: image/png'),  # noqa: SIM115
        (("c.bin", b"\x89PNG\r\n", "application/x-mine"), b'Content-Disposition: form-data; name="file"; filename="c.bin"\r\nContent-Type: application/x-mine'),
    ]  # fmt: skip
    for file, head in cases:
        wire.call("/bodies/upload", file=file, purpose="fine-tune", ids=[1, 2], options={"level": 3}, note="*hi*")
        parts = multipart_parts(wire.last[2], wire.last[3])
        assert parts == [
            head + b"\r\n\r\n\x89PNG",
            b'Content-Disposition: form-data; name="purpose"\r\n\r\nfine-tune',
            b'Content-Disposition: form-data; name="ids"\r\n\r\n1',
            b'Content-Disposition: form-data; name="ids"\r\n\r\n2',
            b'Content-Disposition: form-data; name="options"\r\nContent-Type: application/json\r\n\r\n{"level":3}',
            b'Content-Disposition: form-data; name="note"\r\nContent-Type: text/markdown\r\n\r\n*hi*',
        ]
        body = wire.service.calls[-1][1]["body"]
        assert (body.file, body.purpose, body.ids, body.options.level, body.note) == (
            b"\x89PNG\r\n",
            "fine-tune",
            [1, 2],
            3,
            "*hi*",
        )


def test_raw_and_text_bodies(wire: Wire, tmp_path: Path) -> None:
    data = bytes(range(256)) * 3
    source = tmp_path / "data.bin"
    source.write_bytes(data)
    with source.open("rb") as handle:
        for body in (data, source, handle):
            wire.call("/bodies/raw", body=body)
            assert wire.last[2]["content-type"] == "application/octet-stream" and wire.last[3] == data
            assert wire.service.calls[-1] == ("put_raw", {"body": data})
    wire.call("/bodies/text", body="héllo\n")
    assert wire.last[2]["content-type"] == "text/plain; charset=utf-8" and wire.last[3] == "héllo\n".encode()
    assert wire.service.calls[-1] == ("put_text", {"body": "héllo\n"})


def test_text_and_binary_responses(wire: Wire) -> None:
    assert wire.client.reports.retrieve("q1") == "name,value\nq1,1\n"
    assert wire.last[2]["accept"] == "text/csv"
    assert wire.client.downloads.retrieve("1000") == (bytes(range(256)) * 4)[:1000]
    assert wire.last[2]["accept"] == "application/octet-stream"


def test_a_response_in_several_media_types_is_asked_for_and_parsed_by_type(wire: Wire) -> None:
    color = wire.client.media.retrieve("json")
    assert wire.last[2]["accept"] == "application/json" and color.to_dict() == {"R": 1, "G": 2, "B": 3}
    assert wire.client.media.retrieve("csv", accept="text/csv") == "R,G,B\n"
    assert wire.last[2]["accept"] == "text/csv"
    assert wire.client.media.retrieve("png", accept="image/png") == b"\x89PNG"
    assert wire.last[2]["accept"] == "image/png"


def test_a_200_mb_download_streams_in_flat_memory(wire: Wire, tmp_path: Path) -> None:
    size = 200 * 1024 * 1024
    target = tmp_path / "big.bin"
    tracemalloc.start()
    try:
        with wire.client.downloads.retrieve_stream(str(size)) as stream:
            written = stream.write_to(target)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert written == size == target.stat().st_size
    assert peak < 16 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB while streaming 200 MiB"
    with target.open("rb") as written_file:
        assert written_file.read(1024) == bytes(range(256)) * 4


def test_the_async_client_sends_the_same_bytes(wire: Wire, tmp_path: Path) -> None:
    import asyncio

    picture = tmp_path / "cat.png"
    picture.write_bytes(b"\x89PNG\r\n")
    base_url = str(wire.client._client.base_url)  # noqa: SLF001
    client_module = __import__("wire_client")

    async def run() -> tuple[list[str], bytes]:
        async with client_module.AsyncClient(api_key="k", base_url=base_url, max_retries=0) as client:
            texts = []
            for location, style, explode, shape in cells():
                resource = client
                for segment in operation_path(location, style, explode, shape).strip("/").split("/")[:4]:
                    resource = getattr(resource, segment.lower())
                await resource.retrieve(color=CALLED[shape])
                texts.append(wire_text(location, wire.last))
            await client.bodies.upload.create(file=picture, purpose="p")
            with picture.open("rb") as handle:
                await client.bodies.raw.replace(body=handle)
            async with await client.downloads.retrieve_stream("3000") as stream:
                chunks = [chunk async for chunk in stream.aiter_bytes(1000)]
            return texts, b"".join(chunks)

    texts, downloaded = asyncio.run(run())
    assert texts == [
        TABLE[location, style, explode][list(CALLED).index(shape)] for location, style, explode, shape in cells()
    ]
    assert wire.service.calls[-1] == ("put_raw", {"body": b"\x89PNG\r\n"})
    assert wire.service.calls[-2][1]["body"].file == b"\x89PNG\r\n"
    assert downloaded == ((bytes(range(256)) * 4096)[:3000])


def test_the_stubs_document_their_path_parameters(wire: Wire) -> None:
    """Path parameters are read raw, and still declared: the app's OpenAPI document has them."""
    document = wire.recorder.app.openapi()
    parameters = document["paths"]["/path/label/exploded/array/{color}"]["get"]["parameters"]
    assert [(p["name"], p["in"], p["required"]) for p in parameters] == [("color", "path", True)]
