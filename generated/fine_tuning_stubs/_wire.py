"""How parameters and form fields travel: OpenAPI's style table, written and read by one module.

Copied as it is into every generated client (from ftgen's generator/runtime/); do not edit the
copy. The client writes with the `encode_*` functions, the generated server stubs read with
the `decode_*` ones, so a value makes the round trip unchanged. The reference is the "Style
Examples" table of OpenAPI 3.0.3; where the specification is silent the choices are in ftgen's
docs/decisions.md ("Wire format"): nesting below one level uses the bracket convention
(`a[b][0]=x`), `.` is escaped inside label values, scalar header values are sent verbatim.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, TypeAlias
from urllib.parse import quote, unquote, unquote_plus

RESERVED = ":/?#[]@!$&'()*+,;="  # RFC 3986; kept as they are under `allowReserved`
PRINTABLE = "".join(chr(c) for c in range(0x20, 0x7F))
HEADER_SAFE = "".join(c for c in PRINTABLE if c not in ",=%")  # header list items

Shape = str  # "scalar" | "array" | "object": what a server parses a parameter into
Parsed: TypeAlias = str | list[Any] | dict[str, Any] | None


class Style(NamedTuple):
    """OpenAPI's `style`, `explode` and `allowReserved` of one parameter or form field, or the
    media type (`content`/`contentType`) its value is written in instead."""

    name: str = "form"
    explode: bool = True
    allow_reserved: bool = False
    media: str | None = None


# A form field as a server reads it: its style, shape, and an object's own keys (None: any).
Field: TypeAlias = "tuple[Style, Shape, tuple[str, ...] | None]"


# The specification's defaults per location (`explode` is true for `form` only).
DEFAULTS = {
    "path": Style("simple", False),
    "query": Style("form", True),
    "header": Style("simple", False),
    "cookie": Style("form", True),
}


class Styled:
    """A parameter value with the style the spec gives it (when not its location's default).
    Not a tuple, which a parameter's own value may be."""

    __slots__ = ("value", "style")

    def __init__(self, value: object, style: Style) -> None:
        self.value = value
        self.style = style


class WireError(ValueError):
    """A parameter or form field that cannot be read as its style says."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name!r}: {message}")
        self.name = name


# ---------------------------------------------------------------- values
def text(value: object) -> str:
    """A primitive as the wire writes it; a nested value as its JSON."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def _plain(value: object, style: Style, ascii: bool = False) -> object:
    """Values given by `content` travel as one JSON (or other media) text."""
    if style.media is not None and "json" in style.media:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=ascii)
    return value


def _escape(value: str, style: Style) -> str:
    out = quote(value, safe=RESERVED if style.allow_reserved else "")
    # A label value's dots would read as delimiters; a whole `.`/`..` path segment as a step.
    if style.name == "label" or out in (".", ".."):
        out = out.replace(".", "%2E")
    return out


def _printable(text_: str) -> bool:
    return all(" " <= c <= "~" for c in text_)


def _items(value: object) -> tuple[Shape, Any]:
    if isinstance(value, Mapping):
        return "object", [(str(k), text(v)) for k, v in value.items()]
    if isinstance(value, (list, tuple)):
        return "array", [text(v) for v in value]
    return "scalar", text(value)


# ---------------------------------------------------------------- writing
def encode_path(name: str, value: object, style: Style) -> str:
    """One path segment (or the part of one) for `{name}`: `simple`, `label` or `matrix`."""
    kind, items = _items(_plain(value, style))
    esc = functools.partial(_escape, style=style)
    if kind == "scalar":
        values = [esc(items)] if items or style.name != "matrix" else []
    elif kind == "array":
        values = [esc(v) for v in items]
    elif style.explode:
        values = [f"{esc(k)}={esc(v)}" for k, v in items]
    else:
        values = [esc(s) for pair in items for s in pair]
    if (
        style.name == "label"
    ):  # RFC 6570's `{.list}` and `{.list*}`: OpenAPI 3.0.4 and 3.1.1's table
        return "." + ("." if style.explode else ",").join(values)
    if style.name == "matrix":
        key = esc(name)
        if style.explode and kind != "scalar":
            prefix = "" if kind == "object" else f"{key}="
            return "".join(f";{prefix}{v}" for v in values) or f";{key}"
        return f";{key}={','.join(values)}" if values else f";{key}"
    return ",".join(values)  # simple


