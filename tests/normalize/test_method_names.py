"""Rule: method names read like a hand-written SDK (openai-python is the reference), on any spec
(docs/decisions.md, "Method names")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, RecordingServer
from generator.names import split_run_together
from generator.normalize.operations import PathIndex, resource_and_name
from helpers import generate_package, normalize_spec, spec

ROUTES = [  # every operation of a small API, as (method, path)
    ("get", "/fine_tuning/jobs"), ("post", "/fine_tuning/jobs"), ("get", "/fine_tuning/jobs/{id}"),
    ("post", "/fine_tuning/jobs/{id}/cancel"), ("get", "/fine_tuning/jobs/{id}/events"),
    ("get", "/fine_tuning/checkpoints/{c}/permissions"), ("post", "/fine_tuning/checkpoints/{c}/permissions"),
    ("delete", "/fine_tuning/checkpoints/{c}/permissions/{p}"),
    ("post", "/fine_tuning/alpha/graders/run"), ("post", "/fine_tuning/alpha/graders/validate"),
    ("post", "/audio/speech"), ("post", "/responses?beta=true"), ("get", "/organization/spend_limit"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("get", "/fine_tuning/jobs", "fine_tuning.jobs.list"),
        ("post", "/fine_tuning/jobs", "fine_tuning.jobs.create"),  # POST on a collection
        ("get", "/fine_tuning/jobs/{id}", "fine_tuning.jobs.retrieve"),
        ("post", "/fine_tuning/jobs/{id}/cancel", "fine_tuning.jobs.cancel"),  # an action after a parameter
        ("get", "/fine_tuning/jobs/{id}/events", "fine_tuning.jobs.events.list"),
        # A collection below a parameter that is read too: a resource, not an action.
        ("post", "/fine_tuning/checkpoints/{c}/permissions", "fine_tuning.checkpoints.permissions.create"),
        ("delete", "/fine_tuning/checkpoints/{c}/permissions/{p}", "fine_tuning.checkpoints.permissions.delete"),
        ("post", "/fine_tuning/alpha/graders/run", "fine_tuning.alpha.graders.run"),  # a verb
        ("post", "/fine_tuning/alpha/graders/validate", "fine_tuning.alpha.graders.validate"),  # not `validate_`
        ("post", "/audio/speech", "audio.speech.create"),  # a noun
        ("post", "/responses?beta=true", "responses.create"),  # the query string is sent, never named
    ],
)
def test_names_by_the_shape_of_the_path(method: str, path: str, expected: str) -> None:
    resource, name = resource_and_name(method, path, PathIndex.of(ROUTES))
    assert ".".join((*resource, name)) == expected


def ok(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def test_a_get_of_one_object_is_retrieve_and_of_many_is_list(tmp_path: Path) -> None:
    limit = {"type": "object", "properties": {"amount": {"type": "integer"}}}
    page = {"type": "object", "properties": {"data": {"type": "array", "items": limit}}}
    paths = {
        "/organization/spend_limit": {"get": {"operationId": "getSpendLimit", "responses": ok(limit)}},
        "/models": {"get": {"operationId": "listModels", "responses": ok(page)}},
        "/tags": {"get": {"operationId": "listTags", "responses": ok({"type": "array", "items": {"type": "string"}})}},
    }
    api, _ = normalize_spec(tmp_path, spec({}, paths=paths))
    assert sorted(".".join((*op.resource, op.name)) for op in api.operations) == [
        "models.list", "organization.spend_limit.retrieve", "tags.list"
    ]  # fmt: skip


def test_a_query_string_in_a_path_key_is_sent_and_the_plain_route_keeps_its_name(
    tmp_path: Path, server: RecordingServer
) -> None:
    def get(operation_id: str) -> dict[str, Any]:
        id_ = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
        return {"get": {"operationId": operation_id, "parameters": [id_], "responses": ok({"type": "object"})}}

    paths = {"/things/{id}": get("getThing"), "/things/{id}?beta=true": get("betaGetThing")}
    _, client, _ = generate_package(tmp_path, spec({}, paths=paths))
    api = client.Client(base_url=server.url, api_key="k")
    api.things.retrieve("a")
    api.things.beta_get_thing("b")
    assert [(r.path, r.query) for r in server.requests] == [("/v1/things/a", []), ("/v1/things/b", [("beta", "true")])]


def test_an_operation_id_written_in_one_run_is_split_into_words() -> None:
    vocabulary = frozenset({"delete", "project", "projects", "spend", "limit", "organization"})
    assert split_run_together("deleteprojectspendlimit", vocabulary) == ["delete", "project", "spend", "limit"]
    assert split_run_together("deletexyzlimit", vocabulary) == ["delete", "xyz", "limit"]


FULL = ROOT / "tests" / "data" / "specs" / "openai-openapi.yaml"


def test_the_full_openai_spec_has_none_of_the_name_defects(tmp_path: Path) -> None:
    from generator.config import Settings
    from generator.pipeline import build

    api_md = build(Settings(specs=(FULL,), out=tmp_path)).files["API.md"]
    methods = {
        row.split(" | ")[0].strip("| `"): row.split(" | ")[1].strip("`")
        for row in api_md.splitlines()
        if row.startswith("| `")
    }
    assert methods["GET /organization/spend_limit"] == "client.organization.spend_limit.retrieve()"
    assert methods["GET /files/{file_id}/content"] == "client.files.content.retrieve()"
    assert methods["GET /organization/data_retention"] == "client.organization.data_retention.retrieve()"
    assert methods["POST /fine_tuning/checkpoints/{fine_tuned_model_checkpoint}/permissions"] == (
        "client.fine_tuning.checkpoints.permissions.create()"
    )
    assert methods["POST /fine_tuning/alpha/graders/run"] == "client.fine_tuning.alpha.graders.run()"
    assert methods["POST /fine_tuning/alpha/graders/validate"] == "client.fine_tuning.alpha.graders.validate()"
    assert methods["DELETE /organization/projects/{project_id}/spend_limit"] == (
        "client.organization.projects.spend_limit.delete()"
    )
    assert methods["POST /responses"] == "client.responses.create()"
    names = list(methods.values())
    assert not [n for n in names if "beta_true" in n or "_()" in n or "_." in n]
    assert not [n for n in names if any(len(w) > 15 for w in n.removesuffix("()").replace(".", "_").split("_"))]


@pytest.mark.parametrize(
    ("entry", "line", "pointer", "message"),
    [
        ('"GET /nowhere" = "jobs.list_all"', 5, "methods/GET ~1nowhere",
         "'GET /nowhere' is no operation of the spec (write `GET /path` or an operationId)"),
        ('"listJobs" = ["jobs.list", "other.list"]', 5, "methods/listJobs",
         "the aliases of 'jobs.list' must be on its resource (jobs)"),
        ('"GET /jobs/{id}" = "jobs.list"', 5, "methods/GET ~1jobs~1{id}",
         "'jobs.list' names GET /jobs/{id} and GET /jobs too"),
        ('"listJobs" = "jobs"', 5, "methods/listJobs",
         "'listJobs': a dotted method name (`fine_tuning.jobs.list_events`) or a list of them, "
         'aliases also as `{name = ..., deprecated = "message"}`'),
    ],
)  # fmt: skip
def test_a_method_name_in_the_config_that_cannot_be_is_a_located_error(
    entry: str, line: int, pointer: str, message: str, tmp_path: Path
) -> None:
    import subprocess
    import sys

    import yaml

    job = {"type": "object", "properties": {"id": {"type": "string"}}}
    id_ = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    paths = {
        "/jobs": {"get": {"operationId": "listJobs", "responses": ok({"type": "array", "items": job})}},
        "/jobs/{id}": {"get": {"operationId": "getJob", "parameters": [id_], "responses": ok(job)}},
    }
    (tmp_path / "api.yaml").write_text(yaml.safe_dump(spec({}, paths=paths)))
    (tmp_path / "pyproject.toml").write_text(f'[tool.ftgen]\nspec = "api.yaml"\n\n[tool.ftgen.methods]\n{entry}\n')
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"pyproject.toml:{line}:1  #/tool/ftgen/{pointer}  error: {message}  [config]" in result.stderr, (
        result.stderr
    )
    assert not (tmp_path / "generated").exists()
