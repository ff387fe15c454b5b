"""Settings: `[tool.ftgen]` in pyproject.toml, overridden by command-line flags."""

from __future__ import annotations

import importlib.util
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, Level, Location, SpecError, escape_pointer_token
from .writer import FORMATTERS, LINE_LENGTH


@dataclass(frozen=True)
class Settings:
    specs: tuple[Path, ...] = ()
    out: Path = Path("generated")
    client_package: str | None = None  # default: from the API title
    stubs_package: str | None = None  # default: from the API title; "" for none
    api_key_env: str = "OPENAI_API_KEY"
    base_url_env: str = "OPENAI_BASE_URL"
    strict: bool = False
    allow_outside: bool = False
    # Method names no spec states: an operation ("GET /path" or its operationId) -> dotted names,
    # the first its name, the others aliases on the same resource (`[tool.ftgen.methods]`).
    methods: tuple[tuple[str, tuple[str, ...]], ...] = ()
    config_file: str = "pyproject.toml"  # where [tool.ftgen] was read, for located errors
    formatter: str = "ruff"  # or "black"; the output is stable under both either way
    line_length: int = LINE_LENGTH
    # Training files: the schema of one JSONL line per fine-tuning method, checked by the client.
    training_formats: tuple[tuple[str, str], ...] = (
        ("supervised", "FineTuneChatRequestInput"),
        ("dpo", "FineTunePreferenceRequestInput"),
        ("reinforcement", "FineTuneReinforcementRequestInput"),
        ("completions", "FineTuneCompletionRequestInput"),
    )
    # Slicing (generator/selection.py): which operations to keep; empty keeps all.
    include_tags: tuple[str, ...] = ()
    include_paths: tuple[str, ...] = ()
    exclude_paths: tuple[str, ...] = ()


def read_pyproject(path: Path) -> dict[str, Any]:
    """The `[tool.ftgen]` table, with paths made relative to the file's folder."""
    if not path.is_file():
        return {}
    text = path.read_text(encoding="utf-8")
    try:
        table = tomllib.loads(text).get("tool", {}).get("ftgen", {})
    except tomllib.TOMLDecodeError as exc:
        raise SpecError([Diagnostic(Level.ERROR, Location(str(path)), f"invalid TOML: {exc}", "config")]) from None

    def problem(key: str, message: str) -> SpecError:
        return SpecError([Diagnostic(Level.ERROR, config_location(path, key), message, "config")])

    base = path.parent
    out: dict[str, Any] = {}
    if "spec" in table:
        specs = table["spec"] if isinstance(table["spec"], list) else [table["spec"]]
        out["specs"] = tuple(base / s for s in specs)
    if "out" in table:
        out["out"] = base / table["out"]
    for key in ("client_package", "stubs_package", "api_key_env", "base_url_env"):
        if key in table:
            out[key] = str(table[key])
    if "formatter" in table:
        if table["formatter"] not in FORMATTERS:
            raise problem("formatter", f"formatter must be one of {', '.join(FORMATTERS)}, not {table['formatter']!r}")
        if table["formatter"] == "black" and importlib.util.find_spec("black") is None:
            raise problem("formatter", "formatter = \"black\" needs black: pip install 'ftgen[black]'")
        out["formatter"] = table["formatter"]
    if "line_length" in table:
        if type(table["line_length"]) is not int or not 40 <= table["line_length"] <= 320:
            raise problem(
                "line_length", f"line_length must be a whole number from 40 to 320, not {table['line_length']!r}"
            )
        out["line_length"] = table["line_length"]
    methods = table.get("methods", {})
    if not isinstance(methods, dict):
        raise problem("methods", "[tool.ftgen.methods] maps operations to method names")
    out["methods"] = []
    for operation, names in methods.items():
        names = [names] if isinstance(names, str) else names
        dotted = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+")
        if (
            not isinstance(names, list)
            or not names
            or not all(isinstance(n, str) and dotted.fullmatch(n) for n in names)
        ):
            message = f"{operation!r}: a dotted method name (`fine_tuning.jobs.list_events`) or a list of them"
            raise problem(f"methods/{operation}", message)
        out["methods"].append((str(operation), tuple(names)))
    out["methods"] = tuple(out["methods"])
    out["config_file"] = str(path)
    formats = table.get("training_formats")
    if isinstance(formats, dict):
        out["training_formats"] = tuple((str(k), str(v)) for k, v in formats.items())
    for key in SELECTION_KEYS:
        if key in table:
            value = table[key]
            out[key] = tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)
    return out


SELECTION_KEYS = ("include_tags", "include_paths", "exclude_paths")


def config_location(path: Path | str, key: str) -> Location:
    """Where `[tool.ftgen]`'s `key` (`formatter`, or `methods/GET /x` for an entry of a table)
    is written in the file."""
    table, _, entry = key.partition("/")
    name = entry or table
    try:
        rows = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        rows = []
    line = next((n for n, row in enumerate(rows, 1) if row.strip().lstrip('"').startswith(name)), None)
    pointer = "#/tool/ftgen/" + "/".join(escape_pointer_token(part) for part in (table, entry) if part)
    return Location(str(path), pointer, line, 1 if line else None)


def spec_files(paths: tuple[Path, ...]) -> list[Path]:
    """Files given, plus every YAML/JSON OpenAPI document directly inside folders given."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            for candidate in sorted(path.iterdir()):
                if candidate.suffix in (".yaml", ".yml", ".json") and _is_api_document(candidate):
                    files.append(candidate)
        else:
            files.append(path)
    return files


def _is_api_document(path: Path) -> bool:
    head = path.read_text(encoding="utf-8", errors="replace")[:4096]
    return any(line.lstrip('{ "').startswith(("openapi", "swagger")) for line in head.splitlines())
