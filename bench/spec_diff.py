"""Time `ftgen diff` end to end (a fresh interpreter, as CI runs it) on real specs.

Pairs: the full OpenAI spec against itself, the 2023-12-22 spec against the full one (real
history), and the full spec against an edited copy of itself (a few known changes).
Reads the specs vendored in tests/data/specs; prints wall-clock medians of 3 runs.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "tests" / "data" / "specs"
FULL, OLD = SPECS / "openai-openapi.yaml", SPECS / "openai-openapi-2023-12-22.yaml"
RUNS = 3

# Text edits to the full spec, each a change the diff must find.
EDITS = [
    ("          maxLength: 64\n", "          maxLength: 40\n"),  # a suffix-like bound lowered
    ("  /fine_tuning/jobs/{fine_tuning_job_id}/pause:\n", "  /fine_tuning/jobs/{fine_tuning_job_id}/hold:\n"),
    ("\n            - validating_files\n", "\n"),  # a status enum value removed
]


def run(old: Path, new: Path, *flags: str) -> tuple[float, str]:
    samples, summary = [], ""
    for _ in range(RUNS):
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "generator", "diff", str(old), str(new), *flags], cwd=ROOT,
                             capture_output=True, text=True, check=True)  # fmt: skip
        samples.append(time.perf_counter() - started)
        summary = out.stdout.strip().splitlines()[-1]
    return statistics.median(samples), summary


def floor(old: Path, new: Path) -> float:
    """What any diff of these files must spend: a fresh interpreter reading both with
    libyaml's C loader (no lines, no checks, no IR), one after the other."""
    code = (
        "import sys, yaml\n"
        "for path in sys.argv[1:]:\n"
        "    yaml.load(open(path, encoding='utf-8'), Loader=yaml.CSafeLoader)\n"
    )
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code, str(old), str(new)], check=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    if not FULL.is_file():
        print(f"spec diff: {FULL} not found; skipped", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as folder:
        edited = Path(folder) / "openai-openapi-edited.yaml"
        text = FULL.read_text()
        for before, after in EDITS:
            assert before in text, before
            text = text.replace(before, after, 1)
        edited.write_text(text)
        print(f"{'spec diff (wall clock, fresh interpreter)':48} {'seconds':>8} {'floor':>6} {'ratio':>6}  findings")
        for label, old, new, flags in (
            ("full spec vs itself (3 MB each)", FULL, FULL, ()),
            ("full spec vs an edited copy", FULL, edited, ()),
            ("2023-12-22 spec vs full spec", OLD, FULL, ()),
            ("2023-12-22 vs full, --include-path /fine_tuning/*", OLD, FULL, ("--include-path", "/fine_tuning/*")),
        ):
            seconds, summary = run(old, new, *flags)
            least = floor(old, new)
            print(f"{label:48} {seconds:>8.2f} {least:>6.2f} {seconds / least:>5.1f}x  {summary}")
    print(f"(medians of {RUNS} runs; floor: both files read by yaml.CSafeLoader in a fresh interpreter)")


if __name__ == "__main__":
    main()
