"""generator/loader.py reads YAML in one pass over libyaml's nodes: data, lines, and YAML's
corners (merge keys, aliases, keys that are not text, tags) as PyYAML's safe loader has them."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import exact_yaml, loader, yaml_nodes, yaml_scalars
from generator.diagnostics import SpecError
from generator.loader import parse

TEXT = """\
openapi: 3.1.0
base: &base {type: object, nullable: yes}
merged:
  <<: *base
  type: array
again: *base
codes:
  200: ok
  3.5: half
  true: yes
  null: nothing
  ~: tilde
  '007': quoted
version: 2023-12-22
numbers: [0x1f, 1_000, 0o17, -2.5e3, 1:30, 1.5]
empty:
"""


def test_the_data_is_what_pyyaml_reads_with_keys_as_written() -> None:
    doc = parse(Path("api.yaml"), TEXT)
    reference = yaml.load(TEXT, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    reference["codes"] = {"200": "ok", "3.5": "half", "true": True, "null": "nothing", "~": "tilde", "007": "quoted"}
    reference["version"] = "2023-12-22"  # a date stays text
    assert doc.data == reference
    assert doc.data["merged"] == {"type": "array", "nullable": True}
    assert doc.data["again"] is doc.data["base"]  # an alias is the same object, not a copy


def test_every_pointer_has_its_line() -> None:
    doc = parse(Path("api.yaml"), TEXT)
    assert doc.location("#/codes/200").line == 8
    assert doc.location("#/codes/~0").line == 12  # "~" escaped in a pointer
    assert doc.location("#/numbers/4").line == 15
    assert doc.location("#/again/type").line == 6  # inside an alias: the alias's line


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\n? [x, y]\n: 2\n", 2, "a mapping key must be a string, number or boolean, not a collection"),
        ("a: !custom 1\n", 1, "unsupported YAML tag '!custom'"),
        ("a: !!set {x, y}\n", 1, "unsupported YAML tag 'tag:yaml.org,2002:set'"),
        ("a: !!binary aGVsbG8=\n", 1, "unsupported YAML tag 'tag:yaml.org,2002:binary'"),
        ("a: 1\nb: [1, .inf]\n", 2, ".inf is not a number JSON can hold"),
        ("a: .NaN\n", 1, ".NaN is not a number JSON can hold"),
        ("a:\n  <<: 5\n", 2, "expected a mapping or list of mappings for merging"),
    ],
)
def test_what_json_cannot_hold_is_a_located_error(text: str, line: int, message: str) -> None:
    with pytest.raises(SpecError) as raised:
        parse(Path("api.yaml"), text)
    (problem,) = raised.value.diagnostics
    assert (problem.location.line, problem.rule) == (line, "yaml-syntax")
    assert message in problem.message


def test_json_has_no_nan() -> None:
    with pytest.raises(SpecError) as raised:
        parse(Path("api.json"), '{"a": [1, NaN]}')
    (problem,) = raised.value.diagnostics
    assert (problem.message, problem.rule) == ("invalid JSON: NaN is not a number JSON can hold", "json-syntax")


@pytest.mark.parametrize("levels", [150, 1500])
def test_too_deep_is_the_same_report_whatever_libyaml_composes(levels: int, tmp_path: Path) -> None:
    # Newer libyaml refuses to compose past 1,000 levels itself; older ones compose anything.
    # Either way the report names the first collection past 100 levels, where it is written.
    from generator.config import Settings
    from generator.pipeline import load

    nested = "{type: array, items: " * levels + "{}" + "}" * levels
    spec = tmp_path / "deep.yaml"
    spec.write_text(f"openapi: 3.1.0\ninfo: {{title: Deep, version: '1'}}\npaths: {{}}\nx-deep: {nested}\n")
    try:
        _, found = load(Settings(specs=(spec,)))
    except SpecError as exc:
        found = exc.diagnostics
    deep = [d for d in found if d.rule == "nesting-too-deep"]
    column = len("x-deep: " + "{type: array, items: " * 99 + "{type: array, ") + 1  # the 100th `items`
    assert [(d.location.pointer, d.location.line, d.location.col) for d in deep] == [
        ("#/x-deep" + "/items" * 100, 4, column)
    ]


@pytest.mark.parametrize("indent", [None, 2])
def test_json_lines_come_from_a_token_pass_and_agree_with_libyaml(indent: int | None) -> None:
    # JSON specs get their line map from a regular-expression pass (libyaml took 13 s on a
    # 13 MB spec); it must say what libyaml says, but for numbers and literals in arrays.
    import json

    from conftest import ROOT
    from generator.loader import _json_lines

    data = yaml.safe_load((ROOT / "spec" / "fine_tuning.yaml").read_text())
    data["x-odd"] = {'quote"and\\backslash': ["s", 1, {"~/": None}, [True, "t"]], "empty": {}, "none": []}
    text = json.dumps(data, indent=indent)
    by_yaml = exact_yaml.read(text)[1]
    by_tokens = dict(_json_lines(text))
    scalars = set(_scalar_items(data, "#"))
    assert {'#/x-odd/quote"and\\backslash/1', '#/x-odd/quote"and\\backslash/3/0'} <= scalars
    assert set(by_yaml) - set(by_tokens) == scalars
    assert {k: v for k, v in by_yaml.items() if k not in scalars} == by_tokens
    assert len(by_tokens) > 1000


def test_an_offsets_line_is_counted_from_the_nearest_one_counted_before_in_any_order() -> None:
    """A diagnostic's few lines are counted from the nearest offset counted before it, in the
    order they are asked for; then every newline is found at once: the same lines either way."""
    import random

    from generator.loader import _OffsetLines

    text = "a\nbb\n\nccc\n" * 50
    offsets = list(range(len(text)))
    random.Random(26).shuffle(offsets)
    lines = _OffsetLines(text, {})
    for offset in offsets[: _OffsetLines.COUNTED * 2]:  # counted, then found from the newlines
        assert lines.at(offset) == (text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)), offset


@pytest.mark.parametrize("indent", [None, 2])
def test_a_json_documents_lines_are_found_by_walking_to_each_pointer(indent: int | None) -> None:
    """A JSON document's lines are asked for pointer by pointer (_JsonLines, its top levels
    placed while its data is read or not): the same as the token pass's for every pointer of
    the full OpenAI spec written as JSON, and of the JSON files of the tests, in any order; and
    a pointer the pass has not (a number in an array, nothing) is not found either."""
    from conftest import ROOT
    from generator.diagnostics import pointer_join

    full = yaml.load((ROOT / "tests/data/specs/openai-openapi.yaml").read_text(), Loader=yaml.CSafeLoader)
    texts = [json.dumps(full, indent=indent, default=str)]
    texts += [
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests").rglob("*.json")) if "node_modules" not in p.parts
    ]
    for text in texts:
        by_tokens = loader._json_lines(text)
        pointers = list(by_tokens)
        data, prepared = loader._json_read(text)  # the top levels placed while the data is read
        assert json.dumps(data) == json.dumps(json.loads(text))
        for lazy in (loader._JsonLines(text), prepared):
            for pointer in reversed(pointers):  # deepest and last first: nothing read ahead helps
                assert lazy[pointer] == by_tokens[pointer], pointer

        def walk(node: object, pointer: str) -> Iterator[str]:
            yield pointer
            items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
            for key, value in items:
                yield from walk(value, pointer_join(pointer, key))

        every = [*walk(json.loads(text), "#"), "#/no/such/thing", "#/0/x"]
        assert [p in prepared for p in every] == [p in by_tokens for p in every]
    assert sum(len(loader._json_lines(t)) for t in texts) > 60_000


def _scalar_items(node: object, pointer: str) -> Iterator[str]:
    """Pointers of the numbers, booleans and nulls that are array items."""
    from generator.diagnostics import pointer_join

    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        if isinstance(node, list) and (value is None or isinstance(value, (bool, int, float))):
            yield pointer_join(pointer, key)
        yield from _scalar_items(value, pointer_join(pointer, key))


@pytest.mark.parametrize(
    ("name", "text", "pointer", "at", "first"),
    [
        (
            "api.yaml",
            "paths:\n  /a: {get: {}}\n  /b: {}\n  /a: {post: {}}\n",
            "#/paths/~1a",
            (4, 3),
            "line 2, column 3",
        ),
        ("api.yaml", "codes:\n  200: ok\n  '200': again\n", "#/codes/200", (3, 3), "line 2, column 3"),
        ("api.yaml", "a: &x {k: 1}\nb:\n  <<: *x\n  k: 2\n  k: 3\n", "#/b/k", (5, 3), "line 4, column 3"),
        (
            "api.json",
            '{"paths": {"/a": {"x": 1, "y": 2},\n "/a": {"x": 2}}}',
            "#/paths/~1a",
            (2, 2),
            "line 1, column 12",
        ),
        ("api.json", '[{"a": 1}, {"b": {"c": 1, "c": 2}}]', "#/1/b/c", (1, 27), "line 1, column 19"),
    ],
)
def test_a_key_written_twice_is_an_error_at_the_second(
    name: str, text: str, pointer: str, at: tuple[int, int], first: str
) -> None:
    with pytest.raises(SpecError) as raised:
        parse(Path(name), text)
    (problem,) = raised.value.diagnostics
    assert (problem.rule, problem.location.pointer, (problem.location.line, problem.location.col)) == (
        "duplicate-key",
        pointer,
        at,
    )
    assert f"is written twice in one mapping (first at {first}); the first would be lost" in problem.message


def test_a_merge_key_may_be_overridden_once() -> None:
    assert parse(Path("api.yaml"), "a: &x {k: 1, j: 1}\nb:\n  <<: *x\n  k: 2\n").data["b"] == {"k": 2, "j": 1}


# ---------------------------------------------------------------- the fast reader and the exact one
ROOT = Path(__file__).resolve().parent.parent
YAML_FILES = sorted(
    p for p in [*ROOT.glob("spec/*.yaml"), *ROOT.glob("tests/**/*.yaml"), *ROOT.glob("tests/**/*.yml")]
    if "node_modules" not in p.parts
)  # fmt: skip


def exactly(text: str) -> object:
    """The exact reader's data, or the diagnostics it raises."""
    try:
        return exact_yaml.read(text)[0]
    except Exception:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(loader, "_ryml", None)
            try:
                parse(Path("api.yaml"), text)
            except SpecError as exc:
                return [str(d) for d in exc.diagnostics]
        raise


