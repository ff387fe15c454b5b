"""Stage 6, write: the output folder is the user's, and ftgen owns only what it wrote there.

A manifest in the output folder (`.ftgen-manifest`, one path a line) names every file ftgen
wrote. Only those are ever replaced or removed; anything else in the folder (a vendored
library beside the client, notes, a file of the user's inside a generated package, caches)
is left where it is, as it is. A folder that is not empty and has no manifest is not taken
without `--force`; the working folder and its parents, a folder holding the spec or the
config, a git work tree's root and an existing file are never taken (`claim`).

Every run builds the new files in a staging folder and swaps them in (`write`):
- when the folder holds nothing but what ftgen wrote (its own files, files of the user's
  *inside* its packages, caches), the whole folder is swapped in one step
  (`renameat2(RENAME_EXCHANGE)` on Linux): a kill at any instant leaves the old tree or the
  new one;
- when it holds other things of the user's at the top (`vendor/otherlib/`), or cannot be
  renamed (a mount point, a parent that is not writable), each top-level entry ftgen writes
  (a package folder, `API.md`) is swapped in one step inside it: each is always the old one
  or the new one, whole; the manifest names the union of both runs' files while the swaps
  go on, so a run after a kill between two of them owns (and finishes) both.
Files of the user's inside a swapped folder are carried into the new one as hard links
(copies where a filesystem has none) before the swap, so they never leave their place; one
that changed between the link and the swap is moved over after it. SIGINT and SIGTERM wait
while the swaps run (a few milliseconds).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from .diagnostics import Diagnostic, Location, SpecError

MANIFEST = ".ftgen-manifest"
STAGING = ".ftgen-staging-"  # folders a run builds in (inside the output, or beside it as .NAME.ftgen-staging-)
WRITTEN: set[Path] = set()  # output folders this process has swapped new files into (for messages)
_HEADER = "# Files written by ftgen; it replaces or removes only these. Generated; do not edit.\n"


def manifest_text(paths: Iterable[str]) -> str:
    return _HEADER + "".join(f"{p}\n" for p in sorted(set(paths) | {MANIFEST}))


def _problem(path: Path | str, message: str, rule: str = "output-refused") -> SpecError:
    return SpecError([Diagnostic.of(rule, Location(str(path)), message)])


def read_manifest(out: Path) -> frozenset[str] | None:
    """The paths ftgen wrote in `out`, or None when it has no manifest. A path that would leave
    the folder is an error: a manifest decides what may be removed."""
    path = out / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise _problem(path, f"cannot read ftgen's manifest: {exc}") from None
    paths: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = PurePosixPath(line).parts
        if line.startswith("/") or "\\" in line or not parts or any(p in ("..", ".") for p in parts):
            location = Location(str(path), "", number, 1)
            message = f"the manifest names {line!r}, which is not a path inside the folder; refusing to touch it"
            raise SpecError([Diagnostic.of("output-refused", location, message)])
        paths.add("/".join(parts))
    return frozenset(paths)


@dataclass(frozen=True)
class Target:
    """An output folder that `claim` found safe to write: what ftgen owned in it before."""

    out: Path  # resolved
    owned: frozenset[str]  # the manifest's paths; empty for a new, empty or forced folder
    force: bool = False


def _shown(entries: list[str]) -> str:
    names = sorted(entries)
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def claim(out: Path, protected: Sequence[Path] = (), force: bool = False) -> Target:
    """`out` as an output folder, or a SpecError saying why not; reads and changes nothing
    else. `protected`: the spec files and the config, which the output may not hold."""
    resolved = out.resolve()
    if resolved.exists() and not resolved.is_dir():
        raise _problem(out, "the output must be a folder, and this is an existing file")
    cwd = Path.cwd().resolve()
    if cwd.is_relative_to(resolved):
        what = "the working folder" if cwd == resolved else f"a parent of the working folder ({cwd})"
        raise _problem(out, f"the output is {what}; choose a folder of its own, such as `generated`")
    for path in protected:
        if path.resolve().is_relative_to(resolved):
            raise _problem(out, f"the output folder holds {path}, an input of this run; choose a folder of its own")
    if (resolved / ".git").exists():
        raise _problem(out, "the output is the root of a git work tree; choose a folder inside it")
    owned = read_manifest(resolved) if resolved.is_dir() else None
    if owned is None and resolved.is_dir():
        entries = [e.name + ("/" if e.is_dir() else "") for e in os.scandir(resolved) if not _staging(e.name)]
        if entries and not force:
            message = (
                f"the folder is not empty and ftgen did not write it (it has no {MANIFEST}): {_shown(entries)}; "
                "choose a new or empty folder, or pass --force to write into it (files ftgen does not generate "
                "are left alone)"
            )
            raise _problem(out, message)
    return Target(resolved, owned or frozenset(), force)


def _staging(name: str) -> bool:
    return name.startswith(STAGING)


def _parents(rel: str) -> Iterator[str]:
    parts = rel.split("/")
    for n in range(1, len(parts)):
        yield "/".join(parts[:n])


def conflicts(target: Target, files: Iterable[str]) -> list[tuple[str, str]]:
    """(path, why) where writing `files` would overwrite something of the user's: a file ftgen
    did not write at a path it generates (allowed by --force), or a folder or file in the way."""
    found = []
    for rel in sorted(files):
        for parent in _parents(rel):
            path = target.out / parent
            if path.is_symlink() or (path.exists() and not path.is_dir()):
                if parent not in target.owned:
                    found.append((parent, f"{parent} is a file of yours where ftgen writes the folder {parent}/"))
                break
        else:
            path = target.out / rel
            if path.is_dir() and not path.is_symlink():
                found.append((rel, f"{rel} is a folder of yours where ftgen writes a file"))
            elif os.path.lexists(path) and rel not in target.owned and not target.force:
                found.append((rel, f"{rel} is a file ftgen did not write (pass --force to replace it)"))
    return found


def stale(target: Target, files: dict[str, str], once: frozenset[str]) -> list[tuple[str, str]]:
    """(path, why) for each file `write` would change: differs, missing, or to be removed (a
    file ftgen wrote that it no longer generates). Files of the user's are never listed; a
    write-once file (`once`) only when missing."""
    changes: list[tuple[str, str]] = []
    for rel in sorted(set(files) | target.owned):
        path = target.out / rel
        if rel not in files:
            if path.is_file() or path.is_symlink():
                changes.append((rel, "no longer generated from the spec (would be removed)"))
        elif not os.path.lexists(path) or path.is_dir():
            if rel not in once or not os.path.lexists(path):
                changes.append((rel, "missing"))
        elif rel not in once:
            try:
                same = path.read_bytes() == files[rel].encode()
            except OSError:
                same = False
            if not same:
                changes.append((rel, "differs"))
    return changes


# ---------------------------------------------------------------- the swap
def write(target: Target, files: dict[str, str], once: frozenset[str] = frozenset()) -> None:
    """Make `target.out` hold `files` (a write-once file only when missing) and nothing else
    of ftgen's; leave everything else there as it is. Nothing visible changes until the
    swap; a failure before it leaves the folder as it was. Permission problems are errors."""
    if MANIFEST not in files:
        files = {**files, MANIFEST: manifest_text(set(files) - once)}
    try:
        _write(target, files, once)
    except OSError as exc:
        where = Path(exc.filename or target.out)  # a staging folder is ftgen's business: the output is named
        if any(_staging(part) or part.startswith(f".{target.out.name}.") for part in where.parts):
            where = target.out
        raise _problem(where, f"cannot write the output: {exc.strerror or exc}", "output-unwritable") from None


def _write(target: Target, files: dict[str, str], once: frozenset[str]) -> None:
    out = target.out
    writing = {rel: text for rel, text in files.items() if rel not in once or not os.path.lexists(out / rel)}
    problems = conflicts(target, writing)
    if problems:
        raise SpecError([Diagnostic.of("output-refused", Location(str(out / rel)), why) for rel, why in problems])
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    new = frozenset(files) - once
    ours = target.owned | new  # the paths ftgen decides on; all else there is the user's
    staging = _whole_folder_staging(out, {rel.split("/")[0] for rel in ours})
    if staging is not None:
        try:
            _commit(out, staging, [(out, staging, "")], writing, ours, target.owned, None)
            return
        except _Unmovable:  # a mount point (a container's volume): swapped inside, as below
            pass
    staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=out))
    units = sorted({rel.split("/")[0] for rel in ours} - {MANIFEST})  # the manifest goes last, on its own
    pairs = [(out / unit, staging / unit, unit) for unit in units]
    _commit(out, staging, pairs, writing, ours, target.owned, files.get(MANIFEST, manifest_text(new)))


class _Unmovable(Exception):
    """The output folder itself cannot be renamed; nothing has changed."""


def _commit(out: Path, staging: Path, pairs: list[tuple[Path, Path, str]], writing: dict[str, str],
            ours: frozenset[str], owned: frozenset[str], manifest: str | None) -> None:  # fmt: skip
    """Stage every pair (live, staged, unit), then swap each in; `manifest`, when the units
    are the top-level entries, is written after them (the union of both runs' before)."""
    try:
        os.chmod(staging, stat.S_IMODE(out.stat().st_mode) if out.is_dir() else 0o777 & ~_umask())
        carried = {unit: _stage(live, staged, unit, writing, ours) for live, staged, unit in pairs}
        with _signals_held():
            if manifest is not None:  # both runs' files are ftgen's until the last swap is done
                _atomic_text(out / MANIFEST, manifest_text(ours), staging)
            for live, staged, unit in pairs:
                _swap(live, staged, unit, staging, carried[unit], ours, owned)
            if manifest is not None:
                _atomic_text(out / MANIFEST, manifest, staging)
            WRITTEN.add(out)  # before the signals held arrive
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _whole_folder_staging(out: Path, units: set[str]) -> Path | None:
    """A staging folder beside `out` when the whole folder can be swapped: it holds nothing at
    its top but ftgen's entries, and its parent is writable (a mount point is found at the swap)."""
    if out.exists() and (os.path.ismount(out) or any(e.name not in units for e in os.scandir(out))):
        return None
    try:
        return Path(tempfile.mkdtemp(prefix=f".{out.name}.{STAGING.lstrip('.')}", dir=out.parent))
    except OSError:
        if not out.is_dir():
            raise
        return None  # a parent that is not writable: the entries are swapped inside


def _stage(live: Path, staged: Path, unit: str, writing: dict[str, str], ours: frozenset[str]) -> dict[str, int]:
    """Build the new content of one unit (a top-level entry, or with `unit` "" the whole
    folder) at `staged`: ftgen's new files, and every entry of the user's under `live` as a
    hard link (else a copy). Nothing is staged for a unit ftgen no longer writes anything in.
    Returns rel path -> inode of what was carried."""
    prefix = f"{unit}/" if unit else ""
    mine = {rel: text for rel, text in writing.items() if not unit or rel == unit or rel.startswith(prefix)}
    if unit in mine:  # a top-level file
        staged.write_text(mine[unit], encoding="utf-8", newline="\n")
        return {}
    if not mine:
        return {}
    staged.mkdir(exist_ok=True)
    if live.is_dir():
        shutil.copymode(live, staged)
    for rel, text in sorted(mine.items()):
        path = staged / rel.removeprefix(prefix)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    carried: dict[str, int] = {}
    folders = []  # the user's folders keep their mode; one holding only ftgen's old files goes
    for entry, rel in _theirs(live, unit, ours):
        target = staged / rel.removeprefix(prefix)
        if entry.is_dir(follow_symlinks=False):
            folders.append((entry.path, target))
            if not any(os.scandir(entry.path)):  # an empty folder is the user's: ftgen leaves none
                target.mkdir(parents=True, exist_ok=True)
        elif not os.path.lexists(target):
            target.parent.mkdir(parents=True, exist_ok=True)
            _link(Path(entry.path), target)
            carried[rel] = entry.inode()
    for source, target in folders:
        if target.is_dir() and not target.is_symlink():
            shutil.copystat(source, target, follow_symlinks=False)
    return carried


def _theirs(live: Path, unit: str, ours: frozenset[str]) -> Iterator[tuple[os.DirEntry[str], str]]:
    """(entry, path relative to the output) of everything of the user's under `live`, folders
    before what they hold: every file ftgen does not decide on, and the folders on the way.
    Python's bytecode caches are not carried: a module rewritten within the second of its
    cached bytecode, at the same size, would read the stale one."""
    if not live.is_dir() or live.is_symlink():
        return
    prefix = f"{unit}/" if unit else ""
    pending = [live]
    while pending:
        folder = pending.pop(0)
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            rel = prefix + Path(entry.path).relative_to(live).as_posix()
            if entry.name == "__pycache__" or (folder == live and not unit and _staging(entry.name)):
                continue
            if entry.is_dir(follow_symlinks=False):
                yield entry, rel
                pending.append(Path(entry.path))
            elif rel not in ours:
                yield entry, rel


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:  # no hard links here: a copy (a symlink as a symlink)
        if source.is_symlink():
            os.symlink(os.readlink(source), target)
        elif source.is_file():
            shutil.copy2(source, target)
        # anything else (a socket, a device) is moved over after the swap


def _swap(live: Path, staged: Path, unit: str, staging: Path, carried: dict[str, int], ours: frozenset[str],
          owned: frozenset[str]) -> None:  # fmt: skip
    if not os.path.lexists(staged):  # nothing of ftgen's here any more: its files go, in place
        _remove_owned(live.parent if unit else live, unit, owned)
        return
    if not os.path.lexists(live) or not staged.is_dir():
        os.replace(staged, live)  # a new entry, or a file: one rename either way
        return
    old = staged
    if not _exchange(staged, live):  # no atomic exchange here: two renames
        old = staging / f"old-{unit or 'out'}"
        try:
            os.replace(live, old)
        except OSError as exc:
            if unit or exc.errno not in (errno.EBUSY, errno.EXDEV, errno.EPERM, errno.EACCES, errno.EROFS):
                raise
            raise _Unmovable from exc  # nothing moved yet
        os.replace(staged, live)
    # Whatever of the user's the old tree holds that is not the very file carried (new, or
    # replaced meanwhile, or not linkable) is moved into the new tree.
    prefix = f"{unit}/" if unit else ""
    for entry, rel in list(_theirs(old, unit, ours)):
        if not entry.is_dir(follow_symlinks=False) and carried.get(rel) != entry.inode():
            target = live / rel.removeprefix(prefix)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(entry.path, target)
    shutil.rmtree(old, ignore_errors=True)


def _remove_owned(out: Path, unit: str, owned: frozenset[str]) -> None:
    """Remove the files ftgen wrote under `unit` (with their bytecode), then the folders this
    leaves empty; anything left in them is the user's."""
    folders: set[Path] = set()
    for rel in owned:
        if rel == unit or rel.startswith(f"{unit}/"):
            path = out / rel
            if path.is_symlink() or path.is_file():
                path.unlink()
            for pyc in (path.parent / "__pycache__").glob(f"{path.stem}.*.pyc") if path.suffix == ".py" else ():
                pyc.unlink()
            folders.update(p for p in [path.parent / "__pycache__", *path.parents] if p.is_relative_to(out / unit))
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when empty


def _remove_leftovers(out: Path) -> None:
    """Staging folders of a run that was killed (ftgen's by their names) go first."""
    places = [(out, STAGING)] if out.is_dir() else []
    places.append((out.parent, f".{out.name}.{STAGING.lstrip('.')}"))
    for folder, prefix in places:
        for entry in os.scandir(folder):
            if entry.name.startswith(prefix) and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)


def _atomic_text(path: Path, text: str, staging: Path) -> None:
    temporary = staging / f"{path.name}.tmp"
    temporary.write_text(text, encoding="utf-8", newline="\n")
    os.replace(temporary, path)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the swaps are done, then arrive."""
    held = {signal.SIGINT, signal.SIGTERM}
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


AT_FDCWD = -100
RENAME_EXCHANGE = 2


@cache
def _renameat2() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a libc without it (glibc < 2.28, some musl)
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _exchange(a: Path, b: Path) -> bool:
    """Swap two entries in one step (Linux renameat2 RENAME_EXCHANGE), so a kill at any instant
    leaves a whole tree at each name. False where the system or filesystem cannot: the caller
    then renames twice."""
    function = _renameat2()
    return function is not None and function(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0


def write_tree(files: dict[str, str], out: Path, once: frozenset[str] = frozenset(), force: bool = False) -> None:
    """`claim` then `write`, for callers that have no inputs to protect (tests, benchmarks)."""
    write(claim(out, force=force), files, once)
