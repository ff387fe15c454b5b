"""Throughput of the generated training-file checker on a big file made on the fly.

Writes a JSONL file of chat examples (plain answers, tool calls, multi-turn; about 1 KB a
line) to a temporary folder, then checks it in a fresh interpreter with
`fine_tuning_client.training.validate_training_file` and prints MB/s and the peak memory of
that process. `TRAINING_BENCH_MB` sets the size (default 1024, i.e. 1 GB).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE_MB = int(os.environ.get("TRAINING_BENCH_MB", "1024"))

CHECK = """
import resource, sys, time
from fine_tuning_client.training import validate_training_file
started = time.perf_counter()
report = validate_training_file(sys.argv[1], "supervised", model=sys.argv[2] or None)
seconds = time.perf_counter() - started
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
assert (report.tokens is not None) == bool(sys.argv[2])
print(seconds, peak_mb, report.summary.examples, report.problem_count)
"""
MODEL = "gpt-4o-mini-2024-07-18"


def examples(rng: random.Random) -> list[str]:
    """A few hundred distinct lines to cycle through (writing 1 GB of fresh JSON is the slow part)."""
    words = "the model learns to answer briefly and politely about weather travel code and math".split()
    tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]
    out = []
    for i in range(500):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(40, 120)))
        messages: list[dict[str, object]] = [
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": text},
        ]
        if i % 3 == 0:
            call = {"id": f"call_{i}", "type": "function",
                    "function": {"name": "get_weather", "arguments": json.dumps({"city": "Paris", "day": i})}}  # fmt: skip
            messages += [
                {"role": "assistant", "tool_calls": [call]},
                {"role": "tool", "tool_call_id": f"call_{i}", "content": "18C, sunny"},
            ]
        messages.append({"role": "assistant", "content": text[: len(text) // 2]})
        line: dict[str, object] = {"messages": messages}
        if i % 3 == 0:
            line["tools"] = tools
        out.append(json.dumps(line) + "\n")
    return out


def main() -> None:
    lines = [line.encode() for line in examples(random.Random(7))]
    with tempfile.TemporaryDirectory(prefix="ftgen-bench-") as folder:
        path = Path(folder) / "train.jsonl"
        started = time.perf_counter()
        target = SIZE_MB * 1024 * 1024
        written = 0
        with open(path, "wb") as out:
            while written < target:
                for line in lines:
                    out.write(line)
                    written += len(line)
        print(f"training file: {written / 2**20:,.0f} MB written in {time.perf_counter() - started:.1f} s")
        env = {**os.environ, "PYTHONPATH": str(ROOT / "generated")}
        for model, label in (("", "validate_training_file"), (MODEL, f"  with token counts ({MODEL})")):
            result = subprocess.run([sys.executable, "-c", CHECK, str(path), model], env=env, capture_output=True,
                                    text=True, check=True)  # fmt: skip
            seconds, peak_mb, valid, problems = result.stdout.split()
            rate = written / 2**20 / float(seconds)
            print(
                f"{label}: {float(seconds):.1f} s, {rate:.1f} MB/s, peak memory {float(peak_mb):.0f} MB, "
                f"{int(valid):,} examples, {problems} problems"
            )
    print(f"  floor, the tokenizer alone on the same strings: {tokenizer_rate(lines):.1f} MB/s of the file")


def tokenizer_rate(lines: list[bytes]) -> float:
    """MB of the file per second that bpe-openai encodes, given each string of its examples
    one call at a time as the checker does (the distinct lines, median of 5 rounds)."""
    import statistics
    import warnings

    with warnings.catch_warnings():  # bpe-openai 0.1.4 reads its vocabularies by a deprecated call
        warnings.simplefilter("ignore", DeprecationWarning)
        import bpe_openai

        encode = bpe_openai.get_encoding("o200k_base").encode_ordinary
    strings = [text for line in lines for text in _strings(json.loads(line))]
    rounds = []
    for _ in range(5):
        started = time.perf_counter()
        for text in strings:
            encode(text)
        rounds.append(time.perf_counter() - started)
    return sum(map(len, lines)) / 2**20 / statistics.median(rounds)


def _strings(value: object) -> list[str]:
    """Every string in an example, keys aside: what a count encodes."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


if __name__ == "__main__":
    main()
