"""The committed generated code passes mypy --strict and ruff."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import GENERATED, ROOT


def test_mypy_strict() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null", "fine_tuning_client", "fine_tuning_stubs"],
        cwd=GENERATED, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--config", str(ROOT / "pyproject.toml"), str(GENERATED)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_generator_itself_is_clean() -> None:
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "generator", "tests", "reference_server"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout
    fmt = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "generator", "tests", "bench", "reference_server"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir=/dev/null", "generator"], cwd=ROOT, capture_output=True, text=True
    )
    assert mypy.returncode == 0, mypy.stdout


def test_reference_server_is_clean() -> None:
    """Hand-written over the generated stubs: strict typing checks it implements `Service`."""
    env = {**os.environ, "MYPYPATH": str(GENERATED)}
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir=/dev/null", "reference_server"],
        cwd=ROOT, capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert mypy.returncode == 0, mypy.stdout
