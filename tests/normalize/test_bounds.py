"""Rule: boolean `exclusiveMinimum: true` (3.0 style, still in the real 3.1 spec) and numeric
`exclusiveMinimum: 0` (3.1) give the same constraint."""

from __future__ import annotations

from pathlib import Path

from generator.ir import Constraints, Primitive
from helpers import field_type, normalize_spec, spec


def constraints_of(tmp_path: Path, schema: dict[str, object], version: str) -> Constraints:
    api, _ = normalize_spec(tmp_path, spec({"H": {"type": "object", "properties": {"x": schema}}}, openapi=version))
    t = field_type(api, "H", "x")
    assert isinstance(t, Primitive) and t.kind == "float"
    return t.constraints


def test_boolean_and_numeric_spellings_agree(tmp_path: Path) -> None:
    old = constraints_of(tmp_path, {"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": 2}, "3.0.3")
    new = constraints_of(tmp_path, {"type": "number", "exclusiveMinimum": 0, "maximum": 2}, "3.1.0")
    assert old == new == Constraints(exclusive_minimum=0, maximum=2)


def test_both_sides(tmp_path: Path) -> None:
    c = constraints_of(
        tmp_path,
        {"type": "number", "minimum": 1, "maximum": 5, "exclusiveMaximum": True, "exclusiveMinimum": False},
        "3.0.3",
    )
    assert c == Constraints(minimum=1, exclusive_maximum=5)
