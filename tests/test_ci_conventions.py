"""What a repository that vendors the client runs in CI: `generate --check`, the pre-commit hooks
this project offers, and the global options wherever they are written."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

CASES = ROOT / "tests" / "spec_diff" / "cases"


def ftgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True)


def git(repo: Path, *args: str) -> None:
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args]
    subprocess.run(command, cwd=repo, check=True, capture_output=True)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A repository with a spec, its [tool.ftgen] and the generated code, all committed."""
    repo = tmp_path / "project"
    (repo / "api").mkdir(parents=True)
    shutil.copy(CASES / "training-file-made-required" / "old.yaml", repo / "api" / "openapi.yaml")
    (repo / "pyproject.toml").write_text('[tool.ftgen]\nspec = ["api/openapi.yaml"]\nout = "vendor"\n')
    assert ftgen("generate", cwd=repo).returncode == 0
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "spec and client")
    return repo


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_generate_check_lists_what_differs_and_writes_nothing(project: Path) -> None:
    clean = ftgen("generate", "--check", cwd=project)
    assert clean.returncode == 0 and clean.stdout == "", clean.stderr
    assert "vendor is up to date" in clean.stderr

    client = next((project / "vendor").glob("*_client"))
    edited = client / "models" / "__init__.py"
    edited.write_text(edited.read_text() + "# edited by hand\n")
    (client / "stray.py").write_text("")  # the user's: never listed
    (client / "old.py").write_text("")  # ftgen's, from an earlier run
    manifest = project / "vendor" / ".ftgen-manifest"
    manifest.write_text(manifest.read_text() + f"{client.name}/old.py\n")
    (client / "params.py").unlink()
    (client / "custom.py").write_text("# the user's own: never compared\n")
    (client / "__pycache__").mkdir(exist_ok=True)
    (client / "__pycache__" / "models.cpython-311.pyc").write_bytes(b"")
    before = snapshot(project / "vendor")

    stale = ftgen("generate", "--check", cwd=project)
    assert stale.returncode == 1
    package = client.name
    assert stale.stdout.splitlines() == [
        "vendor/.ftgen-manifest: differs",
        f"vendor/{package}/models/__init__.py: differs",
        f"vendor/{package}/old.py: no longer generated from the spec (would be removed)",
        f"vendor/{package}/params.py: missing",
    ]
    assert "4 file(s) differ from what the spec generates" in stale.stderr
    assert snapshot(project / "vendor") == before


@pytest.mark.parametrize("command", ["generate", "validate", "diff"])
def test_global_options_go_before_or_after_the_subcommand(command: str, project: Path) -> None:
    (project / "other.toml").write_text('[tool.ftgen]\nspec = ["api/openapi.yaml"]\nout = "elsewhere"\n')
    args = ["api/openapi.yaml", "api/openapi.yaml"] if command == "diff" else []
    for argv in (
        [command, "--debug", "--config", "other.toml", *args],
        ["--debug", "--config", "other.toml", command, *args],
    ):
        result = ftgen(*argv, cwd=project)
        assert result.returncode == 0, (argv, result.stderr)
    assert (project / "elsewhere").is_dir() == (command == "generate")


def test_a_missing_config_file_is_an_error_not_a_default(project: Path) -> None:
    result = ftgen("generate", "--config", "nowhere.toml", cwd=project)
    assert result.returncode == 1
    assert result.stderr.startswith("nowhere.toml  #  error: no such configuration file  [config]")


def test_without_any_spec_it_says_how_to_give_one(tmp_path: Path) -> None:
    result = ftgen("generate", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "no spec given: pass --spec FILE_OR_DIR, or set `spec` in [tool.ftgen] of pyproject.toml" in result.stderr


def hook(hook_id: str) -> list[str]:
    """A hook's command from .pre-commit-hooks.yaml, run with this checkout's generator."""
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert hooks[hook_id]["language"] == "python" and hooks[hook_id]["pass_filenames"] is False
    entry = shlex.split(hooks[hook_id]["entry"])
    assert entry[0] == "ftgen"  # the console script of the package pre-commit installs
    return entry[1:]


def test_the_pre_commit_hooks_pass_on_a_clean_repository_and_fail_on_what_they_guard(project: Path) -> None:
    check, diff = hook("ftgen-check"), hook("ftgen-diff")
    assert ftgen(*check, cwd=project).returncode == 0
    assert ftgen(*diff, cwd=project).returncode == 0

    # The spec changes (a field becomes required) and the client is not regenerated.
    shutil.copy(CASES / "training-file-made-required" / "new.yaml", project / "api" / "openapi.yaml")
    stale = ftgen(*check, cwd=project)
    assert stale.returncode == 1 and re.search(r"/models/_\w+\.py: differs", stale.stdout), stale.stdout
    breaking = ftgen(*diff, cwd=project)
    assert breaking.returncode == 1 and "request-field-made-required" in breaking.stdout

    assert ftgen("generate", cwd=project).returncode == 0
    assert ftgen(*check, cwd=project).returncode == 0


def test_github_annotations_escape_what_would_end_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.diagnostics import Location
    from generator.specdiff.compare import Finding
    from generator.specdiff.report import github

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a,b:c.yaml").write_text("")
    where = Location(str(tmp_path / "a,b:c.yaml"), "#/paths", 3, 4)
    gone = Location("HEAD:api.yaml", "#/paths", 1, 1)  # extracted with --base: no file to point at
    findings = [
        Finding("operation-removed", "100% gone,\nreally: yes", None, where),
        Finding("operation-removed", "x", gone, None),
    ]
    assert github(findings, 0).splitlines() == [
        "::error file=a%2Cb%3Ac.yaml,line=3,col=4,title=operation-removed::100%25 gone,%0Areally: yes",
        "::error title=operation-removed::x",
        "API changes: 2 breaking, 0 warning, 0 info",
    ]
