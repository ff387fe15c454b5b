"""Pages by the spec's own names: OpenAI's cursor, a cursor the response returns, offset and
limit, a page number, a next-page URL in the body, the `Link` header, and a rule from
`[tool.ftgen.pagination]` where the names say nothing; every item of every page, over HTTP
on 127.0.0.1, sync and async, and pages that say what they are."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from conftest import RecordingServer
from generator.config import Settings, read_pyproject
from generator.output import write_tree
from generator.pipeline import build
from helpers import import_from

ITEM = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}


def listing(extra: dict[str, Any], items: str = "data") -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {items: {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}, **extra},
    }


def query(*names: str) -> list[dict[str, Any]]:
    return [{"name": n, "in": "query", "schema": {"type": "integer" if n in ("offset", "limit", "page") else "string"}}
            for n in names]  # fmt: skip


def get(operation_id: str, schema: dict[str, Any], parameters: list[dict[str, Any]], **response: Any) -> dict[str, Any]:
    ok = {"description": "ok", "content": {"application/json": {"schema": schema}}, **response}
    return {"get": {"operationId": operation_id, "parameters": parameters, "responses": {"200": ok}}}


SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Pages API", "version": "1"},
    "paths": {
        "/openai": get("listOpenai", listing({"has_more": {"type": "boolean"}}), query("after", "limit")),
        "/cursor": get("listCursor", listing({"next_cursor": {"type": ["string", "null"]}}, "items"), query("cursor")),
        "/offset": get("listOffset", listing({}, "results"), query("offset", "limit")),
        "/pages": get("listPages", {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}, query("page")),
        "/linked": get(
            "listLinked", listing({"links": {"type": "object", "properties": {"next": {"type": "string"}}}}), []
        ),  # fmt: skip
        "/header": get("listHeader", listing({}), [], headers={"Link": {"schema": {"type": "string"}}}),
        "/configured": get("listConfigured", listing({"total": {"type": "integer"}}, "hits"), query("from")),
    },
    "components": {"schemas": {"Item": ITEM}},
}
CONFIG = """
[tool.ftgen]
spec = "pages.yaml"

[tool.ftgen.pagination]
"GET /configured" = {style = "offset", items = "hits", param = "from"}
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    folder = tmp_path_factory.mktemp("pages")
    (folder / "pages.yaml").write_text(yaml.safe_dump(SPEC, sort_keys=False))
    (folder / "pyproject.toml").write_text(CONFIG)
    values, _ = read_pyproject(folder / "pyproject.toml")
    settings = Settings(**values, client_package="pages_client", stubs_package="")
    write_tree(build(settings).files, folder / "out")
    (client,) = import_from(folder / "out", "pages_client")
    return client


def items(*ids: str) -> list[dict[str, str]]:
    return [{"id": i} for i in ids]


@pytest.mark.parametrize(
    ("resource", "replies", "sent"),
    [
        ("openai", [{"data": items("a", "b"), "has_more": True}, {"data": items("c"), "has_more": False}],
         [[("limit", "2")], [("limit", "2"), ("after", "b")]]),
        ("cursor", [{"items": items("a"), "next_cursor": "n1"}, {"items": items("b"), "next_cursor": None}],
         [[], [("cursor", "n1")]]),
        ("offset", [{"results": items("a", "b")}, {"results": items("c")}],
         [[("limit", "2")], [("limit", "2"), ("offset", "2")]]),  # fewer than the limit: the last page
        ("pages", [items("a", "b"), items("c"), []], [[], [("page", "2")], [("page", "3")]]),
        ("linked", [{"data": items("a"), "links": {"next": "linked?token=t2"}}, {"data": items("b")}],
         [[], [("token", "t2")]]),
        ("configured", [{"hits": items("a", "b"), "total": 3}, {"hits": items("c")}, {"hits": []}],
         [[], [("from", "2")], [("from", "3")]]),
    ],
)  # fmt: skip
def test_every_item_of_every_page_by_the_specs_names(
    pages: ModuleType, server: RecordingServer, resource: str, replies: list[Any], sent: list[Any]
) -> None:
    client = pages.Client(base_url=server.url, max_retries=0)
    for reply in replies:
        server.reply(reply)
    arguments = {"limit": 2} if resource in ("openai", "offset") else {}
    expected = [item["id"] for reply in replies for item in (reply if isinstance(reply, list) else
                                                               next(v for v in reply.values() if isinstance(v, list)))]  # fmt: skip
    assert [item.id for item in getattr(client, resource).list(**arguments)] == expected
    assert [r.query for r in server.requests] == sent
    assert all(r.path == f"/v1/{resource}" for r in server.requests)  # a next URL resolved as RFC 3986 says


