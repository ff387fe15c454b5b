"""Hand-written pairs of spec versions, one change each: the diff finds exactly these rules.

Each folder under cases/ holds old.yaml and new.yaml; several retell real changes to the
OpenAI spec (training_file made required, result_files items object -> string, ...).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.specdiff import RULES, Level, diff_paths

CASES = Path(__file__).parent / "cases"

EXPECTED: dict[str, set[str]] = {
    # real history of the fine-tuning API
    "legacy-fine-tunes-removed": {"operation-removed"},
    "training-file-made-required": {"request-field-made-required"},
    "result-files-items-object-to-string": {"response-type-changed"},
    "finished-at-made-nullable": {"response-field-made-nullable"},
    "suffix-max-length-raised": {"request-max-raised"},
    "method-added-hyperparameters-deprecated": {"request-field-added", "request-field-deprecated"},
    # the same API spelled differently: no change at all
    "no-change-inline-to-components": set(),
    "no-change-component-renamed": set(),
    "no-change-reordered": set(),
    "no-change-nullable-spellings": set(),
    # operations
    "operation-removed": {"operation-removed"},
    "operation-added": {"operation-added"},
    "operation-deprecated": {"operation-deprecated"},
    "operation-renamed-by-new-child": {"operation-added", "operation-renamed"},
    "path-parameter-renamed": {"path-parameter-renamed"},
    "pagination-lost": {"pagination-changed", "request-field-removed"},
    "request-body-added-required": {"request-body-added-required"},
    "request-body-added": {"request-body-added"},
    "request-body-removed": {"request-body-removed"},
    "request-body-made-required": {"request-body-made-required"},
    "request-content-type-changed": {"request-content-type-changed"},
    # request side
    "request-field-added-required": {"request-field-added-required"},
    "request-field-added": {"request-field-added"},
    "request-field-removed": {"request-field-removed"},
    "request-field-made-optional": {"request-field-made-optional"},
    "query-parameter-made-required": {"request-field-made-required"},
    "request-field-made-nullable": {"request-field-made-nullable"},
    "request-field-made-non-nullable": {"request-field-made-non-nullable"},
    "request-type-changed": {"request-type-changed", "request-default-changed"},
    "request-type-narrowed": {"request-type-narrowed"},
    "request-type-widened": {"request-type-widened"},
    "request-body-closed": {"request-type-narrowed"},  # additionalProperties: false added
    "request-enum-value-removed": {"request-enum-value-removed"},
    "request-open-enum-value-removed": {"request-open-enum-value-removed"},
    "request-enum-value-added": {"request-enum-value-added"},
    "request-max-lowered": {"request-max-lowered"},
    "request-min-raised": {"request-min-raised"},
    "request-min-lowered": {"request-min-lowered"},
    "request-pattern-changed": {"request-pattern-changed"},
    "request-default-changed": {"request-default-changed"},
    # response side
    "response-field-removed": {"response-field-removed"},
    "response-field-added": {"response-field-added"},
    "response-field-made-optional": {"response-field-made-optional"},
    "response-field-made-required": {"response-field-made-required"},
    "response-field-made-non-nullable": {"response-field-made-non-nullable"},
    "response-field-deprecated": {"response-field-deprecated"},
    "response-type-widened": {"response-type-widened"},
    "response-type-narrowed": {"response-type-narrowed"},
    "response-enum-value-added": {"response-enum-value-added"},
    "response-open-enum-value-added": {"response-open-enum-value-added"},
    "response-enum-value-removed": {"response-enum-value-removed"},
    "response-max-raised": {"response-max-raised"},
    "response-max-lowered": {"response-max-lowered"},
    "response-min-lowered": {"response-min-lowered"},
    "response-min-raised": {"response-min-raised"},
    "response-pattern-changed": {"response-pattern-changed"},
    "response-default-changed": {"response-default-changed"},
    "response-kind-changed": {"response-kind-changed"},
    "response-status-changed": {"response-status-changed"},
    "description-changed": {"description-changed"},
}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_case_finds_exactly_its_rules(case: str) -> None:
    findings = diff_paths((CASES / case / "old.yaml",), (CASES / case / "new.yaml",))
    assert {f.rule for f in findings} == EXPECTED[case]


def test_every_case_folder_is_checked() -> None:
    assert {p.name for p in CASES.iterdir() if p.is_dir()} == set(EXPECTED)


def test_every_rule_has_a_case() -> None:
    assert set().union(*EXPECTED.values()) == set(RULES)


def test_reversing_a_change_mirrors_it() -> None:
    """Old and new swapped: a breaking request change becomes harmless and vice versa."""
    case = CASES / "training-file-made-required"
    backwards = diff_paths((case / "new.yaml",), (case / "old.yaml",))
    assert [(f.rule, f.level) for f in backwards] == [("request-field-made-optional", Level.INFO)]


def test_findings_name_symbols_and_lines_on_both_sides() -> None:
    case = CASES / "result-files-items-object-to-string"
    (finding,) = diff_paths((case / "old.yaml",), (case / "new.yaml",))
    assert finding.level is Level.BREAKING
    assert finding.symbols == ("FineTuningJob.result_files", "fine_tuning.jobs.create()")
    assert finding.message == "the items of `FineTuningJob.result_files`: FineTuningJobResultFilesItem -> string"
    for location, name in ((finding.old, "old.yaml"), (finding.new, "new.yaml")):
        assert location is not None and location.file.endswith(name)
        assert location.pointer == "#/components/schemas/FineTuningJob/properties/result_files"
        assert location.line == 40  # the `result_files:` line


def test_top_level_body_fields_name_the_keyword_argument() -> None:
    case = CASES / "training-file-made-required"
    (finding,) = diff_paths((case / "old.yaml",), (case / "new.yaml",))
    assert finding.symbols == (
        "CreateFineTuningJobRequest.training_file",
        "fine_tuning.jobs.create(training_file=)",
    )


def test_the_rule_table_is_documented_row_by_row() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "spec-diff.md").read_text()
    for rule in RULES.values():
        assert f"| `{rule.id}` | {rule.level} | {rule.summary} | {rule.example} |" in doc, rule.id
