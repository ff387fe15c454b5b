"""generator/oas_checks.py: openapi-spec-validator's checks, each finding at its exact place,
held to the findings of openapi-spec-validator itself (tests/upstream_validator.py)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT
from generator.loader import SpecSet
from generator.validate import validate
from upstream_validator import upstream_messages

DATA = ROOT / "tests" / "data" / "oas_checks"
SHARED = ROOT.parent / "shared" / "specs"


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
    r"additional properties|is not a multiple of|has less than|has more than"
)


SYNONYMS = {"should be non-empty": "has less than"}  # jsonschema's wording -> jsonschema-rs's


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