@pytest.fixture(params=["array", "calls"])
def node_reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The fast reader reading rapidyaml's nodes at once (the layout it knows), or through a
    call per node and field (any other rapidyaml): the same answers either way."""
    if request.param == "calls":
        monkeypatch.setattr(loader, "_node_words", lambda tree: None)
    return str(request.param)


def test_the_node_array_is_read_as_the_trees_accessors_read_it() -> None:
    """Every node of the full OpenAI spec and of a document with anchors, tags, escapes, block
    and null scalars: its flags, key and value as rapidyaml's accessors give them."""
    import ryml  # type: ignore[import-untyped]

    texts = [(ROOT / "tests/data/specs/openai-openapi.yaml").read_text(encoding="utf-8"),
             "a: &x {'b': \"c\\td\"}\nc: *x\nd: !!str 1\ne: |\n  block\nf: ~\ng:\n"]  # fmt: skip
    for text in texts:
        source = bytearray(text.encode())
        tree = ryml.parse_in_place(source)
        assert loader._node_words(tree) is not None
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(loader, "_node_words", lambda tree: None)
            by_calls = loader._nodes(tree)
        flags, key_at, key_length, value_at, value_length, parent = loader._nodes(tree)
        assert flags == by_calls[0] and key_length == by_calls[2] and value_length == by_calls[4]
        assert parent[1:] == by_calls[5][1:]
        # an empty scalar's address is nobody's business: the two agree wherever there are bytes
        assert [a if n else 0 for a, n in zip(key_at, key_length, strict=True)] == by_calls[1]
        assert [a if n else 0 for a, n in zip(value_at, value_length, strict=True)] == by_calls[3]


