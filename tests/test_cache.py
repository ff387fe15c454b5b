"""A rerun with nothing changed stops at once (generator/cache.py); any change to what decides
the output (a spec file, a setting, the output itself) generates again. Run as a user runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from helpers import models_text

UNCHANGED = "unchanged since the last run, nothing written"


def generate(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator", "generate", "--spec", "spec", "--out", "out", *args]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result


def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "spec", tmp_path / "spec")
    return tmp_path


def snapshot(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


def test_a_rerun_with_nothing_changed_writes_nothing(tmp_path: Path) -> None:
    folder = project(tmp_path)
    first = generate(folder)
    assert UNCHANGED not in first.stdout
    before = snapshot(folder / "out")
    again = generate(folder)
    assert again.stdout.startswith("generated 18 operations and 83 models into out") and UNCHANGED in again.stdout
    assert snapshot(folder / "out") == before


def test_a_changed_spec_setting_or_output_generates_again(tmp_path: Path) -> None:
    folder = project(tmp_path)
    generate(folder)
    spec = folder / "spec" / "fine_tuning.yaml"
    spec.write_text(spec.read_text().replace("Get info about a fine-tuning job.", "Get a fine-tuning job."))
    assert UNCHANGED not in generate(folder).stdout
    assert "Get a fine-tuning job." in (folder / "out" / "fine_tuning_client" / "client.py").read_text()
    assert UNCHANGED in generate(folder).stdout

    assert UNCHANGED not in generate(folder, "--stubs-package", "").stdout  # another setting
    assert not (folder / "out" / "fine_tuning_stubs").exists()

    edited = folder / "out" / "fine_tuning_client" / "models" / "__init__.py"
    text = edited.read_text()
    edited.write_text(text + "# edited by hand\n")
    assert UNCHANGED not in generate(folder, "--stubs-package", "").stdout
    assert edited.read_text() == text  # restored: the output is the generator's

    (folder / "out" / "fine_tuning_client" / "client.py").unlink()
    assert UNCHANGED not in generate(folder, "--stubs-package", "").stdout
    (folder / "out" / "stray.py").write_text("")  # the user's: changes nothing of ftgen's, and stays
    assert UNCHANGED in generate(folder, "--stubs-package", "").stdout
    assert (folder / "out" / "stray.py").exists()


def test_the_cache_lives_in_the_users_cache_folder(tmp_path: Path) -> None:
    folder = project(tmp_path)
    generate(folder)
    records = list((Path(os.environ["XDG_CACHE_HOME"]) / "ftgen").glob("*.json"))
    hidden = {p.name for p in (folder / "out").iterdir() if p.name.startswith(".")}
    assert records and hidden == {".ftgen-manifest"}  # the manifest is output, not a cache


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
"""


def test_the_key_is_the_documents_read_not_everything_beside_them(tmp_path: Path) -> None:
    """A spec in a folder full of other files (a home folder, /tmp): those are never read, and
    changing them changes nothing; the file a $ref reaches is read, and changing it regenerates."""
    (tmp_path / "parts").mkdir()
    (tmp_path / "api.yaml").write_text(ROOT_SPEC)
    pet = tmp_path / "parts" / "pet.yaml"
    pet.write_text("Pet:\n  type: object\n  properties:\n    name: {type: string}\n")
    (tmp_path / "unrelated").mkdir()
    (tmp_path / "unrelated" / "notes.yaml").write_text("a: 1\n")
    command = [sys.executable, "-m", "generator", "generate", "--spec", "api.yaml", "--out", "out"]

    def run() -> str:
        result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert UNCHANGED not in run()
    (tmp_path / "unrelated" / "notes.yaml").write_text("a: 2\n")
    (tmp_path / "unrelated" / "more.json").write_text("{}")
    assert UNCHANGED in run()
    pet.write_text(pet.read_text() + "    age: {type: integer}\n")
    assert UNCHANGED not in run()
    assert "age" in models_text(tmp_path / "out" / "pets_client")
    assert UNCHANGED in run()
