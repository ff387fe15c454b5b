"""Stage 4, render: the IR to source files, through Jinja2 templates.

Everything a template prints is computed in Python (annotations, signatures, call
expressions) by the view modules, one per output: `models` (shared), `client`, `stubs`,
`docs`; templates only loop and print. Spec text reaches code through the filters in `text`.
Fixed modules (`generator/runtime/`) are copied as they are.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from ..ir import Api
from ..names import env_stem, field_name, unique
from .client import client_imports, resource_views, root_view
from .connection import connection_view
from .docs import doc_rows
from .imports import FUTURE, block, from_typing, member_order
from .model_modules import model_modules
from .models import closure, forget_annotations, model_view, param_models, strict_imports, typed_dict_view
from .package import BUILD_REQUIRES, CLIENT_REQUIRES, STUBS_REQUIRES, TOKENS_REQUIRES, distribution_version, examples
from .signature import parameter
from .stubs import stub_imports, stub_view
from .text import docstring, py
from .webhooks import webhooks_view

# Installed, the templates are package data beside this package; in a checkout, at its top.
_HERE = Path(__file__).resolve().parent.parent
TEMPLATES = next(p for p in (_HERE / "templates", _HERE.parent / "templates") if p.is_dir())
RUNTIME = _HERE / "runtime"  # fixed modules, copied as they are
USER_OWNED = "custom.py"  # in the client package: written when missing, never overwritten
GENERATOR_NAME = "ftgen"


def _runtime(name: str) -> str:
    return (RUNTIME / name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Config:
    client_package: str
    stubs_package: str | None
    api_key_env: str
    base_url_env: str
    training_formats: tuple[tuple[str, str], ...] = ()  # (method, line-format schema name)
    line_length: int = 88  # the formatter's: long parameter annotations are parenthesized as black would
    layout: str = "flat"  # or "package": with pyproject.toml and README.md, installable
    platform_headers: str = ""  # the prefix of the headers naming language, OS and retry count


# ---------------------------------------------------------------- environment
_OPTIONS: dict[str, Any] = {
    "autoescape": False,
    "keep_trailing_newline": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
}


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in Jinja's per-user temporary folder: compiling them is ~0.13 s,
    half of a small spec's run. Jinja checks each entry against its template's source; the
    file name carries the Jinja version and options, which the compiled code depends on too."""
    key = hashlib.sha256(repr((jinja2.__version__, sorted(_OPTIONS.items()))).encode()).hexdigest()[:16]
    try:
        return jinja2.FileSystemBytecodeCache(pattern=f"__ftgen_{key}_%s.cache")
    except (OSError, RuntimeError):  # no private temporary folder: compile every time
        return None


def environment(line_length: int = 88) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        bytecode_cache=_bytecode_cache(),
        **_OPTIONS,
    )
    env.filters["py"] = py
    env.filters["docstring"] = docstring
    env.filters["parameter"] = lambda text: parameter(text, line_length)
    env.filters["toml"] = lambda text: json.dumps(text, ensure_ascii=False)  # a TOML basic string
    return env


