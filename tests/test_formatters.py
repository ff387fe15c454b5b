"""Vendored code never shows a diff under the user's formatter: whichever formatter ftgen uses
(`[tool.ftgen] formatter`, `line_length`), the generated files are stable under both
`ruff format` and `black` at that line length."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from ruff.__main__ import find_ruff_bin

from conftest import GENERATED, ROOT
from generator.config import Settings, read_pyproject
from generator.output import claim
from generator.pipeline import generate


def unstable(folder: Path, line_length: int) -> dict[str, str]:
    """What each formatter would change (its output), or nothing."""
    empty = folder / ".formatter-config.toml"  # neither may read a configuration around the folder
    empty.write_text("")
    checks = {
        "ruff": [str(find_ruff_bin()), "format", "--check", "--isolated", f"--line-length={line_length}", "."],
        "black": [
            sys.executable,
            "-m",
            "black",
            "--check",
            "--config",
            str(empty),
            f"--line-length={line_length}",
            ".",
        ],
    }
    found = {}
    for name, command in checks.items():
        result = subprocess.run(command, cwd=folder, capture_output=True, text=True)
        if result.returncode != 0:
            found[name] = result.stdout + result.stderr
    empty.unlink()
    return found


def test_the_committed_output_is_stable_under_ruff_and_black() -> None:
    settings = Settings(**read_pyproject(ROOT / "pyproject.toml")[0])
    assert settings.line_length == 88  # both formatters' default: what a user's repo most likely runs
    assert unstable(GENERATED, settings.line_length) == {}
    assert unstable(ROOT / "generator" / "runtime", 88) == {}  # copied as they are


@pytest.mark.parametrize(
    ("formatter", "line_length", "spec"),
    [
        ("black", 88, ROOT / "spec"),
        ("ruff", 120, ROOT / "spec"),
        ("black", 100, ROOT / "spec"),
        ("ruff", 79, ROOT / "tests" / "hostile" / "keywords.yaml"),
        ("black", 88, ROOT / "tests" / "hostile" / "odd_names.yaml"),
    ],
)
def test_either_formatter_gives_code_stable_under_both(
    formatter: str, line_length: int, spec: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    generate(Settings(specs=(spec,), out=out, formatter=formatter, line_length=line_length), claim(out))
    assert unstable(out, line_length) == {}


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True)


@pytest.mark.parametrize(
    ("setting", "line", "message"),
    [
        ('formatter = "yapf"', 3, "formatter must be one of ruff, black, not 'yapf'"),
        ("line_length = 12", 3, "line_length must be a whole number from 40 to 320, not 12"),
        ('line_length = "88"', 3, "line_length must be a whole number from 40 to 320, not '88'"),
    ],
)
def test_a_bad_setting_is_a_located_error(setting: str, line: int, message: str, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(f'[tool.ftgen]\nspec = "{ROOT / "spec"}"\n{setting}\n')
    result = run("generate", "--out", "out", cwd=tmp_path)
    key = setting.split()[0]
    assert result.returncode == 1
    assert f"pyproject.toml:{line}:1  #/tool/ftgen/{key}  error: {message}  [config]" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()


SETTLED_SPECS = [
    ROOT / "spec",
    ROOT / "tests" / "data" / "specs" / "openai-openapi.yaml",
    ROOT / "tests" / "data" / "specs" / "openai-openapi-2023-12-22.yaml",
    *(
        ROOT / "tests" / "hostile" / f"{name}.yaml"
        for name in (
            "keywords",
            "odd_names",
            "case_collision",
            "recursion",
            "text_payloads",
            "client_names",
            "keyword_positions",
        )
    ),
    *sorted((ROOT / "tests" / "data" / "prism").glob("*.json")),
]


@pytest.mark.parametrize("spec", SETTLED_SPECS, ids=lambda p: p.name)
def test_the_imports_the_renderer_writes_are_the_ones_ruffs_lint_pass_leaves(spec: Path) -> None:
    """Every module's imports are written by the renderer, used and in ruff's order, and the
    run skips ruff's pruning and sorting (writer.format_files): run over them, that pass
    changes nothing."""
    from generator.config import spec_files
    from generator.loader import SpecSet
    from generator.normalize import normalize
    from generator.render import Config, render
    from generator.writer import format_files

    files = render(normalize(SpecSet(spec_files([spec])), []), Config("api_client", "api_stubs", "K", "U"))
    packages = ("api_client", "api_stubs")
    assert format_files(files, packages, lint=False) == format_files(files, packages)
