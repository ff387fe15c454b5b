"""Rule: `nullable: true` (3.0), `type: [X, "null"]` (3.1), `anyOf/oneOf [X, {type: null}]` -> `X | None`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.annotate import Annotator
from generator.ir import NONE, Primitive, Union_
from helpers import field_type, generate_package, normalize_spec, spec

SPELLINGS: dict[str, tuple[str, dict[str, Any]]] = {
    "nullable-3.0": ("3.0.3", {"type": "string", "nullable": True}),
    "type-list-3.1": ("3.1.0", {"type": ["string", "null"]}),
    "anyOf-null": ("3.1.0", {"anyOf": [{"type": "string"}, {"type": "null"}]}),
    "oneOf-null": ("3.1.0", {"oneOf": [{"type": "string"}, {"type": "null"}]}),
    "enum-null": ("3.1.0", {"type": ["string", "null"], "enum": ["a", None]}),
}


@pytest.mark.parametrize("name", sorted(SPELLINGS))
def test_every_spelling_folds_to_the_same_ir(tmp_path: Path, name: str) -> None:
    version, schema = SPELLINGS[name]
    api, diagnostics = normalize_spec(
        tmp_path, spec({"Job": {"type": "object", "properties": {"x": schema}}}, openapi=version)
    )
    assert diagnostics == []
    t = field_type(api, "Job", "x")
    assert isinstance(t, Union_) and t.members[-1] == NONE
    if name != "enum-null":
        assert t == Union_((Primitive("str"), NONE))
        assert Annotator()(t).text == "str | None"


def test_generated_field_accepts_null(tmp_path: Path) -> None:
    models, _, _ = generate_package(
        tmp_path,
        spec(
            {"Job": {"type": "object", "required": ["x"], "properties": {"x": {"type": "string", "nullable": True}}}},
            openapi="3.0.3",
        ),
    )
    assert models.Job.model_validate({"x": None}).x is None
    assert models.Job.model_fields["x"].annotation == str | None
