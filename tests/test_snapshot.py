"""Golden tree: regenerating from spec/ must give exactly the committed generated/."""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

from conftest import GENERATED, ROOT
from generator.cli import _parser as cli_parser
from generator.cli import settings_from
from generator.pipeline import build


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
        and not any(part.startswith((".", "__pycache__")) for part in p.relative_to(root).parts[:-1])
        and (p.name == ".ftgen-manifest" or not p.name.startswith("."))
    }


def describe(expected: dict[str, bytes], actual: dict[str, bytes]) -> str:
    lines = []
    for name in sorted(set(expected) | set(actual)):
        if name not in actual:
            lines.append(f"{name}: committed but no longer generated")
        elif name not in expected:
            lines.append(f"{name}: generated but not committed")
        elif expected[name] != actual[name]:
            diff = difflib.unified_diff(
                expected[name].decode().splitlines(),
                actual[name].decode().splitlines(),
                "committed/" + name,
                "fresh/" + name,
                lineterm="",
                n=1,
            )
            lines.append("\n".join(list(diff)[:20]))
    return "\n".join(lines)


def test_generated_tree_matches_spec(tmp_path: Path) -> None:
    os.chdir(ROOT)
    result = build(settings_from(cli_parser().parse_args(["generate"])))
    fresh = {name: text.encode() for name, text in result.files.items()}
    committed = tree(GENERATED)
    assert committed == fresh, "generated/ is out of date; run `make generate`:\n" + describe(committed, fresh)


def test_output_is_identical_across_runs_and_hash_seeds(tmp_path: Path) -> None:
    trees = []
    for seed in ("0", "4242"):
        out = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "generator", "generate", "--out", str(out)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        trees.append(tree(out))
    assert trees[0] == trees[1], describe(trees[0], trees[1])
    assert trees[0] == tree(GENERATED)