def same(a: Any, b: Any) -> bool:
    """The same data, keys in the same order, True not 1, and shared where the other is (an
    alias's node is one object in both: compared once, so an alias bomb is compared at once)."""
    paired: dict[int, int] = {}
    pending = [(a, b)]
    while pending:
        x, y = pending.pop()
        if type(x) is not type(y):
            return False
        if isinstance(x, (dict, list)):
            if id(x) in paired:
                if paired[id(x)] != id(y):
                    return False
                continue
            paired[id(x)] = id(y)
            if len(x) != len(y) or (isinstance(x, dict) and list(x) != list(y)):
                return False
            pending += [(v, y[k]) for k, v in x.items()] if isinstance(x, dict) else list(zip(x, y, strict=True))
        elif x != y and x == x:  # nan, the one value unequal to itself
            return False
    return True


def test_the_fast_reader_gives_the_exact_readers_data_on_every_yaml_file_of_the_tests(node_reader: str) -> None:
    """Every YAML file of the tests is read by rapidyaml, and alike; where libyaml refuses a
    document for its own nesting limit, the structural checks report it (tests/test_hostile.py)."""
    answered = []
    for path in YAML_FILES:
        text = path.read_text(encoding="utf-8")
        fast = loader._fast_yaml(text)
        assert fast is not loader._EXACT, path
        exact = exactly(text)
        if isinstance(exact, list) and all("[nesting-too-deep]" in d for d in exact):
            continue
        assert same(fast[0], exact), path
        answered.append(path.relative_to(ROOT).as_posix())
    assert len(answered) > 200
    assert {
        "spec/fine_tuning.yaml",
        "tests/data/specs/openai-openapi-2023-12-22.yaml",
        "tests/hostile/alias_bomb.yaml",
    } <= set(answered)


