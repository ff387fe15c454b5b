"""Turning any name a spec uses into a valid, readable Python identifier.

The wire name is always kept beside the identifier (as a pydantic alias or a dict key), so
renaming here never changes what is sent or parsed.
"""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata
from functools import cache

BUILTINS = frozenset(dir(builtins))

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+[a-z]*")


def _ascii(text: str) -> str:
    """Fold accents to ASCII; spell out what has no ASCII form as its code point."""
    if text.isascii():
        return text
    out = []
    for ch in unicodedata.normalize("NFKD", text):
        if ch.isascii():
            out.append(ch)
        elif not unicodedata.combining(ch):
            out.append(f" u{ord(ch):04x} ")
    return "".join(out)


def words(name: str) -> list[str]:
    return _WORD.findall(_ascii(name))


@cache  # a big spec asks for the same names tens of thousands of times
def snake(name: str) -> str:
    return "_".join(w.lower() for w in words(name))


@cache
def pascal(name: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in words(name))


# Names a field or parameter may not take: keywords, and pydantic BaseModel's own members.
_PYDANTIC_MEMBERS = frozenset(
    {
        "copy", "dict", "json", "schema", "schema_json", "construct", "validate", "parse_obj",
        "parse_raw", "parse_file", "from_orm", "update_forward_refs", "fields", "register",
    }
)  # fmt: skip


def field_name(wire: str, model_field: bool = True) -> str:
    """A snake_case name for a JSON key: a model's field (which may not take pydantic's own
    names), or with `model_field=False` a function's argument (only keywords are taken). A
    model field in pydantic's `model_` namespace is spelled as openai-python spells it:
    `api_model_grader_parse_error`; another of pydantic's names (`json`, `copy`) takes a `_`."""
    name = snake(wire) or "field"
    if name[0].isdigit():
        name = f"field_{name}"
    if model_field and name.startswith("model_"):
        return f"api_{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or model_field and name in _PYDANTIC_MEMBERS:
        name += "_"
    return name


@cache
def attribute_name(wire: str) -> str:
    """A snake_case name for a resource or a method: `_` only after a keyword."""
    name = snake(wire) or "call"
    if name[0].isdigit():
        name = f"n_{name}"
    return name + "_" if keyword.iskeyword(name) or keyword.issoftkeyword(name) else name


def split_run_together(word: str, vocabulary: frozenset[str]) -> list[str]:
    """`deleteprojectspendlimit` -> delete, project, spend, limit: the fewest pieces, known
    words first (longest when equal), for an identifier written in one lowercase run."""
    best: list[tuple[int, int, list[str]] | None] = [(0, 0, [])] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(end):
            before = best[start]
            if before is None:
                continue
            piece = word[start:end]
            unknown = 0 if piece in vocabulary else len(piece)
            candidate = (before[0] + unknown, before[1] + 1, [*before[2], piece])
            if best[end] is None or candidate[:2] < best[end][:2]:  # type: ignore[index]
                best[end] = candidate
    found = best[len(word)]
    return found[2] if found else [word]


@cache
def class_name(raw: str, reserved: frozenset[str] = frozenset()) -> str:
    """A PascalCase class name; names the generated modules import themselves get a suffix."""
    name = pascal(raw) or "Schema"
    if name[0].isdigit():
        name = f"Schema{name}"
    while name in reserved or keyword.iskeyword(name) or name in BUILTINS:
        name += "Model"
    return name


def unique(name: str, taken: set[str]) -> str:
    """`name`, or `name_` (then `name__`...) if taken; records the result."""
    while name in taken:
        name += "_"
    taken.add(name)
    return name


def package_base(title: str) -> str:
    """The stem of the packages named from an API's title (`Galaxy Weather API` ->
    `galaxy_weather`, giving `galaxy_weather_client`): its words in snake_case, accents folded
    and other letters spelled as code points (`_ascii`), " API" dropped; `api` for a title of
    no words; `api_` before one that starts with a digit (`1Password Connect` ->
    `api_1_password_connect`). With `_client` or `_stubs` after it, never a keyword."""
    base = snake(title.removesuffix(" API").removesuffix(" api")) or "api"
    return f"api_{base}" if base[0].isdigit() else base


def env_stem(client_package: str) -> str:
    """What a client's environment variables start with, named for its own API
    (`galaxy_weather_client` -> `GALAXY_WEATHER`), never another service's."""
    return client_package.removesuffix("_client").strip("_").upper() or "API"


def env_names(client_package: str) -> tuple[str, str]:
    """The environment variables a client reads its API key and base URL from by default
    (`GALAXY_WEATHER_API_KEY`, `GALAXY_WEATHER_BASE_URL`); other credentials' are named alike."""
    stem = env_stem(client_package)
    return f"{stem}_API_KEY", f"{stem}_BASE_URL"


# What every generated client has of its own: the runtime's methods and settings and what the
# templates add. An operation or resource at the client's root may not take one of these names,
# nor one of RESOURCE_NAMES anywhere (tests/test_openai_patterns.py checks them against a client).
CLIENT_NAMES = frozenset({
    "authorize", "base_url", "build", "close", "copy", "default_headers", "default_query", "log", "max_retries",
    "prepare", "presented", "request", "request_events", "request_page", "request_stream", "requirement",
    "retry_delay", "send", "timeout", "token_request", "with_options",
})  # fmt: skip
WEBHOOK_NAMES = frozenset({"webhooks", "webhook_secret"})  # the client's too, where the API has webhooks
RESOURCE_NAMES = frozenset({"with_raw_response", "with_streaming_response"})
