"""The environment is the lock: uv.lock is in step with pyproject.toml, and what the tests run
on is exactly what it pins (so a fresh clone a month from now installs the same)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from conftest import ROOT


def locked() -> dict[str, str]:
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    return {p["name"]: p["version"] for p in lock["package"] if "version" in p}


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_lock_is_in_step_with_pyproject() -> None:
    uv = Path(sys.executable).parent / "uv"
    result = subprocess.run([uv, "lock", "--check", "--offline"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_installed_package_is_at_its_locked_version() -> None:
    pins = locked()
    installed = {normalized(d.metadata["Name"]): d.version for d in metadata.distributions()}
    installed.pop("pip", None)  # the venv's own, which installed uv (at its locked version) first
    off = {name: (version, pins.get(name)) for name, version in installed.items() if pins.get(name) != version}
    assert off == {}
    for name in ("uv", "ruff", "pyyaml", "black", "pydantic", "jinja2"):  # what the output depends on
        assert name in installed


def test_the_generator_asks_for_ranges_not_pins() -> None:
    # It is a library and a tool too: pins belong in the lock, not in what users install.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"] + project["optional-dependencies"]["black"]:
        assert "==" not in requirement, requirement
