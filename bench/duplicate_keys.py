"""What the duplicate-key check costs the loader, on the full OpenAI spec (YAML, 3 MB) and on
the same data written as JSON (3.4 MB), each beside what it is part of, measured in one run.

YAML: one comparison per mapping (`len(built) < len(written)`, generator/loader.py) inside
the parse; it is timed as that many comparisons of the same kind, beside the parse itself.
JSON: `json.loads` with the object hook that tells a duplicate, beside plain `json.loads`.
Medians of RUNS runs.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from generator.loader import _json_object, parse

ROOT = Path(__file__).resolve().parent.parent
FULL = ROOT / "tests" / "data" / "specs" / "openai-openapi.yaml"
RUNS = int(os.environ.get("DUPLICATE_BENCH_RUNS", "7"))


def median(work: Callable[[], Any]) -> float:
    """With the cyclic collector paused: its passes over the objects built would add noise."""
    times = []
    for _ in range(RUNS):
        gc.collect()
        gc.disable()
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
        gc.enable()
    return statistics.median(times)


def mappings(node: Any) -> list[tuple[dict[str, Any], list[Any]]]:
    """Every mapping of the document beside a list as long as its written keys."""
    found, pending = [], [node]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            found.append((item, list(item)))
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return found


def main() -> None:
    text = FULL.read_text(encoding="utf-8")
    parse_time = median(lambda: parse(FULL, text))
    pairs = mappings(parse(FULL, text).data)
    check_time = median(lambda: [len(built) < len(written) for built, written in pairs])
    print(f"duplicate-key check, full OpenAI spec ({len(text) / 1e6:.1f} MB YAML, {len(pairs):,} mappings):")
    print(f"  parse with lines: {parse_time * 1000:8.1f} ms")
    print(f"  the check within it: {check_time * 1000:5.2f} ms ({check_time / parse_time:.2%} of the parse)")

    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    as_json = json.dumps(data, indent=2, default=str)
    plain = median(lambda: json.loads(as_json))
    checked = median(lambda: json.loads(as_json, object_pairs_hook=_json_object))
    print(f"the same data as JSON ({len(as_json) / 1e6:.1f} MB):")
    print(f"  json.loads:                 {plain * 1000:6.1f} ms")
    print(f"  json.loads, duplicates told: {checked * 1000:5.1f} ms ({(checked - plain) * 1000:+.1f} ms)")


if __name__ == "__main__":
    main()
