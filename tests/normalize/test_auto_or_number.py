"""Rule: `"auto"` or a number (oneOf or anyOf spelling) -> `Literal["auto"] | int` (or float):
no wrapper class, no numbered enum, no default sent unless the caller sets it."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.annotate import Annotator
from generator.ir import Literal, Primitive, Union_
from helpers import field_type, generate_package, normalize_spec, spec

AUTO = {"type": "string", "enum": ["auto"], "x-stainless-const": True}


@pytest.mark.parametrize("combinator", ["oneOf", "anyOf"])
@pytest.mark.parametrize(("number", "kind"), [("integer", "int"), ("number", "float")])
def test_auto_or_number(tmp_path: Path, combinator: str, number: str, kind: str) -> None:
    schema = {combinator: [AUTO, {"type": number, "minimum": 1}], "default": "auto"}
    api, _ = normalize_spec(tmp_path, spec({"H": {"type": "object", "properties": {"n_epochs": schema}}}))
    t = field_type(api, "H", "n_epochs")
    assert isinstance(t, Union_) and t.members[0] == Literal(("auto",))
    assert isinstance(t.members[1], Primitive) and t.members[1].kind == kind
    assert Annotator()(t).text == f"Literal['auto'] | {kind}"
    assert [m.name for m in api.models] == ["H"]  # no wrapper or enum class


def test_default_is_not_sent_and_both_forms_parse(tmp_path: Path) -> None:
    schema = {"oneOf": [AUTO, {"type": "integer"}], "default": "auto"}
    models, _, _ = generate_package(tmp_path, spec({"H": {"type": "object", "properties": {"n_epochs": schema}}}))
    assert models.H.model_validate({"n_epochs": "auto"}).n_epochs == "auto"
    assert models.H.model_validate({"n_epochs": 4}).n_epochs == 4
    assert models.H().to_dict() == {}  # the spec default is never filled in
