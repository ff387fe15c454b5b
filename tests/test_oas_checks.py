"""generator/oas_checks.py: openapi-spec-validator's checks, each finding at its exact place,
held to the findings of openapi-spec-validator itself (tests/upstream_validator.py)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from generator.loader import SpecSet
from generator.validate import validate
from upstream_validator import upstream_messages

DATA = ROOT / "tests" / "data" / "oas_checks"
SHARED = ROOT / "tests" / "data" / "specs"


def findings(spec: Path) -> list[tuple[str, str, int | None, str]]:
    return [
        (Path(d.location.file).name, d.location.pointer, d.location.line, d.message) for d in validate(SpecSet([spec]))
    ]


def test_every_check_at_its_place() -> None:
    path = "#/paths/~1jobs~1{job_id}"
    events = "#/paths/~1jobs~1{job_id}~1events~1{event_id}/get"
    job = "every_check.yaml"
    assert findings(DATA / job) == [
        (job, "#/tags/1/name", 5, "Duplicate tag name 'jobs'"),
        (job, f"{path}/get/parameters/0/schema/default", 13, '"many" is not of type "integer"'),
        (job, f"{path}/get/parameters/1", 14, "Duplicate parameter 'limit'"),
        (job, f"{path}/get/parameters/2", 15, "Path parameter 'stray' for 'get' operation in '/jobs/{job_id}' was not "
                                              "resolved"),
        (job, events, 23, "Path parameter 'event_id' for 'get' operation in '/jobs/{job_id}/events/{event_id}' was not "
                          "resolved"),
        (job, f"{events}/operationId", 24, "Operation ID 'getJob' for 'get' in '/jobs/{job_id}/events/{event_id}' is "
                                           "not unique"),
        (job, "#/components/schemas/Job/required", 41, "Required list has not defined properties: ['ghost']"),
        (job, "#/components/schemas/Base/properties/created/default", 46, '{"not":"a number"} is not of type "integer"'),
        (job, "#/components/schemas/Status/default", 50, '"paused" is not one of "queued" or "running"'),
        (job, "#/components/schemas/BadSchema/properties/size/minimum", 54, '"lots" is not of type "number"'),
        (job, "#/components/schemas/BadPattern/pattern", 57, '"(unclosed" is not a "regex"'),
        (job, "#/components/schemas/OtherDialect", 58, "Unknown JSON Schema dialect: 'https://example.com/my-dialect'"),
        # a default in another file is reported in that file
        ("parts.yaml", "#/Event/properties/level/default", 7, '"loud" is not one of "info" or "warn"'),
    ]  # fmt: skip


def test_openapi_30_defaults_know_nullable() -> None:
    item = "#/components/schemas/Item/properties"
    assert [f[1:] for f in findings(DATA / "every_check_30.yaml")] == [
        ("#/paths/~1items~1{id}/get/parameters/1/schema/default", 9, '"first" is not of type "integer"'),
        (f"{item}/strict/default/note", 23, 'null is not of type "string"'),
        (f"{item}/bounded/default", 24, "3 is greater than or equal to the maximum of 3"),
    ]


BOUNDS_31 = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Job:  # its meta-schema check passes (a `$ref` is not followed), so its properties' defaults are checked
      type: object
      properties:
        rate: {$ref: '#/components/schemas/Rate'}
    Rate:
      oneOf:
        - {type: string, enum: [auto]}
        - {type: number, minimum: 0, exclusiveMinimum: true}
      default: DEFAULT
"""


