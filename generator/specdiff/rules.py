"""Every finding the spec diff can report: a stable id, a level, and an example.

Request-side and response-side rules mirror each other: what a client sends may widen
safely and must not narrow; what it receives may narrow safely and must not widen.
docs/spec-diff.md is this table in prose; a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Level(IntEnum):
    INFO = 0
    WARNING = 1
    BREAKING = 2

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Rule:
    id: str
    level: Level
    summary: str
    example: str


B, W, N = Level.BREAKING, Level.WARNING, Level.INFO  # N: news, not a problem

_TABLE = [
    # operations
    ("operation-removed", B, "an operation is gone", "`DELETE /fine-tunes/{fine_tune_id}` removed"),
    ("operation-added", N, "a new operation", "`POST /fine_tuning/jobs/{id}/pause` added"),
    ("operation-deprecated", W, "an operation is now deprecated", "`POST /fine-tunes` marked `deprecated: true`"),
    (
        "operation-renamed",
        B,
        "the generated method for the same URL has a new name",
        "`jobs.events()` becomes `jobs.events_()` beside a new `jobs.events` resource",
    ),
    (
        "path-parameter-renamed",
        W,
        "same URL, new parameter name: a caller that passes it by keyword breaks",
        "`{fine_tune_id}` -> `{id}`",
    ),
    (
        "pagination-changed",
        B,
        "a list operation gained, lost or changed how it pages",
        "the `after` parameter dropped: `list()` no longer pages",
    ),
    (
        "request-body-added-required",
        B,
        "an operation now requires a body",
        "`POST .../cancel` requires a `{reason}` body",
    ),
    ("request-body-added", N, "an operation accepts an optional body", "`POST .../cancel` takes an optional body"),
    ("request-body-removed", B, "an operation no longer takes a body", "`POST .../cancel` drops its body"),
    ("request-body-made-required", B, "an optional body became required", "`requestBody.required: true`"),
    ("request-content-type-changed", B, "the body is sent differently", "`application/json` -> `multipart/form-data`"),
    # request fields (body fields and query, header and cookie parameters)
    (
        "request-field-added-required",
        B,
        "a new required field callers do not send",
        "`training_method` added as required",
    ),
    ("request-field-added", N, "a new optional field", "`method` added to `CreateFineTuningJobRequest`"),
    ("request-field-removed", B, "a field callers send is gone", "`validation_file` removed"),
    ("request-field-made-required", B, "an optional field became required", "`training_file` made required"),
    ("request-field-made-optional", N, "a required field became optional", "`model` made optional"),
    ("request-field-made-nullable", N, "a field now accepts null", "`suffix` accepts `null`"),
    ("request-field-made-non-nullable", B, "a field no longer accepts null", "`suffix: null` rejected"),
    ("request-field-deprecated", W, "a field is now deprecated", "top-level `hyperparameters` deprecated"),
    ("request-type-changed", B, "a field's type changed", "`n_epochs` string -> integer"),
    ("request-type-narrowed", B, "a field accepts less than before", "`n_epochs: 'auto' | int` -> `int`"),
    ("request-type-widened", N, "a field accepts more than before", "`n_epochs: int` -> `'auto' | int`"),
    ("request-enum-value-removed", B, "a closed enum lost a value callers may send", "`method.type` loses `dpo`"),
    (
        "request-open-enum-value-removed",
        W,
        "an open enum lost a known value (still type-checks)",
        "`model` loses `babbage-002`",
    ),
    ("request-enum-value-added", N, "an enum accepts a new value", "`method.type` gains `reinforcement`"),
    ("request-max-lowered", B, "maxLength, maximum, maxItems lowered or added", "`suffix` maxLength 64 -> 40"),
    ("request-min-raised", B, "minLength, minimum, minItems raised or added", "`n_epochs` minimum 1 -> 2"),
    ("request-max-raised", N, "an upper bound raised or dropped", "`suffix` maxLength 40 -> 64"),
    ("request-min-lowered", N, "a lower bound lowered or dropped", "`batch_size` minimum 2 -> 1"),
    ("request-pattern-changed", W, "a string pattern changed or was added", "`suffix` pattern `^[a-z]+$` added"),
    ("request-default-changed", W, "the server fills an omitted field differently", "`n_epochs` default 3 -> 4"),
    # response fields
    ("response-field-removed", B, "a field callers read is gone", "`FineTuningJob.organization_id` removed"),
    ("response-field-added", N, "a new field in a response", "`FineTuningJob.method` added"),
    (
        "response-field-made-optional",
        B,
        "a field callers read may now be absent",
        "`FineTuningJob.status` no longer required",
    ),
    ("response-field-made-required", N, "a field is now always present", "`FineTuningJob.seed` made required"),
    ("response-field-made-nullable", B, "a field callers read may now be null", "`finished_at` made nullable"),
    ("response-field-made-non-nullable", N, "a field is never null any more", "`fine_tuned_model` no longer nullable"),
    (
        "response-field-deprecated",
        W,
        "a field in a response is now deprecated",
        "`FineTuningJob.hyperparameters` deprecated",
    ),
    ("response-type-changed", B, "a field's type changed", "`result_files` items object -> string"),
    ("response-type-widened", B, "a field may hold values of a new type", "`trained_tokens: int` -> `int | float`"),
    ("response-type-narrowed", N, "a field holds fewer types than before", "`n_epochs: 'auto' | int` -> `int`"),
    ("response-enum-value-added", W, "a closed enum gained a value callers may not handle", "`status` gains `paused`"),
    ("response-open-enum-value-added", N, "an open enum gained a known value", "`model` gains `gpt-4.1-mini`"),
    ("response-enum-value-removed", N, "an enum will no longer be returned with a value", "`status` loses `queued`"),
    ("request-const-changed", B, "a constant callers send changed", "`type: 'supervised'` -> `'sft'`"),
    ("response-max-raised", W, "values may be longer or larger than before", "`id` maxLength 32 -> 64"),
    ("response-min-lowered", W, "values may be shorter or smaller than before", "`trained_tokens` minimum 1 -> 0"),
    ("response-max-lowered", N, "an upper bound on returned values lowered", "`id` maxLength 64 -> 32"),
    ("response-min-raised", N, "a lower bound on returned values raised", "`trained_tokens` minimum 0 -> 1"),
    ("response-pattern-changed", N, "a pattern on returned strings changed", "`id` gains pattern `^ftjob-`"),
    (
        "response-default-changed",
        N,
        "a documented default in a response changed",
        "`status` default `queued` -> `running`",
    ),
    (
        "response-kind-changed",
        B,
        "the response is no longer the same kind (JSON, bytes, text, empty)",
        "JSON -> binary",
    ),
    ("response-status-changed", W, "the success status code changed", "`200` -> `201`"),
    ("response-const-changed", B, "a constant callers compare against changed", "`object: 'ok'` -> `'success'`"),
    # the wire: media types, headers, parameter locations and styles
    (
        "request-media-type-removed",
        B,
        "a media type callers may send is no longer accepted",
        "`multipart/form-data` dropped",
    ),
    ("request-media-type-added", N, "one more media type is accepted", "`application/json` beside multipart"),
    ("response-media-type-removed", B, "a media type callers may ask for is no longer returned", "`text/csv` dropped"),
    ("response-media-type-added", N, "one more media type may be asked for", "`text/csv` beside JSON"),
    ("response-header-removed", B, "a required response header is gone", "`x-request-id` removed"),
    ("response-optional-header-removed", W, "an optional response header is gone", "`openai-processing-ms` removed"),
    ("response-header-added", N, "a new response header", "`x-ratelimit-remaining` added"),
    ("response-header-made-optional", B, "a response header callers read may now be absent", "`x-request-id` optional"),
    ("response-header-made-required", N, "a response header is now always sent", "`x-request-id` required"),
    (
        "parameter-location-changed",
        B,
        "a parameter moved between query, header, cookie and path",
        "`limit` query -> header",
    ),
    (
        "parameter-style-changed",
        B,
        "a parameter is written differently on the wire (style, explode, allowReserved, content)",
        "`ids` from `ids=a&ids=b` (form, exploded) to `ids=a,b`",
    ),
    # names the generated client gives its classes: callers import and annotate with them
    ("model-renamed", W, "a class of the client has a new name", "`FineTuningJob` -> `Job` (component renamed)"),
    ("model-removed", W, "a component's class is no longer generated", "`Breed3` dropped from components"),
    (
        "request-class-changed",
        W,
        "a field or body takes a class of another name, alike in shape",
        "`allOf: [Breed1]` -> `allOf: [Breed1, Breed3]`",
    ),
    ("response-class-changed", W, "a field returns a class of another name, alike in shape", "`Breed1` -> `PetBreed`"),
    ("request-variant-removed", W, "a union no longer names a variant callers build", "`oneOf` loses `Breed3`"),
    (
        "response-variant-removed",
        N,
        "a union no longer names a variant that was returned (its branch goes unused)",
        "`oneOf` loses `Breed3`",
    ),
    ("request-variant-added", N, "a union names one more variant callers may build", "`oneOf` gains `Breed3`"),
    (
        "response-variant-added",
        B,
        "a returned union names a variant callers' isinstance chains do not handle",
        "`oneOf` gains `Breed3`, shaped like `Breed1`",
    ),
    # unions and schema keywords
    ("discriminator-added", N, "a union's variants are now told apart by a property", "`propertyName: type` added"),
    (
        "discriminator-removed",
        N,
        "a union no longer names the property that tells variants apart",
        "`discriminator` dropped",
    ),
    (
        "discriminator-changed",
        W,
        "variants are told apart by another property: strict parsers dispatch on it",
        "`type` -> `kind`",
    ),
    ("request-keyword-added", B, "a JSON Schema keyword now constrains what callers send", "`dependentRequired` added"),
    ("request-keyword-removed", N, "a JSON Schema keyword no longer constrains what callers send", "`not` dropped"),
    (
        "request-keyword-changed",
        B,
        "a JSON Schema keyword constrains what callers send differently",
        "`multipleOf` 2 -> 3",
    ),
    ("response-keyword-added", N, "a JSON Schema keyword now constrains returned values", "`uniqueItems` added"),
    (
        "response-keyword-removed",
        W,
        "returned values are no longer held to a JSON Schema keyword",
        "`contains` dropped",
    ),
    (
        "response-keyword-changed",
        W,
        "returned values are held to a JSON Schema keyword differently",
        "`prefixItems` changed",
    ),
    # the API as a whole: security, servers, stability, operationIds
    (
        "security-added",
        B,
        "an operation that took anonymous calls now requires credentials",
        "`security: [{bearer: []}]`",
    ),
    (
        "security-added-as-sent",
        W,
        "credentials are now required, as a client of the old spec already sends them",
        "`security: [{ApiKeyAuth: []}]` (http bearer) where the old spec declared none",
    ),
    ("security-removed", N, "an operation no longer requires credentials", "`security: []`"),
    (
        "security-requirement-removed",
        B,
        "a way to authenticate is no longer accepted",
        "`api_key` dropped, `bearer` kept",
    ),
    ("security-requirement-added", N, "one more way to authenticate is accepted", "`api_key` beside `bearer`"),
    ("security-scope-added", B, "a token needs a scope it did not", "`fine_tuning.write` required"),
    ("security-scope-removed", N, "a token needs fewer scopes", "`fine_tuning.read` no longer required"),
    (
        "security-scheme-changed",
        B,
        "a scheme is presented differently (type, location, name)",
        "`api_key` header -> query",
    ),
    ("security-scheme-added", N, "a new security scheme", "`oauth` added to components"),
    ("security-scheme-removed", N, "a security scheme is gone from components", "`legacy_key` removed"),
    (
        "server-removed",
        W,
        "a server URL is gone: the client's default base URL may move",
        "`https://api.openai.com/v1` removed",
    ),
    ("server-added", N, "a new server URL", "`https://eu.api.openai.com/v1` added"),
    ("stability-decreased", B, "x-stability-level lowered: callers relied on the old promise", "`stable` -> `beta`"),
    ("stability-increased", N, "x-stability-level raised", "`beta` -> `stable`"),
    (
        "operation-id-changed",
        W,
        "the operationId changed: the stubs' Service method takes its name",
        "`createJob` -> `create_job`",
    ),
    # anywhere
    (
        "description-changed",
        N,
        "documentation only; hidden unless --descriptions",
        "summary of `POST /fine_tuning/jobs` reworded",
    ),
]

RULES: dict[str, Rule] = {
    rule_id: Rule(rule_id, level, summary, example) for rule_id, level, summary, example in _TABLE
}
