"""Property: for random small specs, the generator gives code that compiles, imports and
passes mypy --strict, or diagnostics with a location; never a traceback."""

from __future__ import annotations

import keyword
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import Settings
from generator.diagnostics import SpecError
from generator.output import write_tree
from generator.pipeline import build
from helpers import import_from, write_spec

# Names mix the ordinary with the troublesome: keywords, builtins, pydantic's own, odd text.
NAMES = st.one_of(
    st.from_regex(r"[a-z][a-zA-Z0-9_]{0,8}", fullmatch=True),
    st.sampled_from([*keyword.kwlist, "list", "type", "id", "model_config", "Client", "BaseModel", "self", "None"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="/~\x00"), min_size=1, max_size=8),
)
TEXT = st.one_of(st.text(max_size=20), st.sampled_from(['"""', "\\", "{{ x }}", "{% if %}", "__import__('os')"]))


def schemas(names: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    leaf = st.one_of(
        st.builds(
            lambda t, d: {"type": t, "description": d},
            st.sampled_from(["string", "integer", "number", "boolean"]),
            TEXT,
        ),
        st.builds(
            lambda values: {"type": "string", "enum": values}, st.lists(TEXT, min_size=1, max_size=3, unique=True)
        ),
        st.builds(lambda n: {"$ref": f"#/components/schemas/{n}"}, st.sampled_from(names)),
        st.just({"type": ["string", "null"]}),
    )
    node = st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.builds(lambda items: {"type": "array", "items": items}, inner),
            st.builds(lambda props: {"type": "object", "properties": props}, st.dictionaries(NAMES, inner, max_size=4)),
            st.builds(lambda members: {"oneOf": members}, st.lists(inner, min_size=2, max_size=3)),
        ),
        max_leaves=6,
    )
    return st.builds(lambda props: {"type": "object", "properties": props}, st.dictionaries(NAMES, node, max_size=5))


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(NAMES, min_size=1, max_size=4, unique=True))
    components = {name: draw(schemas(names)) for name in names}
    paths = {}
    for i, name in enumerate(names):
        response = {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}
        paths[f"/r{i}"] = {
            "get": {"operationId": draw(NAMES), "responses": {"200": {"description": draw(TEXT), **response}}},
        }
    return {"openapi": "3.1.0", "info": {"title": draw(TEXT) or "T", "version": "1"}, "paths": paths,
            "components": {"schemas": components}}  # fmt: skip


GENERATED: list[tuple[Path, str]] = []


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(doc=specs())
def test_code_or_located_diagnostics(tmp_path_factory: pytest.TempPathFactory, doc: dict[str, Any]) -> None:
    folder = tmp_path_factory.mktemp("random")
    package = f"random_{len(GENERATED)}_{folder.name.replace('-', '_')}"
    try:
        result = build(Settings(specs=(write_spec(folder, doc),), client_package=package, stubs_package=""))
    except SpecError as exc:
        assert exc.diagnostics and all(d.location.file and d.location.pointer for d in exc.diagnostics)
        return
    write_tree(result.files, folder / "out")
    models, _ = import_from(folder / "out", f"{package}.models", f"{package}.client")
    for name in models.__all__:
        getattr(getattr(models, name), "model_rebuild", lambda **_: None)(force=True)
    GENERATED.append((folder / "out", package))


def test_every_generated_example_passes_mypy_strict() -> None:
    """Runs after the property test (file order): one mypy over every package it generated."""
    if not GENERATED:
        pytest.skip("no example generated code (run with the property test)")
    packages = [arg for _, package in GENERATED for arg in ("-p", package)]
    env = {**os.environ, "MYPYPATH": os.pathsep.join(str(out) for out, _ in GENERATED)}
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null",
                             *packages], capture_output=True, text=True, env=env)  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
