"""Formatting: templates import what any file might need; the writer keeps what a file uses."""

from pathlib import Path

import pytest

import generator.pipeline as pipeline
from generator.config import Settings
from generator.diagnostics import SpecError
from generator.writer import InvalidCode, format_files, format_python
from helpers import spec, write_spec


def test_unused_module_level_imports_are_dropped() -> None:
    source = "import json\nimport os\nfrom typing import Any, Dict\n\nx: Any = os.sep\n"
    assert format_python(source) == "import os\nfrom typing import Any\n\nx: Any = os.sep\n"


def test_type_checking_imports_are_pruned_and_the_block_stays_valid() -> None:
    source = (
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import httpx\n    from . import models\n\n"
        "y: models.Job\n"
    )
    assert "httpx" not in format_python(source)
    assert "    from . import models" in format_python(source)
    emptied = "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import httpx\n"
    compile(format_python(emptied), "<pruned>", "exec")


def test_names_used_only_in_string_annotations_or_all_are_kept() -> None:
    source = 'from typing import Any\n\n\ndef f(x: "Any") -> None: ...\n'
    assert format_python(source) == source
    source = 'from .client import Client\n\n__all__ = ["Client"]\n'
    assert format_python(source) == source


def test_names_in_docstrings_do_not_keep_an_import() -> None:
    source = 'from typing import Any\n\n\ndef f() -> None:\n    """Returns Any thing."""\n'
    assert "import" not in format_python(source)


def test_generated_packages_get_their_own_import_section() -> None:
    source = "import pydantic\nfrom pkg import models\n\nx = pydantic, models\n"
    assert format_python(source, ("pkg",)) == "import pydantic\n\nfrom pkg import models\n\nx = pydantic, models\n"


def test_invalid_generated_code_is_a_located_generator_bug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Never expected (names, strings and docstrings are escaped by construction), but if the
    # generator ever writes invalid Python, the user sees where, and from which part of the spec.
    with pytest.raises(InvalidCode) as raised:
        format_files({"pkg/ok.py": "x = 1\n", "pkg/bad.py": "class A:\n    def f(self):\n        return (\n"})
    assert (raised.value.path, raised.value.line, raised.value.enclosing) == ("pkg/bad.py", 3, ["A", "f"])

    doc = spec({"Job": {"type": "object", "properties": {"id": {"type": "string"}}}})
    bad = {"c/models.py": "class Job:\n    id: str = (\n"}
    monkeypatch.setattr(pipeline, "render", lambda api, config: bad)
    with pytest.raises(SpecError) as error:
        pipeline.build(Settings(specs=(write_spec(tmp_path, doc),), out=tmp_path / "out"))
    (bug,) = error.value.diagnostics
    assert (bug.rule, bug.location.pointer, bug.location.line) == ("generator-bug", "#/components/schemas/Job", 18)
    assert bug.message.startswith("ftgen wrote invalid Python at c/models.py:2 (")
    assert bug.message.endswith("a bug in ftgen, please report it with this spec")
