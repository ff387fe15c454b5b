"""How the client's models are split into modules, so that a call imports the models it needs
and not the whole API (`models/__init__.py` loads each module on first use).

Building a pydantic class costs ~1 ms even with its schema deferred: GitHub's 3,000 models
took 2.4 s to import before its first request could go. A model goes with the ones only it
uses (an inline object, its enum), and models that refer to each other in a cycle go
together. These groups form a graph without cycles; laid out in a topological order that
keeps each operation's groups side by side, they are cut into modules of at least
MODULE_SIZE names (a module per group made ~1,200 files of the full OpenAI spec: formatting
and writing them cost more than the rest of a run). Cut from that order, a module imports
from its siblings only modules before it, so their imports never form a cycle.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..annotate import Annotation
from ..ir import Api, refs
from ..names import snake
from .imports import FUTURE, block, from_typing, member_order, module_order
from .models import MODEL, ModelView, model_view
from .webhooks import WebhooksView


@dataclass(frozen=True)
class ModelModule:
    name: str  # the module's name in the models package: `_full_repository`
    models: list[ModelView]
    aliases: list[tuple[str, Annotation, str]]  # (name, annotation, doc)
    imports: list[tuple[str, list[str]]]  # (sibling module, the names this one uses from it)

    @property
    def names(self) -> list[str]:
        return sorted([*(m.name for m in self.models), *(a[0] for a in self.aliases)])

    @property
    def import_block(self) -> str:
        """Its imports, each used, in ruff's order: the formatter's lint pass skips the module."""
        uses = set().union(*(m.names for m in self.models), *(a[1].names for a in self.aliases))
        if self.aliases:
            uses.add("TypeAlias")
        local = ["from .._base import APIModel as _Model"] if self.models else []
        local += [f"from .{sibling} import {', '.join(names)}" for sibling, names in self.imports]
        third_party = ["from pydantic import Field as _Field"] if "_Field" in uses else []
        return block(FUTURE, from_typing(uses), third_party, local)


def model_modules(api: Api, webhooks: WebhooksView | None) -> list[ModelModule]:
    """Every model and alias of the API (and the webhooks' union, when there is one), in
    modules, sorted by module name."""
    uses = _uses(api, webhooks)
    roots = [n for n in _reached_first(api) if n in uses]
    packed = _layout(uses, roots + ([webhooks.union] if webhooks else []))
    names = _module_names([members[0] for members in packed])
    module_of = {name: names[members[0]] for members in packed for name in members}
    models = {m.name: m for m in api.models}
    aliases = {a.name: (a.name, MODEL(a.type), a.description) for a in api.aliases}
    if webhooks:
        aliases[webhooks.union] = (webhooks.union, webhooks.annotation, webhooks.doc)
    out = []
    for members in sorted(packed):
        here = module_of[members[0]]
        imports: dict[str, set[str]] = {}
        for used in (u for name in members for u in uses[name] if module_of[u] != here):
            imports.setdefault(module_of[used], set()).add(used)
        views = [model_view(models[n]) for n in members if n in models]
        imported = [(module, member_order(imports[module])) for module in module_order(imports)]
        out.append(ModelModule(here, views, [aliases[n] for n in members if n in aliases], imported))
    return sorted(out, key=lambda m: m.name)


def _uses(api: Api, webhooks: WebhooksView | None) -> dict[str, list[str]]:
    """Each model and alias -> the models and aliases its annotations name."""
    types = {m.name: m.types() for m in api.models}
    types |= {a.name: [a.type] for a in api.aliases}
    if webhooks:
        types[webhooks.union] = [w.type for w in api.webhooks]
    return {name: sorted(set().union(*map(refs, ts)) & types.keys()) for name, ts in types.items()}


def _layout(uses: dict[str, list[str]], roots: list[str]) -> list[list[str]]:
    """The names in modules: grouped (`_homes`), the groups in a topological order from the
    roots (the names operations and webhooks use, in the API's order), packed (`_packed`)."""
    home = _homes(uses, set(roots))
    groups: dict[str, list[str]] = {}
    for name in sorted(uses):
        groups.setdefault(home[name], []).append(name)
    below = {group: sorted({home[u] for n in members for u in uses[n]} - {group}) for group, members in groups.items()}
    return _packed(_reached(below, [home[n] for n in [*roots, *sorted(uses)]]), groups)


MODULE_SIZE = 32  # names per module at least (the last may have fewer)


def _reached(below: dict[str, list[str]], starts: list[str]) -> list[str]:
    """The groups in the order a walk from `starts` finishes them, depth first: each after the
    groups it uses (a topological order: the graph of groups has no cycle), and the groups
    one operation reaches side by side."""
    order: list[str] = []
    seen: set[str] = set()
    for start in starts:
        if start in seen:
            continue
        seen.add(start)
        stack = [(start, iter(below[start]))]
        while stack:
            group, rest = stack[-1]
            following = next((g for g in rest if g not in seen), None)
            if following is None:
                stack.pop()
                order.append(group)
            else:
                seen.add(following)
                stack.append((following, iter(below[following])))
    return order


def _packed(order: list[str], groups: dict[str, list[str]]) -> list[list[str]]:
    """The groups' names, in `order`, packed into modules of at least MODULE_SIZE names. Cut
    from a topological order, the modules import only modules before them: never a cycle."""
    modules: list[list[str]] = [[]]
    for group in order:
        if len(modules[-1]) >= MODULE_SIZE:
            modules.append([])
        modules[-1].extend(groups[group])
    return [sorted(m) for m in modules if m]


def _reached_first(api: Api) -> list[str]:
    """The names the operations use, in the API's order, then those the webhooks deliver."""
    found: dict[str, None] = {}
    for op in api.operations:
        types = [op.response, op.events, *(p.type for p in op.parameters)]
        if op.body is not None:
            types += [op.body.type, *(f.type for f in op.body.fields)]
        found |= dict.fromkeys(sorted(set().union(*(refs(t) for t in types if t is not None))))
    for webhook in api.webhooks:
        found |= dict.fromkeys(sorted(refs(webhook.type)))
    return list(found)


def _homes(uses: dict[str, list[str]], roots: set[str]) -> dict[str, str]:
    """Each name -> the name whose module holds it. Names in one cycle share a module (named
    after the first); then a module that one other module alone uses, and no operation,
    joins it. Merging a module into its only user keeps the graph of modules acyclic."""
    group = {name: min(component) for component in _cycles(uses) for name in component}
    users: dict[str, set[str]] = {g: set() for g in group.values()}
    for name, used in uses.items():
        for other in used:
            if group[other] != group[name]:
                users[group[other]].add(group[name])
    entry = {group[name] for name in roots if name in group}

    def home(g: str) -> str:
        while g not in entry and len(users[g]) == 1:
            (g,) = users[g]
        return g

    return {name: home(g) for name, g in group.items()}


def _cycles(uses: dict[str, list[str]]) -> Iterator[list[str]]:
    """The strongly connected components of the uses graph (Tarjan's, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for start in sorted(uses):
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            name, position = work.pop()
            if position == 0:
                index[name] = low[name] = len(index)
                stack.append(name)
                on_stack.add(name)
            used = uses[name]
            if position < len(used):
                work.append((name, position + 1))
                other = used[position]
                if other not in index:
                    work.append((other, 0))
                elif other in on_stack:
                    low[name] = min(low[name], index[other])
                continue
            for other in used:  # the children walked: their lows decide this one's
                if other in on_stack:
                    low[name] = min(low[name], low[other])
            if low[name] == index[name]:
                component = []
                while True:
                    other = stack.pop()
                    on_stack.discard(other)
                    component.append(other)
                    if other == name:
                        break
                yield sorted(component)


def _module_names(roots: list[str]) -> dict[str, str]:
    """Each module's root name -> its module name, unique ignoring case (a case-insensitive
    file system holds `_ab_test.py` and `_AB_test.py` as one file)."""
    taken: set[str] = set()
    names = {}
    for root in roots:
        name = f"_{snake(root) or 'model'}"
        candidate, n = name, 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"{name}_{n}"
        taken.add(candidate.lower())
        names[root] = candidate
    return names
