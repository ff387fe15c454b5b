"""The hostile corpus (tests/hostile/): specs written to break a generator, each with its
exact outcome. Either a located error and nothing written, or code that imports without
running anything from the spec, passes mypy --strict and ruff, and keeps wire names."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, RecordingServer
from generator.names import CLIENT_NAMES, RESOURCE_NAMES
from helpers import import_from, models_text

CORPUS = ROOT / "tests" / "hostile"
PWNED = Path("/tmp/ftgen-pwned")  # what the payloads in text_payloads.yaml would create

# name -> the exact lines on stderr (file and path prefix dropped), exit status 1, nothing written
ERRORS = {
    "alias_bomb": ["1:1  #  error: more than 2000000 nodes (YAML aliases expanding?); refusing to walk further  [too-large]"],
    "comment_only": ["  #  error: the document is empty  [empty-document]"],
    "empty": ["  #  error: the document is empty  [empty-document]"],
    "deep_nesting": ["6:2062  #/components/schemas/Deep" + "/items" * 98
                     + "  error: nested more than 100 levels deep; refusing to read further  [nesting-too-deep]"],
    "missing_ref": ["9:13  #/components/schemas/A/properties/b/$ref  error: $ref '#/components/schemas/B' points to "
                    "nothing  [ref-missing]"],
    "not_a_mapping": ["1:1  #  error: an OpenAPI document must be a mapping, not list  [not-a-mapping]"],
    "outside_ref": ["9:13  #/components/schemas/A/properties/b/$ref  error: $ref '../secrets.yaml#/B' leaves the spec "
                    "folder (pass --allow-outside to permit)  [ref-outside]"],
    "remote_ref": ["9:13  #/components/schemas/A/properties/b/$ref  error: $ref 'https://example.com/schemas.yaml#/B' "
                   "points to the network; only local files are read  [ref-remote]"],
    "swagger2": ["1:1  #/swagger  error: Swagger 2.0 is not supported: this generator reads OpenAPI 3.0 and 3.1; "
                 "convert the document first (for example with swagger2openapi)  [unsupported-version]"],
}  # fmt: skip

# name -> (the summary line on stdout, the warnings on stderr)
GENERATED = {
    "case_collision": ("generated 0 operations and 2 models", [
        "7:5  #/components/schemas/job_status  warning: the class name 'JobStatus' is also the one of "
        "case_collision.yaml#/components/schemas/JobStatus; named 'job_status' here  [name-collision]",
    ]),
    "client_names": ("generated 12 operations and 0 models", []),
    "duplicate_operation_ids": ("generated 2 operations and 0 models", [
        "10:7  #/paths/~1b/get/operationId  warning: Operation ID 'getThing' for 'get' in '/b' is not unique  "
        "[openapi-schema]",
        "10:7  #/paths/~1b/get/operationId  warning: operationId 'getThing' is used at "
        "duplicate_operation_ids.yaml#/paths/~1a/get too; generated here as 'getThing_get_b'  [duplicate-operation-id]",
    ]),
    "keywords": ("generated 2 operations and 2 models", ["18:5  #/paths/~1class~1{from}/post  warning: Path parameter "
                 "'from' for 'post' operation in '/class/{from}' was not resolved  [openapi-schema]"]),
    "keyword_positions": ("generated 1 operations and 2 models", [
        '32:3  #/components/schemas  warning: "$ref" does not match "^[a-zA-Z0-9._-]+$"  [openapi-schema]',
    ]),
    "odd_names": ("generated 1 operations and 7 models", []),
    "recursion": ("generated 1 operations and 2 models", [
        "24:5  #/components/schemas/Loop  warning: this schema refers to itself without an object in between; "
        "typed as Any  [recursive-alias]",
    ]),
    "text_payloads": ("generated 1 operations and 1 models", [
        "19:32  #/paths/~1x/get/parameters/0/schema/default  warning: "
        '"\\"\\"\\"\\\\x00\\\\" does not match "^[a-z\"\']+\\\\$"  [openapi-schema]',
        '40:11  #/components/schemas/Payload/properties/code/pattern  warning: "\\"\\"\\"\\\\" is not a "regex"  '
        "[openapi-schema]",
    ]),
}  # fmt: skip


def generate(name: str, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    args = ["generate", "--spec", str(CORPUS / f"{name}.yaml"), "--out", str(out)]
    args += ["--client-package", f"h_{name}", "--stubs-package", f"h_{name}_stubs", *extra]
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, capture_output=True, text=True)


def test_the_corpus_is_covered() -> None:
    assert {p.stem for p in CORPUS.glob("*.yaml")} == set(ERRORS) | set(GENERATED)


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_a_located_error_and_nothing_written(name: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("the previous output")
    (out / ".ftgen-manifest").write_text("keep.txt\n")  # ftgen's, from an earlier run
    result = generate(name, out)
    prefix = str(CORPUS / f"{name}.yaml").removeprefix(str(ROOT) + "/")
    lines = [line.removeprefix(prefix).removeprefix(":") for line in result.stderr.splitlines()[:-1]]
    expected = [line.replace("{dir}", str(CORPUS)) for line in ERRORS[name]]
    assert (result.returncode, lines, result.stdout) == (1, expected, ""), result.stderr
    assert "Traceback" not in result.stderr and result.stderr.endswith("nothing was written\n")
    assert sorted(p.name for p in out.iterdir()) == [".ftgen-manifest", "keep.txt"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, subprocess.CompletedProcess[str]]]:
    PWNED.unlink(missing_ok=True)
    root = tmp_path_factory.mktemp("hostile")
    return {name: (root / name, generate(name, root / name)) for name in GENERATED}


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_code_imports_and_runs_nothing_from_the_spec(
    name: str, generated: dict[str, tuple[Path, subprocess.CompletedProcess[str]]]
) -> None:
    out, result = generated[name]
    summary, warnings = GENERATED[name]
    prefix = str(CORPUS / f"{name}.yaml").removeprefix(str(ROOT) + "/") + ":"
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.startswith(summary)
        and [line.removeprefix(prefix) for line in result.stderr.splitlines()] == warnings
    )
    code = (  # build every model's schema: a bad annotation fails only then
        f"import h_{name}, h_{name}.client, h_{name}.params, h_{name}_stubs.app, h_{name}.models as m, "
        f"h_{name}_stubs.bodies as b\n"
        "for module in (m, b):\n"
        "    for n in module.__all__:\n"
        "        getattr(getattr(module, n), 'model_rebuild', lambda **_: None)(force=True)\n"
        "print('ok')"
    )
    imported = subprocess.run([sys.executable, "-c", code], cwd=out, capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(out)})  # fmt: skip
    assert imported.stdout == "ok\n", imported.stderr
    assert not PWNED.exists()


def test_names_keep_their_wire_form(generated: dict[str, tuple[Path, subprocess.CompletedProcess[str]]]) -> None:
    models, service = import_from(generated["keywords"][0], "h_keywords.models", "h_keywords_stubs.service")
    wire = {"def": "a", "None": 1, "True": True, "import": "b", "model_config": "c", "list": ["x"]}
    parsed = models.Class.model_validate(wire)
    assert (parsed.def_, parsed.none, parsed.true, parsed.import_, parsed.api_model_config) == ("a", 1, True, "b", "c")
    assert parsed.list_ == ["x"]  # `list` would shadow the builtin its own annotation uses
    assert parsed.to_dict() == wire
    assert hasattr(service.Service, "import_") and hasattr(service.Service, "return_")
    text = models_text(generated["odd_names"][0] / "h_odd_names")
    for line in ('first_name: str | None = _Field(default=None, alias="first-name")',
                 'field_2fa: bool | None = _Field(default=None, alias="2fa")',
                 'user_name_: str | None = _Field(default=None, alias="user_name")',
                 'user_name__: str | None = _Field(default=None, alias="UserName")',
                 "class BaseModelModel(_Model):", "class LiteralModel(_Model):", "class Client(_Model):"):  # fmt: skip
        assert line in text


def test_keywords_in_name_and_data_positions_are_names_and_data(
    generated: dict[str, tuple[Path, subprocess.CompletedProcess[str]]],
) -> None:
    (models,) = import_from(generated["keyword_positions"][0], "h_keyword_positions.models")
    wire = {"$ref": "#/a", "type": "object", "allOf": [{"type": "array"}], "properties": {"p": {"$ref": "#/b"}}}
    parsed = models.JsonSchema.model_validate({**wire, "const": {"any": "json"}, "items": [1]})
    assert (parsed.ref, parsed.type, parsed.all_of[0].type, parsed.properties["p"].ref) == (
        "#/a",
        "object",
        "array",
        "#/b",
    )
    assert (parsed.const, parsed.items) == ({"any": "json"}, [1])  # object-valued const and enum: not Literals
    assert parsed.to_dict() == {**wire, "const": {"any": "json"}, "items": [1]}
    assert models.Ref.model_validate({"name": "x"}).name == "x"  # the component named `$ref`


def test_payload_text_is_inert(generated: dict[str, tuple[Path, subprocess.CompletedProcess[str]]]) -> None:
    """Spec text only ever reaches code as a repr or an escaped docstring."""
    out = generated["text_payloads"][0]
    h_text_payloads, models = import_from(out, "h_text_payloads", "h_text_payloads.models")
    assert h_text_payloads.__version__ == '1"""; import os; os.system(\'touch /tmp/ftgen-pwned\')'
    payload = models.Payload.model_validate({"mode": "nul\x00", '"""': "q"})
    assert payload.mode == "nul\x00" and payload.to_dict() == {"mode": "nul\x00", '"""': "q"}
    assert "A NUL \\x00 a bell \\x07" in models_text(out / "h_text_payloads")
    assert models.Payload.__doc__.startswith("A NUL \x00 a bell \x07 a tab \t and an escape \x1b, then")
    assert not PWNED.exists()


def test_mypy_strict_and_ruff(generated: dict[str, tuple[Path, subprocess.CompletedProcess[str]]]) -> None:
    for out, _ in generated.values():
        packages = sorted(p.name for p in out.iterdir() if p.is_dir())
        mypy = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null",
                               *packages], cwd=out, capture_output=True, text=True)  # fmt: skip
        assert mypy.returncode == 0, mypy.stdout[-3000:]
        ruff = subprocess.run([sys.executable, "-m", "ruff", "check", "--isolated", "--select=E,F,W,B", "--ignore=E501",
                               str(out)], capture_output=True, text=True)  # fmt: skip
        assert ruff.returncode == 0, ruff.stdout[-3000:]


