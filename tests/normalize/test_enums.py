"""Rules: open enums (`anyOf [string, enum]`) keep known values and accept any string; closed
response enums still parse a value the server adds later; single-value enums are Literals."""

from __future__ import annotations

from pathlib import Path

from generator.annotate import Annotator
from generator.ir import Literal
from helpers import field_type, generate_package, normalize_spec, spec

MODEL_FIELD = {"anyOf": [{"type": "string"}, {"type": "string", "enum": ["babbage-002", "gpt-4o-mini"]}]}
STATUS = {"type": "string", "enum": ["queued", "running"]}


def test_open_enum(tmp_path: Path) -> None:
    api, _ = normalize_spec(tmp_path, spec({"R": {"type": "object", "properties": {"model": MODEL_FIELD}}}))
    t = field_type(api, "R", "model")
    assert t == Literal(("babbage-002", "gpt-4o-mini"), open=True)
    assert Annotator()(t).text == "Literal['babbage-002', 'gpt-4o-mini'] | str"


def test_closed_enum_is_lenient_in_responses(tmp_path: Path) -> None:
    api, _ = normalize_spec(tmp_path, spec({"J": {"type": "object", "properties": {"status": STATUS}}}))
    assert Annotator(lenient=True)(field_type(api, "J", "status")).text == "Literal['queued', 'running'] | str"
    models, _, _ = generate_package(
        tmp_path,
        spec({"J": {"type": "object", "required": ["status"], "properties": {"status": STATUS, "model": MODEL_FIELD}}}),
    )
    assert models.J.model_validate({"status": "paused_by_operator"}).status == "paused_by_operator"
    assert models.J.model_validate({"status": "queued", "model": "my-own-model"}).model == "my-own-model"


def test_single_value_enum_and_const_are_literals(tmp_path: Path) -> None:
    schemas = {"E": {"type": "object", "properties": {
        "object": {"type": "string", "enum": ["fine_tuning.job"], "x-stainless-const": True},
        "kind": {"const": "wandb"},
    }}}  # fmt: skip
    api, _ = normalize_spec(tmp_path, spec(schemas))
    assert field_type(api, "E", "object") == Literal(("fine_tuning.job",))
    assert field_type(api, "E", "kind") == Literal(("wandb",))
