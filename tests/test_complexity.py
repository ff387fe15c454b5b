"""No function of the generator above a cyclomatic complexity of 25 (radon's measure, which
counts boolean operators and comprehensions too): past that, a function decides too much at
once to read or test piece by piece. `make lint` prints the functions nearest the bound."""

from __future__ import annotations

from pathlib import Path

from radon.complexity import cc_visit

from conftest import ROOT

BOUND = 25


def blocks() -> list[tuple[str, str, int]]:
    found = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        for block in cc_visit(path.read_text(encoding="utf-8")):
            name = f"{block.classname}.{block.name}" if getattr(block, "classname", None) else block.name
            found.append((str(path.relative_to(ROOT)), name, block.complexity))
    return found


def test_no_function_of_the_generator_is_above_the_bound() -> None:
    over = [f"{path}: {name} ({complexity})" for path, name, complexity in blocks() if complexity > BOUND]
    assert not over, f"above cyclomatic complexity {BOUND}:\n" + "\n".join(over)


def test_the_measure_sees_the_whole_generator() -> None:
    names = {name for _, name, _ in blocks()}
    assert {"method_view", "select", "BaseClient.prepare", "Comparer.covers"} <= names
    assert len(list(Path(ROOT / "generator").rglob("*.py"))) > 40
