"""Hand-written pairs of spec versions, one change each: the diff finds exactly these rules.

Each folder under cases/ holds old.yaml and new.yaml; several retell real changes to the
OpenAI spec (training_file made required, result_files items object -> string, ...).
"""

from __future__ import annotations

import re
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
    # the same API spelled differently: no change on the wire, but the client's classes
    # have new names (docs/spec-diff.md, "Names")
    "model-renamed-inline-to-components": {"model-renamed"},
    "model-renamed-component": {"model-renamed"},
    # the same API spelled differently: no change at all
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
    # unions, const and JSON Schema 2020-12 keywords
    "request-union-variant-removed": {"request-type-narrowed"},
    # named variants that come and go though the shapes stay (oasdiff's fixtures' kind)
    "request-oneof-variant-removed-alike": {"request-variant-removed", "model-removed"},
    "request-anyof-variant-removed-alike": {"request-variant-removed", "model-removed"},
    "request-allof-member-added-alike": {"request-class-changed"},
    "response-oneof-variant-added-alike": {"response-variant-added"},
    "response-allof-member-added-alike": {"response-class-changed"},
    "response-oneof-variant-removed-alike": {"response-variant-removed"},
    "request-oneof-variant-added-alike": {"request-variant-added"},
    "request-allof-member-added": {"request-field-made-required"},
    "response-union-variant-added": {"response-type-widened"},
    "request-wrapped-in-union": {"request-type-widened"},
    "response-unwrapped-from-union": {"response-type-narrowed"},
    "request-const-changed": {"request-const-changed"},
    "response-const-changed": {"response-const-changed"},
    "discriminator-added": {"discriminator-added", "response-type-narrowed"},
    "discriminator-removed": {"discriminator-removed", "response-type-widened"},
    "discriminator-changed": {"discriminator-changed", "response-field-made-required"},
    "request-keyword-added": {"request-keyword-added"},
    "request-keyword-removed": {"request-keyword-removed"},
    "request-keyword-changed": {"request-keyword-changed"},
    "request-min-contains-raised": {"request-min-raised"},
    "response-keyword-added": {"response-keyword-added"},
    "response-keyword-removed": {"response-keyword-removed"},
    "response-keyword-changed": {"response-keyword-changed"},
    "request-text-body-max-length-set": {"request-max-lowered"},
    # media types, headers, parameter locations and styles
    "request-media-type-removed": {"request-media-type-removed"},
    "request-media-type-added": {"request-media-type-added"},
    "response-media-type-removed": {"response-media-type-removed"},
    "response-media-type-added": {"response-media-type-added"},
    "response-header-removed": {"response-header-removed"},
    "response-optional-header-removed": {"response-optional-header-removed"},
    "response-header-added": {"response-header-added"},
    "response-header-made-optional": {"response-header-made-optional"},
    "response-header-made-required": {"response-header-made-required"},
    "response-header-type-changed": {"response-type-changed"},
    "parameter-location-changed": {"parameter-location-changed"},
    "parameter-style-changed": {"parameter-style-changed"},
    # security, servers, stability, operationIds
    "security-added": {"security-added"},
    "security-added-as-sent": {"security-added-as-sent", "security-scheme-added"},
    "security-scheme-renamed": {"security-scheme-added", "security-scheme-removed"},
    "security-removed": {"security-removed"},
    "security-requirement-removed": {"security-requirement-removed"},
    "security-requirement-added": {"security-requirement-added"},
    "security-scope-added": {"security-scope-added"},
    "security-scope-removed": {"security-scope-removed"},
    "security-global-requirement-removed": {"security-requirement-removed"},
    "security-scheme-changed": {"security-scheme-changed"},
    "security-scheme-added": {"security-scheme-added", "security-requirement-added"},
    "security-scheme-removed": {"security-scheme-removed", "security-requirement-removed"},
    "server-removed": {"server-removed"},
    "server-added": {"server-added"},
    "stability-decreased": {"stability-decreased"},
    "stability-increased": {"stability-increased"},
    "alpha-operation-changed-freely": {"request-field-removed", "response-header-made-optional"},
    "operation-id-changed": {"operation-id-changed"},
}

# Where findings are not at their rule's level: draft and alpha operations may change freely.
LEVELS = {"alpha-operation-changed-freely": Level.INFO}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_case_finds_exactly_its_rules(case: str) -> None:
    findings = diff_paths((CASES / case / "old.yaml",), (CASES / case / "new.yaml",))
    assert {f.rule for f in findings} == EXPECTED[case]
    assert [f.level for f in findings] == [LEVELS.get(case, RULES[f.rule].level) for f in findings]


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


