"""Settings: `[tool.ftgen]` in pyproject.toml, overridden by command-line flags.

Every key and value is checked before any work, each problem located at its line and column
in the file (`pyproject.toml:12:1  #/tool/ftgen/out  error: ...`); an unknown key is a warning
with the nearest known one (an error with --strict).
"""

from __future__ import annotations

import difflib
import importlib.util
import keyword
import re
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, Level, Location, SpecError, escape_pointer_token, strictly
from .writer import FORMATTERS, LINE_LENGTH

LAYOUTS = ("flat", "package")
PAGING_STYLES = ("cursor", "cursor_field", "offset", "page", "next_url", "link", "single")
PAGING_KEYS = ("style", "items", "param", "field", "more", "limit")


@dataclass(frozen=True)
class Settings:
    specs: tuple[Path | str, ...] = ()  # str: an http(s) URL, which the CLI reads into a file first
    out: Path = Path("generated")
    client_package: str | None = None  # default: from the API title
    stubs_package: str | None = None  # default: from the API title; "" for none
    api_key_env: str | None = None  # default: from the client package (names.env_names)
    base_url_env: str | None = None
    strict: bool = False
    allow_outside: bool = False
    force: bool = False  # write into a folder ftgen does not own (generator/output.py)
    # Method names no spec states: an operation ("GET /path" or its operationId) -> dotted names,
    # the first its name, the others aliases on the same resource (`[tool.ftgen.methods]`).
    methods: tuple[tuple[str, tuple[str, ...]], ...] = ()
    deprecated_methods: tuple[tuple[str, str], ...] = ()  # an alias -> its DeprecationWarning's message
    # How the pages of an operation follow each other where the spec's names do not say
    # (`[tool.ftgen.pagination]`): an operation -> (key, value) pairs of the runtime's `Paging`.
    pagination: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    config_file: str = "pyproject.toml"  # where [tool.ftgen] was read, for located errors
    formatter: str = "ruff"  # or "black"; the output is stable under both either way
    line_length: int = LINE_LENGTH
    layout: str = "flat"  # or "package": an installable distribution (pyproject.toml, README.md)
    # A header-name prefix: each request says the language, OS, runtime and retry count under it
    # (`X-Stainless` makes `X-Stainless-Lang: python`, as openai-python sends); "": none sent.
    platform_headers: str = ""
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


SELECTION_KEYS = ("include_tags", "include_paths", "exclude_paths")

# Modules the generated code imports, which a generated package may not shadow.
_IMPORTED = frozenset({"httpx", "pydantic", "pydantic_core", "fastapi", "starlette", "anyio", "typing_extensions"})
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_HEADER_PREFIX = re.compile(r"([A-Za-z0-9]+-)*[A-Za-z0-9]+")


def package_problem(name: str) -> str | None:
    """Why `name` cannot be a generated package's name, or None."""
    if not (name.isascii() and name.isidentifier()):
        return f"{name!r} is not a Python package name (letters, digits and _, not starting with a digit)"
    if keyword.iskeyword(name):
        return f"{name!r} is a Python keyword"
    if name in sys.stdlib_module_names or name in _IMPORTED:
        return f"{name!r} would shadow the module {name} that the generated code imports"
    return None


# ---------------------------------------------------------------- [tool.ftgen]
Check = Callable[[Any], str | None]  # the problem with a value, or None


def _string(value: Any) -> str | None:
    return None if isinstance(value, str) else f"must be a string, not {_shown(value)}"


def _strings(value: Any) -> str | None:
    if isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return None
    return f"must be a string or a list of strings, not {_shown(value)}"


def _package(allow_empty: bool) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return f"must be a string, not {_shown(value)}"
        return None if allow_empty and value == "" else package_problem(value)

    return check


def _env(value: Any) -> str | None:
    if not isinstance(value, str) or not _ENV_NAME.fullmatch(value):
        return f"must be an environment variable's name (letters, digits and _), not {_shown(value)}"
    return None


def _header_prefix(value: Any) -> str | None:
    if not isinstance(value, str) or not _HEADER_PREFIX.fullmatch(value):
        return f"must be the start of a header name (`X-Stainless`: letters, digits and -), not {_shown(value)}"
    return None


def _one_of(choices: tuple[str, ...]) -> Check:
    def check(value: Any) -> str | None:
        return None if value in choices else f"must be one of {', '.join(choices)}, not {_shown(value)}"

    return check


def _line_length(value: Any) -> str | None:
    if type(value) is not int or not 40 <= value <= 320:
        return f"must be a whole number from 40 to 320, not {_shown(value)}"
    return None


def _table(value: Any) -> str | None:
    return None if isinstance(value, dict) else f"must be a table, not {_shown(value)}"


