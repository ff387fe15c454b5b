"""A big spec is normalized while a forked process runs the validate stage (pipeline._Checks):
the outcome is the sequential run's, whatever the spec. Each spec here is built both ways (the
size from which the checks run beside set to nothing, then to everything) and compared: the
same files and diagnostics, or the same error; and the documents the run read (the cache's
record) are the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from generator import pipeline
from generator.config import Settings
from generator.diagnostics import SpecError

HOSTILE = sorted((ROOT / "tests" / "hostile").glob("*.yaml"))
ROOT_SPEC = """openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "parts/pet.yaml#/Pet"}
      callbacks:
        onPet: {$ref: "parts/callbacks.yaml#/onPet"}
"""
CALLBACKS = """onPet:
  "{$request.query.url}":
    post:
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses: {"200": {description: ok}}
"""


def outcome(settings: Settings, monkeypatch: pytest.MonkeyPatch, beside: bool) -> tuple[object, ...]:
    """What a build gives with the checks beside normalization or before it, and which it was."""
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 0 if beside else 10**12)
    made: list[pipeline._Checks] = []

    class Spied(pipeline._Checks):
        def __init__(self, specset: object) -> None:
            super().__init__(specset)  # type: ignore[arg-type]
            made.append(self)

    monkeypatch.setattr(pipeline, "_Checks", Spied)
    try:
        result = pipeline.build(settings)
    except SpecError as exc:  # None: refused while reading, before any check
        return made[0].beside if made else None, "error", [str(d) for d in exc.diagnostics]
    return made[0].beside, result.files, [str(d) for d in result.diagnostics], sorted(result.read)


def same_both_ways(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> tuple[object, ...]:
    beside = outcome(settings, monkeypatch, beside=True)
    before = outcome(settings, monkeypatch, beside=False)
    assert not before[0]
    assert beside[1:] == before[1:]
    return beside


@pytest.mark.parametrize("spec", HOSTILE, ids=[p.stem for p in HOSTILE])
def test_every_hostile_spec_ends_as_it_does_checked_first(spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    beside = same_both_ways(Settings(specs=(spec,), stubs_package=""), monkeypatch)
    if spec.stem == "alias_bomb":  # a graph, not a tree: never normalized before it is checked
        assert beside[0] is False


def test_the_fine_tuning_spec_is_generated_the_same_beside(monkeypatch: pytest.MonkeyPatch) -> None:
    beside = same_both_ways(Settings(specs=(ROOT / "spec",)), monkeypatch)
    assert beside[0] is True and beside[1] != "error"


def test_a_multi_file_spec_is_normalized_once_its_structure_is_known(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `$ref` to a document not read yet stops the normalization beside the checks; it runs
    again after them. The callbacks file is read by the checks only, and still recorded."""
    (tmp_path / "parts").mkdir()
    (tmp_path / "api.yaml").write_text(ROOT_SPEC)
    (tmp_path / "parts" / "pet.yaml").write_text("Pet:\n  type: object\n  properties:\n    name: {type: string}\n")
    (tmp_path / "parts" / "callbacks.yaml").write_text(CALLBACKS)
    beside = same_both_ways(Settings(specs=(tmp_path / "api.yaml",), stubs_package=""), monkeypatch)
    assert beside[0] is True and beside[1] != "error"
    assert [p.name for p in beside[3]] == ["api.yaml", "callbacks.yaml", "pet.yaml"]  # type: ignore[attr-defined]

    (tmp_path / "parts" / "pet.yaml").write_text("Pet:\n  $ref: '#/Nothing'\n")
    beside = same_both_ways(Settings(specs=(tmp_path / "api.yaml",), stubs_package=""), monkeypatch)
    assert beside[1] == "error" and "points to nothing" in beside[2][0]  # type: ignore[index]
