"""Stage 5, format and write: ruff (and black, if chosen) over every Python file, then one swap into place.

Files are written to a temporary folder beside the output and swapped in at the end, so a
failed or interrupted run leaves the previous output exactly as it was.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

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
    files: dict[str, str], first_party: tuple[str, ...] = (), formatter: str = "ruff", line_length: int = LINE_LENGTH
) -> dict[str, str]:
    """Every Python file formatted, without the imports it never uses (templates import what
    any file might). ruff prunes and sorts the imports (isort's sections, `first_party` the
    generated packages) and formats, over the whole folder in one run each; black, when it is
    the formatter, then formats ruff's output (ruff is ~200x faster on a 30k-line module).
    The generated code is written so that either way the result is stable under both
    (tests/test_formatters.py)."""
    python = sorted(path for path in files if path.endswith(".py"))
    if not python:
        return dict(files)
    known = ", ".join(repr(p) for p in first_party)
    fix = [_ruff(), "check", "--isolated", f"--line-length={line_length}", "--select=F401,I001", "--fix",
           "--unsafe-fixes", "--exit-zero", "--quiet", "--config", f"lint.isort.known-first-party = [{known}]"]  # fmt: skip
    ruff = [_ruff(), "format", "--isolated", "--quiet", f"--line-length={line_length}", "--target-version=py311"]
    commands = [("ruff", fix), ("ruff", ruff)]
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


def write_tree(files: dict[str, str], out: Path, keep: set[str] | None = None) -> None:
    """Replace `out` with exactly `files`; paths in `keep` (user-owned) are carried over."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        # mkdtemp makes a private (0700) folder; the output keeps its mode, or gets mkdir's.
        os.chmod(staging, stat.S_IMODE(out.stat().st_mode) if out.is_dir() else 0o777 & ~_umask())
        for rel, text in sorted(files.items()):
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
        for rel in sorted(keep or ()):
            source = out / rel
            if source.is_file() and rel not in files:
                (staging / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, staging / rel)
        if out.exists() and _exchange(staging, out):
            return  # `staging` now holds the old tree, removed below
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        if out.exists():
            os.replace(out, old)
        os.replace(staging, out)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


AT_FDCWD = -100
RENAME_EXCHANGE = 2


@cache
def _renameat2() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a libc without it (glibc < 2.28, some musl)
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE), so a kill at any instant
    leaves a whole tree at each name. False where the system or filesystem cannot: the caller
    then renames twice, and a kill between the two leaves the old tree beside the output."""
    function = _renameat2()
    return function is not None and function(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0
