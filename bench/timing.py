"""What every benchmark here measures the same way: an import in fresh interpreters, and a
cold `generate` (no record of an earlier run in the cache, generator/cache.py) by ftgen with
its bytecode compiled, as an installed ftgen has it."""

from __future__ import annotations

import contextlib
import functools
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path


def import_samples(modules: str, folder: Path, *, python: Path | str = sys.executable, then: str = "",
                   runs: int = 7) -> list[float]:  # fmt: skip
    """Seconds to `import modules` (then run `then`) in each of `runs` fresh interpreters of
    `python`, with `folder` as the working directory and on PYTHONPATH. Raises
    CalledProcessError when the import fails."""
    code = f"import time; t = time.perf_counter(); import {modules}; {then or 'pass'}; print(time.perf_counter() - t)"
    command = [str(python), "-c", code]
    env = {**os.environ, "PYTHONPATH": str(folder)}
    samples = []
    for _ in range(runs):
        result = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, check=True)
        samples.append(float(result.stdout))
    return samples


ROOT = Path(__file__).resolve().parent.parent


@functools.cache
def compiled() -> None:
    """ftgen's own bytecode written, as an installed ftgen has it: pip compiles a package as it
    installs it, and the peers' venvs have theirs. This environment writes none by itself
    (PYTHONDONTWRITEBYTECODE), so each run would compile every module of ftgen (~0.1 s)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "generator")], check=True)


@contextlib.contextmanager
def cold() -> Iterator[None]:
    """Runs started inside find an empty cache folder: a generate is a whole one, not a rerun;
    and ftgen's bytecode compiled."""
    compiled()
    before = os.environ.get("XDG_CACHE_HOME")
    with tempfile.TemporaryDirectory(prefix="ftgen-cache-") as folder:
        os.environ["XDG_CACHE_HOME"] = folder
        try:
            yield
        finally:
            if before is None:
                del os.environ["XDG_CACHE_HOME"]
            else:
                os.environ["XDG_CACHE_HOME"] = before
