"""The record of the last `generate` into a folder: a rerun with nothing changed reads its
inputs, finds them the same, and stops, with no parse, render or write.

Two runs are the same when their keys are: the settings, the generator's own code and
templates, the formatter it runs and the documents listed in spec folders; and when every
document the last run read (the specs and what their `$ref`s reached) still has the text it
had. A `$ref` that reaches another file is written in one of those, so a new file to read
changes one already read. And the output must still be exactly what the last run wrote: a
file edited, added or deleted there regenerates. Records live in the user's cache
folder (`$XDG_CACHE_HOME/ftgen`, else `~/.cache/ftgen`), one per output folder, never in the
checkout; `--allow-outside` (refs anywhere) is never cached. Only light modules are imported
here: the point is to answer before the heavy ones load.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path

from .config import Settings, spec_files

_GENERATOR = Path(__file__).resolve().parent
_SOURCES = (_GENERATOR, _GENERATOR.parent / "templates")  # installed, the templates are inside
RECORD_VERSION = 3


def _folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ftgen"


def _record_path(out: Path) -> Path:
    name = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:24]
    return _folder() / f"{name}.json"


def _files_under(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in suffixes and "__pycache__" not in p.parts)


def key(settings: Settings) -> str | None:
    """What decides the output of `generate` besides the documents read, hashed; None when it
    cannot be known cheaply."""
    if settings.allow_outside or not all(isinstance(p, Path) for p in settings.specs):
        return None
    digest = hashlib.sha256(f"{RECORD_VERSION}\n{sorted(dataclasses.asdict(settings).items())!r}".encode())
    digest.update(f"\n{spec_files(settings.specs)}".encode())  # a document added to a spec folder is read
    code = [f for folder in _SOURCES if folder.is_dir() for f in _files_under(folder, (".py", ".j2", ".toml"))]
    for path in code:
        digest.update(f"\n{path}\n".encode())
        digest.update(path.read_bytes())
    for tool in _formatters(settings.formatter):
        digest.update(f"\n{tool}\n".encode())
    return digest.hexdigest()


def _formatters(formatter: str) -> list[str]:
    """The formatters as installed (path, size and time of each): another version, another key."""
    import importlib.util

    from ruff.__main__ import find_ruff_bin

    paths = [Path(find_ruff_bin())]
    black = importlib.util.find_spec("black") if formatter == "black" else None
    if black is not None and black.origin is not None:
        paths.append(Path(black.origin))
    return [f"{p} {p.stat().st_size} {p.stat().st_mtime_ns}" for p in paths if p.exists()]


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _same_texts(read: dict[str, str]) -> bool:
    """Whether each document still reads as the text the last run parsed (the loader's
    reading: UTF-8, newlines translated)."""
    try:
        return all(_text_hash(Path(p).read_text(encoding="utf-8")) == h for p, h in read.items())
    except (OSError, UnicodeDecodeError):
        return False


def _tree(out: Path, paths: list[str]) -> dict[str, str] | None:
    """Relative path -> sha256 of each of the files a run wrote in `out` (the user's files
    beside them are not the generator's, and changing them changes nothing here)."""
    try:
        return {rel: _hash(out / rel) for rel in paths}
    except OSError:  # one is missing, or unreadable: generate again
        return None


def unchanged(settings: Settings, run_key: str | None) -> dict[str, object] | None:
    """The last run's record when `run_key` is its key and `out` still holds what it wrote."""
    if run_key is None:
        return None
    try:
        record = json.loads(_record_path(settings.out).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("key") != run_key:
        return None
    if not isinstance(record.get("tree"), dict) or not isinstance(record.get("read"), dict):
        return None
    if not _same_texts(record["read"]):
        return None
    return record if _tree(settings.out, list(record["tree"])) == record["tree"] else None


def remember(
    settings: Settings, run_key: str | None, read: dict[Path, str], summary: str, warnings: list[str], paths: list[str]
) -> None:
    """Keep this run's record (best effort: a cache that cannot be written is no error). `read`
    is each document the run read -> the text it parsed."""
    tree = _tree(settings.out, paths)
    if run_key is None or tree is None:
        return
    texts = {str(path): _text_hash(text) for path, text in read.items()}
    record = {"key": run_key, "read": texts, "tree": tree, "summary": summary, "warnings": warnings}
    path = _record_path(settings.out)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(record), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass
