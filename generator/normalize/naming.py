"""Model names, resolved once every claim is known: a name depends only on where its schema is
written and on the names it collides with, never on reading order or on unrelated schemas.

1. A component is named by its key (`fine_tuning_job` -> `FineTuningJob`). Components whose
   keys make the same class name (they differ by case or punctuation): the one whose key is
   that class name already keeps it, every other one is named by its key as written, made an
   identifier (`job_status`, `jobStatus`); the same key in several files with different
   schemas: the file's name before it (`CommonError`) for all but the root documents' one.
2. An inline schema is named by where it is written: its owner's name and the path to it
   (`FineTuningJob` + `error` -> `FineTuningJobError`). If a component has that name, or
   another inline schema with other content wants it too, each inline one joins the parts
   with `_` instead (`Cluster_Configuration`); no component name can have a `_`.
3. What still collides then gets a short hash of its location: never a counter.
Every name given other than by rule 1's first case is reported (`name-collision`, a warning
unless --strict), with the name it got.
"""

from __future__ import annotations

import hashlib
import json
import keyword
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, pointer_join
from ..ir import Source
from ..loader import Document, SpecSet, split_pointer
from ..names import BUILTINS, class_name, pascal

# Names the generated models module imports for itself; a schema may not take them.
RESERVED = frozenset(
    {"Any", "Literal", "TypeAlias", "TypedDict", "Required", "NotRequired", "Annotated", "BaseModel", "ConfigDict",
     "Field", "Union", "Optional", "List", "Dict"}
)  # fmt: skip


def fingerprint(schema: Any) -> str:
    return json.dumps(schema, sort_keys=True, default=str)


def _identifier(raw: str) -> str:
    """A component key as written, made a valid class name that shadows nothing."""
    name = re.sub(r"\W", "_", raw, flags=re.ASCII)
    if not name[:1].isalpha():  # never `_...`: the generated modules' own names start so
        name = f"Schema_{name}"
    while name in RESERVED or keyword.iskeyword(name) or name in BUILTINS:
        name += "Model"
    return name


def _where(where: Source) -> str:
    return f"{Path(where.file).name}{where.pointer}"


def _location_hash(where: Source) -> str:
    return hashlib.sha256(_where(where).encode()).hexdigest()[:6]


@dataclass(frozen=True)
class _Component:
    document: Document
    pointer: str
    raw: str  # its key in `components/schemas`

    @property
    def key(self) -> str:  # what `Target.key` is for it
        return f"{self.document.path}{self.pointer}"

    @property
    def source(self) -> Source:
        return Source(str(self.document.path), self.pointer)


class _Inline:
    def __init__(self, parts: tuple[str, ...], where: Source) -> None:
        self.parts = parts  # the owner's name, then the path words
        self.where = where
        self.wanted = class_name("".join(parts), RESERVED)

    @property
    def qualified(self) -> str:
        """The parts joined with `_`; a lone part (a schema reached by a `$ref` that is not into
        `components/schemas`) is qualified by its file and pointer instead."""
        parts = self.parts if len(self.parts) > 1 else (Path(self.where.file).stem, *split_pointer(self.where.pointer))
        name = "_".join(filter(None, map(pascal, parts)))
        return f"Schema_{name}" if name[:1].isdigit() else name


class Names:
    def __init__(self, specset: SpecSet) -> None:
        self.specset = specset
        self.diagnostics: list[Diagnostic] = []
        self._holders: dict[str, Source] = {}  # component name -> where its schema is
        self.components = self._component_names()
        self._tokens: dict[tuple[str, str], str] = {}  # (wanted name, content) -> token
        self._inline: dict[str, _Inline] = {}  # token -> the first location that asked

    # ------------------------------------------------------------ rule 1
    def _component_names(self) -> dict[str, str]:
        """Target key -> class name, for every `components/schemas` entry of every document."""
        roots = {doc.path for doc in self.specset.root_documents()}
        groups: dict[str, list[_Component]] = {}
        for doc in self.specset.documents.values():
            schemas = (doc.data.get("components") or {}).get("schemas") if isinstance(doc.data, dict) else None
            for raw in schemas if isinstance(schemas, dict) else ():
                component = _Component(doc, pointer_join("#/components/schemas", str(raw)), str(raw))
                groups.setdefault(class_name(str(raw), RESERVED), []).append(component)
        names: dict[str, str] = {}
        for name, members in groups.items():
            # Preferred: spelled as the class name, in a root document, then by spelling and file.
            members.sort(key=lambda m: (m.raw != name, m.document.path not in roots, m.raw, str(m.document.path)))
            winner = members[0]
            content = fingerprint(winner.document.get(winner.pointer)) if len(members) > 1 else ""
            for m in members:
                if m is winner or (m.raw == winner.raw and fingerprint(m.document.get(m.pointer)) == content):
                    names[m.key] = name  # the one that keeps the name, or the same schema in another file
                    continue
                given = pascal(m.document.path.stem) + name if m.raw == winner.raw else _identifier(m.raw)
                if given in groups or given in self._holders:  # `CommonError` is a component already
                    given = f"{given}_{_location_hash(m.source)}"
                names[m.key] = given
                message = f"the class name {name!r} is also the one of {_where(winner.source)}; named {given!r} here"
                self._report(m.document, m.pointer, message)
                self._holders[given] = m.source
            self._holders[name] = winner.source
        return names

    # ------------------------------------------------------------ rules 2 and 3
    def inline(self, parts: tuple[str, ...], schema: Any, where: Source) -> str:
        """A token for the name of the inline schema at `where`, until `resolve` gives names.
        Inline schemas with the same content that want the same name share one (with the
        component of that name too, when its content is the same)."""
        claim = _Inline(parts, where)
        shared = (claim.wanted, fingerprint(schema))
        holder = self._holders.get(claim.wanted)
        if holder is not None and fingerprint(self._document(holder).get(holder.pointer)) == shared[1]:
            return claim.wanted  # the very schema of the component that has the name: one model
        if shared not in self._tokens:
            self._tokens[shared] = f"<{where.file}{where.pointer}>"
            self._inline[self._tokens[shared]] = claim
        return self._tokens[shared]

    def resolve(self) -> dict[str, str]:
        """Token -> the name it gets."""
        components = set(self.components.values())
        wanting: dict[str, list[str]] = {}
        for token, claim in self._inline.items():
            wanting.setdefault(claim.wanted, []).append(token)
        names = {tokens[0]: name for name, tokens in wanting.items() if len(tokens) == 1 and name not in components}
        taken = components | set(names.values())
        qualifying: dict[str, list[str]] = {}
        for token, claim in self._inline.items():
            if token not in names:
                qualifying.setdefault(claim.qualified, []).append(token)
        for name, tokens in qualifying.items():
            for token in tokens:
                claim = self._inline[token]
                given = name if len(tokens) == 1 and name not in taken else f"{name}_{_location_hash(claim.where)}"
                names[token] = given
                holder = self._holders.get(claim.wanted)
                other = holder or next(self._inline[t].where for t in wanting[claim.wanted] if t != token)
                message = f"the name {claim.wanted!r} is also the one of {_where(other)}; named {given!r} here"
                self._report(self._document(claim.where), claim.where.pointer, message)
        return names

    def _document(self, where: Source) -> Document:
        return self.specset.documents[Path(where.file)]

    def _report(self, document: Document, pointer: str, message: str) -> None:
        self.diagnostics.append(Diagnostic.of("name-collision", document.location(pointer), message))