def test_a_fast_documents_lines_are_read_from_its_tree_when_asked() -> None:
    path = ROOT / "spec" / "fine_tuning.yaml"
    doc = parse(path, path.read_text(encoding="utf-8"))
    assert isinstance(doc.lines, loader._TreeLines)
    assert doc.location("#/paths/~1fine_tuning~1jobs/post/requestBody").line is not None
    assert doc.lines._lines is None  # the exact reader's whole map was not needed


# Plain and quoted, every spelling YAML 1.1 and JSON read apart, beside ones they agree on.
SCALARS = (
    "yes Yes YES no No NO True TRUE False FALSE on On ON off Off OFF ~ Null NULL true false null y n "
    "0b101 012 00 007 08 0 -0 0x1F 0o17 1_000 1_0.5 1:30 1:30.5 .5 -.5 +.5 1. -1. 1.0 1.5e+3 1.5e3 1e3 "
    "1e-3 1E3 .inf -.inf +.inf .nan .NaN +1 +1.5 -1 1.0e-05 0.0 -0.0 2023-12-22 12:30:00 1.2.3 inf -inf +inf Inf "
    "nan NaN infinity Infinity -Infinity .Inf -.Inf 1e400 0e0 -0e0 1.e3 12345678901234567890 1.5E+3 0.1e-1"
).split()