def test_refs_outside_the_folder_are_read_when_allowed(tmp_path: Path) -> None:
    folder = tmp_path / "specs"
    folder.mkdir()
    (folder / "api.yaml").write_text((CORPUS / "outside_ref.yaml").read_text())
    (tmp_path / "secrets.yaml").write_text("B: {type: string}\n")
    args = ["generate", "--spec", str(folder / "api.yaml"), "--out", str(tmp_path / "out"), "--stubs-package", ""]
    refused = subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, capture_output=True, text=True)
    assert refused.returncode == 1 and "[ref-outside]" in refused.stderr
    allowed = subprocess.run([sys.executable, "-m", "generator", *args, "--allow-outside"], cwd=ROOT,
                             capture_output=True, text=True)  # fmt: skip
    assert allowed.returncode == 0, allowed.stderr


def test_names_the_client_has_of_its_own_stay_its_own(
    generated: dict[str, tuple[Path, subprocess.CompletedProcess[str]]], server: RecordingServer
) -> None:
    """An operation, resource or credential named like the client's own attributes (`send`,
    `copy`, `base_url`, `with_raw_response`) takes a `_`; resource classes named alike (`/client`,
    `/fine/jobs` and `/fine_jobs`, `/async/things` and `/things`, `/list`) are told apart."""
    (client_module,) = import_from(generated["client_names"][0], "h_client_names.client")
    client = client_module.Client(base_url=server.url, log="key-1", max_retries=0)
    assert callable(client.log) and callable(client.copy)  # the credentials are arguments, not attributes here
    assert str(client.base_url) == server.url + "/" and callable(client.send) and callable(client.close)
    assert client.copy(max_retries=3).max_retries == 3 and client.with_options is not None
    client.copy_.retrieve("x")
    client.send_.create()
    client.base_url_.retrieve()
    client.with_raw_response_.retrieve()
    client.things.with_streaming_response_.create()
    client.client.retrieve("y")
    client.fine.jobs.retrieve()
    client.fine_jobs.retrieve()
    client.list.retrieve()
    assert [r.path for r in server.requests] == [
        "/v1/copy/x", "/v1/send", "/v1/base_url", "/v1/with_raw_response", "/v1/things/with_streaming_response",
        "/v1/client/y", "/v1/fine/jobs", "/v1/fine_jobs", "/v1/list",
    ]  # fmt: skip
    assert [r.headers.get("X-Log-Key") for r in server.requests] == ["key-1"] * 9
    raw = client.with_raw_response.copy_.retrieve("z")
    assert raw.status_code == 200 and raw.parse() == {}
    # What is left of the client's names once the spec's are taken away is what the generator
    # keeps clear of: generator/names.py lists all of it.
    from_spec = {"async_", "base_url_", "client", "copy_", "fine", "fine_jobs", "list", "send_", "things", "with_raw_response_",
                 "close_"}  # fmt: skip
    own = {n for n in dir(client) if not n.startswith("_")} - from_spec
    assert own <= CLIENT_NAMES | RESOURCE_NAMES, own - CLIENT_NAMES - RESOURCE_NAMES
    client.close()
