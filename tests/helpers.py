"""Build tiny specs inline, normalize them, or generate and import the result."""

from __future__ import annotations

import contextlib
import importlib
import itertools
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from generator.config import Settings
from generator.diagnostics import Diagnostic
from generator.ir import Api, Field, Model, Type
from generator.loader import SpecSet
from generator.normalize import normalize
from generator.output import write_tree
from generator.pipeline import build

_counter = itertools.count()


def models_text(package: Path) -> str:
    """The source of a generated client's models: each module of its models package, in order."""
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((package / "models").glob("_*.py")))


def spec(
    schemas: dict[str, Any] | None = None, *, openapi: str = "3.1.0", paths: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A document whose every component schema is returned by one GET operation each."""
    schemas = schemas or {}
    if paths is None:
        paths = {
            f"/{name.lower()}": {
                "get": {
                    "operationId": f"get{name}",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
                        }
                    },
                }
            }
            for name in schemas
        }
    return {
        "openapi": openapi,
        "info": {"title": "T", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def write_spec(tmp_path: Path, doc: dict[str, Any], name: str = "api.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def normalize_spec(tmp_path: Path, doc: dict[str, Any]) -> tuple[Api, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    api = normalize(SpecSet([write_spec(tmp_path, doc)]), diagnostics)
    return api, diagnostics


def field(api: Api, model: str, name: str) -> Field:
    return next(f for f in api.model(model).fields if f.wire_name == name)


def field_type(api: Api, model: str, name: str) -> Type:
    return field(api, model, name).type


def model(api: Api, name: str) -> Model:
    return api.model(name)


def generate_package(tmp_path: Path, doc: dict[str, Any]) -> tuple[ModuleType, ModuleType, str]:
    """Generate a client for `doc`, import it, and return (models, client module, out folder)."""
    package = f"gen_{next(_counter)}_{tmp_path.name.replace('-', '_')}"[:60]
    out = tmp_path / "out"
    result = build(Settings(specs=(write_spec(tmp_path, doc),), out=out, client_package=package, stubs_package=""))
    write_tree(result.files, out)
    models, client = import_from(out, f"{package}.models", f"{package}.client")
    return models, client, str(out)


def import_from(folder: Path, *modules: str) -> list[ModuleType]:
    """Import generated modules from `folder` without leaving it on sys.path."""
    sys.path.insert(0, str(folder))
    try:
        return [importlib.import_module(name) for name in modules]
    finally:
        sys.path.remove(str(folder))


@contextlib.contextmanager
def serve_asgi(app: Any) -> Iterator[str]:
    """`app` served by uvicorn on 127.0.0.1 in a thread; yields its base URL once it accepts."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:  # readiness, not a guess: uvicorn sets it once it listens
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
