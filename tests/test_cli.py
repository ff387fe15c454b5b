"""The command line on broken specs: one line per problem, with file, line and pointer; no traceback."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

GOOD_OPERATION = """
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /jobs:
    get:
      operationId: listJobs
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Job'}
components:
  schemas:
    Job:
      type: object
      properties:
        id: {type: string}
"""


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True)


def write(tmp_path: Path, text: str, name: str = "api.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def assert_reported(result: subprocess.CompletedProcess[str], file: str, line: int, pointer: str, rule: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    pattern = rf"{re.escape(file)}:{line}:\d+  {re.escape(pointer)}  error: .*\[{rule}\]"
    assert re.search(pattern, result.stderr), result.stderr


def test_validate_accepts_the_project_spec() -> None:
    result = run("validate")
    assert result.returncode == 0, result.stderr


def test_bad_yaml(tmp_path: Path) -> None:
    spec = write(
        tmp_path, GOOD_OPERATION.replace("info: {title: T, version: '1'}", "info: {title: T, version: '1'\n  bad: [")
    )
    assert_reported(run("validate", "--spec", str(spec)), "api.yaml", 4, "#", "yaml-syntax")


def test_ref_to_missing_schema(tmp_path: Path) -> None:
    spec = write(tmp_path, GOOD_OPERATION.replace("schemas/Job'", "schemas/Nope'"))
    result = run("validate", "--spec", str(spec))
    assert_reported(
        result, "api.yaml", 13, "#/paths/~1jobs/get/responses/200/content/application~1json/schema/$ref", "ref-missing"
    )
    assert "'#/components/schemas/Nope' points to nothing" in result.stderr


def test_missing_required_field(tmp_path: Path) -> None:
    spec = write(tmp_path, GOOD_OPERATION.replace("          description: ok\n", ""))
    # openapi-spec-validator's findings are warnings that --strict raises, in validate as in generate.
    lenient = run("validate", "--spec", str(spec))
    assert lenient.returncode == 0 and lenient.stderr.endswith("valid, with 1 warning(s)\n"), lenient.stderr
    assert "  warning: " in lenient.stderr and "[openapi-schema]" in lenient.stderr
    result = run("validate", "--spec", str(spec), "--strict")
    assert_reported(result, "api.yaml", 9, "#/paths/~1jobs/get/responses/200", "openapi-schema")
    assert re.search(r"[\"']description[\"'] is a required property", result.stderr)  # quotes vary by backend


def test_several_problems_one_line_each(tmp_path: Path) -> None:
    spec = write(
        tmp_path, GOOD_OPERATION.replace("schemas/Job'", "schemas/Nope'") + "    Other: {$ref: 'missing.yaml#/X'}\n"
    )
    result = run("validate", "--spec", str(spec))
    problems = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(problems) == 2, result.stderr


def test_generate_on_error_writes_nothing(tmp_path: Path) -> None:
    spec = write(tmp_path, GOOD_OPERATION.replace("schemas/Job'", "schemas/Nope'"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("previous output")
    (out / ".ftgen-manifest").write_text("keep.txt\n")  # an earlier run's output
    result = run("generate", "--spec", str(spec), "--out", str(out))
    assert result.returncode == 1 and "[ref-missing]" in result.stderr and "nothing was written" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == [".ftgen-manifest", "keep.txt"]


def test_generate_reports_counts(tmp_path: Path) -> None:
    result = run("generate", "--spec", str(write(tmp_path, GOOD_OPERATION)), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "generated 1 operations and 1 models" in result.stdout
    assert (tmp_path / "out" / "t_client" / "client.py").is_file()
