"""What every benchmark here measures the same way: an import in fresh interpreters."""

from __future__ import annotations

import os
import subprocess
import sys
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
