"""The committed generated code passes mypy --strict and ruff."""

from __future__ import annotations

import subprocess
import sys

from conftest import GENERATED, ROOT


def test_mypy_strict() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "fine_tuning_client", "fine_tuning_stubs"],
        cwd=GENERATED, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--config", str(ROOT / "pyproject.toml"), str(GENERATED)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
