"""One table of diagnostics (generator/diagnostics.py RULES): every rule id with its level, made
where the problem is found, so `validate` and `generate` report a spec alike; and spec-diff's
rule ids written whole where a finding is raised."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from generator.diagnostics import RULES, Level
from generator.specdiff.rules import RULES as DIFF_RULES

SOURCES = {p: p.read_text() for p in (ROOT / "generator").rglob("*.py") if p.name != "diagnostics.py"}


def test_every_rule_made_is_in_the_table_and_every_rule_in_it_is_made() -> None:
    made = {rule for text in SOURCES.values() for rule in re.findall(r'Diagnostic\.of\(\s*"([a-z-]+)"', text)}
    assert made <= set(RULES), made - set(RULES)
    written = "\n".join(SOURCES.values())
    unused = [rule for rule in RULES if f'"{rule}"' not in written]
    assert not unused, unused
    assert "Diagnostic(Level." not in written  # levels come from the table, never from the place found


DUPLICATE_TAG = """\
openapi: 3.1.0
info: {title: T, version: '1'}
tags: [{name: jobs}, {name: jobs}]
paths:
  /jobs:
    get:
      operationId: listJobs
      responses: {'200': {description: ok}}
"""


@pytest.mark.parametrize("strict", [False, True])
def test_validate_and_generate_agree_on_a_finding(tmp_path: Path, strict: bool) -> None:
    (tmp_path / "api.yaml").write_text(DUPLICATE_TAG)
    flags = ["--strict"] if strict else []
    runs = {
        command: subprocess.run(
            [sys.executable, "-m", "generator", command, "--spec", "api.yaml", *flags]
            + (["--out", "out"] if command == "generate" else []),
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        for command in ("validate", "generate")
    }
    levels = {
        command: re.findall(r"  (error|warning): .*\[openapi-schema\]", run.stderr) for command, run in runs.items()
    }
    expected = "error" if strict else "warning"
    assert levels == {"validate": [expected], "generate": [expected]}, {c: r.stderr for c, r in runs.items()}
    assert {c: r.returncode for c, r in runs.items()} == {"validate": int(strict), "generate": int(strict)}


def test_the_lenient_rules_are_warnings_that_strict_raises() -> None:
    for rule in ("openapi-schema", "name-collision", "duplicate-operation-id", "config-unknown-key"):
        assert RULES[rule].level is Level.WARNING and RULES[rule].strict


def test_spec_diff_rule_ids_are_written_whole_where_raised() -> None:
    compare = (ROOT / "generator" / "specdiff" / "compare.py").read_text()
    assert not re.search(r"(self\.add|pick)\(\s*f\"", compare)  # no id put together from pieces
    missing = [rule for rule in DIFF_RULES if f'"{rule}"' not in compare]
    assert not missing, missing