@pytest.mark.parametrize("default", ["auto", "2", "0.5", "yes"])
def test_a_31_schema_with_30s_boolean_bounds_checks_its_default_as_upstream(
    default: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`exclusiveMinimum: true` is invalid in 3.1 (reported at the schema); its default is
    checked as openapi-spec-validator's Python validators read it (True as 1), without them
    where it fits (jsonschema-rs, the bound as a number), by them where it does not."""
    from generator import oas_checks

    spec = tmp_path / "api.yaml"
    spec.write_text(BOUNDS_31.replace("DEFAULT", default))
    specset = SpecSet([spec])
    theirs = upstream_messages(specset, specset.root_documents()[0])
    python_validator = oas_checks._DefaultChecks.python_validator
    asked: list[object] = []

    def counted(self: Any, reference: dict[str, str]) -> Any:
        asked.append(reference)
        return python_validator(self, reference)

    monkeypatch.setattr(oas_checks._DefaultChecks, "python_validator", counted)
    ours = [d.message for d in validate(SpecSet([spec]))]
    assert kinds(ours) == kinds(theirs) and 'true is not of type "number"' in ours  # the bound, at the schema
    assert bool(asked) == (default not in ("auto", "2"))


def test_a_schema_composed_of_itself_is_checked_without_end() -> None:
    # openapi-spec-validator recurses without end on this one (RecursionError)
    assert [f[1:] for f in findings(DATA / "loop.yaml")] == [
        ("#/components/schemas/Loop/required", 9, "Required list has not defined properties: ['nothing']")
    ]


def test_unquoted_status_codes_are_strings() -> None:
    # `200:` is an int to YAML; JSON Schema validators only take string keys
    assert findings(DATA / "every_check_30.yaml")  # validated at all, rather than an internal error
    assert (
        "200"
        in SpecSet([DATA / "every_check_30.yaml"]).root_documents()[0].data["paths"]["/items/{id}"]["get"]["responses"]
    )


# What a finding is about, with the instance's spelling (Python repr or JSON) left out.
KINDS = re.compile(
    r"is not of type|is not valid under any|is not one of|has non-unique elements|is not a |does not match|"
    r"is greater than|is less than|is a required property|is too long|is too short|is not allowed for|"
    r"additional properties|is not a multiple of|has less than|has more than|Required list has not defined properties|"
    r"is valid under more than one of"
)


SYNONYMS = {"should be non-empty": "has less than", "is valid under each of": "is valid under more than one of"}


def kinds(messages: list[str]) -> Counter[str]:
    # openapi-spec-validator reports a null in a 3.0 schema that is not nullable twice, once as "for not nullable"
    return Counter(
        (match.group(0) if (match := KINDS.search(m)) else m)
        for m in (re.sub("|".join(SYNONYMS), lambda s: SYNONYMS[s.group(0)], m) for m in messages)
        if not m.endswith("for not nullable")
    )


CORPUS = [
    ROOT / "spec" / "fine_tuning.yaml",
    ROOT / "spec" / "legacy_fine_tunes.yaml",
    DATA / "every_check.yaml",
    DATA / "every_check_30.yaml",
    *(ROOT / "tests" / "hostile" / f"{name}.yaml" for name in ("keywords", "odd_names", "text_payloads",
                                                                "duplicate_operation_ids", "case_collision")),
    SHARED / "openai-openapi-2023-12-22.yaml",
    SHARED / "openai-openapi.yaml",  # ~15 s for openapi-spec-validator, 0.3 s here
]  # fmt: skip


@pytest.mark.parametrize("spec", CORPUS, ids=lambda p: p.name)
def test_same_findings_as_openapi_spec_validator(spec: Path) -> None:
    if not spec.exists():
        pytest.skip(f"{spec} is not here")
    specset = SpecSet([spec])
    ours = [d.message for d in validate(specset)]
    assert kinds(ours) == kinds(upstream_messages(specset, specset.root_documents()[0]))


# Random documents full of what the checks look at: defaults that fit their schema or not,
# `required` under allOf, bad keyword values, duplicate tags, parameters and operationIds,
# path templates that miss or add parameters, nullable in 3.0.
VALUES = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["s", ""]),
                   st.lists(st.integers(0, 2), max_size=2), st.just({"a": 1}))  # fmt: skip
KEYS = st.sampled_from(["a", "b", "id", "x"])


def random_schema() -> st.SearchStrategy[Any]:
    ref = st.sampled_from(["A", "B", "C"]).map(lambda name: {"$ref": f"#/components/schemas/{name}"})
    typed = st.builds(
        lambda t, default, nullable: {"type": t, **({"default": default} if default is not None else {}),
                                      **({"nullable": True} if nullable else {})},
        st.sampled_from(["string", "integer", "number", "boolean", "object", "array"]), VALUES, st.booleans(),
    )  # fmt: skip
    leaf = st.one_of(typed, ref, st.builds(lambda v, d: {"enum": v, "default": d}, st.lists(VALUES, min_size=1, max_size=3), VALUES),
                     st.builds(lambda v: {"type": "integer", "minimum": v}, VALUES),
                     st.builds(lambda k, b, d: {"type": "number", k: b, "default": d},  # 3.0's bounds, also in 3.1
                               st.sampled_from(["exclusiveMinimum", "exclusiveMaximum"]), st.booleans(), VALUES))  # fmt: skip
    required = st.lists(KEYS, max_size=2, unique=True).map(lambda r: {"required": r} if r else {})
    return st.recursive(leaf, lambda inner: st.one_of(
        st.builds(lambda i: {"type": "array", "items": i}, inner),
        st.builds(lambda p, r: {"type": "object", "properties": p, **r}, st.dictionaries(KEYS, inner, max_size=3), required),
        st.builds(lambda m, r: {"allOf": m, **r}, st.lists(inner, min_size=1, max_size=3), required),
        st.builds(lambda m: {"anyOf": m}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda m, d: {"oneOf": m, "default": d}, st.lists(inner, min_size=1, max_size=2), VALUES),
    ), max_leaves=5)  # fmt: skip


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    paths = {}
    for i in range(draw(st.integers(1, 3))):
        parameter = st.builds(lambda name, where, schema: {"name": name, "in": where, "schema": schema,
                                                           **({"required": True} if where == "path" else {})},
                              KEYS, st.sampled_from(["query", "path"]), random_schema())  # fmt: skip
        content = {"application/json": {"schema": draw(random_schema())}}
        paths[f"/p{i}{draw(st.sampled_from(['', '/{id}', '/{id}/{x}']))}"] = {"get": {
            "operationId": draw(st.sampled_from(["one", "two", "three"])),
            "parameters": draw(st.lists(parameter, max_size=3)),
            "responses": {"200": {"description": "ok", "content": content}},
        }}  # fmt: skip
    tags = [{"name": name} for name in draw(st.lists(st.sampled_from(["t1", "t2"]), max_size=3))]
    return {"openapi": draw(st.sampled_from(["3.1.0", "3.0.3"])), "info": {"title": "T", "version": "1"},
            **({"tags": tags} if tags else {}), "paths": paths,
            "components": {"schemas": {name: draw(random_schema()) for name in ("A", "B", "C")}}}  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=documents())
def test_random_documents_get_the_same_findings(tmp_path_factory: pytest.TempPathFactory, doc: dict[str, Any]) -> None:
    """Where openapi-spec-validator finishes, its findings and ours agree; ours are all located."""
    spec = tmp_path_factory.mktemp("oas") / "api.yaml"
    spec.write_text(yaml.safe_dump(doc, sort_keys=False))
    specset = SpecSet([spec])
    found = validate(specset)
    assert all(d.location.line for d in found)
    ours = [d.message for d in found]
    try:
        theirs = upstream_messages(specset, specset.root_documents()[0])
    except (RecursionError, TypeError):  # without end on allOf cycles; comparing to a `minimum: null`
        return
    assert kinds(ours) == kinds(theirs)
