"""Benchmark the generated client against the official `openai` package, in this environment.

Prints, for each: import time (median of fresh interpreters, bytecode compiled on both sides) and the time to parse a JSON list
of 20,000 fine-tuning jobs into typed objects (median of several runs). Then the parse beside
its floor, measured in the same run: a flat pydantic model with the job's top-level fields
(nested objects as plain values), which is what pydantic itself costs for the same JSON.
Run with `make bench` (which installs `openai` into .venv first).
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from timing import import_samples

ROOT = Path(__file__).resolve().parent.parent
JOBS = 20_000
RUNS = 7
JOB = json.loads((ROOT / "tests" / "data" / "seed_examples" / "job_succeeded_with_method.json").read_text())


def compiled_copy() -> Path:
    """The generated packages copied to a temporary folder with their bytecode compiled, as an
    installed package has it (openai's is, in the venv): this environment writes none itself
    (PYTHONDONTWRITEBYTECODE), and generated/ is compared file by file with the committed tree."""
    folder = Path(tempfile.mkdtemp(prefix="ftgen-client-bench-"))
    for package in ("fine_tuning_client", "fine_tuning_stubs"):
        shutil.copytree(ROOT / "generated" / package, folder / package)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(folder)], check=True)
    return folder


COMPILED = compiled_copy()


def import_times(*cases: tuple[str, str]) -> list[float]:
    """The median seconds of each (module, then) case, their fresh interpreters taken in turns, so
    that a busy spell of this machine falls on every case alike."""
    samples: list[list[float]] = [[] for _ in cases]
    for _ in range(RUNS):
        for taken, (module, then) in zip(samples, cases, strict=True):
            taken += import_samples(module, COMPILED, then=then, runs=1)
    return [statistics.median(taken) for taken in samples]


def timed(fn: Callable[[], Any], runs: int = 5) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    sys.path.insert(0, str(ROOT / "generated"))
    raw = json.dumps(
        {"object": "list", "data": [{**JOB, "id": f"ftjob-{i}"} for i in range(JOBS)], "has_more": False}
    ).encode()

    import httpx

    from fine_tuning_client import _runtime, models

    parse = _runtime.ModelParser(models.ListPaginatedFineTuningJobsResponse)
    response = httpx.Response(200, content=raw)

    def ours() -> None:  # what a call does with the response body
        page = parse(response)
        assert len(page.data) == JOBS and page.data[-1].method is not None

    cases = [("fine_tuning_client", ""), ("fine_tuning_client", "fine_tuning_client.Client(api_key='k')")]
    theirs: Callable[[], None] | None = None
    try:
        from openai._models import construct_type
        from openai.types.fine_tuning import FineTuningJob

        def sdk_parse() -> None:  # what the SDK does with a response body: json, then construct_type
            data = json.loads(raw)["data"]
            jobs = [construct_type(type_=FineTuningJob, value=item) for item in data]
            assert len(jobs) == JOBS

        theirs = sdk_parse
        cases += [("openai", ""), ("openai", "openai.OpenAI(api_key='k')")]
    except ImportError:
        print("openai is not installed; run `make bench` to compare with it", file=sys.stderr)
    imports = import_times(*cases)
    rows = [("fine_tuning_client (generated)", imports[0], imports[1], timed(ours))]
    if theirs is not None:
        rows.append(("openai (official SDK)", imports[2], imports[3], timed(theirs)))
    print(f"{'client':32} {'import':>10} {'import + Client()':>18} {'parse 20,000 jobs':>18}")
    for name, imported, built, parsed in rows:
        print(f"{name:32} {imported * 1000:>7.1f} ms {built * 1000:>15.1f} ms {parsed * 1000:>15.1f} ms")
    if len(rows) == 2:
        ours_row, theirs_row = rows
        print(
            f"generated vs openai: import {theirs_row[1] / ours_row[1]:.1f}x faster, "
            f"import + Client() {theirs_row[2] / ours_row[2]:.1f}x faster, parsing {theirs_row[3] / ours_row[3]:.1f}x faster"
        )
    print(f"(medians of {RUNS} fresh interpreters for imports, of 5 runs for parsing)")
    floor(raw, rows[0][3], models)


def floor(raw: bytes, ours: float, models: Any) -> None:
    """The generated models against pydantic's floor for the same bytes: a flat model of the
    job's top-level fields, typed as the spec types them, nested objects as plain values."""
    import typing

    import pydantic

    models.ListPaginatedFineTuningJobsResponse.model_validate_json(
        raw[:0] or b'{"object":"list","data":[],"has_more":false}'
    )

    def nested(annotation: Any) -> bool:
        if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
            return True
        return any(nested(a) for a in typing.get_args(annotation))

    hints = typing.get_type_hints(models.FineTuningJob)  # in its module, which imports what it uses
    fields: dict[str, Any] = {
        f.alias or name: (Any if nested(hints[name]) else hints[name], ... if f.is_required() else f.default)
        for name, f in models.FineTuningJob.model_fields.items()
    }
    flat = pydantic.create_model("FlatJob", **fields)
    page = pydantic.create_model("FlatPage", object=(str, ...), data=(list[flat], ...), has_more=(bool, ...))  # type: ignore[valid-type]

    def used(result: Any) -> None:  # as a caller would: the page is kept and read
        assert len(result.data) == JOBS and result.data[-1].id

    flat_time = timed(lambda: used(page.model_validate_json(raw)))
    flat_paused = timed(lambda: used(_paused(lambda: page.model_validate_json(raw))))
    plain = timed(lambda: used(models.ListPaginatedFineTuningJobsResponse.model_validate_json(raw)))
    print(f"{'parse 20,000 jobs':36} {'time':>10} {'vs floor':>9} {'vs floor, paused':>17}")
    for name, seconds in (
        ("floor: flat pydantic model", flat_time),
        ("floor, collector paused", flat_paused),
        ("generated client (a call's parse)", ours),
        ("generated models, validate_json", plain),
    ):
        print(f"{name:36} {seconds * 1000:>7.1f} ms {seconds / flat_time:>8.2f}x {seconds / flat_paused:>16.2f}x")
    print(
        "(a call's parse pauses the cyclic garbage collector for bodies over 256 KiB, as the second floor does;\n"
        " the last row is the models alone, collector running, like the first floor)"
    )


def _paused(work: Callable[[], Any]) -> Any:
    import gc

    gc.disable()
    try:
        return work()
    finally:
        gc.enable()


if __name__ == "__main__":
    main()
