"""Our models against an independent generator's: datamodel-code-generator (one of the design
card's packages) generates pydantic models for spec/fine_tuning.yaml, and hypothesis builds
JSON payloads from the schemas themselves (a small builder below, each payload checked against
its schema with jsonschema-rs): valid ones, and ones with one change (a value of another type,
a key left out, a key added). Both sets of models must accept and reject the same payloads.

Found and fixed by it: the lenient models' open enums took a value of any type where the
schema says string (`object: 12345` was a valid FineTuningJob); they now take new values of
the enum's own type only. Differences by design: our response models let a required but
nullable field be left out, keep unknown fields even in closed objects, and keep a new string
where the schema has an enum of strings (docs/decisions.md, "Lenient responses"). No difference of datamodel-code-generator's own is known."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema_rs
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from conftest import GENERATED, ROOT
from helpers import import_from

SPEC = ROOT / "spec" / "fine_tuning.yaml"
COMPONENTS: dict[str, Any] = yaml.safe_load(SPEC.read_text())["components"]["schemas"]
# datamodel-code-generator's options for models that judge like ours: strict scalar types (no
# "1" for 1), literal enums, constraints as Field arguments, nullable only where declared.
DCG_OPTIONS = [
    "--input-file-type", "openapi", "--output-model-type", "pydantic_v2.BaseModel",
    "--enum-field-as-literal", "all", "--strict-types", "str", "int", "float", "bool", "--field-constraints",
    "--use-annotated", "--use-union-operator", "--strict-nullable", "--target-python-version", "3.11",
    "--formatters", "ruff-format",
]  # fmt: skip


@pytest.fixture(scope="module")
def dcg(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    folder = tmp_path_factory.mktemp("dcg")
    command = [str(Path(sys.executable).parent / "datamodel-codegen"), "--input", str(SPEC), "--output"]
    result = subprocess.run([*command, str(folder / "dcg_models.py"), *DCG_OPTIONS], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    (module,) = import_from(folder, "dcg_models")
    return module


def payloads(name: str) -> st.SearchStrategy[Any]:
    """JSON values valid for the component schema `name`, built from the schema."""
    document = {**COMPONENTS[name], "components": {"schemas": COMPONENTS}}
    validator = jsonschema_rs.validator_for(document)

    def valid(value: Any) -> Any:
        assume(validator.is_valid(value))  # `oneOf` branches that overlap, patterns: checked, not trusted
        return value

    return strategy(COMPONENTS[name], 0).map(valid)


def strategy(schema: Any, depth: int) -> st.SearchStrategy[Any]:
    """Values of one JSON Schema (the keywords spec/fine_tuning.yaml uses)."""
    if not isinstance(schema, dict) or depth > 12:
        return st.none()
    if "$ref" in schema:
        return st.deferred(lambda: strategy(COMPONENTS[schema["$ref"].rsplit("/", 1)[1]], depth + 1))
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    for union in ("oneOf", "anyOf"):
        if union in schema:
            rest = {k: v for k, v in schema.items() if k != union}
            return st.one_of([strategy({**rest, **member}, depth + 1) for member in schema[union]])
    if schema.get("allOf"):
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for member in schema["allOf"]:
            member = COMPONENTS[member["$ref"].rsplit("/", 1)[1]] if "$ref" in member else member
            merged["properties"] = {**merged.get("properties", {}), **member.get("properties", {})}
            merged["required"] = [*merged.get("required", []), *member.get("required", [])]
            merged.setdefault("type", member.get("type"))
        return strategy(merged, depth + 1)
    kinds = schema.get("type") or ("object" if "properties" in schema else None)
    if isinstance(kinds, list):
        return st.one_of([strategy({**schema, "type": kind}, depth) for kind in kinds])
    if kinds == "null":
        return st.none()
    if kinds == "boolean":
        return st.booleans()
    if kinds in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        high = schema.get("maximum", schema.get("exclusiveMaximum"))
        if kinds == "integer":
            return st.integers(min_value=low, max_value=high)
        return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)
    if kinds == "string":
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True)
        if schema.get("format") == "uri":
            return st.sampled_from(["https://example.com/a.png", "http://x.io/"])
        return st.text(min_size=schema.get("minLength", 0), max_size=min(schema.get("maxLength", 20), 20))
    if kinds == "array":
        items = strategy(schema.get("items", {}), depth + 1)
        return st.lists(items, min_size=schema.get("minItems", 0), max_size=min(schema.get("maxItems", 3), 3))
    if kinds == "object":
        properties = schema.get("properties") or {}
        required = [p for p in schema.get("required", []) if p in properties]
        optional = [p for p in properties if p not in required]
        values = {p: strategy(properties[p], depth + 1) for p in properties}
        extra = schema.get("additionalProperties")
        free = st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=2) if not properties else st.just({})
        return st.builds(
            lambda fixed, chosen, more: {**more, **fixed, **chosen},
            st.fixed_dictionaries({p: values[p] for p in required}),
            st.fixed_dictionaries({}, optional={p: values[p] for p in optional}),
            free if extra is not False else st.just({}),
        )
    return st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8))


def wrong(value: Any) -> Any:
    """A value of another JSON type than `value`."""
    if isinstance(value, bool) or value is None:
        return "not a boolean"
    if isinstance(value, (int, float)):
        return "not a number"
    if isinstance(value, str):
        return 12345
    return "not a container"


@st.composite
def with_one_change(draw: st.DrawFn, name: str) -> tuple[Any, str, tuple[str | int, ...]]:
    """A valid payload with one change at one place (chosen among all of them): a value of
    another type, a key left out, or a key no schema names added."""
    payload = draw(payloads(name))
    places: list[tuple[str | int, ...]] = []

    def walk(node: Any, path: tuple[str | int, ...]) -> None:
        places.append(path)
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in items:
            walk(child, (*path, key))

    walk(payload, ())
    path = draw(st.sampled_from(places))
    parent = payload
    for key in path[:-1]:
        parent = parent[key]
    change = draw(st.sampled_from(["wrong type", "left out", "unknown key"]))
    if change == "unknown key" and isinstance(parent, dict):
        parent["x_not_in_the_schema"] = 1
    elif change == "left out" and path and isinstance(parent, dict):
        del parent[path[-1]]
    elif path:
        parent[path[-1]] = wrong(parent[path[-1]])
    else:
        payload = wrong(payload)
    return payload, change, path


def accepts(model: Any, payload: Any) -> bool:
    try:
        model.model_validate_json(json.dumps(payload))
    except ValidationError:
        return False
    return True


# (our module, model name) -> datamodel-code-generator's model of the same schema.
OURS: dict[str, Callable[[], ModuleType]] = {
    "bodies": lambda: import_from(GENERATED, "fine_tuning_stubs.bodies")[0],  # strict request bodies
    "training": lambda: import_from(GENERATED, "fine_tuning_client.training")[0],  # strict training lines
    "models": lambda: import_from(GENERATED, "fine_tuning_client.models")[0],  # lenient responses
}
CASES = [
    ("bodies", "CreateFineTuningJobRequest"),
    ("training", "FineTuneChatRequestInput"),
    ("training", "FineTunePreferenceRequestInput"),
    ("training", "FineTuneReinforcementRequestInput"),
    ("models", "FineTuningJob"),
    ("models", "FineTuningJobEvent"),
    ("models", "FineTuningJobCheckpoint"),
]


@pytest.mark.parametrize(("module", "name"), CASES)
def test_both_accept_what_the_schema_allows(module: str, name: str, dcg: ModuleType) -> None:
    ours, theirs = getattr(OURS[module](), name), getattr(dcg, name)

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(payloads(name))
    def check(payload: Any) -> None:
        assert (accepts(ours, payload), accepts(theirs, payload)) == (True, True), payload

    check()


@pytest.mark.parametrize(("module", "name"), CASES)
def test_both_judge_a_changed_payload_alike(module: str, name: str, dcg: ModuleType) -> None:
    ours, theirs = getattr(OURS[module](), name), getattr(dcg, name)

    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(with_one_change(name))
    def check(case: tuple[Any, str, tuple[str | int, ...]]) -> None:
        payload, change, path = case
        verdicts = (accepts(ours, payload), accepts(theirs, payload))
        if module == "models" and change == "wrong type" and verdicts == (True, False):
            # By design: an enum of strings in a response is open (a value the server added
            # later still parses), so a string where the schema has one is kept.
            assert isinstance(_value_at(payload, path), str) and _string_enum_at(name, path), (path, payload)
            return
        if module == "models" and change in ("left out", "unknown key") and verdicts == (True, False):
            # By design (docs/decisions.md, "Lenient responses"): a required but nullable field
            # may be left out of a response, and unknown fields are kept even where the schema
            # says `additionalProperties: false`. Theirs must agree that was the only fault.
            parent = payload
            for key in path[:-1]:
                parent = parent[key]
            if change == "left out":
                parent[path[-1]] = None
            else:
                del parent["x_not_in_the_schema"]
            assert accepts(theirs, payload), (change, path, payload)
            return
        assert verdicts[0] == verdicts[1], (change, path, payload)

    check()


def _value_at(payload: Any, path: tuple[str | int, ...]) -> Any:
    for key in path:
        payload = payload[key]
    return payload


def _schemas_at(schema: Any, path: tuple[str | int, ...]) -> list[dict[str, Any]]:
    """Every schema that can describe the value at `path` (through refs, unions and allOf)."""
    if not isinstance(schema, dict):
        return []
    if "$ref" in schema:
        return _schemas_at(COMPONENTS[schema["$ref"].rsplit("/", 1)[1]], path)
    found = [
        s for key in ("anyOf", "oneOf", "allOf") for member in schema.get(key, []) for s in _schemas_at(member, path)
    ]
    if not path:
        return [schema, *found]
    head, rest = path[0], path[1:]
    inner = schema.get("items") if isinstance(head, int) else (schema.get("properties") or {}).get(head)
    return found + _schemas_at(inner, rest)


def _string_enum_at(name: str, path: tuple[str | int, ...]) -> bool:
    return any(all(isinstance(v, str) for v in s.get("enum", [0])) for s in _schemas_at(COMPONENTS[name], path))
