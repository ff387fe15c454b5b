"""OpenAPI 3.0.3's "Style Examples" table, cell by cell, written by the client's runtime and
read back by the same module the server stubs use."""

from __future__ import annotations

import pytest

from generator.runtime import _wire as w

EMPTY, STRING = "", "blue"
ARRAY = ["blue", "black", "brown"]
OBJECT = {"R": "100", "G": "200", "B": "150"}  # strings: what a server reads before validation
VALUES = {"empty": EMPTY, "string": STRING, "array": ARRAY, "object": OBJECT}
SHAPES = {"empty": "scalar", "string": "scalar", "array": "array", "object": "object"}

# (style, explode, location) -> the table's row: empty, string, array, object (None: n/a).
TABLE = {
    ("matrix", False, "path"): (";color", ";color=blue", ";color=blue,black,brown", ";color=R,100,G,200,B,150"),
    ("matrix", True, "path"): (";color", ";color=blue", ";color=blue;color=black;color=brown", ";R=100;G=200;B=150"),
    ("label", False, "path"): (".", ".blue", ".blue,black,brown", ".R,100,G,200,B,150"),  # 3.0.4's corrected row
    ("label", True, "path"): (".", ".blue", ".blue.black.brown", ".R=100.G=200.B=150"),
    ("form", False, "query"): ("color=", "color=blue", "color=blue,black,brown", "color=R,100,G,200,B,150"),
    ("form", True, "query"): ("color=", "color=blue", "color=blue&color=black&color=brown", "R=100&G=200&B=150"),
    ("simple", False, "path"): (None, "blue", "blue,black,brown", "R,100,G,200,B,150"),
    ("simple", True, "path"): (None, "blue", "blue,black,brown", "R=100,G=200,B=150"),
    ("spaceDelimited", False, "query"): (None, None, "color=blue%20black%20brown", "color=R%20100%20G%20200%20B%20150"),
    ("pipeDelimited", False, "query"): (None, None, "color=blue|black|brown", "color=R|100|G|200|B|150"),
    ("deepObject", True, "query"): (None, None, None, "color[R]=100&color[G]=200&color[B]=150"),
}  # fmt: skip

CELLS = [
    pytest.param(style, explode, location, column, expected, id=f"{style}-{explode}-{column}")
    for (style, explode, location), row in TABLE.items()
    for column, expected in zip(VALUES, row, strict=True)
    if expected is not None
]


def write(location: str, style: w.Style, value: object) -> str:
    if location == "path":
        return w.encode_path("color", value, style)
    return "&".join(w.encode_query("color", value, style))


def read(location: str, style: w.Style, raw: str, shape: str) -> object:
    if location == "path":
        return w.decode_path("color", raw, style, shape)
    keys = tuple(OBJECT) if shape == "object" else ()
    return w.decode_query("color", w.query_pairs(raw), style, shape, keys)


@pytest.mark.parametrize(("style", "explode", "location", "column", "expected"), CELLS)
def test_every_cell_is_written(style: str, explode: bool, location: str, column: str, expected: str) -> None:
    assert write(location, w.Style(style, explode), VALUES[column]) == expected


@pytest.mark.parametrize(("style", "explode", "location", "column", "expected"), CELLS)
def test_every_cell_is_read(style: str, explode: bool, location: str, column: str, expected: str) -> None:
    assert read(location, w.Style(style, explode), expected, SHAPES[column]) == VALUES[column]


def test_simple_headers_match_the_simple_path_row() -> None:
    for explode in (False, True):
        style = w.Style("simple", explode)
        for column in ("string", "array", "object"):
            expected = TABLE[("simple", explode, "path")][list(VALUES).index(column)]
            assert w.encode_header(VALUES[column], style) == expected
            assert w.decode_header("color", expected, style, SHAPES[column]) == VALUES[column]
