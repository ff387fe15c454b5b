"""Rule: names. Inline schemas are named from where they sit (never from `title`, never
numbered); a real collision is an error naming both places; hostile names become valid
identifiers with the wire name kept."""

from __future__ import annotations

import keyword
from pathlib import Path

from generator.names import class_name, field_name
from helpers import generate_package, normalize_spec, spec


def test_inline_names_come_from_location_not_title(tmp_path: Path) -> None:
    schemas = {"FineTuningJob": {"type": "object", "properties": {
        "error": {"title": "Whatever", "anyOf": [{"type": "object", "properties": {"code": {"type": "string"}}}, {"type": "null"}]},
        "integrations": {"type": "array", "items": {"type": "object", "title": "Fine-Tuning Job Integration", "properties": {"type": {"type": "string"}}}},
    }}}  # fmt: skip
    api, diagnostics = normalize_spec(tmp_path, spec(schemas))
    assert diagnostics == []
    assert [m.name for m in api.models] == ["FineTuningJob", "FineTuningJobError", "FineTuningJobIntegrationsItem"]


def test_collision_is_an_error_naming_both_places(tmp_path: Path) -> None:
    schemas = {
        "Job": {
            "type": "object",
            "properties": {"error": {"type": "object", "properties": {"code": {"type": "string"}}}},
        },
        "JobError": {"type": "object", "properties": {"message": {"type": "string"}}},
    }
    _, diagnostics = normalize_spec(tmp_path, spec(schemas))
    assert [d.rule for d in diagnostics] == ["name-collision"]
    message = str(diagnostics[0])
    assert (
        "'JobError'" in message
        and "#/components/schemas/JobError" in message
        and "#/components/schemas/Job/properties/error" in message
    )


def test_identical_inline_schemas_share_a_name_silently(tmp_path: Path) -> None:
    inline = {"type": "object", "properties": {"code": {"type": "string"}}}
    schemas = {"Job": {"type": "object", "properties": {"error": inline}}, "JobError": inline}
    _, diagnostics = normalize_spec(tmp_path, spec(schemas))
    assert diagnostics == []


def test_identifier_rules() -> None:
    assert field_name("class") == "class_"
    assert field_name("fine-tune-id") == "fine_tune_id"
    assert field_name("2fa") == "field_2fa"
    assert field_name("model_config") == "model_config_"
    assert field_name("json") == "json_"
    assert field_name("naïve") == "naive"
    assert field_name("名前").isidentifier() and field_name("名前").isascii()
    assert class_name("fine-tune") == "FineTune"
    assert class_name("2023 job") == "Schema2023Job"
    assert class_name("list") == "List"
    assert class_name("exception") == "ExceptionModel"  # a builtin
    assert class_name("Literal", frozenset({"Literal"})) == "LiteralModel"


HOSTILE = {
    "class": {"type": "object", "properties": {
        "from": {"type": "string"}, "fine-tune": {"type": "integer"}, "2fa": {"type": "boolean"},
        "naïve": {"type": "string"}, "名前": {"type": "string"}, "model_config": {"type": "string"},
        "FooBar": {"type": "string"}, "foo_bar": {"type": "string"}, "self": {"type": "string"},
    }},
    "Literal": {"type": "object", "properties": {"x": {"type": "string", "enum": ["a"]}}},
}  # fmt: skip


def test_hostile_names_generate_importable_models_keeping_wire_names(tmp_path: Path) -> None:
    models, _, _ = generate_package(tmp_path, spec(HOSTILE))
    cls = models.Class
    wire = {
        "from": "a",
        "fine-tune": 1,
        "2fa": True,
        "naïve": "b",
        "名前": "c",
        "model_config": "d",
        "FooBar": "e",
        "foo_bar": "f",
        "self": "g",
    }
    obj = cls.model_validate(wire)
    assert obj.from_ == "a" and obj.fine_tune == 1 and obj.field_2fa is True and obj.naive == "b"
    assert obj.foo_bar == "e" and obj.foo_bar_ == "f"
    assert obj.to_dict() == wire
    assert all(name.isidentifier() and not keyword.iskeyword(name) for name in cls.model_fields)
    assert models.LiteralModel.model_validate({"x": "a"}).x == "a"
