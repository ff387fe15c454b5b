"""Real-world proof: both upstream OpenAI specs generate packages that import, pass mypy
--strict and have a method for every operation; upstream defects are warnings with locations."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from conftest import ROOT, RecordingServer, seed_example
from helpers import import_from, models_text

SPECS = ROOT / "tests" / "data" / "specs"
CASES = {"full": "openai-openapi.yaml", "2023": "openai-openapi-2023-12-22.yaml"}


@dataclass
class Generated:
    spec: Path
    out: Path
    package: str
    stdout: str
    stderr: str

    def client(self) -> ModuleType:
        return import_from(self.out, self.package)[0]


@pytest.fixture(scope="module", params=sorted(CASES))
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Generated:
    spec = SPECS / CASES[request.param]
    out = tmp_path_factory.mktemp(f"real-{request.param}")
    package = f"openai_{request.param}_client"
    args = [
        "generate",
        "--spec",
        str(spec),
        "--out",
        str(out),
        "--client-package",
        package,
        "--stubs-package",
        f"openai_{request.param}_stubs",
    ]
    result = subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return Generated(spec, out, package, result.stdout, result.stderr)


def spec_operation_count(spec: Path) -> int:
    doc = yaml.load(spec.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
    return sum(1 for item in doc["paths"].values() for method in item if method in methods)


def test_every_operation_is_generated(generated: Generated) -> None:
    expected = spec_operation_count(generated.spec)
    match = re.search(r"generated (\d+) operations and (\d+) models", generated.stdout)
    assert match and int(match.group(1)) == expected
    source = (generated.out / generated.package / "client.py").read_text()
    sync_part = source.split("\nclass Async")[0]  # sync classes come first
    # Operations are the public methods; private helpers, wait(), the client's copy(), the typed
    # shapes of a method (`@overload`), the raw and streaming views (`@cached_property`) and the
    # streaming companions of binary downloads (`content_stream` beside `content`) are not.
    methods = re.findall(
        r"^(?<!    @overload\n)(?<!    @cached_property\n)    def (?!_|wait\(|copy\()(\w+)\(", sync_part, re.M
    )
    streams = [m for m in methods if m.endswith("_stream") and m.removesuffix("_stream") in methods]
    assert streams and len(methods) - len(streams) == expected


def test_upstream_defects_are_warnings_with_locations(generated: Generated) -> None:
    lines = [line for line in generated.stderr.splitlines() if line.strip()]
    assert lines, "the upstream specs are known to have validation findings"
    for line in lines:
        assert re.match(rf"\S*{re.escape(generated.spec.name)}:\d+:\d+  #/\S*  warning: .+  \[[a-z-]+\]$", line), line


def test_mypy_strict(generated: Generated) -> None:
    packages = [p.name for p in generated.out.iterdir() if p.is_dir()]
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null", *packages],
        cwd=generated.out,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_fine_tuning_create_accepts_the_seed_call(generated: Generated, server: RecordingServer) -> None:
    client = generated.client().Client(api_key="k", base_url=server.url, max_retries=0)
    call = seed_example("create_request_full")
    if "2023" in generated.spec.name:  # before `method`, `metadata` and `integrations` existed
        call = {k: call[k] for k in ("model", "training_file", "validation_file", "suffix")} | {
            "hyperparameters": {"n_epochs": 3}
        }
    server.reply(seed_example("job_succeeded_with_method"))
    job = client.fine_tuning.jobs.create(**call)
    assert server.last.body == call and server.last.path == "/v1/fine_tuning/jobs"
    assert job.status == "succeeded"


def test_strict_turns_findings_into_errors() -> None:
    spec = SPECS / CASES["2023"]
    result = subprocess.run(
        [sys.executable, "-m", "generator", "validate", "--strict", "--spec", str(spec)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "error:" in result.stderr and "Traceback" not in result.stderr


def test_spec_diff_retells_the_fine_tuning_history() -> None:
    """2023-12-22 -> today: the legacy API went, `method` came, `hyperparameters` was deprecated."""
    from generator.specdiff import diff_paths

    findings = diff_paths((SPECS / CASES["2023"],), (SPECS / CASES["full"],))
    found = {(f.rule, f.symbols[0] if f.symbols else "") for f in findings}  # API-wide ones name no symbol
    legacy = {s for rule, s in found if rule == "operation-removed" and s.startswith("fine_tunes.")}
    assert legacy == {"fine_tunes.create()", "fine_tunes.list()", "fine_tunes.retrieve()", "fine_tunes.cancel()",
                      "fine_tunes.events.list()"}  # fmt: skip
    assert ("request-field-added", "CreateFineTuningJobRequest.method") in found
    assert ("request-field-deprecated", "CreateFineTuningJobRequest.hyperparameters") in found
    assert ("pagination-changed", "fine_tuning.jobs.events.list()") in found
    assert not diff_paths((SPECS / CASES["full"],), (SPECS / CASES["full"],))


def _definitions(source: str) -> dict[str, str]:
    """Top-level classes and aliases of a module: name -> source text."""
    lines = source.splitlines()  # (ast.get_source_segment splits the whole module on every call)
    out = {}
    for node in ast.parse(source).body:
        name = node.name if isinstance(node, ast.ClassDef) else None
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name = node.target.id
        if name:
            out[name] = "\n".join(lines[node.lineno - 1 : node.end_lineno])
    return out


def _fine_tuning_methods(source: str) -> dict[str, str]:
    """Client methods of /fine_tuning operations: `Class.method` -> source text."""
    lines = source.splitlines()
    out = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                doc = ast.get_docstring(item) if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) else None
                if doc and re.search(r"^`[A-Z]+ /fine_tuning/", doc, re.M):
                    out[f"{node.name}.{item.name}"] = "\n".join(lines[item.lineno - 1 : item.end_lineno])
    return out


def _names_used(source: str) -> set[str]:
    tree = ast.parse(source)
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    return names | {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}


def test_slice_to_fine_tuning_matches_the_whole(generated: Generated, tmp_path: Path) -> None:
    """`--include-path '/fine_tuning/*'` keeps the same fine-tuning methods and types, and
    exactly the models they reach: none missing (mypy), none unreachable."""
    out = tmp_path / "slice"
    args = ["generate", "--spec", str(generated.spec), "--out", str(out), "--client-package", generated.package]
    args += ["--stubs-package", "", "--include-path", "/fine_tuning/*"]
    result = subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr

    def read(root: Path, name: str) -> str:
        return (root / generated.package / name).read_text()

    doc = yaml.load(generated.spec.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    expected = sum(1 for path, item in doc["paths"].items() if path.startswith("/fine_tuning/") for m in item
                   if m in {"get", "post", "delete", "patch", "put"})  # fmt: skip
    whole_methods, slice_methods = (
        _fine_tuning_methods(read(generated.out, "client.py")),
        _fine_tuning_methods(read(out, "client.py")),
    )
    assert slice_methods == whole_methods and len(slice_methods) == 2 * expected  # sync and async
    whole_models = _definitions(models_text(generated.out / generated.package))
    slice_models = _definitions(models_text(out / generated.package))
    assert {name: whole_models.get(name) for name in slice_models} == slice_models  # same types, same text
    # Exactly what the operations reach: follow names from the methods, their TypedDicts and
    # their body schemas (whose fields the methods take one by one) through the models.
    bodies = {op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
              for path, item in doc["paths"].items() if path.startswith("/fine_tuning/")
              for op in item.values() if "requestBody" in op}  # fmt: skip
    params = {name.removesuffix("Param") for name in _names_used(read(out, "params.py"))}
    # (Aliases are written out where used, so only classes are followed.)
    classes = {name for name, text in slice_models.items() if text.startswith("class ")}
    reached: set[str] = set()
    todo = (_names_used(read(out, "client.py")) | params | bodies) & classes
    while todo:
        name = todo.pop()
        reached.add(name)
        todo |= (_names_used(slice_models[name]) & classes) - reached
    assert reached == classes
    assert len(slice_models) < len(whole_models) / 10
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null", generated.package],
        cwd=out,
        capture_output=True,
        text=True,
    )
    assert mypy.returncode == 0, mypy.stdout[-3000:]