# oasdiff's checks (checker/rules.go of oasdiff 1.x, by handler): docs/spec-diff.md answers each.
OASDIFF_CHECKS = """
APIAddedCheck APIRemovedCheck APIDeprecationCheck APISunsetChangedCheck RequestParameterSunsetChangedCheck
RequestParameterDeprecationCheck RequestPropertyDeprecationCheck ResponsePropertyDeprecationCheck
APIOperationIdUpdatedCheck APITagUpdatedCheck APISecurityUpdatedCheck APIComponentsSecurityUpdatedCheck
WebhookUpdatedCheck APIComponentsSchemaRemovedCheck AddedRequestBodyCheck RequestBodyRemovedCheck
RequestBodyRequiredUpdatedCheck RequestBodyMediaTypeChangedCheck MediaTypeSchemaExistenceCheck
ResponseMediaTypeUpdatedCheck ResponseMediaTypeNameUpdatedCheck ResponseSuccessStatusUpdatedCheck
ResponseNonSuccessStatusUpdatedCheck ResponseHeaderAddedCheck ResponseHeaderRemovedCheck
ResponseHeaderBecameOptionalCheck ResponseHeaderTypeChangedCheck ResponseHeaderBecameNullableCheck
NewRequestPathParameterCheck NewRequestNonPathParameterCheck NewRequestNonPathDefaultParameterCheck
NewRequiredRequestHeaderPropertyCheck RequestHeaderPropertyBecameRequiredCheck RequestParameterRemovedCheck
RequestParameterRequiredValueUpdatedCheck RequestParameterTypeChangedCheck RequestParameterListOfTypesChangedCheck
RequestParameterBecameNullableCheck RequestParameterBecameEnumCheck RequestHeaderPropertyBecameEnumCheck
RequestPropertyBecameEnumCheck RequestBodyBecameEnumCheck RequestParameterEnumValueUpdatedCheck
RequestPropertyEnumValueUpdatedCheck RequestBodyEnumValueRemovedCheck RequestParameterXExtensibleEnumValueRemovedCheck
RequestPropertyXExtensibleEnumValueRemovedCheck RequestParameterDefaultValueChangedCheck
RequestPropertyDefaultValueChangedCheck RequestParameterMaxItemsUpdatedCheck RequestParameterMaxLengthSetCheck
RequestParameterMaxLengthUpdatedCheck RequestParameterMaxSetCheck RequestParameterMaxUpdatedCheck
RequestParameterMinItemsSetCheck RequestParameterMinItemsUpdatedCheck RequestParameterMinLengthUpdatedCheck
RequestParameterMinSetCheck RequestParameterMinUpdatedCheck RequestParameterPatternAddedOrChangedCheck
RequestPropertyPatternUpdatedCheck RequestParameterSerializationUpdated RequestPropertyUpdatedCheck
RequestPropertyRequiredUpdatedCheck RequestPropertyTypeChangedCheck RequestPropertyListOfTypesChangedCheck
RequestPropertyBecameNotNullableCheck RequestPropertyConstChangedCheck RequestPropertyMaxDecreasedCheck
RequestPropertyMaxLengthSetCheck RequestPropertyMaxLengthUpdatedCheck RequestPropertyMaxSetCheck
RequestPropertyMaxItemsUpdatedCheck RequestPropertyMaxItemsSetCheck RequestPropertyMaxPropertiesUpdatedCheck
RequestPropertyMaxPropertiesSetCheck RequestPropertyMinIncreasedCheck RequestPropertyMinItemsIncreasedCheck
RequestPropertyMinItemsSetCheck RequestPropertyMinLengthUpdatedCheck RequestPropertyMinSetCheck
RequestPropertyMinPropertiesIncreasedCheck RequestPropertyUniqueItemsUpdatedCheck RequestPropertyMultipleOfUpdatedCheck
RequestPropertyAllOfUpdatedCheck RequestPropertyAnyOfUpdatedCheck RequestPropertyOneOfUpdatedCheck
RequestDiscriminatorUpdatedCheck ResponseDiscriminatorUpdatedCheck RequestPropertyWriteOnlyReadOnlyCheck
ResponseOptionalPropertyWriteOnlyReadOnlyCheck ResponseRequiredPropertyWriteOnlyReadOnlyCheck
RequestPropertyPrefixItemsUpdatedCheck RequestPropertyIfUpdatedCheck RequestPropertyContainsUpdatedCheck
RequestPropertyDependentRequiredChangedCheck RequestPropertyDependentSchemasUpdatedCheck
RequestPropertyPatternPropertiesUpdatedCheck RequestPropertyPropertyNamesUpdatedCheck
RequestPropertyUnevaluatedUpdatedCheck RequestPropertyContentUpdatedCheck ResponseOptionalPropertyUpdatedCheck
ResponseRequiredPropertyUpdatedCheck ResponsePropertyBecameOptionalCheck ResponsePropertyBecameRequiredCheck
ResponsePropertyBecameNullableCheck ResponsePropertyTypeChangedCheck ResponsePropertyListOfTypesChangedCheck
ResponsePropertyEnumValueAddedCheck ResponseParameterEnumValueRemovedCheck ResponseMediaTypeEnumValueRemovedCheck
ResponsePropertyConstChangedCheck ResponsePropertyDefaultValueChangedCheck ResponsePatternAddedOrChangedCheck
ResponsePropertyMaxIncreasedCheck ResponsePropertyMaxLengthIncreasedCheck ResponsePropertyMaxLengthUnsetCheck
ResponsePropertyMaxItemsIncreasedCheck ResponsePropertyMaxPropertiesIncreasedCheck ResponsePropertyMinDecreasedCheck
ResponsePropertyMinItemsDecreasedCheck ResponsePropertyMinItemsUnsetCheck ResponsePropertyMinLengthDecreasedCheck
ResponsePropertyMinPropertiesDecreasedCheck ResponsePropertyUniqueItemsUnsetCheck ResponsePropertyMultipleOfUpdatedCheck
ResponsePropertyAllOfUpdatedCheck ResponsePropertyAnyOfUpdatedCheck ResponsePropertyOneOfUpdated
ResponsePropertyPrefixItemsUpdatedCheck ResponsePropertyIfUpdatedCheck ResponsePropertyContainsUpdatedCheck
ResponsePropertyDependentRequiredChangedCheck ResponsePropertyDependentSchemasUpdatedCheck
ResponsePropertyPatternPropertiesUpdatedCheck ResponsePropertyPropertyNamesUpdatedCheck
ResponsePropertyUnevaluatedUpdatedCheck ResponsePropertyContentUpdatedCheck
""".split()


