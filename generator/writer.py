"""Stage 5, format and write: ruff over every Python file, then one swap into place.

Files are written to a temporary folder beside the output and swapped in at the end, so a
failed or interrupted run leaves the previous output exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

LINE_LENGTH = 120
# --isolated: the output must not depend on whatever ruff configuration surrounds it.
_RUFF_ARGS = ("format", "--isolated", "--quiet", f"--line-length={LINE_LENGTH}", "--target-version=py311")


@cache
def _ruff() -> str:
    from ruff.__main__ import find_ruff_bin

    return str(find_ruff_bin())


def format_python(text: str, first_party: tuple[str, ...] = ()) -> str:
    """One module's source, formatted as `format_files` formats a package."""
    return format_files({"module.py": text}, first_party)["module.py"]


def format_files(files: dict[str, str], first_party: tuple[str, ...] = ()) -> dict[str, str]:
    """Every Python file formatted, without the imports it never uses (templates import what
    any file might). ruff does both, ~200x faster than black on a 30k-line module, and over a
    folder in two runs for all files, not two per file; `first_party` are the generated
    packages, which isort puts in their own section as the lint does."""
    python = sorted(path for path in files if path.endswith(".py"))
    if not python:
        return dict(files)
    known = ", ".join(repr(p) for p in first_party)
    fix = ("check", "--isolated", f"--line-length={LINE_LENGTH}", "--select=F401,I001", "--fix", "--unsafe-fixes",
           "--exit-zero", "--quiet", "--config", f"lint.isort.known-first-party = [{known}]")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="ftgen-format-") as folder:
        for path in python:
            (Path(folder) / path).parent.mkdir(parents=True, exist_ok=True)
            (Path(folder) / path).write_text(files[path], encoding="utf-8", newline="\n")
        for args in (fix, _RUFF_ARGS):
            # Files named, not the folder: ruff's default excludes (`build`, `dist`, ...) then never apply.
            result = subprocess.run([_ruff(), *args, *python], cwd=folder, capture_output=True, text=True)
            if result.returncode != 0:
                raise RuntimeError(f"ruff {args[0]} failed on generated code: {result.stderr.strip()}")
        formatted = {path: (Path(folder) / path).read_text(encoding="utf-8") for path in python}
    return {path: formatted.get(path, text) for path, text in files.items()}


def write_tree(files: dict[str, str], out: Path, keep: set[str] | None = None) -> None:
    """Replace `out` with exactly `files`; paths in `keep` (user-owned) are carried over."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for rel, text in sorted(files.items()):
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
        for rel in sorted(keep or ()):
            source = out / rel
            if source.is_file() and rel not in files:
                (staging / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, staging / rel)
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        if out.exists():
            os.replace(out, old)
        os.replace(staging, out)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
