"""The YAML reader on the full OpenAI spec, beside its floor, in one process.

Prints, median of RUNS: the exact reader (libyaml's nodes: data and every line), the fast
reader (rapidyaml, its JSON read by json.loads, the scalars read apart retyped; lines read on demand),
and its floors: rapidyaml's parse alone, and json.loads of the JSON rapidyaml writes.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import ryml  # noqa: E402

from generator import loader  # noqa: E402

RUNS = 5
SPEC = ROOT / "tests" / "data" / "specs" / "openai-openapi.yaml"


def timed(fn: Callable[[], Any]) -> float:
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    text = SPEC.read_text(encoding="utf-8")
    encoded = text.encode()
    assert loader._fast_yaml(text) is not loader._EXACT, "the fast reader refused the spec"
    tree = ryml.parse_in_arena(encoded)
    written = ryml.emit_json_malloc(tree, tree.root_id())
    rows = [
        ("exact reader (libyaml nodes, data and lines)", timed(lambda: loader._read_yaml(text))),
        ("fast reader (rapidyaml, json.loads, scalars read apart retyped)", timed(lambda: loader._fast_yaml(text))),
        ("  floor: rapidyaml's parse alone", timed(lambda: ryml.parse_in_arena(encoded))),
        ("  floor: json.loads of rapidyaml's JSON", timed(lambda: json.loads(written))),
    ]
    print(f"YAML reader, {SPEC.name} ({len(encoded) / 2**20:.1f} MB), median of {RUNS}:")
    for label, seconds in rows:
        print(f"  {label}: {seconds:.3f} s")


if __name__ == "__main__":
    main()