def encode_header(value: object, style: Style) -> str:
    """A header value (`simple`): a scalar as it is, list items and pairs escaped. What HTTP
    cannot carry (text outside printable ASCII) is escaped; JSON (`content`) is ASCII.
    """
    kind, items = _items(_plain(value, style, ascii=True))
    if kind == "scalar":
        return items if _printable(items) else quote(items, safe=PRINTABLE)
    esc = functools.partial(quote, safe=HEADER_SAFE)
    if kind == "array":
        return ",".join(esc(v) for v in items)
    sep = "=" if style.explode else ","
    return ",".join(f"{esc(k)}{sep}{esc(v)}" for k, v in items)


def encode_query(name: str, value: object, style: Style) -> list[str]:
    """`key=value` parts of a query string (or form body, or cookie) for one parameter."""
    value = _plain(value, style)
    esc = functools.partial(_escape, style=style)
    key = esc(name)
    if style.name == "deepObject":
        return [f"{k}={esc(v)}" for k, v in _brackets(key, value, esc)]
    kind, items = _items(value)
    if kind == "scalar":
        return [f"{key}={esc(items)}"]
    if style.explode:
        if kind == "array":
            return [f"{key}={esc(v)}" for v in items]
        return [f"{esc(k)}={esc(v)}" for k, v in items]
    sep = {"spaceDelimited": "%20", "pipeDelimited": "|"}.get(style.name, ",")
    if kind == "array":
        return [f"{key}={sep.join(esc(v) for v in items)}"]
    return [f"{key}={sep.join(f'{esc(k)}{sep}{esc(v)}' for k, v in items)}"]


def _brackets(
    key: str, value: object, esc: Callable[[str], str]
) -> list[tuple[str, str]]:
    """`key[a][0]=v` pairs: objects by property, arrays by index, to any depth."""
    if isinstance(value, Mapping):
        subs = [(esc(str(k)), v) for k, v in value.items()]
    elif isinstance(value, (list, tuple)):
        subs = [(str(i), v) for i, v in enumerate(value)]
    else:
        return [(key, text(value))]
    return [pair for sub, v in subs for pair in _brackets(f"{key}[{sub}]", v, esc)]


def encode_form(fields: Mapping[str, object], styles: Mapping[str, Style]) -> str:
    """An `application/x-www-form-urlencoded` body: each field as its `encoding` says (`form`,
    exploded, by default), values nested below that level in the bracket convention.
    """
    parts: list[str] = []
    for name, value in fields.items():
        style = styles.get(name, DEFAULTS["query"])
        nested = isinstance(value, (list, tuple, Mapping)) and any(
            isinstance(v, (list, tuple, Mapping))
            for v in (value.values() if isinstance(value, Mapping) else value)
        )
        if nested and style.media is None and style.explode:
            style = Style("deepObject", True, style.allow_reserved)
        parts += encode_query(name, value, style)
    return "&".join(parts)


# ---------------------------------------------------------------- reading
def _assignments(parts: list[str], name: str) -> dict[str, str]:
    out = {}
    for part in parts:
        key, eq, value = part.partition("=")
        if not eq:
            raise WireError(name, f"expected key=value, got {part!r}")
        out[unquote(key)] = unquote(value)
    return out


def _unplain(value: Parsed, style: Style, name: str) -> Parsed:
    if style.media is None or "json" not in style.media or not isinstance(value, str):
        return value
    try:
        return json.loads(value)  # type: ignore[no-any-return]
    except ValueError:
        raise WireError(name, f"expected {style.media}, got {value!r}") from None


def decode_path(name: str, raw: str, style: Style, shape: Shape) -> Parsed:
    """The value of `{name}` from its raw (still percent-encoded) path segment."""
    shape = "scalar" if style.media is not None else shape
    if style.name == "label":
        if not raw.startswith("."):
            raise WireError(
                name, f"expected a label value starting with '.', got {raw!r}"
            )
        raw, sep = raw[1:], "." if style.explode else ","
    elif style.name == "matrix":
        key = quote(name, safe="")
        if not raw.startswith(";"):
            raise WireError(
                name, f"expected a matrix value starting with ';', got {raw!r}"
            )
        parts = raw[1:].split(";")
        if style.explode and shape == "object":
            return _assignments(parts, name) if parts != [key] else {}
        values = []
        for part in parts:
            if part != key and not part.startswith(key + "="):
                raise WireError(name, f"expected ';{key}=...', got {raw!r}")
            values.append(part[len(key) + 1 :])
        if not style.explode or shape == "scalar":
            if len(values) != 1:
                raise WireError(name, f"expected one ';{key}=...', got {raw!r}")
            raw, sep = values[0], ","
        else:
            return [unquote(v) for v in values if v or len(values) > 1]
    else:
        sep = ","
    if shape == "scalar":
        return _unplain(unquote(raw), style, name)
    return _shaped(raw.split(sep) if raw else [], shape, style.explode, name)


