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
    assert sorted(p.name for p in (project / "vendored").iterdir()) == [".ftgen-manifest", "API.md", "ft"]
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


def test_the_installed_ftgen_leaves_a_users_repository_as_it_found_it(installed: Path, tmp_path: Path) -> None:
    """The checks of tests/test_users_repository.py, a few of them, with the wheel's ftgen."""
    repo = tmp_path / "repo"
    (repo / "vendor" / "otherlib").mkdir(parents=True)
    (repo / "vendor" / "otherlib" / "lib.py").write_text("LIB = 1\n")
    shutil.copy(ROOT / "spec" / "fine_tuning.yaml", repo / "fine_tuning.yaml")
    shutil.copy(ROOT / "spec" / "common.yaml", repo / "common.yaml")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    args = ("generate", "--spec", "fine_tuning.yaml")
    refused = run(installed, *args, "--out", "vendor", cwd=repo)
    assert refused.returncode == 1 and "ftgen did not write it" in refused.stderr, refused.stderr
    for out in (".", "..", ".git"):
        assert run(installed, *args, "--out", out, cwd=repo).returncode == 1
    assert run(installed, *args, "--out", "vendor", "--force", cwd=repo).returncode == 0
    assert (repo / "vendor" / "otherlib" / "lib.py").read_text() == "LIB = 1\n"
    assert (repo / "fine_tuning.yaml").exists() and (repo / ".git" / "HEAD").exists()
    assert run(installed, "--version", cwd=repo).stdout.startswith("ftgen ")


def test_the_package_layout_installs_with_pip_and_imports(installed: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "spec" / "fine_tuning.yaml", project / "fine_tuning.yaml")
    shutil.copy(ROOT / "spec" / "common.yaml", project / "common.yaml")
    (project / "pyproject.toml").write_text(
        '[tool.ftgen]\nspec = "fine_tuning.yaml"\nout = "dist-src"\nlayout = "package"\n'
        'client_package = "acme_ft"\nstubs_package = "acme_ft_stubs"\n'
    )
    result = run(installed, "generate", cwd=project)
    assert result.returncode == 0, result.stderr
    source = project / "dist-src"
    meta = (source / "pyproject.toml").read_text()
    assert 'name = "acme-ft"' in meta and 'version = "2.3.0"' in meta  # from info.title's package and info.version
    assert 'dependencies = ["httpx>=0.27", "pydantic>=2.11"]' in meta and 'server = ["fastapi>=0.110"]' in meta
    readme = (source / "README.md").read_text()
    assert "client.fine_tuning.jobs.list()" in readme and "from acme_ft import Client" in readme

    # pip install of the folder (the locked setuptools builds it: no network), then import elsewhere.
    uv = Path(sys.executable).parent / "uv"
    install = [str(uv), "pip", "install", "--offline", "--no-deps", "--no-build-isolation", "--python",
               str(installed / "python"), str(source)]  # fmt: skip
    done = subprocess.run(install, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    code = (
        "import acme_ft, acme_ft_stubs, importlib.metadata as m, pathlib; "
        "print(m.version('acme-ft'), pathlib.Path(acme_ft.__file__).parent.joinpath('py.typed').exists(), "
        "acme_ft.Client(api_key='k').fine_tuning.jobs.list.__name__)"
    )
    imported = subprocess.run([str(installed / "python"), "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert imported.stdout == "2.3.0 True list\n", imported.stderr
    for example in [line for line in readme.splitlines() if line.startswith("client.")]:
        compile(example, "README.md", "eval")  # every example is a Python call


@pytest.mark.parametrize(
    ("version", "expected"),
    [("2.3.0", "2.3.0"), ("2.1.0-beta", "2.1.0"), ("2023-12-22", "2023.12.22"), ("v1", "1"), ("latest", "0.0.0")],
)
def test_a_distribution_version_from_any_info_version(version: str, expected: str) -> None:
    from generator.render.package import distribution_version

    assert distribution_version(version) == expected