@pytest.mark.parametrize("scalar", SCALARS)
def test_every_scalar_is_typed_as_the_exact_reader_types_it(
    scalar: str, capfd: pytest.CaptureFixture[str], node_reader: str
) -> None:
    for text in (f"a: {scalar}\n", f"a: '{scalar}'\n", f"a: [{scalar}, x]\n", f"- {scalar}\n", f"{scalar}: v\n"):
        try:
            got: object = parse(Path("api.yaml"), text).data
        except SpecError as exc:
            got = [str(d) for d in exc.diagnostics]
        assert got == exactly(text), text
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize(
    "text",
    [
        TEXT,
        "a: &x {b: 1}\nc: *x\n",
        "a: !!str 1\n",
        "<<: {a: 1}\nb: 2\n",
        "--- a\n--- b\n",
        "a: 1\na: 2\n",
        "a: [1, 2\nb: c: d\n",
        "? [x, y]\n: 2\n",
        "a:\n\tb: 1\n",
        "[" * 120 + "]" * 120,
        "a: " + "[" * 70 + "]" * 70 + "\n",
        "",
        "# only a comment\n",
        "just text\n",
        "a: |\n  block\n  text\nb: >-\n  folded\n  text\n",
        "a: \"\\u00e9\\t\\\"q\\\"\"\nb: 'it''s'\n",
    ],
)
def test_documents_the_fast_reader_refuses_read_as_before(
    text: str, capfd: pytest.CaptureFixture[str], node_reader: str
) -> None:
    """Same data, or the same diagnostics byte for byte, and nothing from rapidyaml on stderr."""
    try:
        got: object = parse(Path("api.yaml"), text).data
    except SpecError as exc:
        got = [str(d) for d in exc.diagnostics]
    assert got == exactly(text)
    assert capfd.readouterr().err == ""


# Scalars and separations with tabs, drawn into documents: in quoted and block scalars (after
# something on their line) rapidyaml reads them; anywhere else, libyaml does.
TABBED = ['"a\tb"', '"\tlead"', '"trail\t"', "'s\tq'", "'\t'", '"x\t\n  \ty"', '"x\\\t y"', "|\n  x\ty\n  \tz\n",
          "|\n  a\n  b\t\n", ">\n  f\tg\n\n  h\t\n", "|-\n \tbar\n", ">\n  a\n   \tb\n  c\n", "pl\tain",
          "x\t# c", "1\t", "[a,\tb]", '{a: "x\ty"}', '["t\tq", 2]', "|2\n  \tx\n", "\n  - \"i\tj\"\n  - k"]  # fmt: skip


UNENDED = ["a: 1\nb: [x, y]", "a: 'q'  # c", "- a\n- {b: c}\n# c", "a: &x 1\nb: *x", "a: >-\n  b\nc: d", "a: |\n  text",
           "a:\n  b: >\n    text\n    # c", "- |-\n  text"]  # fmt: skip


@pytest.mark.parametrize("text", UNENDED)
def test_a_last_line_without_its_newline_is_read_by_rapidyaml_unless_a_block_scalar_may_end_it(text: str) -> None:
    fast = loader._fast_yaml(text)
    if text.startswith(("a: |", "a:\n", "- |")):  # the text ends in a block scalar, which the readers chomp apart
        assert fast is loader._EXACT
    else:
        data, lines, _ = exact_yaml.read(text)
        assert fast is not loader._EXACT and same(fast[0], data) and dict(fast[1]) == dict(lines)


def test_the_full_spec_without_its_last_newline_reads_the_same() -> None:
    text = (ROOT / "tests/data/specs/openai-openapi.yaml").read_text(encoding="utf-8")
    ended, unended = loader._fast_yaml(text), loader._fast_yaml(text.rstrip("\n"))
    assert unended is not loader._EXACT and unended[0] == ended[0]
    assert [unended[1][p] for p in list(ended[1])[::97]] == [ended[1][p] for p in list(ended[1])[::97]]


EXPLICIT_KEYS = [
    "? a\n: 1\nb: 2\n",
    "x:\n  ?   'a'\n  : 1\n  ? b\n",
    "- ? a\n  : [1]\n- b\n-   ? c\n    : d\n",
    'a: &x 1\nm:\n  ? "b"\n  : *x\n',  # anchors: from rapidyaml's nodes
    "? " + "k" * 130 + "\n: v\n",  # how PyYAML's dump writes a key of over 128 characters
]


@pytest.mark.parametrize("text", EXPLICIT_KEYS)
def test_explicit_keys_are_read_by_rapidyaml_their_mappings_placed_at_the_question_mark(text: str) -> None:
    fast = loader._fast_yaml(text)
    assert fast is not loader._EXACT
    data, lines, _ = exact_yaml.read(text)
    assert same(fast[0], data) and dict(fast[1]) == dict(lines)


