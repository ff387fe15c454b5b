"""Where a generate run spends its time: each pipeline stage timed apart, in one process.

For the fine-tuning spec in `spec/` and the full `tests/data/specs/openai-openapi.yaml`: the
median and the best of RUNS runs of each stage (YAML/JSON parse with lines, structural
checks, openapi-spec-validator's checks, normalize, render, format with ruff and with black),
then the imports a generate run makes in a fresh interpreter (the CLI, then the pipeline it
imports once the cache has no record of the run; a rerun with nothing changed stops before).
The stages of a real run overlap: both checks run in a forked process beside normalize,
render and format for big specs.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from timing import compiled, import_samples

from generator.config import spec_files
from generator.loader import SpecSet
from generator.normalize import normalize
from generator.render import Config, render
from generator.validate import schema_checks, structural_checks
from generator.writer import format_files

ROOT = Path(__file__).resolve().parent.parent
INPUTS = {"fine-tuning spec": ROOT / "spec",
          "full OpenAI spec": ROOT / "tests" / "data" / "specs" / "openai-openapi.yaml"}  # fmt: skip
RUNS = int(os.environ.get("STAGE_BENCH_RUNS", "5"))
CONFIG = Config("bench_client", "bench_stubs", "BENCH_API_KEY", "BENCH_BASE_URL")


def timed(work: Callable[[], Any]) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(RUNS):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return times, result


def stages(spec: Path) -> list[tuple[str, list[float]]]:
    paths = spec_files([spec])
    rows = []
    times, specset = timed(lambda: SpecSet(paths))
    rows.append(("parse (data and lines)", times))
    times, structural = timed(lambda: structural_checks(specset))
    rows.append(("structural checks", times))
    times, _ = timed(lambda: schema_checks(specset, structural))
    rows.append(("openapi-spec-validator's checks", times))
    times, api = timed(lambda: normalize(specset, []))
    rows.append(("normalize", times))
    times, files = timed(lambda: render(api, CONFIG))
    rows.append(("render", times))
    packages = ("bench_client", "bench_stubs")
    times, _ = timed(lambda: format_files(files, packages, lint=False))
    rows.append(("format (ruff, the default)", times))
    times, _ = timed(lambda: format_files(files, packages, "black", lint=False))
    rows.append(('format (`formatter = "black"`: ruff, then black)', times))
    return rows


def main() -> None:
    print(f"| input | stage | median (s, {RUNS} runs) | best (s) |")
    print("| --- | --- | --- | --- |")
    for label, spec in INPUTS.items():
        if not spec.exists():
            print(f"| {label} | (missing: {spec}) | | |")
            continue
        for stage, times in stages(spec):
            print(f"| {label} | {stage} | {statistics.median(times):.3f} | {min(times):.3f} |")
    compiled()
    times = import_samples("generator.cli, generator.pipeline", ROOT, runs=RUNS)
    print(f"| any | imports of a generate run | {statistics.median(times):.3f} | {min(times):.3f} |")


if __name__ == "__main__":
    main()
