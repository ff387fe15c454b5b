"""A slice of the full OpenAI spec against the whole: generation time, size, import time.

Generates `tests/data/specs/openai-openapi.yaml` whole and sliced to `/fine_tuning/*`
(`--include-path`), then imports each client (`import pkg.client`, which loads the models)
in fresh interpreters. Prints medians: generation of 1 run whole, 3 sliced; imports of 7.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import cold, import_samples

ROOT = Path(__file__).resolve().parent.parent
FULL = ROOT / "tests" / "data" / "specs" / "openai-openapi.yaml"


def generate(out: Path, *selection: str) -> tuple[float, str]:
    started = time.perf_counter()
    args = ["generate", "--spec", str(FULL), "--out", str(out), "--client-package", "openai_client"]
    result = subprocess.run([sys.executable, "-m", "generator", *args, "--stubs-package", "", *selection], cwd=ROOT,
                            capture_output=True, text=True, check=True)  # fmt: skip
    return time.perf_counter() - started, result.stdout.split(" into ")[0]


def import_seconds(out: Path) -> float:
    return statistics.median(import_samples("openai_client.client, openai_client.models", out))


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory(prefix="ftgen-slice-") as folder:
        for label, selection, runs in (
            ("whole spec", (), 1),
            ("--include-path '/fine_tuning/*'", ("--include-path", "/fine_tuning/*"), 3),
        ):
            out = Path(folder) / label.split()[0].strip("-'")
            samples, what = [], ""
            for _ in range(runs):
                with cold():
                    seconds, what = generate(out, *selection)
                samples.append(seconds)
            size = sum(f.stat().st_size for f in (out / "openai_client").glob("*.py"))
            rows.append((label, what.removeprefix("generated "), statistics.median(samples), size, import_seconds(out)))
    print("| input | generated | generate (s) | client size | import client + models |")
    print("| --- | --- | --- | --- | --- |")
    for label, what, seconds, size, imported in rows:
        print(f"| {label} | {what} | {seconds:.1f} | {size / 1024:,.0f} KB | {imported * 1000:,.0f} ms |")


if __name__ == "__main__":
    main()