def _shown(value: Any) -> str:
    """A value as the TOML file wrote it, near enough to find it there."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return repr(value)
    return "a table" if isinstance(value, dict) else f"a {type(value).__name__} ({value!r})"


KEYS: dict[str, Check] = {
    "spec": _strings,
    "out": _string,
    "client_package": _package(allow_empty=False),
    "stubs_package": _package(allow_empty=True),
    "api_key_env": _env,
    "base_url_env": _env,
    "formatter": _one_of(FORMATTERS),
    "line_length": _line_length,
    "layout": _one_of(LAYOUTS),
    "platform_headers": _header_prefix,
    "methods": _table,
    "pagination": _table,
    "training_formats": _table,
    "include_tags": _strings,
    "include_paths": _strings,
    "exclude_paths": _strings,
}


def read_pyproject(path: Path, strict: bool = False) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The `[tool.ftgen]` table as Settings' fields, with paths made relative to the file's
    folder, and the warnings found (unknown keys). A wrong value is a SpecError."""
    if not path.is_file():
        return {}, []
    try:
        text = path.read_text(encoding="utf-8")
        document = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError([Diagnostic.of("config", Location(str(path)), f"cannot read: {exc}")]) from None
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(where[1]), int(where[2])) if where else (None, None)
        location = Location(str(path), "", line, col)
        raise SpecError([Diagnostic.of("config", location, f"invalid TOML: {exc}")]) from None
    tool = document.get("tool", {})
    table = tool.get("ftgen", {}) if isinstance(tool, dict) else {}
    positions = toml_positions(text)

    def located(key: str, message: str, rule: str = "config") -> Diagnostic:
        return Diagnostic.of(rule, config_location(path, key, positions), message)

    if not isinstance(table, dict):
        raise SpecError([located("", "[tool.ftgen] must be a table")])
    found: list[Diagnostic] = []
    for key, value in table.items():
        check = KEYS.get(key)
        if check is None:
            near = difflib.get_close_matches(key, KEYS, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else f" (known: {', '.join(KEYS)})"
            found.append(located(key, f"unknown key {key!r} in [tool.ftgen]{hint}", "config-unknown-key"))
        elif (problem := check(value)) is not None:
            found.append(located(key, f"{key} {problem}"))
    found = strictly(found + _entries(table, located), strict)
    if any(d.level is Level.ERROR for d in found):
        raise SpecError(found)
    return _values(table, path), found


def _entries(table: dict[str, Any], located: Callable[[str, str], Diagnostic]) -> list[Diagnostic]:
    """Problems inside the tables: [tool.ftgen.methods] and [tool.ftgen.training_formats]."""
    found = []
    dotted = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+")
    methods = table.get("methods")
    for operation, names in methods.items() if isinstance(methods, dict) else ():
        names = [names] if isinstance(names, (str, dict)) else names
        if (
            not isinstance(names, list)
            or not names
            or not all(isinstance(n, str) and dotted.fullmatch(n) or _deprecated_alias(n, dotted) for n in names)
            or isinstance(names[0], dict)
        ):
            message = (
                f"{operation!r}: a dotted method name (`fine_tuning.jobs.list_events`) or a list of them, "
                'aliases also as `{name = ..., deprecated = "message"}`'
            )
            found.append(located(f"methods/{operation}", message))
    pagination = table.get("pagination")
    for operation, rule in pagination.items() if isinstance(pagination, dict) else ():
        if not isinstance(rule, dict) or rule.get("style") not in PAGING_STYLES:
            message = f"{operation!r}: a table with `style` one of {', '.join(PAGING_STYLES)}"
            found.append(located(f"pagination/{operation}", message))
        elif unknown := sorted(set(rule) - set(PAGING_KEYS)) or [k for k, v in rule.items() if not isinstance(v, str)]:
            message = f"{operation!r}: {unknown[0]!r} is not one of {', '.join(PAGING_KEYS)} with a text value"
            found.append(located(f"pagination/{operation}", message))
    formats = table.get("training_formats")
    for method, model in formats.items() if isinstance(formats, dict) else ():
        if not isinstance(model, str):
            message = f"{method!r}: the name of the schema of one line of a training file, not {_shown(model)}"
            found.append(located(f"training_formats/{method}", message))
    client, stubs = table.get("client_package"), table.get("stubs_package")
    if isinstance(client, str) and client and client == stubs:
        found.append(located("stubs_package", f"stubs_package must differ from client_package ({client!r})"))
    return found


def _deprecated_alias(entry: Any, dotted: re.Pattern[str]) -> bool:
    """`{name = "a.b.c", deprecated = "Use list instead."}`: an alias that warns when called."""
    return (
        isinstance(entry, dict)
        and set(entry) == {"name", "deprecated"}
        and isinstance(entry["name"], str)
        and bool(dotted.fullmatch(entry["name"]))
        and isinstance(entry["deprecated"], str)
    )


def _values(table: dict[str, Any], path: Path) -> dict[str, Any]:
    base = path.parent
    out: dict[str, Any] = {"config_file": str(path)}
    if "spec" in table:
        specs = table["spec"] if isinstance(table["spec"], list) else [table["spec"]]
        out["specs"] = tuple(s if is_url(s) else base / s for s in specs)
    if "out" in table:
        out["out"] = base / table["out"] if table["out"] else base
    for key in (
        "client_package",
        "stubs_package",
        "api_key_env",
        "base_url_env",
        "formatter",
        "line_length",
        "layout",
        "platform_headers",
    ):
        if key in table:
            out[key] = table[key]
    methods = table.get("methods", {})
    listed = {str(op): [names] if isinstance(names, (str, dict)) else names for op, names in methods.items()}
    out["methods"] = tuple(
        (op, tuple(n["name"] if isinstance(n, dict) else n for n in names)) for op, names in listed.items()
    )
    out["deprecated_methods"] = tuple(
        (n["name"], n["deprecated"]) for names in listed.values() for n in names if isinstance(n, dict)
    )
    pagination = table.get("pagination", {})
    out["pagination"] = tuple((str(op), tuple(sorted(rule.items()))) for op, rule in pagination.items())
    if "training_formats" in table:
        out["training_formats"] = tuple(table["training_formats"].items())
    for key in SELECTION_KEYS:
        if key in table:
            value = table[key]
            out[key] = tuple(value) if isinstance(value, list) else (value,)
    if out.get("formatter") == "black" and importlib.util.find_spec("black") is None:
        problem = "formatter = \"black\" needs black: pip install 'ftgen[black]'"
        raise SpecError([Diagnostic.of("config", config_location(path, "formatter"), problem)])
    return out


def is_url(spec: object) -> bool:
    return isinstance(spec, str) and spec.startswith(("http://", "https://"))


# ---------------------------------------------------------------- where keys are written
_KEY_PART = r'(?:"(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_-]+)'
_DOTTED = re.compile(rf"\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*")
_HEADER = re.compile(rf"\s*\[\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*\]")


def _parts(dotted: str) -> list[str]:
    parts = re.findall(_KEY_PART, dotted)
    return [tomllib.loads(f"k = {p}")["k"] if p[0] in "\"'" else p for p in parts]


def toml_positions(text: str) -> dict[str, tuple[int, int]]:
    """(line, column) of every key and table written under [tool.ftgen], by its path below it
    ("out", "methods", "methods/GET /x"; "" for the table itself): table headers and
    `key = value` lines, as pyproject.toml files write them (keys in inline tables and
    multi-line values fall back to the key that holds them)."""
    positions: dict[str, tuple[int, int]] = {}
    table: list[str] = []
    quotes = 0  # inside a multi-line string
    for number, line in enumerate(text.splitlines(), 1):
        if quotes % 2:
            quotes += line.count('"""') + line.count("'''")
            continue
        header = _HEADER.match(line)
        if header and not line.lstrip().startswith("[["):
            table = _parts(header[1])
            if table[:2] == ["tool", "ftgen"]:
                positions.setdefault("/".join(table[2:]), (number, line.index("[") + 1))
            continue
        key = _DOTTED.match(line)
        if key and line[key.end() :].startswith("="):
            full = table + _parts(key[1])
            if full[:2] == ["tool", "ftgen"] and len(full) > 2:
                positions.setdefault("/".join(full[2:]), (number, key.start(1) + 1))
            quotes += line.count('"""') + line.count("'''")
    return positions


def config_location(path: Path | str, key: str, positions: dict[str, tuple[int, int]] | None = None) -> Location:
    """Where `[tool.ftgen]`'s `key` (`formatter`, or `methods/GET /x` for an entry of a table)
    is written in the file, or the nearest enclosing table that is."""
    if positions is None:
        try:
            positions = toml_positions(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            positions = {}
    table, _, entry = key.partition("/")
    pointer = "#/tool/ftgen" + "".join("/" + escape_pointer_token(part) for part in (table, entry) if part)
    for probe in (key, table, ""):
        if probe in positions:
            return Location(str(path), pointer, *positions[probe])
    return Location(str(path), pointer)


# ---------------------------------------------------------------- spec files
def spec_files(paths: tuple[Path | str, ...]) -> list[Path]:
    """Files given, plus every YAML/JSON OpenAPI document directly inside folders given."""
    files: list[Path] = []
    for path in map(Path, paths):
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