def render(api: Api, config: Config) -> dict[str, str]:
    """The files of the client package and (when configured) the stubs: relative path -> text.
    Every Python module imports exactly what it uses, in ruff's order (the views name what
    they write, render/imports.py orders it): ruff's lint pass need not read them
    (tests/test_formatters.py runs it over them: it changes nothing)."""
    forget_annotations()
    env = environment(config.line_length)
    root = api.root
    client = config.client_package
    connection = connection_view(api, env_stem(client), config.api_key_env, config.base_url_env)
    webhooks = webhooks_view(api)
    common = {
        "api": api, "config": config, "generator": GENERATOR_NAME, "connection": connection, "webhooks": webhooks
    }  # fmt: skip
    sync, asynchronous = resource_views(api, root, False), resource_views(api, root, True)
    roots = {"sync": root_view(api, root, False), "async": root_view(api, root, True)}
    resources = {"sync_resources": sync, "async_resources": asynchronous, "root_views": roots}
    views = [*sync, *asynchronous, *roots.values()]
    modules = model_modules(api, webhooks)
    typed_dicts = [typed_dict_view(m) for m in param_models(api)]
    connect = member_order(
        ["Scheme", "Security", "Server", *(["Variable"] if any(s.variables for s in api.servers) else [])]
    )
    files = {
        f"{client}/__init__.py": env.get_template("client/__init__.py.j2").render(**common),
        f"{client}/_constants.py": env.get_template("client/_constants.py.j2").render(
            user_agent=f"{client}/{api.version}", connect=connect, **common
        ),
        f"{client}/models/__init__.py": env.get_template("client/models/__init__.py.j2").render(
            modules=modules, **common
        ),
        f"{client}/params.py": env.get_template("client/params.py.j2").render(
            typed_dicts=typed_dicts,
            imports=block(FUTURE, from_typing(set().union(*(t.names for t in typed_dicts)))),
            **common,
        ),
        f"{client}/client.py": env.get_template("client/client.py.j2").render(
            imports=client_imports(views, connection, webhooks is not None), **resources, **common
        ),
        f"{client}/_wrappers.py": env.get_template("client/_wrappers.py.j2").render(
            wrapped=any(r.wrapped for r in views), **resources, **common
        ),
        f"{client}/py.typed": "",
        f"{client}/{USER_OWNED}": env.get_template("client/custom.py.j2").render(**common),
        "API.md": env.get_template("docs/API.md.j2").render(rows=doc_rows(api), **common),
    }
    # the runtime's modules, copied as they are: path -> the module
    runtime = ["_runtime.py", "_wire.py", "_connect.py", "_streaming.py", "_response.py", "_base.py", "_public.py"]
    copied = {f"{client}/{name}": name for name in runtime}
    module = env.get_template("client/models/_module.py.j2")
    for m in modules:
        files[f"{client}/models/{m.name}.py"] = module.render(module=m, **common)
    if webhooks:
        copied[f"{client}/_webhooks.py"] = "_webhooks.py"
    names = {m.name for m in api.models}
    formats = [(method, model) for method, model in config.training_formats if model in names]
    if formats:  # the spec has line formats of training files: a checker for them
        lines = closure(api, [model for _, model in formats])
        strict = [model_view(m, strict=True) for m in lines]
        typing, pydantic = strict_imports(strict, ["Literal"])  # `Method`
        local = [
            "from ._tokens import Tokens",
            "from ._training import Problem, Progress, Report, Summary, check_file, token_counting",
        ]
        files[f"{client}/training.py"] = env.get_template("client/training.py.j2").render(
            models=strict, formats=formats, imports=block(FUTURE, ["import os", *typing], pydantic, local), **common
        )
        copied |= {f"{client}/_training.py": "_training.py", f"{client}/_tokens.py": "_tokens.py"}
        files[f"{client}/__main__.py"] = env.get_template("client/__main__.py.j2").render(**common)
    if config.stubs_package:
        taken: set[str] = set()  # operationIds are unique, their snake_case forms need not be
        stubs = [stub_view(api, op, unique(field_name(op.operation_id), taken)) for op in api.operations]
        files[f"{config.stubs_package}/__init__.py"] = env.get_template("stubs/__init__.py.j2").render(**common)
        service_imports, app_imports = stub_imports(stubs, client)
        for name, imports in (("service.py", service_imports), ("app.py", app_imports)):
            files[f"{config.stubs_package}/{name}"] = env.get_template(f"stubs/{name}.j2").render(
                stubs=stubs, imports=imports, **common
            )
        copied |= {f"{config.stubs_package}/{name}": name for name in ("_server.py", "_wire.py")}  # _wire: the client's
        bodies = [model_view(m, strict=True) for m in param_models(api, whole_bodies=True)]
        files[f"{config.stubs_package}/bodies.py"] = env.get_template("stubs/bodies.py.j2").render(
            models=bodies, imports=block(FUTURE, *strict_imports(bodies)), **common
        )
    files |= {path: _runtime(name) for path, name in copied.items()}
    if config.layout == "package":
        name = client.replace("_", "-")
        files["pyproject.toml"] = env.get_template("package/pyproject.toml.j2").render(
            name=name,
            version=distribution_version(api.version),
            description=f"A typed Python client for the {api.title}".replace("\n", " "),
            build_requires=BUILD_REQUIRES,
            client_requires=CLIENT_REQUIRES,
            stubs_requires=STUBS_REQUIRES,
            tokens_requires=TOKENS_REQUIRES if formats else (),
            packages=[p for p in (client, f"{client}.models", config.stubs_package) if p],
            **common,
        )
        files["README.md"] = env.get_template("package/README.md.j2").render(
            name=name, examples=examples(api), **common
        )
    return files