def _shaped(parts: list[str], shape: Shape, explode: bool, name: str) -> Parsed:
    """Delimited parts as a list, or an object (`k=v` parts, or alternating k, v)."""
    if shape == "array":
        return [unquote(p) for p in parts]
    if explode:
        return _assignments(parts, name)
    if len(parts) % 2:
        raise WireError(name, f"expected key,value pairs, got {','.join(parts)!r}")
    return {
        unquote(k): unquote(v) for k, v in zip(parts[::2], parts[1::2], strict=True)
    }


def decode_header(name: str, value: str | None, style: Style, shape: Shape) -> Parsed:
    if value is None:
        return None
    if shape == "scalar" or style.media is not None:
        return _unplain(value, style, name)
    return _shaped(value.split(",") if value else [], shape, style.explode, name)


def query_pairs(raw: str, sep: str = "&") -> list[tuple[str, str]]:
    """`(decoded key, raw value)` pairs of a query string, form body or (with `;`) cookie."""
    pairs = []
    for part in raw.split(sep):
        part = part.strip()
        if part:
            key, _, value = part.partition("=")
            pairs.append((unquote_plus(key), value))
    return pairs


def decode_query(
    name: str,
    pairs: list[tuple[str, str]],
    style: Style,
    shape: Shape,
    keys: tuple[str, ...] | None = (),
) -> Parsed:
    """The value of one parameter from `query_pairs`, or None when it is absent. An exploded
    `form` object is spread over its properties' own keys: `keys` names them (None: every key
    no other parameter claims, which the caller has removed)."""
    dec = unquote_plus
    if style.media is not None:
        shape = "scalar"
    if style.name == "deepObject" or (shape != "scalar" and _bracketed(name, pairs)):
        return _debracket(name, pairs)
    own = [v for k, v in pairs if k == name]
    if shape == "object" and style.explode:
        found = {
            k: dec(v)
            for k, v in pairs
            if (k in keys if keys is not None else k != name)
        }
        return found or None
    if not own:
        return None
    if shape == "scalar":
        return _unplain(dec(own[0]), style, name)
    if shape == "array" and style.explode:
        return [dec(v) for v in own]
    raw = own[0]
    if style.name == "spaceDelimited":
        raw = raw.replace("+", "%20").replace(" ", "%20").replace("%20", " ")
    sep = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style.name, ",")
    parts = [dec(p) for p in raw.split(sep)] if raw else []
    if shape == "array":
        return parts
    if len(parts) % 2:
        raise WireError(name, f"expected key{sep}value pairs, got {own[0]!r}")
    return dict(zip(parts[::2], parts[1::2], strict=True))


def _bracketed(name: str, pairs: list[tuple[str, str]]) -> bool:
    return any(k.startswith(name + "[") for k, _ in pairs)


def _debracket(name: str, pairs: list[tuple[str, str]]) -> Parsed:
    """`name[a][0]=v` pairs as nested objects; objects keyed 0..n-1 become lists."""
    root: dict[str, Any] = {}
    found = False
    for key, value in pairs:
        if not key.startswith(name + "["):
            continue
        found = True
        path = key[len(name) :]
        if not path.endswith("]"):
            raise WireError(name, f"malformed key {key!r}")
        steps = path[1:-1].split("][")
        node = root
        for step in steps[:-1]:
            child = node.setdefault(step, {})
            if not isinstance(child, dict):
                raise WireError(name, f"key {key!r} nests under a value")
            node = child
        if isinstance(node.get(steps[-1]), dict):
            raise WireError(name, f"key {key!r} has both a value and members")
        node[steps[-1]] = unquote_plus(value)
    return _lists(root) if found else None


def _lists(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    items = {k: _lists(v) for k, v in node.items()}
    if items and sorted(items) == sorted(str(i) for i in range(len(items))):
        return [items[str(i)] for i in range(len(items))]
    return items


def decode_form(body: str, fields: Mapping[str, Field]) -> dict[str, Any]:
    """An `application/x-www-form-urlencoded` body back into field values (`encode_form`).
    A field written as an exploded `form` object is spread over its properties' keys (a map's
    over every key no other field claims).
    """
    pairs = query_pairs(body)
    claimed = {*fields, *(k for _, _, keys in fields.values() for k in keys or ())}
    out: dict[str, Any] = {}
    for name, (style, shape, keys) in fields.items():
        spread = (
            shape == "object"
            and style.explode
            and style.name == "form"
            and not style.media
        )
        own = pairs
        if spread and keys is None:
            own = [
                (k, v)
                for k, v in pairs
                if k not in claimed and not any(k.startswith(f + "[") for f in fields)
            ]
        value = decode_query(name, own, style, shape, keys if spread else ())
        if value is not None:
            out[name] = _unplain(value, style, name)
    return out
