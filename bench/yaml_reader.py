"""The readers beside their floors, in one process, median of RUNS.

YAML, the full OpenAI spec: the exact reader (libyaml's nodes: data and every line), the fast
reader (rapidyaml, its JSON read by json.loads, the scalars read apart retyped; lines read on
demand), and its floors: rapidyaml's parse alone, and json.loads of the JSON rapidyaml writes;
then the same spec written as documents that went to libyaml before (tabs in two scalars, no
last newline, an explicit key), by both readers.
YAML with anchors and aliases (the OpenAI spec of 2023-12-22): the fast reader building the
data from rapidyaml's nodes (yaml_nodes), beside the exact reader and rapidyaml's parse.
JSON, GitHub's spec written indented (bench/big_json.py's file, from the public corpus): the
reader's data, then with the lines of three pointers (what GitHub's three warnings ask for),
beside json.loads of the same text.
"""

from __future__ import annotations

import functools
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

from generator import exact_yaml, loader  # noqa: E402

RUNS = 5
SPEC = ROOT / "tests" / "data" / "specs" / "openai-openapi.yaml"


def timed(fn: Callable[[], Any]) -> float:
    return interleaved(fn)[0]


def interleaved(*fns: Callable[[], Any], runs: int = RUNS) -> list[float]:
    """Each function's median seconds, the functions run in turn in each round: a noisy
    machine's slow spell falls on all of them, and their ratios hold."""
    samples: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for fn, times in zip(fns, samples, strict=True):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
    return [statistics.median(times) for times in samples]


def main() -> None:
    text = SPEC.read_text(encoding="utf-8")
    encoded = text.encode()
    assert loader._fast_yaml(text) is not loader._EXACT, "the fast reader refused the spec"
    tree = ryml.parse_in_arena(encoded)
    written = ryml.emit_json_malloc(tree, tree.root_id())
    rows = [
        ("exact reader (libyaml nodes, data and lines)", timed(lambda: exact_yaml.read(text))),
        ("fast reader (rapidyaml, json.loads, scalars read apart retyped)", timed(lambda: loader._fast_yaml(text))),
        ("  floor: rapidyaml's parse alone", timed(lambda: ryml.parse_in_arena(encoded))),
        ("  floor: json.loads of rapidyaml's JSON", timed(lambda: json.loads(written))),
    ]
    print(f"YAML reader, {SPEC.name} ({len(encoded) / 2**20:.1f} MB), median of {RUNS}:")
    for label, seconds in rows:
        print(f"  {label}: {seconds:.3f} s")
    variants(text)
    anchored()
    json_reader()


# The same spec, written as documents that went to libyaml whole before rapidyaml read them alike.
VARIANTS: dict[str, Callable[[str], str]] = {
    "with a tab in a quoted and in a block scalar": lambda text: (
        text + 'x-note: "a tab:\there"\nx-sample: |\n  code\tsample\n'
    ),
    "without its last newline": lambda text: text.rstrip("\n"),
    "with an explicit key (PyYAML dumps a key of over 128 characters so)": lambda text: (
        text + "? x-" + "k" * 130 + "\n: v\n"
    ),
}


def variants(text: str) -> None:
    print(f"YAML reader, the same spec written otherwise, median of {RUNS} interleaved:")
    for label, variant in VARIANTS.items():
        written = variant(text)
        assert loader._fast_yaml(written) is not loader._EXACT, f"the fast reader refused the spec {label}"
        exact, fast = interleaved(
            functools.partial(exact_yaml.read, written), functools.partial(loader._fast_yaml, written)
        )
        print(f"  {label}: fast reader {fast:.3f} s; exact reader (what read it before) {exact:.3f} s")


def anchored() -> None:
    spec = ROOT / "tests" / "data" / "specs" / "openai-openapi-2023-12-22.yaml"
    text = spec.read_text(encoding="utf-8")
    fast = loader._fast_yaml(text)
    assert fast is not loader._EXACT and len(fast) == 3, "not read from rapidyaml's nodes"
    rows = [
        ("exact reader (libyaml nodes)", timed(lambda: exact_yaml.read(text))),
        ("fast reader (rapidyaml's nodes, the same walk)", timed(lambda: loader._fast_yaml(text))),
        ("  floor: rapidyaml's parse alone", timed(lambda: ryml.parse_in_arena(text.encode()))),
    ]
    print(f"YAML reader, anchors and aliases, {spec.name} ({len(text.encode()) / 2**20:.2f} MB), median of {RUNS}:")
    for label, seconds in rows:
        print(f"  {label}: {seconds:.3f} s")


def json_reader() -> None:
    from big_json import indented
    from corpus import fetch

    fetch()
    spec = indented("github-indented.json")
    text = spec.read_text(encoding="utf-8")
    warned = [f"#/components/schemas/deployment-status/properties/{name}/default"
              for name in ("environment_url", "log_url", "target_url")]  # fmt: skip

    def with_lines() -> None:
        document = loader.parse(spec, text)
        assert all(document.location(pointer).line for pointer in warned)

    floor, data, lines = interleaved(lambda: json.loads(text), lambda: loader.parse(spec, text), with_lines, runs=9)
    print(f"JSON reader, {spec.name} ({len(text) / 2**20:.1f} MB), median of 9 interleaved:")
    print(f"  data: {data:.3f} s ({data / floor:.2f}x the floor)")
    print(f"  data and the lines of three pointers: {lines:.3f} s ({lines / floor:.2f}x)")
    print(f"    floor: json.loads: {floor:.3f} s")


if __name__ == "__main__":
    main()
