"""Slicing a spec: the chosen operations, exactly the schemas they reach, located errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT
from generator.config import Settings
from generator.diagnostics import SpecError
from generator.pipeline import build
from helpers import write_spec


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def op(operation_id: str, tag: str, schema: dict[str, Any] | None = None, body: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "operationId": operation_id,
        "tags": [tag],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema or ref("Ok")}}}},
    }
    if body:
        out["requestBody"] = {"$ref": f"#/components/requestBodies/{body}"}
    return out


DOC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Slice", "version": "1"},
    "paths": {
        "/jobs": {"get": op("listJobs", "jobs", ref("JobList")), "post": op("createJob", "jobs", ref("Job"), "NewJob")},
        "/jobs/{id}/cancel": {
            "parameters": [{"$ref": "#/components/parameters/Id"}],
            "post": op("cancelJob", "jobs", ref("Job")),
        },
        "/files": {"get": op("listFiles", "files", ref("FileList"))},
        "/pets": {"get": op("getPet", "pets", ref("Pet"))},
    },
    "webhooks": {"jobDone": {"post": op("jobDone", "jobs", ref("Unused"))}},
    "components": {
        "parameters": {
            "Id": {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
            "Unused": {"name": "x", "in": "query", "schema": {"type": "string"}},
        },
        "requestBodies": {
            "NewJob": {"content": {"application/json": {"schema": ref("JobRequest")}}},
        },
        "securitySchemes": {"key": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Ok": {"type": "object", "properties": {"ok": {"type": "boolean"}}},
            "JobList": {"type": "object", "properties": {"data": {"type": "array", "items": ref("Job")}}},
            # Job reaches Error through a property of a sub-schema it points into.
            "Job": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "error": ref("Holder/properties/error")},
            },
            "Holder": {"type": "object", "properties": {"error": ref("Error"), "other": ref("Deep")}},
            "Error": {"type": "object", "properties": {"message": {"type": "string"}}},
            "Deep": {"type": "object", "properties": {"level": {"type": "integer"}}},
            "JobRequest": {"type": "object", "properties": {"model": {"type": "string"}}},
            "FileList": {"type": "object", "properties": {"data": {"type": "array", "items": ref("File")}}},
            "File": {"type": "object", "properties": {"id": {"type": "string"}}},
            "Pet": {
                "oneOf": [ref("Cat"), ref("Dog")],
                "discriminator": {"propertyName": "kind", "mapping": {"cat": "Cat", "dog": "#/components/schemas/Dog"}},
            },
            "Cat": {"type": "object", "required": ["kind"], "properties": {"kind": {"enum": ["cat"]}}},
            "Dog": {"type": "object", "required": ["kind"], "properties": {"kind": {"enum": ["dog"]}}},
            "Unused": {"type": "object", "properties": {"never": {"type": "string"}}},
            "Training": {"type": "object", "properties": {"line": ref("Deep")}},
        },
    },
}


def sliced(tmp_path: Path, **selection: tuple[str, ...]) -> tuple[set[str], set[str]]:
    """(operation ids, model names) of the generated slice."""
    result = build(Settings(specs=(write_spec(tmp_path, DOC),), client_package="c", stubs_package="", **selection))
    return {o.operation_id for o in result.api.operations}, {m.name for m in result.api.models}


def test_by_tag_keeps_exactly_what_the_operations_reach(tmp_path: Path) -> None:
    ops, models = sliced(tmp_path, include_tags=("jobs",))
    assert ops == {"listJobs", "createJob", "cancelJob"}  # the webhook is not an operation of the slice
    assert models == {"JobList", "Job", "Holder", "Error", "Deep", "JobRequest"}


def test_by_path_glob_and_exclusion(tmp_path: Path) -> None:
    assert sliced(tmp_path, include_paths=("/jobs*",), exclude_paths=("*/cancel",))[0] == {"listJobs", "createJob"}
    assert sliced(tmp_path, include_paths=("/files",), include_tags=("pets",)) == (
        {"listFiles", "getPet"},
        {"FileList", "File", "Cat", "Dog"},  # Pet is a union alias; its mapping keeps Cat and Dog
    )
    ops, _ = sliced(tmp_path, exclude_paths=("/pets", "/files"))
    assert ops == {"listJobs", "createJob", "cancelJob"}


def test_a_method_of_a_path_can_be_left_out(tmp_path: Path) -> None:
    doc = yaml.safe_load(yaml.safe_dump(DOC))
    doc["paths"]["/jobs"]["post"]["tags"] = ["admin"]
    spec = write_spec(tmp_path, doc)
    result = build(Settings(specs=(spec,), client_package="c", stubs_package="", include_tags=("jobs",)))
    assert {o.operation_id for o in result.api.operations} == {"listJobs", "cancelJob"}
    assert "JobRequest" not in {m.name for m in result.api.models}


def test_no_selection_keeps_everything(tmp_path: Path) -> None:
    ops, models = sliced(tmp_path)
    assert len(ops) == 5 and {"Unused", "Training"} <= models


def test_an_empty_selection_is_a_located_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as caught:
        sliced(tmp_path, include_tags=("fine-tuning",))
    (d,) = caught.value.diagnostics
    assert d.rule == "empty-selection" and d.location.pointer == "#/paths" and d.location.line == 5
    assert "--include-tag fine-tuning" in d.message and "matches none of the 5 operations" in d.message
    assert "tags in the spec: files, jobs, pets" in d.message


def test_errors_in_a_slice_point_into_the_original_file(tmp_path: Path) -> None:
    doc = yaml.safe_load(yaml.safe_dump(DOC))
    doc["components"]["schemas"]["File"]["properties"]["id"]["$ref"] = "#/components/schemas/Missing"
    spec = write_spec(tmp_path, doc)
    line = next(i for i, text in enumerate(spec.read_text().splitlines(), 1) if "Missing" in text)
    with pytest.raises(SpecError) as caught:
        build(Settings(specs=(spec,), client_package="c", stubs_package="", include_paths=("/files",)))
    assert [(d.rule, d.location.line) for d in caught.value.diagnostics] == [("ref-missing", line)]
    # Outside the slice, the same mistake is not the slice's problem.
    result = build(Settings(specs=(spec,), client_package="c", stubs_package="", include_tags=("pets",)))
    assert {o.operation_id for o in result.api.operations} == {"getPet"}


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, env=env)


def test_cli_flags_and_config(tmp_path: Path) -> None:
    write_spec(tmp_path, DOC, "spec.yaml")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.ftgen]\nspec = "spec.yaml"\nout = "gen"\nclient_package = "pets"\nstubs_package = ""\n'
        'include_tags = ["pets"]\n'
    )
    result = run("generate", cwd=tmp_path)  # the selection comes from pyproject.toml
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("generated 1 operations and 2 models into gen")
    result = run("generate", "--include-path", "/jobs", "--exclude-path", "/pets", cwd=tmp_path)  # flags win
    assert result.stdout.startswith("generated 2 operations"), result.stderr
    result = run("generate", "--include-tag", "fine-tuning", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "spec.yaml:5:1  #/paths  error: the selection (--include-tag fine-tuning) matches none" in result.stderr
    assert "nothing was written" in result.stderr and result.stdout == ""


def test_a_slice_keeps_the_training_line_formats(tmp_path: Path) -> None:
    """The client checks training files against the line formats, so a slice keeps them."""
    settings = Settings(
        specs=(write_spec(tmp_path, DOC),), client_package="c", stubs_package="", include_tags=("pets",),
        training_formats=(("supervised", "Training"),),
    )  # fmt: skip
    result = build(settings)
    assert {m.name for m in result.api.models} == {"Cat", "Dog", "Training", "Deep"}
    assert "c/training.py" in result.files and "LINE_FORMATS" in result.files["c/training.py"]
