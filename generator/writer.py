"""Stage 5, format: ruff (and black, if chosen) over every Python file (writing is `output`)."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

LINE_LENGTH = 88  # both formatters' default: a repo that runs either with defaults sees no diff
FORMATTERS = ("ruff", "black")


class InvalidCode(Exception):
    """Generated code that is not valid Python: always a bug of the generator."""

    def __init__(self, path: str, line: int, problem: str, code: str, enclosing: list[str]) -> None:
        super().__init__(f"{path}:{line}: {problem}: {code.strip()!r}")
        self.path, self.line, self.problem, self.code = path, line, problem, code
        self.enclosing = enclosing  # the classes and functions it is in, innermost last


@cache
def _ruff() -> str:
    from ruff.__main__ import find_ruff_bin

    return str(find_ruff_bin())


def format_python(text: str, first_party: tuple[str, ...] = ()) -> str:
    """One module's source, formatted as `format_files` formats a package."""
    return format_files({"module.py": text}, first_party)["module.py"]


def format_files(
    files: dict[str, str],
    first_party: tuple[str, ...] = (),
    formatter: str = "ruff",
    line_length: int = LINE_LENGTH,
    lint: bool = True,
) -> dict[str, str]:
    """Every Python file formatted, in one run of ruff's formatter; with `lint`, first pruned
    of the imports it never uses and sorted (ruff's F401 and I001, isort's sections,
    `first_party` the generated packages). The renderer writes its modules' imports so already
    and asks for no lint pass (~0.04 s less of the full OpenAI spec's run, one process less).
    black, when it is the formatter, then formats ruff's output (ruff is ~200x faster on a
    30k-line module).
    The generated code is written so that either way the result is stable under both
    (tests/test_formatters.py)."""
    python = sorted(path for path in files if path.endswith(".py"))
    if not python:
        return dict(files)
    known = ", ".join(repr(p) for p in first_party)
    fix = [_ruff(), "check", "--isolated", f"--line-length={line_length}", "--select=F401,I001", "--fix",
           "--unsafe-fixes", "--exit-zero", "--quiet", "--config", f"lint.isort.known-first-party = [{known}]"]  # fmt: skip
    ruff = [_ruff(), "format", "--isolated", "--quiet", f"--line-length={line_length}", "--target-version=py311"]
    commands = [("ruff", fix)] if lint else []
    commands.append(("ruff", ruff))
    with tempfile.TemporaryDirectory(prefix="ftgen-format-") as folder:
        if formatter == "black":  # over ruff's output: what black leaves as it is, ruff would keep too
            (Path(folder) / ".black.toml").write_text("", encoding="utf-8")  # black has no --isolated
            black = [sys.executable, "-m", "black", "--quiet", "--config", str(Path(folder) / ".black.toml"),
                     f"--line-length={line_length}", "--target-version=py311"]  # fmt: skip
            commands.append(("black", black))
        for path in python:
            (Path(folder) / path).parent.mkdir(parents=True, exist_ok=True)
            (Path(folder) / path).write_text(files[path], encoding="utf-8", newline="\n")
        # Files named, not the folder: the formatters' default excludes (`build`, `dist`, ...) never apply.
        for tool, command in commands:
            result = subprocess.run([*command, *python], cwd=folder, capture_output=True, text=True)
            if result.returncode != 0:
                _check_syntax({path: (Path(folder) / path).read_text(encoding="utf-8") for path in python})
                raise RuntimeError(f"{tool} failed on generated code: {(result.stderr or result.stdout).strip()}")
        formatted = {path: (Path(folder) / path).read_text(encoding="utf-8") for path in python}
    return {path: formatted.get(path, text) for path, text in files.items()}


def _check_syntax(files: dict[str, str]) -> None:
    """InvalidCode for the first file that Python cannot read, where a formatter failed."""
    for path, text in sorted(files.items()):
        try:
            compile(text, path, "exec", dont_inherit=True)
        except SyntaxError as exc:
            lines = text.splitlines() or [""]
            line = min(exc.lineno or 1, len(lines))
            enclosing = re.findall(r"^\s*(?:class|def|async def) (\w+)", "\n".join(lines[:line]), re.M)
            raise InvalidCode(path, line, exc.msg, lines[line - 1], enclosing) from None
