"""The render stage decides on values, never on text it wrote: annotations (`Annotation`), the
parameters of a method (`Arg`), the method view's parts; and the defects found under them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from generator.annotate import Annotation, Annotator
from generator.ir import NONE, Array, Literal, Map, Primitive, Ref, Union_
from generator.render.client import method_view
from generator.render.models import MODEL, MODEL_OUT, STRICT, model_view
from generator.render.signature import Arg, parameter
from helpers import normalize_spec

STR, INT = Primitive("str"), Primitive("int")


@pytest.mark.parametrize(
    ("annotator", "t", "text", "union", "nullable", "model"),
    [
        (MODEL_OUT, Ref("Job"), "_models.Job", False, False, "Job"),
        (MODEL_OUT, Union_((Ref("Job"), NONE)), "_models.Job | None", True, True, None),
        (MODEL_OUT, Array(Union_((Ref("A"), Ref("B")))), "List[_models.A | _models.B]", False, False, None),
        (MODEL, Literal(("a", "b")), "Literal['a', 'b'] | str", True, False, None),  # lenient: values added later
        (Annotator(), Literal(("a | b",)), "Literal['a | b']", False, False, None),  # a `|` in a value is not a union
        (MODEL, Map(INT), "dict[str, int]", False, False, None),
        (MODEL, Union_((STR, Primitive("any"))), "Any", False, False, None),
        (STRICT, Union_((Ref("A"), Ref("B"), NONE), "type"), "Annotated[A | B, _Field(discriminator='type')] | None",
         True, True, None),
    ],
)  # fmt: skip
def test_an_annotation_knows_what_it_is(
    annotator: Annotator, t: object, text: str, union: bool, nullable: bool, model: str | None
) -> None:
    annotation = annotator(t)  # type: ignore[arg-type]
    assert (annotation.text, annotation.union, annotation.nullable, annotation.model) == (text, union, nullable, model)


def test_an_annotator_remembers_types_only_as_exactly_equal() -> None:
    """Annotations are remembered by type (a big spec's fields share few): values Python finds
    equal but that print apart (`1`, `1.0`, `True`) are types apart, whichever comes first."""
    from generator.ir import Constraints

    literals = [Literal((1,)), Literal((True,)), Literal((1.0,)), Literal((1,))]
    assert [MODEL_OUT(t).text for t in literals] == ["Literal[1]", "Literal[True]", "float", "Literal[1]"]
    bounds = [Primitive("int", None, Constraints(minimum=m)) for m in (1, 1.0, True, 1)]
    assert [STRICT(t).text for t in bounds] == [
        "Annotated[int, _Field(ge=1)]", "Annotated[int, _Field(ge=1.0)]", "int", "Annotated[int, _Field(ge=1)]"
    ]  # fmt: skip
    assert Literal((1,)) != Literal((True,)) and hash(Literal((1,))) == hash(Literal((True,)))


def test_optional_adds_none_once() -> None:
    assert MODEL.optional(STR).text == "str | None"
    assert MODEL.optional(Union_((STR, NONE))).text == "str | None"
    assert MODEL.optional(Union_((NONE, STR))).text == "None | str"  # None already: not added again
    assert MODEL.optional(Primitive("any")).text == "Any"


def test_a_long_union_parameter_is_parenthesized_and_nothing_else_is() -> None:
    long = Annotation(" | ".join(f"_params.Grader{n}Param" for n in range(6)), union=True)
    assert parameter(Arg("grader", long), 88) == f"grader: ({long})"
    assert parameter(Arg("grader", long, omittable=True), 88) == f"grader: ({long} | _rt.Omit) = _rt.OMIT"
    wide = Annotation("Annotated[" + "x" * 90 + ", _Field()]")  # long, but one thing: ruff keeps it whole
    assert parameter(Arg("w", wide), 88) == f"w: {wide}"
    short = Annotation("str | None", union=True, nullable=True)
    assert parameter(Arg("s", short, "None"), 88) == "s: str | None = None"
    assert parameter("*", 88) == "*"


DOC = {
    "openapi": "3.1.0",
    "info": {"title": "T", "version": "1"},
    "paths": {
        "/things/{thing_id}": {
            "post": {
                "operationId": "updateThing",
                "parameters": [
                    {"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "accept", "in": "query", "schema": {"type": "string"}},
                    {"name": "old", "in": "query", "deprecated": True, "schema": {"type": "string"}},
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}},
                            "text/csv": {"schema": {"type": "string"}},
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Thing": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "description": "What it is called."},
                    "kind": {"$ref": "#/components/schemas/Kind"},
                    "list": {"type": "array", "items": {"type": "string", "pattern": "^x"}},
                    "pattern": {"type": "string", "pattern": "^[a-z]+$"},
                },
            },
            "Kind": {"type": "string", "enum": ["big", "small"], "description": "How big it is."},
        }
    },
}


def test_a_method_view_is_made_of_values(tmp_path: Path) -> None:
    api, _ = normalize_spec(tmp_path, DOC)
    (op,) = api.operations
    view = method_view(op, is_async=True)
    assert [a.name for a in view.positional] == ["thing_id"]
    # Required first; an argument the query already names pushes `accept` to `accept_`; a body
    # field's argument is named as the wire (`list`: client.py annotates with typing's List).
    assert [a.name for a in view.keyword] == [
        "name", "accept", "old", "kind", "list", "pattern", "accept_",
        "extra_headers", "extra_query", "extra_body", "timeout",
    ]  # fmt: skip
    # A deprecated parameter is documented, not warned about (docs/decisions.md, "Deprecations").
    assert view.warnings == [] and "old: Deprecated." in view.doc
    assert (
        view.call.verb == "request"
        and view.call.awaited
        and view.call.parser == "_rt.MediaParser[_models.Thing | str](_rt.ModelParser(_models.Thing))"
    )
    assert view.call.expression.startswith("await self._client.request(_rt.MediaParser")
    assert "accept=accept_" in view.call.arguments
    assert "kind: How big it is." in view.doc  # a property's description where its $ref is


def test_a_field_name_is_decided_once_in_the_ir(tmp_path: Path) -> None:
    api, _ = normalize_spec(tmp_path, DOC)
    names = {f.wire_name: f.name for f in api.model("Thing").fields}
    # `list` would shadow the builtin its own annotation uses; `pattern` shadows nothing.
    assert names == {"name": "name", "kind": "kind", "list": "list_", "pattern": "pattern"}
    lenient, strict = model_view(api.model("Thing")), model_view(api.model("Thing"), strict=True)
    assert [f.name for f in lenient.fields] == [f.name for f in strict.fields] == list(names.values())


def test_render_reads_no_annotation_text_back() -> None:
    """The decisions render/ makes about annotations use their values; no text it wrote is
    searched (`startswith("_models.")`, a regex over an annotation)."""
    source = "\n".join(p.read_text() for p in (ROOT / "generator" / "render").glob("*.py"))
    assert not re.search(r"(annotation|returns|text)\w*\.(startswith|endswith|count|split|partition)\(", source)
    assert "_top_level_union" not in source and "_IDENTIFIER" not in source


# ---------------------------------------------------------------- the defects found
def generate(tmp_path: Path, text: str, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "api.yaml").write_text(text)
    command = [sys.executable, "-m", "generator", *args, "--spec", str(tmp_path / "api.yaml")]
    if args[0] == "generate":
        command += ["--out", str(tmp_path / "out"), "--client-package", "zoo", "--stubs-package", "zoo_stubs"]
    return subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)


ZOO = """\
openapi: 3.0.3
info: {title: Zoo, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/A'}
components:
  schemas:
"""


@pytest.mark.parametrize(
    ("schemas", "fields"),
    [
        # A schema that includes itself is the object of its other members.
        ("    A:\n      allOf:\n        - $ref: '#/components/schemas/A'\n        - {type: object, properties: {s: {type: integer}}}\n",
         {"A": ["s"]}),
        # Two that include each other are each the object of both.
        ("    A:\n      allOf:\n        - $ref: '#/components/schemas/B'\n        - {type: object, properties: {a: {type: string}}}\n"
         "    B:\n      allOf:\n        - $ref: '#/components/schemas/A'\n        - {type: object, properties: {b: {type: string}}}\n",
         {"A": ["b", "a"], "B": ["a", "b"]}),
    ],
)  # fmt: skip
def test_allof_cycles_are_the_types_they_describe(tmp_path: Path, schemas: str, fields: dict[str, list[str]]) -> None:
    result = generate(tmp_path, ZOO + schemas, "generate")
    assert result.returncode == 0, result.stderr
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        import importlib

        models = importlib.import_module("zoo.models")
        for name, expected in fields.items():
            assert list(getattr(models, name).model_fields) == expected
    finally:
        sys.path.remove(str(tmp_path / "out"))
        for module in [m for m in sys.modules if m == "zoo" or m.startswith("zoo.")]:
            del sys.modules[module]


def test_extension_values_are_data_wherever_they_are(tmp_path: Path) -> None:
    text = ZOO.replace("paths:\n", "x-top: {$ref: 'nowhere.yaml'}\npaths:\n  x-paths: {$ref: 'nowhere.yaml'}\n")
    text = text.replace("      responses:\n", "      responses:\n        x-codes: {$ref: 'nowhere.yaml'}\n")
    text = text.replace("  schemas:\n", "  x-kit: {a: {$ref: 'nowhere.yaml'}}\n  schemas:\n")
    text += "    A: {type: object, properties: {s: {type: string, x-meta: {$ref: '#/nothing'}}}}\n"
    for command in ("validate", "generate"):
        result = generate(tmp_path, text, command)
        assert result.returncode == 0 and "nowhere" not in result.stderr, result.stderr


def test_a_required_list_that_is_not_names_is_a_located_error_in_both_commands(tmp_path: Path) -> None:
    text = (
        ZOO
        + "    A:\n      type: object\n      required: [{anyOf: [{required: [a]}]}]\n      properties: {a: {type: string}}\n"
    )
    for command in ("validate", "generate"):
        result = generate(tmp_path, text, command)
        assert result.returncode == 1 and "Traceback" not in result.stderr and "internal error" not in result.stderr
        assert result.stderr.startswith(
            "api.yaml:17:18  #/components/schemas/A/required/0  error: `required` must be a list of property names"
        ), result.stderr
        assert "[invalid-schema]" in result.stderr


def test_the_fine_tuning_create_docstring_documents_method_and_metadata() -> None:
    from fine_tuning_client.client import FineTuningJobs

    doc = FineTuningJobs.create.__doc__ or ""
    assert "method: The method used for fine-tuning." in doc
    assert "metadata: Set of 16 key-value pairs that can be attached to an object." in doc