def test_tabs_in_quoted_and_block_scalars_are_read_by_rapidyaml_as_libyaml_reads_them() -> None:
    """Documents drawn from TABBED (keys, separations and comments with tabs too): the same
    data or diagnostics from both readers, and where rapidyaml reads, the same lines; tabs in
    quoted and block scalars no longer send a document to libyaml."""
    import random

    rng, fast_read = random.Random(26), 0
    keys, separations, comments = ["k", '"k\tey"', "q"], [": ", ":\t", ": "], ["", "", "  # c\tc"]
    for _ in range(600):
        entries = [
            rng.choice(keys) + str(i) + rng.choice(separations) + rng.choice(TABBED) + rng.choice(comments)
            for i in range(rng.randint(1, 3))
        ]
        text = "\n".join(e.rstrip("\n") for e in entries) + "\n"
        try:
            got: object = parse(Path("api.yaml"), text).data
        except SpecError as exc:
            got = [str(d) for d in exc.diagnostics]
        assert json.dumps(got) == json.dumps(exactly(text)), text
        fast = loader._fast_yaml(text)
        if fast is not loader._EXACT and not isinstance(got, list):
            fast_read += 1
            assert {p: fast[1][p] for p in exact_yaml.read(text)[1]} == dict(exact_yaml.read(text)[1]), text
    assert fast_read > 25  # rapidyaml read these (39 of the 600)
    assert loader._fast_yaml('a: "x\ty"\nb: |\n  c\td\n') is not loader._EXACT
    assert loader._fast_yaml('"k":\t|\n  x\n') is loader._EXACT  # after a quoted key: a separation


GRAPHS = [
    TEXT,
    "a: &x {k: 1}\nb: *x\n",
    "base: &b\n  x: 1\n  y: 2\nc:\n  <<: *b\n  y: 3\n",
    "a: !!str 1\nb: !!int \"3\"\nc: !!float '1.5'\nd: !!bool yes\ne: !!null x\nf: !!map {k: v}\ng: !!seq [1]\n",
    "l:\n- &a 1\n- *a\n- &b\n  k: v\n- *b\n- &c 'q'\n- !!str &d 5\n",
    "x: &a {k: 1}\ny: &b {k: 2, kk: 3}\nz:\n  <<: [*a, *b]\n  j: 0\n",
    "x: &a {kk: 1}\ny: &b {kk: 2}\nz:\n  <<: [*a, *b, *a]\n",
    "a: &p\n  <<: &q {k: 1}\n  j: 2\nb:\n  <<: *p\n  =: v\n",
    "a: &r\n  self: *r\n",
    'enum:\n  [\n    "a",\n    b,\n  ]\nc: &x yes\nd: [*x, *x]\n',
]


@pytest.mark.parametrize("text", GRAPHS)
def test_anchors_aliases_tags_and_merges_are_read_from_rapidyamls_nodes_as_libyaml_reads_them(text: str) -> None:
    """The same data, shared where libyaml's is, the same lines for every pointer, without the
    exact reader (and without importing PyYAML: the test below)."""
    fast = loader._fast_yaml(text)
    assert fast is not loader._EXACT and len(fast) == 3
    data, lines, aliased = exact_yaml.read(text)
    assert same(fast[0], data) and fast[1] == lines and fast[2] == aliased


PLACED = [
    "l:\n- |\n  text\n  more\n- >-\n\n  folded\n  x\n- [a, b]\n- - c\n- {k: v}\n- x\n",
    "- [ [a], {b: c} ]\n- |+2 # c | d\n   x\n",
    "- \"q\"\n- 'r'\n- &a [x]\n- *a\n- - - a\n  - b\n-\n  - a\n",
    "a:\n- {}\n- []\n- {}\nb:\n- {}\nc: 1\n",
    "a: é\nb: [ü, {c: 1}]\nc:\n- ÿ: 1\n  é: [x, ü, {d: {}}]\n",  # columns count characters, not bytes
    "a: ''\nb: \"\"\n'': ['', \"\"]\nc: {\"\": '', d: \"\"}\ne:\n- ''\n- &x \"\"\n- *x\n",  # empty quoted: at the quote
]
NOT_PLACED = ["- [ # c\n  a]\n", "- [a: b]\n", "- {}\n# c\n- a\n", "- [{}, a]\n", "-\n- a\n"]


