"""Rule: names. Inline schemas are named from where they sit (never from `title`, never
numbered); a collision is resolved by the rule in generator/normalize/naming.py, the same
whatever the order of the spec, and reported naming both places (an error with --strict);
hostile names become valid identifiers with the wire name kept."""

from __future__ import annotations

import keyword
import random
from pathlib import Path
from typing import Any

import pytest

from generator.config import Settings
from generator.diagnostics import Diagnostic, Level, SpecError
from generator.ir import Api
from generator.names import class_name, field_name
from generator.pipeline import build
from helpers import generate_package, normalize_spec, spec, write_spec


def test_inline_names_come_from_location_not_title(tmp_path: Path) -> None:
    schemas = {"FineTuningJob": {"type": "object", "properties": {
        "error": {"title": "Whatever", "anyOf": [{"type": "object", "properties": {"code": {"type": "string"}}}, {"type": "null"}]},
        "integrations": {"type": "array", "items": {"type": "object", "title": "Fine-Tuning Job Integration", "properties": {"type": {"type": "string"}}}},
    }}}  # fmt: skip
    api, diagnostics = normalize_spec(tmp_path, spec(schemas))
    assert diagnostics == []
    assert [m.name for m in api.models] == ["FineTuningJob", "FineTuningJobError", "FineTuningJobIntegrationsItem"]


def obj(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties or {"x": {"type": "string"}}}


def names_by_location(api: Api) -> dict[str, str]:
    """Where each model's schema is written -> its name."""
    return {m.source.pointer: m.name for m in api.models if m.source}


def collisions(diagnostics: list[Diagnostic]) -> list[tuple[str, str]]:
    return [(d.location.pointer, d.message) for d in diagnostics if d.rule == "name-collision"]


def test_a_component_keeps_its_name_and_an_inline_schema_takes_its_path(tmp_path: Path) -> None:
    schemas = {"Cluster": obj(configuration=obj(size={"type": "integer"})), "ClusterConfiguration": obj()}
    api, diagnostics = normalize_spec(tmp_path, spec(schemas))
    assert names_by_location(api) == {
        "#/components/schemas/Cluster": "Cluster",
        "#/components/schemas/Cluster/properties/configuration": "Cluster_Configuration",
        "#/components/schemas/ClusterConfiguration": "ClusterConfiguration",
    }
    assert collisions(diagnostics) == [
        (
            "#/components/schemas/Cluster/properties/configuration",
            "the name 'ClusterConfiguration' is also the one of api.yaml#/components/schemas/ClusterConfiguration; "
            "named 'Cluster_Configuration' here",
        )
    ]


def test_components_differing_by_case_or_punctuation_keep_their_spelling(tmp_path: Path) -> None:
    schemas = {"accountPasswordRules": obj(), "AccountPasswordRules": obj(), "account-password-rules": obj()}
    api, diagnostics = normalize_spec(tmp_path, spec(schemas))
    assert names_by_location(api) == {
        "#/components/schemas/accountPasswordRules": "accountPasswordRules",
        "#/components/schemas/AccountPasswordRules": "AccountPasswordRules",
        "#/components/schemas/account-password-rules": "account_password_rules",
    }
    assert len(collisions(diagnostics)) == 2


def test_union_variants_deriving_one_name_take_their_position(tmp_path: Path) -> None:
    variant = {"type": "object", "properties": {"kind": {"enum": ["cat"]}, "a": {"type": "string"}}}
    other = {"type": "object", "properties": {"kind": {"enum": ["Cat"]}, "b": {"type": "string"}}}
    api, diagnostics = normalize_spec(tmp_path, spec({"Pet": {"oneOf": [variant, other]}}))
    assert sorted(m.name for m in api.models) == ["PetCatVariant0", "PetCatVariant1"]
    assert collisions(diagnostics) == []


