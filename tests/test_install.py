"""ftgen as a user installs it: a wheel built from the checkout, installed into a fresh virtual
environment, run from a folder outside the checkout on a spec of its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built from a copy of what the wheel is made of, through setuptools' PEP 517 hook with
    the locked setuptools (no build isolation: no network), leaving the checkout untouched."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for folder in ("generator", "templates"):
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path_factory.mktemp("dist")
    build = f"from setuptools import build_meta; print(build_meta.build_wheel({str(dist)!r}))"
    result = subprocess.run([sys.executable, "-c", build], cwd=source, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return dist / result.stdout.strip().splitlines()[-1]


def test_the_wheel_carries_the_templates(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    templates = sorted(p.relative_to(ROOT / "templates").as_posix() for p in (ROOT / "templates").rglob("*.j2"))
    assert sorted(n.removeprefix("generator/templates/") for n in names if n.endswith(".j2")) == templates
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "generator").rglob("*.py")}
    assert modules <= set(names), modules - set(names)  # every package of the generator


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; its dependencies are the locked ones of .venv,
    reached through a path entry (a plain path: .venv's own .pth files, among them the editable
    install of this checkout, are not read)."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], capture_output=True, text=True
    ).stdout.strip()
    Path(site, "locked_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    uv = Path(sys.executable).parent / "uv"
    install = [str(uv), "pip", "install", "--offline", "--no-deps", "--python", str(python), str(wheel)]
    result = subprocess.run(install, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return venv / "bin"


def run(binaries: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([str(binaries / "ftgen"), *args], cwd=cwd, capture_output=True, text=True, env=env)


def test_ftgen_from_the_wheel_generates_a_spec_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    project = tmp_path / "elsewhere"
    (project / "api").mkdir(parents=True)
    for name in ("fine_tuning.yaml", "common.yaml"):
        shutil.copy(ROOT / "spec" / name, project / "api" / name)

    # The generator imported is the installed one, not this checkout.
    where = subprocess.run(
        [str(installed / "python"), "-c", "import generator; print(generator.__file__)"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert where.stdout.startswith(str(installed.parent)), where

    # No pyproject.toml here: defaults (package names from the API's title, ./generated).
    result = run(installed, "generate", "--spec", "api/fine_tuning.yaml", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "generated" / "fine_tuning_client" / "client.py").is_file()
    assert run(installed, "validate", "--spec", "api/fine_tuning.yaml", cwd=project).returncode == 0

    # [tool.ftgen] of the folder it runs in, and --debug after the subcommand.
    (project / "pyproject.toml").write_text(
        '[tool.ftgen]\nspec = ["api/fine_tuning.yaml"]\nout = "vendored"\nclient_package = "ft"\nstubs_package = ""\n'
    )
    result = run(installed, "generate", "--debug", cwd=project)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (project / "vendored").iterdir()) == ["API.md", "ft"]
    assert run(installed, "--debug", "generate", "--check", cwd=project).returncode == 0
    imported = subprocess.run(
        [str(installed / "python"), "-c", "import ft; print(ft.Client(api_key='k').fine_tuning.jobs.list)"],
        cwd=project / "vendored",
        capture_output=True,
        text=True,
    )
    assert imported.returncode == 0 and "bound method" in imported.stdout, imported.stderr

    shutil.copytree(project / "api", project / "old")
    changed = project / "api" / "fine_tuning.yaml"
    changed.write_text(changed.read_text().replace("maxLength: 64", "maxLength: 40", 1))  # `suffix`
    result = run(installed, "diff", "old", "api", "--fail-on", "breaking", cwd=project)
    assert result.returncode == 1 and "request-max-lowered" in result.stdout, result.stdout