def test_the_link_header_leads_to_the_next_page(pages: ModuleType, server: RecordingServer) -> None:
    client = pages.Client(base_url=server.url, max_retries=0)
    server.reply({"data": items("a")}, headers={"Link": f'<{server.url}/header?page=2>; rel="next"'})
    server.reply({"data": items("b")})
    assert [item.id for item in client.header.list()] == ["a", "b"]
    assert server.requests[-1].query == [("page", "2")]


def test_a_page_says_what_it_is_and_where_the_next_one_is(pages: ModuleType, server: RecordingServer) -> None:
    client = pages.Client(base_url=server.url, max_retries=0)
    server.reply({"data": items("a", "b"), "has_more": True})
    server.reply({"data": items("c"), "has_more": False})
    first = client.openai.list(limit=2)
    assert repr(first) == "SyncCursorPage(2 item(s), next {'after': 'b'})"
    info = first.next_page_info()
    assert first.has_next_page() and info is not None and info.params == {"after": "b"}
    last = first.get_next_page()
    assert (
        not last.has_next_page()
        and last.next_page_info() is None
        and repr(last) == "SyncCursorPage(1 item(s), the last)"
    )
    with pytest.raises(ValueError, match="this is the last page"):
        last.get_next_page()
    assert first.has_more is True and last.data[0].id == "c"


def test_a_cursor_echoed_back_ends_the_walk(pages: ModuleType, server: RecordingServer) -> None:
    client = pages.Client(base_url=server.url, max_retries=0)
    server.reply({"items": items("a"), "next_cursor": "same"})
    server.reply({"items": items("b"), "next_cursor": "same"})  # a server that keeps answering its cursor
    assert [item.id for item in client.cursor.list()] == ["a", "b"]
    assert len(server.requests) == 2


def test_async_pages_walk_the_same(pages: ModuleType, server: RecordingServer) -> None:
    async def scenario() -> list[str]:
        client = pages.AsyncClient(base_url=server.url, max_retries=0)
        return [item.id async for item in client.offset.list(limit=1)]

    server.reply({"results": items("a")})
    server.reply({"results": items("b")})
    server.reply({"results": []})
    assert asyncio.run(scenario()) == ["a", "b"]
    assert [r.query for r in server.requests] == [[("limit", "1")], [("limit", "1"), ("offset", "1")],
                                                  [("limit", "1"), ("offset", "2")]]  # fmt: skip


def test_a_pagination_rule_for_nothing_is_a_located_config_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "pages.yaml").write_text(yaml.safe_dump(SPEC, sort_keys=False))
    (tmp_path / "pyproject.toml").write_text(
        '[tool.ftgen]\nspec = "pages.yaml"\n\n[tool.ftgen.pagination]\n"GET /nothing" = {style = "offset"}\n'
        '"GET /offset" = {style = "sideways"}\n'
    )
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 1, result.stderr
    assert (
        "pyproject.toml:6:1  #/tool/ftgen/pagination/GET ~1offset  error: 'GET /offset': a table with `style`"
        in result.stderr
    )