def test_the_catalogue_answers_every_oasdiff_check_with_rules_that_exist() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "spec-diff.md").read_text()
    catalogue = doc[doc.index("## oasdiff's checks, and ours") :]
    rows = [row for row in catalogue.splitlines() if row.startswith("| ") and not row.startswith("| ---")][1:]
    named = {name.strip() for row in rows for name in row.split(" | ")[0].strip("| ").split(",")}
    named = {name.split(" (")[0] for name in named}
    assert set(OASDIFF_CHECKS) - named == set()
    for row in rows:  # every rule the catalogue cites exists
        for cited in re.findall(r"`([a-z]+(?:-[a-z]+)+)`", row.split(" | ")[1]):
            assert cited in RULES, (cited, row)


HISTORY = Path(__file__).parent / "history"


def test_a_spec_that_starts_to_document_its_key_passes_the_gate() -> None:
    """OpenAI's spec, 2023-09-02 -> 2023-09-05 (history/README.md): a global bearer
    requirement where no scheme was declared, which the old client already met."""
    old, new = HISTORY / "openai-2023-09-02.yaml", HISTORY / "openai-2023-09-05.yaml"
    findings = diff_paths((old,), (new,))
    assert not [f for f in findings if f.level is Level.BREAKING]
    (security,) = [f for f in findings if f.rule.startswith("security-added")]
    assert (security.rule, security.level) == ("security-added-as-sent", Level.WARNING)
    assert security.old is not None and security.new is not None
    assert (security.old.file, security.old.pointer) == (str(old), "#/security")
    assert (security.new.file, security.new.pointer, security.new.line) == (str(new), "#/security", 4089)
    assert "chat.completions.create()" in security.symbols


def test_every_security_finding_is_located_on_both_sides() -> None:
    for case in sorted(CASES.glob("security-*")):
        for finding in diff_paths((case / "old.yaml",), (case / "new.yaml",)):
            assert finding.old is not None and finding.old.line is not None, (case.name, finding)
            assert finding.new is not None and finding.new.line is not None, (case.name, finding)
            assert "security" in finding.old.pointer + finding.new.pointer, (case.name, finding)


@pytest.mark.parametrize(
    ("case", "rule", "level"),
    [
        ("request-oneof-variant-removed-alike", "request-variant-removed", Level.WARNING),
        ("request-anyof-variant-removed-alike", "request-variant-removed", Level.WARNING),
        ("request-allof-member-added-alike", "request-class-changed", Level.WARNING),
        ("response-oneof-variant-added-alike", "response-variant-added", Level.BREAKING),
    ],
)
def test_named_variants_that_come_and_go_are_reported_by_name(case: str, rule: str, level: Level) -> None:
    """Breed3 is shaped like Breed1: no value changes, but a class does."""
    findings = diff_paths((CASES / case / "old.yaml",), (CASES / case / "new.yaml",))
    (finding,) = [f for f in findings if f.rule == rule]
    assert finding.level is level
    named = "NewPetBreed" if rule.endswith("class-changed") else "Breed3"
    assert named in finding.message and (named in finding.symbols or rule.endswith("class-changed"))
    assert finding.old is not None and finding.new is not None
