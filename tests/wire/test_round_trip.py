"""Whatever the client's `_wire` writes, the stubs' `_wire` reads back as it was: a property
test over text, arrays and objects for every location, style and explode of the table."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.runtime import _wire as w

ROWS = [
    ("path", "simple", False), ("path", "simple", True), ("path", "label", False), ("path", "label", True),
    ("path", "matrix", False), ("path", "matrix", True), ("query", "form", False), ("query", "form", True),
    ("query", "spaceDelimited", False), ("query", "pipeDelimited", False), ("query", "deepObject", True),
    ("header", "simple", False), ("header", "simple", True), ("cookie", "form", False), ("cookie", "form", True),
]  # fmt: skip
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)  # any text: '/', '?', '#', ',', 'é'...
KEY = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="[]"), min_size=1, max_size=8).filter(
    lambda k: not k.isdigit()
)  # deepObject keys: brackets delimit them, digits would read as array indexes


def values(location: str, style: str, explode: bool, shape: str) -> st.SearchStrategy[Any]:
    """Values whose wire form is unambiguous (docs/decisions.md, "Wire format", lists the rest:
    an empty exploded list is absent, `[""]` reads as `[]`, a space inside a spaceDelimited item
    is the delimiter, a header's text outside printable ASCII arrives escaped)."""
    item = TEXT.filter(lambda t: " " not in t) if style == "spaceDelimited" else TEXT
    absent_when_empty = explode and location in ("query", "cookie") or style == "deepObject"
    if shape == "scalar":  # a header carries printable ASCII as it is, and escapes the rest
        return st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E)) if location == "header" else TEXT
    if shape == "array":
        return st.lists(item, min_size=1 if absent_when_empty else 0, max_size=5).filter(lambda v: v != [""])
    key = KEY.filter(lambda t: " " not in t) if style == "spaceDelimited" else KEY
    return st.dictionaries(key, item, min_size=1 if absent_when_empty else 0, max_size=5)


def round_trip(location: str, style: w.Style, value: Any, shape: str) -> Any:
    if location == "path":
        return w.decode_path("color", w.encode_path("color", value, style), style, shape)
    if location == "header":
        return w.decode_header("color", w.encode_header(value, style), style, shape)
    keys = tuple(value) if shape == "object" else ()
    if location == "cookie":
        pairs = w.query_pairs("; ".join(w.encode_query("color", value, style)), ";")
    else:
        pairs = w.query_pairs("&".join(w.encode_query("color", value, style)))
    return w.decode_query("color", pairs, style, shape, keys)


CASES = [
    pytest.param(location, style, explode, shape, id=f"{location}-{style}-{explode}-{shape}")
    for location, style, explode in ROWS
    for shape in ("scalar", "array", "object")
    if not (style in ("spaceDelimited", "pipeDelimited", "deepObject") and shape == "scalar")
    and not (style == "deepObject" and shape == "array")
]


@pytest.mark.parametrize(("location", "style", "explode", "shape"), CASES)
def test_what_is_written_is_read_back(location: str, style: str, explode: bool, shape: str) -> None:
    @settings(max_examples=60)
    @given(values(location, style, explode, shape))
    def check(value: Any) -> None:
        assert round_trip(location, w.Style(style, explode), value, shape) == value

    check()


JSON_TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x7f"), max_size=12)


@given(st.recursive(st.none() | st.booleans() | st.integers() | JSON_TEXT, lambda inner: st.lists(inner) | st.dictionaries(JSON_TEXT, inner), max_leaves=8))  # fmt: skip
def test_content_parameters_carry_any_json(value: Any) -> None:
    """A parameter given by `content: application/json` travels as its JSON text, anywhere (in
    a header, as ASCII JSON: only DEL, which JSON leaves as it is, would arrive escaped)."""
    for location, name in (("path", "simple"), ("query", "form"), ("header", "simple"), ("cookie", "form")):
        style = w.Style(name, name == "form", media="application/json")
        got = round_trip(location, style, value, "scalar")
        assert got == value, location


def test_nested_form_values_use_brackets_and_read_back() -> None:
    value = {"a": {"b": [1, {"c": "x y"}]}, "list": [[1, 2], []], "plain": "v"}
    body = w.encode_form(value, {})
    assert body == "a[b][0]=1&a[b][1][c]=x%20y&list[0][0]=1&list[0][1]=2&plain=v"
    fields = {"a": (w.Style(), "object", ("b",)), "list": (w.Style(), "array", ()), "plain": (w.Style(), "scalar", ())}
    assert w.decode_form(body, fields) == {"a": {"b": ["1", {"c": "x y"}]}, "list": [["1", "2"]], "plain": "v"}


def test_omitted_arguments_inside_objects_are_not_sent() -> None:
    """The crash this module was written for: an object-valued query parameter with a field
    left out (`OMIT`) once reached `json.dumps`."""
    from generator.runtime import _runtime as rt

    query = {"filter": rt.styled({"a": 1, "b": rt.OMIT}, "deepObject", True), "limit": rt.OMIT, "o": {"x": rt.OMIT}}
    assert rt.encode_query(query) == ["filter[a]=1"]


def test_an_exploded_form_object_spreads_over_its_own_keys() -> None:
    """The specification's default for a form field: `point={x: 1, y: 2}` is `x=1&y=2`."""
    value = {"name": "n", "point": {"x": "1", "y": "2"}, "tags": {"k": "v"}}
    body = w.encode_form(value, {})
    assert body == "name=n&x=1&y=2&k=v"
    fields = {
        "name": (w.Style(), "scalar", ()),
        "point": (w.Style(), "object", ("x", "y")),
        "tags": (w.Style(), "object", None),  # a map: the keys no other field claims
    }
    assert w.decode_form(body, fields) == value