def test_operations_whose_ids_differ_by_case_are_told_apart_by_method_and_path(tmp_path: Path) -> None:
    def create(operation_id: str) -> dict[str, Any]:
        body = {"content": {"application/json": {"schema": obj(name={"type": "string"})}}}
        return {"post": {"operationId": operation_id, "requestBody": body, "responses": {"204": {"description": "ok"}}}}

    doc = spec({}, paths={"/users": create("createUser"), "/admin/users": create("create_user")})
    api, diagnostics = normalize_spec(tmp_path, doc)
    assert [op.operation_id for op in api.operations] == ["createUser", "create_user_post_admin_users"]
    assert sorted(m.name for m in api.models) == ["CreateUserPostAdminUsersRequest", "CreateUserRequest"]
    assert [(d.location.pointer, d.rule) for d in diagnostics] == [
        ("#/paths/~1admin~1users/post/operationId", "duplicate-operation-id")
    ]


def test_inline_schemas_wanting_one_name_both_take_their_path(tmp_path: Path) -> None:
    schemas = {"A": obj(bC=obj(y={"type": "string"})), "AB": obj(c=obj(z={"type": "string"}))}
    api, diagnostics = normalize_spec(tmp_path, spec(schemas))
    assert names_by_location(api)["#/components/schemas/A/properties/bC"] == "A_BC"
    assert names_by_location(api)["#/components/schemas/AB/properties/c"] == "AB_C"
    assert len(collisions(diagnostics)) == 2


COLLIDING = {
    "Cluster": obj(configuration=obj(size={"type": "integer"})),
    "ClusterConfiguration": obj(),
    "jobStatus": obj(),
    "JobStatus": obj(),
    "A": obj(bC=obj(y={"type": "string"})),
    "AB": obj(c=obj(z={"type": "string"})),
    "Pet": {"oneOf": [{"type": "object", "properties": {"kind": {"enum": [k]}, k: {"type": "string"}}} for k in ("cat", "Cat")]},
}  # fmt: skip


@pytest.mark.parametrize("seed", range(6))
def test_names_do_not_depend_on_order_or_on_unrelated_schemas(seed: int, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    expected = names_by_location(normalize_spec(tmp_path / "a", spec(COLLIDING))[0])
    shuffled = list(COLLIDING.items())
    random.Random(seed).shuffle(shuffled)
    unrelated = {f"Unrelated{seed}": obj(configuration=obj()), "Thing": obj(inner=obj())}
    doc = spec(dict(shuffled[: seed % 3] + list(unrelated.items()) + shuffled[seed % 3 :]))
    doc["paths"] = dict(reversed(list(doc["paths"].items())))
    api, _ = normalize_spec(tmp_path / "b", doc)
    found = names_by_location(api)
    assert {k: found[k] for k in expected} == expected


def test_strict_makes_a_collision_an_error(tmp_path: Path) -> None:
    spec_file = write_spec(tmp_path, spec({"jobStatus": obj(), "JobStatus": obj()}))
    assert build(Settings(specs=(spec_file,), out=tmp_path / "out")).diagnostics[0].level is Level.WARNING
    with pytest.raises(SpecError) as raised:
        build(Settings(specs=(spec_file,), out=tmp_path / "out", strict=True))
    assert [d.rule for d in raised.value.diagnostics] == ["name-collision"]


def test_identical_inline_schemas_share_a_name_silently(tmp_path: Path) -> None:
    inline = {"type": "object", "properties": {"code": {"type": "string"}}}
    schemas = {"Job": {"type": "object", "properties": {"error": inline}}, "JobError": inline}
    _, diagnostics = normalize_spec(tmp_path, spec(schemas))
    assert diagnostics == []


def test_identifier_rules() -> None:
    assert field_name("class") == "class_"
    assert field_name("fine-tune-id") == "fine_tune_id"
    assert field_name("2fa") == "field_2fa"
    assert field_name("model_config") == "api_model_config"  # openai-python's spelling
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


def test_keys_of_punctuation_only_get_names_that_shadow_nothing(tmp_path: Path) -> None:
    # `_` would be a class called `_`, beside the generated modules' own `_Model`, `_rt`...
    models, _, _ = generate_package(tmp_path, spec({"_": obj(), "-": obj(), "Schema": obj()}))
    names = sorted(models.__all__)
    assert names[:2] == ["Schema", "Schema__"] and names[2].startswith("Schema___")  # `-` and `_`: a hash at last
    assert all(getattr(models, n).model_validate({"x": "a"}).x == "a" for n in names)
