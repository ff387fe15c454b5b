"""Rules: unions with a discriminator (declared or inferred from each member's pinned tag),
tagged structs (the fine-tuning `method`), `allOf` composition and recursive schemas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.ir import Array, Ref, Tag, Union_
from helpers import field_type, generate_package, model, normalize_spec, spec


def grader(kind: str, **props: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["type", "name"],
        "properties": {"type": {"type": "string", "enum": [kind]}, "name": {"type": "string"}, **props},
    }


GRADERS = {
    "GraderStringCheck": grader("string_check", operation={"type": "string", "enum": ["eq", "ne"]}),
    "GraderPython": grader("python", source={"type": "string"}),
    "GraderMulti": grader("multi", calculate_output={"type": "string"}),
}
GRADER_UNION = {"oneOf": [{"$ref": f"#/components/schemas/{name}"} for name in GRADERS]}


def test_discriminator_is_inferred_from_pinned_tags(tmp_path: Path) -> None:
    api, _ = normalize_spec(
        tmp_path, spec({**GRADERS, "Method": {"type": "object", "properties": {"grader": GRADER_UNION}}})
    )
    t = field_type(api, "Method", "grader")
    assert t == Union_(tuple(Ref(name) for name in GRADERS), discriminator="type")


def test_declared_discriminator_is_kept_only_when_members_pin_it(tmp_path: Path) -> None:
    """A strict validator dispatches on the discriminator, so every member must pin it to its
    own value in a required field; `name` is a free string in each grader, so no dispatch."""
    for declared, expected in (("type", "type"), ("name", None)):
        union = {**GRADER_UNION, "discriminator": {"propertyName": declared}}
        api, _ = normalize_spec(
            tmp_path, spec({**GRADERS, "Method": {"type": "object", "properties": {"grader": union}}})
        )
        t = field_type(api, "Method", "grader")
        assert isinstance(t, Union_) and t.discriminator == expected


def test_an_optional_tag_is_no_discriminator(tmp_path: Path) -> None:
    graders = {name: {**schema, "required": ["name"]} for name, schema in GRADERS.items()}
    api, _ = normalize_spec(
        tmp_path, spec({**graders, "Method": {"type": "object", "properties": {"grader": GRADER_UNION}}})
    )
    t = field_type(api, "Method", "grader")
    assert isinstance(t, Union_) and t.discriminator is None


def test_grader_union_parses_each_member(tmp_path: Path) -> None:
    models, _, _ = generate_package(
        tmp_path, spec({**GRADERS, "Method": {"type": "object", "properties": {"grader": GRADER_UNION}}})
    )
    parsed = models.Method.model_validate({"grader": {"type": "python", "name": "g", "source": "print(1)"}})
    assert type(parsed.grader).__name__ == "GraderPython"
    parsed = models.Method.model_validate({"grader": {"type": "string_check", "name": "g", "operation": "eq"}})
    assert type(parsed.grader).__name__ == "GraderStringCheck"


def test_tagged_struct_method(tmp_path: Path) -> None:
    method = {"type": "object", "required": ["type"], "properties": {
        "type": {"type": "string", "enum": ["supervised", "dpo", "reinforcement"]},
        "supervised": {"type": "object", "properties": {"hyperparameters": {"type": "object"}}},
        "dpo": {"type": "object", "properties": {"hyperparameters": {"type": "object"}}},
        "reinforcement": {"type": "object", "properties": {"grader": {"type": "object"}}},
    }}  # fmt: skip
    api, _ = normalize_spec(tmp_path, spec({"FineTuneMethod": method}))
    assert model(api, "FineTuneMethod").tag == Tag(
        "type", (("supervised", "supervised"), ("dpo", "dpo"), ("reinforcement", "reinforcement"))
    )
    assert {m.name for m in api.models} == {
        "FineTuneMethod",
        "FineTuneMethodSupervised",
        "FineTuneMethodDpo",
        "FineTuneMethodReinforcement",
    }


def test_all_of_merges_fields_and_required(tmp_path: Path) -> None:
    schemas = {
        "Base": {
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "string"}, "note": {"type": "string"}},
        },
        "Job": {
            "allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}},
            ]
        },
    }
    api, _ = normalize_spec(tmp_path, spec(schemas))
    job = model(api, "Job")
    assert [(f.wire_name, f.required) for f in job.fields] == [("id", True), ("note", False), ("status", True)]


def test_recursive_schema(tmp_path: Path) -> None:
    node = {
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
        },
    }
    api, diagnostics = normalize_spec(tmp_path, spec({"Node": node}))
    assert diagnostics == [] and field_type(api, "Node", "children") == Array(Ref("Node"))
    models, _, _ = generate_package(tmp_path, spec({"Node": node}))
    tree = models.Node.model_validate({"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]})
    assert tree.children[0].children[0].name == "c"


def test_alias_that_refers_to_itself_is_reported_not_looped(tmp_path: Path) -> None:
    schemas = {
        "Json": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"$ref": "#/components/schemas/Json"}}]}
    }
    api, diagnostics = normalize_spec(tmp_path, spec(schemas))
    assert [d.rule for d in diagnostics] == ["recursive-alias"]
