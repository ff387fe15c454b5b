"""What the user owns survives: custom.py is written once and kept; a failed or interrupted
run leaves the output folder exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from generator import output

SPEC = ROOT / "spec" / "fine_tuning.yaml"


def generate(out: Path, spec: Path = SPEC) -> subprocess.CompletedProcess[str]:
    args = ["generate", "--spec", str(spec), "--out", str(out), "--client-package", "ft", "--stubs-package", ""]
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, capture_output=True, text=True)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_custom_code_survives_regeneration(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert generate(out).returncode == 0
    custom = out / "ft" / "custom.py"
    assert "this file is yours" in custom.read_text()
    custom.write_text(
        "from .client import Client\n\n\nclass MyClient(Client):\n    def hello(self) -> str:\n"
        '        return "hi"\n\n\n__all__ = ["MyClient"]\n'
    )
    edited = custom.read_text()
    assert generate(out).returncode == 0
    assert custom.read_text() == edited
    code = "import ft; print(ft.MyClient(api_key='k').hello())"
    result = subprocess.run([sys.executable, "-c", code], cwd=out, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(out)})  # fmt: skip
    assert result.stdout == "hi\n", result.stderr
    custom.unlink()  # deleted: written afresh
    assert generate(out).returncode == 0 and "this file is yours" in custom.read_text()


def test_a_failed_run_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert generate(out).returncode == 0
    (out / "ft" / "custom.py").write_text("__all__: list[str] = []  # mine\n")
    before = snapshot(out)
    broken = tmp_path / "broken.yaml"
    broken.write_text(SPEC.read_text().replace("$ref: '#/components/schemas/FineTuningJob'", "$ref: '#/nowhere'", 1))
    result = generate(out, broken)
    assert result.returncode == 1 and "nothing was written" in result.stderr
    assert snapshot(out) == before


def test_an_interrupted_write_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    output.write_tree({"pkg/a.py": "A = 1\n", "pkg/b.py": "B = 1\n"}, out)
    before = snapshot(out)
    real_write_text = Path.write_text

    def failing(self: Path, text: str, *args: object, **kwargs: object) -> int:
        if self.name == "b.py":
            raise KeyboardInterrupt  # as if Ctrl-C arrived half-way through
        return real_write_text(self, text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", failing)
    with pytest.raises(KeyboardInterrupt):
        output.write_tree({"pkg/a.py": "A = 2\n", "pkg/b.py": "B = 2\n"}, out)
    monkeypatch.undo()
    assert snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging folder left behind


def test_a_killed_generator_leaves_the_output_whole(tmp_path: Path) -> None:
    """SIGKILL at any moment: the output is the old tree or the new one, never a mix."""
    out = tmp_path / "out"
    assert generate(out).returncode == 0
    before = snapshot(out)
    args = ["generate", "--spec", str(SPEC), "--out", str(out), "--client-package", "ft", "--stubs-package", ""]
    for delay in (0.3, 0.6, 0.9):
        process = subprocess.Popen([sys.executable, "-m", "generator", *args], cwd=ROOT)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert snapshot(out) == before  # same spec, so old and new trees are identical


def test_the_swap_is_one_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the system can exchange two folders atomically, the old tree never leaves `out`,
    not even between two renames."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    if not output._exchange(tmp_path / "a", tmp_path / "b"):
        pytest.skip("no renameat2(RENAME_EXCHANGE) on this system or filesystem")
    out = tmp_path / "out"
    output.write_tree({"pkg/a.py": "A = 1\n"}, out)

    def no_rename(*args: object) -> None:
        raise AssertionError("the output was moved aside: a kill now would leave no output")

    monkeypatch.setattr(os, "replace", no_rename)
    output.write_tree({"pkg/a.py": "A = 2\n"}, out)
    assert snapshot(out) == {".ftgen-manifest": output.manifest_text(["pkg/a.py"]).encode(), "pkg/a.py": b"A = 2\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "out"]  # the old tree is gone


def test_the_output_folder_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "out"
    output.write_tree({"a.txt": "1"}, out)
    umask = os.umask(0o022)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o777 & ~umask  # as mkdir would make it, not mkdtemp's 0700
    out.chmod(0o750)
    output.write_tree({"a.txt": "2"}, out)
    assert out.stat().st_mode & 0o777 == 0o750
