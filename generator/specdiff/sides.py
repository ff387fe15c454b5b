"""Load the two sides of a diff: each a normalized IR plus the line of every pointer.

Only the structural checks run (version, `$ref`s): the diff compares IRs, which is all that
normalization needs; openapi-spec-validator's checks would add nothing to it. Two large
sides load in parallel.
"""

from __future__ import annotations

import io
import multiprocessing
import subprocess
import tarfile
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..config import spec_files
from ..diagnostics import Diagnostic, Location, SpecError, errors
from ..ir import Api, Source
from ..loader import LazyLines, SpecSet, line_of
from ..normalize import normalize
from ..selection import EVERYTHING, Selection, select
from ..validate import validate

PARALLEL_BYTES = 1_000_000  # below this a second process costs more than it saves


@dataclass(frozen=True)
class Side:
    api: Api
    lines: dict[str, Mapping[str, tuple[int, int]]]  # file -> pointer -> (line, column)
    names: dict[str, str] = field(default_factory=dict)  # file -> how to show it (a git ref, say)

    def location(self, source: Source | None) -> Location | None:
        if source is None:
            return None
        where = line_of(self.lines.get(source.file, {}), source.pointer)
        return Location(self.names.get(source.file, source.file), source.pointer, *where)


EMPTY = Side(Api("", "", "", (), (), ()), {})


def load_side(
    paths: tuple[Path, ...], allow_outside: bool = False, selection: Selection = EVERYTHING
) -> Side | list[Diagnostic]:
    """A Side, or the errors that stop the spec from being read (a value: it crosses processes).
    With a `selection`, only that slice of the spec (as `generate` would vendor it)."""
    if not paths:
        return EMPTY  # no spec at the base ref yet
    files = spec_files(paths)
    if not files:
        where = str(paths[0]) if paths else "."
        return [Diagnostic.of("no-spec", Location(where), "no OpenAPI document found")]
    try:
        specset = SpecSet(files, allow_outside=allow_outside)
        if selection:
            select(specset, selection)
        diagnostics = validate(specset, schema=False)
        if errors(diagnostics):
            return errors(diagnostics)
        api = normalize(specset, diagnostics)
    except SpecError as exc:
        return errors(exc.diagnostics)
    if errors(diagnostics):
        return errors(diagnostics)
    # Lines are read when a finding is located: a document maps its own on demand.
    lines = {str(path): doc.lines if doc.lines is not None else LazyLines(doc.text)
             for path, doc in specset.documents.items()}  # fmt: skip
    return Side(api, lines)


def load_pair(
    old: tuple[Path, ...], new: tuple[Path, ...], allow_outside: bool = False, selection: Selection = EVERYTHING
) -> tuple[Side, Side]:
    """Both sides (each sliced to `selection`), or a SpecError with every problem of either."""
    size = sum(p.stat().st_size for p in spec_files(old + new) if p.is_file())
    if size > PARALLEL_BYTES and "fork" in multiprocessing.get_all_start_methods():
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            pending = pool.submit(load_side, old, allow_outside, selection)
            new_side = load_side(new, allow_outside, selection)
            old_side = pending.result()
    else:
        old_side, new_side = load_side(old, allow_outside, selection), load_side(new, allow_outside, selection)
    problems = [d for side in (old_side, new_side) if isinstance(side, list) for d in side]
    if problems:
        raise SpecError(problems)
    assert isinstance(old_side, Side) and isinstance(new_side, Side)
    return old_side, new_side


def specs_at(ref: str, specs: tuple[Path, ...], into: Path) -> tuple[tuple[Path, ...], dict[str, str]]:
    """The spec files as they were at git `ref`, extracted under `into`, and their display names.

    Whole folders are extracted, so `$ref`s between files still resolve. A spec that did not
    exist at `ref` yet is no paths: every operation is then new.
    """

    def git(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(["git", *args], capture_output=True, check=False)

    top = git("rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise SpecError([Diagnostic.of("git", Location("."), "--base needs a git checkout")])
    root = Path(top.stdout.decode().strip())
    if git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode != 0:
        raise SpecError([Diagnostic.of("git", Location("."), f"unknown git ref {ref!r}")])
    relative = [p.resolve().relative_to(root) for p in specs]
    folders = sorted({str(p if (root / p).is_dir() else p.parent) for p in relative})
    archive = git("-C", str(root), "archive", "--format=tar", ref, "--", *folders)
    if archive.returncode != 0:
        return (), {}  # the folders did not exist at `ref`
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    paths = tuple(into / p for p in relative if (into / p).exists())
    names = {str((into / p).resolve()): f"{ref}:{p}" for p in _files_under(into)}
    return paths, names


def _files_under(folder: Path) -> list[Path]:
    return [p.relative_to(folder) for p in folder.rglob("*") if p.is_file()]
