"""`ftgen diff` as CI uses it: formats, exit statuses, bad input, and a git base ref."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

CASES = Path(__file__).parent / "cases"


def diff(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator", "diff", *map(str, args)]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


def pair(case: str) -> tuple[Path, Path]:
    return CASES / case / "old.yaml", CASES / case / "new.yaml"


def test_text_output_says_what_where_and_who_is_affected() -> None:
    result = diff(*pair("training-file-made-required"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert (
        lines[0] == "breaking  request-field-made-required  `CreateFineTuningJobRequest.training_file` is now required"
    )
    assert lines[1].split()[:2] == ["old", "tests/spec_diff/cases/training-file-made-required/old.yaml:26:9"]
    assert lines[2].endswith("#/components/schemas/CreateFineTuningJobRequest/properties/training_file")
    assert lines[3].split(None, 1) == [
        "affects",
        "CreateFineTuningJobRequest.training_file, fine_tuning.jobs.create(training_file=)",
    ]
    assert lines[-1] == "1 breaking, 0 warning, 0 info"


def test_fail_on_sets_the_exit_status() -> None:
    assert diff(*pair("training-file-made-required"), "--fail-on", "breaking").returncode == 1
    assert diff(*pair("operation-deprecated"), "--fail-on", "breaking").returncode == 0
    assert diff(*pair("operation-deprecated"), "--fail-on", "warning").returncode == 1
    assert diff(*pair("no-change-reordered"), "--fail-on", "info").returncode == 0


def test_json_output() -> None:
    result = diff(*pair("finished-at-made-nullable"), "--format", "json")
    document = json.loads(result.stdout)
    assert document["summary"] == {"info": 0, "warning": 0, "breaking": 1, "hidden": 0}
    (finding,) = document["findings"]
    assert finding["rule"] == "response-field-made-nullable" and finding["level"] == "breaking"
    assert finding["symbols"] == ["FineTuningJob.finished_at", "fine_tuning.jobs.create()"]
    assert (
        finding["old"]["pointer"]
        == finding["new"]["pointer"]
        == "#/components/schemas/FineTuningJob/properties/finished_at"
    )
    assert finding["new"]["line"] == 38 and finding["new"]["column"] == 9


def test_markdown_output_is_a_table_for_a_pr_comment() -> None:
    result = diff(*pair("request-pattern-changed"), "--format", "markdown")
    lines = result.stdout.splitlines()
    assert lines[0] == "### API changes: 0 breaking, 1 warning, 0 info"
    assert lines[2].startswith("| level | rule | change |")
    row = lines[4]
    assert row.startswith("| warning | `request-pattern-changed` | `CreateFineTuningJobRequest.suffix`: pattern unset")
    assert row.count(" | ") == 4  # the `|` in nothing breaks the table


def test_github_output_annotates_each_finding_on_its_line() -> None:
    result = diff(*pair("finished-at-made-nullable"), "--format", "github")
    assert result.stdout.splitlines() == [
        "::error file=tests/spec_diff/cases/finished-at-made-nullable/new.yaml,line=38,col=9,"
        "title=response-field-made-nullable::`FineTuningJob.finished_at` is now nullable "
        "(affects FineTuningJob.finished_at, fine_tuning.jobs.create())",
        "API changes: 1 breaking, 0 warning, 0 info",
    ]
    removed = diff(*pair("legacy-fine-tunes-removed"), "--format", "github").stdout.splitlines()
    assert removed[0].startswith(  # a removal is shown where it was
        "::error file=tests/spec_diff/cases/legacy-fine-tunes-removed/old.yaml,line=39,col=5,title=operation-removed::"
    )
    warning = diff(*pair("operation-deprecated"), "--format", "github").stdout
    assert warning.startswith("::warning file=") and "title=operation-deprecated::" in warning


def test_description_edits_are_hidden_unless_asked_for() -> None:
    hidden = diff(*pair("description-changed"))
    assert (
        hidden.stdout
        == "no changes (0 breaking, 0 warning, 0 info; 1 description change(s) hidden (--descriptions shows them))\n"
    )
    shown = diff(*pair("description-changed"), "--descriptions")
    assert shown.stdout.startswith("info      description-changed  the description of `POST /fine_tuning/jobs` changed")


def test_an_unreadable_spec_is_a_located_error_with_status_2(tmp_path: Path) -> None:
    broken = tmp_path / "new.yaml"
    broken.write_text(
        pair("operation-added")[1]
        .read_text()
        .replace('$ref: "#/components/schemas/FineTuningJob"', '$ref: "#/components/schemas/Nope"')
    )
    result = diff(pair("operation-added")[0], broken, "--fail-on", "breaking")
    assert result.returncode == 2
    assert "new.yaml:18:" in result.stderr and "points to nothing" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_usage_errors() -> None:
    assert diff(pair("operation-added")[0]).returncode == 2  # argparse: OLD without NEW
    assert "diff takes OLD and NEW" in diff(pair("operation-added")[0]).stderr


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=repo, check=True, capture_output=True
    )


def test_base_ref_compares_the_configured_spec_with_its_committed_version(tmp_path: Path) -> None:
    repo = tmp_path / "project"
    (repo / "spec").mkdir(parents=True)
    (repo / "pyproject.toml").write_text('[tool.ftgen]\nspec = ["spec/api.yaml"]\n')
    old, new = pair("training-file-made-required")
    _git(repo, "init", "-q")
    _git(repo, "commit", "-q", "--allow-empty", "-m", "before the spec")
    shutil.copy(old, repo / "spec" / "api.yaml")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "spec")
    shutil.copy(new, repo / "spec" / "api.yaml")  # the working tree: what a PR changes

    result = diff("--base", "HEAD", "--fail-on", "breaking", cwd=repo)
    assert result.returncode == 1
    assert "old  HEAD:spec/api.yaml:26:9" in result.stdout
    assert "new  spec/api.yaml:26:9" in result.stdout

    first = diff("--base", "HEAD~1", cwd=repo)  # the spec did not exist yet: all is new
    assert first.returncode == 0 and first.stdout.startswith("info      operation-added")

    unknown = diff("--base", "no-such-ref", cwd=repo)
    assert unknown.returncode == 2 and "unknown git ref 'no-such-ref'" in unknown.stderr


SPECS = ROOT / "tests" / "data" / "specs"


def test_a_slice_of_two_full_specs_reports_only_that_slice() -> None:
    result = diff(
        SPECS / "openai-openapi-2023-12-22.yaml", SPECS / "openai-openapi.yaml",
        "--include-path", "/fine_tuning/*", "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert len(findings) > 20
    for finding in findings:
        operations = [s for s in finding["symbols"] if "(" in s]
        assert operations and all(s.startswith("fine_tuning.") for s in operations), finding
        for side in ("old", "new"):
            if finding[side] and finding[side]["pointer"].startswith("#/paths/"):
                assert finding[side]["pointer"].startswith("#/paths/~1fine_tuning~1"), finding


def test_junit_report_fails_the_breaking_cases() -> None:
    import xml.etree.ElementTree as ET

    result = diff(*pair("security-scheme-removed"), "--format", "junit")
    suites = ET.fromstring(result.stdout)
    cases = suites.findall("./testsuite/testcase")
    assert suites.attrib == {"name": "ftgen diff", "tests": "2", "failures": "1"}
    assert [c.attrib["classname"] for c in cases] == ["security-requirement-removed", "security-scheme-removed"]
    assert cases[0].find("failure") is not None and cases[1].find("failure") is None
    assert cases[0].attrib["file"] == "tests/spec_diff/cases/security-scheme-removed/new.yaml"
    assert "breaking: the security of `POST /fine_tuning/jobs` no longer accepts `api_key`" in (
        cases[0].findtext("failure") or ""
    )


def test_base_ref_diffs_only_the_configured_slice(tmp_path: Path) -> None:
    """`make spec-diff` on a project that vendors a slice: changes outside it are not findings."""
    repo = tmp_path / "project"
    (repo / "spec").mkdir(parents=True)
    (repo / "pyproject.toml").write_text(
        '[tool.ftgen]\nspec = ["spec/api.yaml"]\ninclude_paths = ["/fine_tuning/jobs"]\n'
    )
    old, new = pair("request-text-body-max-length-set")  # a change to /fine_tuning/jobs/{id}/notes
    _git(repo, "init", "-q")
    shutil.copy(old, repo / "spec" / "api.yaml")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "spec")
    shutil.copy(new, repo / "spec" / "api.yaml")
    assert diff("--base", "HEAD", "--fail-on", "info", cwd=repo).stdout.startswith("no changes")
    everything = diff("--base", "HEAD", "--include-path", "/*", cwd=repo)  # flags replace the configured slice
    assert everything.stdout.startswith("breaking  request-max-lowered")
