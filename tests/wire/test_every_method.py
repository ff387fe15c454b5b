"""No combination of given and omitted arguments crashes the runtime: every generated method of
real specs is called with random subsets of its optional arguments against a server on
127.0.0.1 that answers 404 to everything, so each call must end in `NotFoundError`."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wire_spec import wire_spec

from generator.config import Settings
from generator.ir import Api, Array, Literal, Map, Operation, Primitive, Ref, Type, Union_
from generator.output import write_tree
from generator.pipeline import build
from helpers import import_from, serve_asgi

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # deprecated operations warn
ROOT = Path(__file__).resolve().parents[2]
SPECS = {
    "wire": None,
    "fine_tuning": ROOT / "spec",
    "openai": ROOT / "tests" / "data" / "specs" / "openai-openapi.yaml",
}
SAMPLES = {
    "str": "a b/é?#",
    "int": 1,
    "float": 1.5,
    "bool": True,
    "bytes": b"\x00data",
    "any": {"k": [1]},
    "none": None,
}


def credentials(client: type) -> dict[str, str]:
    """A key for every token argument the client's constructor has (the full OpenAI spec has two)."""
    import inspect

    return {name: "k" for name in inspect.signature(client).parameters if name.endswith("api_key")}


def sample(api: Api, t: Type, depth: int = 0) -> Any:
    """A value of type `t`: required fields only, nesting cut short (the server reads nothing)."""
    if isinstance(t, Primitive):
        return SAMPLES[t.kind]
    if isinstance(t, Literal):
        return t.values[0]
    if isinstance(t, Array):
        return [sample(api, t.item, depth + 1)] if depth < 4 else []
    if isinstance(t, Map):
        return {"k": sample(api, t.value, depth + 1)} if depth < 4 else {}
    if isinstance(t, Union_):
        return sample(api, next(m for m in t.members if m != Primitive("none")), depth)
    assert isinstance(t, Ref)
    aliases = {a.name: a.type for a in api.aliases}
    if t.name in aliases:
        return sample(api, aliases[t.name], depth)
    fields = api.model(t.name).fields if depth < 4 else ()
    return {f.wire_name: sample(api, f.type, depth + 1) for f in fields if f.required}


def arguments(api: Api, op: Operation) -> tuple[dict[str, Any], dict[str, Any]]:
    """(required, optional) keyword arguments of the operation's method."""
    required: dict[str, Any] = {}
    optional: dict[str, Any] = {}
    for p in op.parameters:
        (required if p.required else optional)[p.name] = sample(api, p.type)
    if op.body and op.body.fields:
        for f in op.body.fields:
            (required if f.required else optional)[f.name] = sample(api, f.type)
    elif op.body:
        (required if op.body.required else optional)["body"] = sample(api, op.body.type)
    return required, optional


async def not_found(scope: Any, receive: Any, send: Any) -> None:
    """Every request, whatever it carries, gets a 404 in the API's error shape."""
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    body = b'{"error": {"message": "no", "type": "invalid_request_error", "param": null, "code": null}}'
    await send({"type": "http.response.start", "status": 404, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body})


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with serve_asgi(not_found) as base:
        yield base


def generated(name: str, folder: Path) -> tuple[Api, ModuleType]:
    spec = SPECS[name]
    if spec is None:
        spec = folder / "wire.yaml"
        spec.write_text(yaml.safe_dump(wire_spec(), sort_keys=False))
    elif not spec.exists():
        pytest.skip(f"{spec} is not beside the project")
    package = f"every_{name}_client"
    result = build(Settings(specs=(spec,), out=folder / "out", client_package=package, stubs_package=""))
    write_tree(result.files, folder / "out")
    return result.api, import_from(folder / "out", package)[0]


def method(client: Any, op: Operation, suffix: str = "") -> Any:
    resource = client
    for attribute in op.resource:
        resource = getattr(resource, attribute)
    return getattr(resource, op.name + suffix)


@pytest.mark.parametrize("name", list(SPECS))
def test_every_method_with_any_subset_of_its_arguments(name: str, url: str, tmp_path: Path) -> None:
    api, package = generated(name, tmp_path)
    operations = sorted(api.operations, key=lambda op: op.operation_id)
    sync = package.Client(**credentials(package.Client), base_url=url, max_retries=0)

    @settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def check(data: st.DataObject) -> None:
        calls = 0
        later: list[tuple[Operation, dict[str, Any]]] = []  # for the async client, in one loop
        for op in operations:
            required, optional = arguments(api, op)
            chosen = data.draw(st.sets(st.sampled_from(sorted(optional))) if optional else st.just(set()))
            kwargs = {**required, **{k: optional[k] for k in chosen}}
            suffixes = ["", "_stream"] if op.response_kind == "binary" else [""]
            for suffix in suffixes:
                with pytest.raises(package.NotFoundError):
                    result = method(sync, op, suffix)(**kwargs)
                    if op.pagination:
                        list(result)
                calls += 1
            if name == "wire" or op.pagination or op.body:
                later.append((op, kwargs))
        assert calls >= len(operations)
        asyncio.run(call_async(package, url, later))

    try:
        check()
    finally:
        sync.close()


async def call_async(package: ModuleType, url: str, calls: list[tuple[Operation, dict[str, Any]]]) -> None:
    async with package.AsyncClient(**credentials(package.AsyncClient), base_url=url, max_retries=0) as client:
        for op, kwargs in calls:
            with pytest.raises(package.NotFoundError):
                result = method(client, op)(**kwargs)
                if op.pagination:
                    async for _ in result:
                        pass
                else:
                    await result