@pytest.mark.parametrize("text", PLACED + NOT_PLACED)
def test_flow_collections_block_scalars_and_empty_ones_are_placed_as_libyaml_marks_them(text: str) -> None:
    """Where rapidyaml's tree holds no position (a collection, a block scalar's `|`), the walk
    over its nodes finds libyaml's mark from what is written around it, or leaves the document
    to the exact reader (a comment between, a pair in a flow sequence, an empty plain scalar)."""
    source = bytearray(text.encode())
    read = yaml_nodes.read(loader._rapidyaml().parse_in_place(source), source, text)
    if text in NOT_PLACED:
        assert read is None
    else:
        assert read is not None and read[1] == exact_yaml.read(text)[1]


def test_the_tests_specs_are_read_without_pyyaml() -> None:
    """The full OpenAI spec, one with anchors, aliases and flow sequences over several lines,
    and every YAML of spec/: read with PyYAML never imported (its import alone is ~15 ms)."""
    paths = [ROOT / "tests/data/specs/openai-openapi.yaml", ROOT / "tests/data/specs/openai-openapi-2023-12-22.yaml"]
    paths += sorted(ROOT.glob("spec/*.yaml"))
    code = (
        "import sys; from pathlib import Path; from generator import loader\n"
        f"for p in {[str(p) for p in paths]!r}: loader.parse(Path(p), Path(p).read_text(encoding='utf-8'))\n"
        "print(sorted(m for m in sys.modules if m == 'yaml' or m.startswith('yaml.')))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert run.stdout.strip() == "[]"


def test_every_plain_scalar_is_typed_as_libyaml_types_it() -> None:
    """yaml_scalars against libyaml on 20,000 scalars drawn (with a fixed seed) from the
    characters YAML 1.1's types are written with."""
    draw = random.Random(26)
    alphabet = "0123456789_.:+-eExXbBafinINFaNoOyYsStTlLuU~=<"
    scalars = ["".join(draw.choice(alphabet) for _ in range(draw.randint(1, 7))) for _ in range(20_000)]
    compared = 0
    for scalar in scalars:
        try:
            want = exact_yaml.read(scalar + "\n")[0]
        except yaml.YAMLError:  # not a plain scalar (`:`, `- x`), or a number JSON has not (`.inf`)
            continue
        if isinstance(want, (dict, list)):  # `-` alone is a sequence
            continue
        assert repr(yaml_scalars.plain(scalar)) == repr(want), scalar
        compared += 1
    assert compared > 19_000


def test_a_fast_documents_lines_come_from_its_tree_and_are_the_exact_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every pointer of every YAML file of the tests: the same (line, column) as the exact
    reader's, mostly without the whole map, and never from the exact reader."""

    def refused(text: str) -> None:
        raise AssertionError("the exact reader was asked for lines")

    monkeypatch.setattr(exact_yaml, "lines", refused)
    documents = pointers = whole_maps = graphs = 0
    for path in YAML_FILES:
        text = path.read_text(encoding="utf-8")
        fast = loader._fast_yaml(text)
        if fast is loader._EXACT:
            continue
        lines = fast[1]
        try:
            exact = exact_yaml.read(text)[1]
        except yaml.YAMLError:  # libyaml's nesting limit: see above
            continue
        for pointer, at in exact.items():
            assert lines[pointer] == at, (path, pointer)
        documents, pointers = documents + 1, pointers + len(exact)
        if isinstance(lines, loader._TreeLines):
            whole_maps += lines._lines is not None  # a flow collection or a block scalar asked for it
        else:  # read from the tree's nodes (yaml_nodes), every pointer at once; or no node at all
            assert lines == exact, path
            graphs += isinstance(lines, yaml_nodes.Placed)
    assert documents > 200 and pointers > 50_000 and whole_maps < documents / 4 and graphs >= 4
