"""Stage 3, normalize: every document of the spec set becomes one IR (`ir.Api`)."""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..ir import Api
from ..loader import SpecSet
from .operations import OperationNormalizer, disambiguate
from .schemas import SchemaNormalizer


def normalize(specset: SpecSet, diagnostics: list[Diagnostic]) -> Api:
    """Fold the root documents, in path order, into one Api; problems go to `diagnostics`."""
    schemas = SchemaNormalizer(specset, diagnostics)
    ops = OperationNormalizer(specset, schemas, diagnostics)
    documents = sorted(specset.root_documents(), key=lambda d: str(d.path))
    operations = []
    for doc in documents:
        operations.extend(ops.operations(doc))
        # Components no operation reaches are still part of the API's vocabulary.
        for name in sorted((doc.data.get("components") or {}).get("schemas") or {}):
            schemas.type_of(
                doc, "#", {"$ref": f"#/components/schemas/{name.replace('~', '~0').replace('/', '~1')}"}, name
            )
    operations = disambiguate(operations, diagnostics, specset)
    first = documents[0].data if documents else {}
    info = first.get("info") or {}
    servers = first.get("servers") or [{}]
    return Api(
        title=str(info.get("title") or "API"),
        version=str(info.get("version") or ""),
        description=str(info.get("description") or "").strip(),
        base_url=str((servers[0] or {}).get("url") or "http://localhost"),
        models=tuple(sorted(schemas.models.values(), key=lambda m: m.name)),
        aliases=tuple(sorted(schemas.aliases.values(), key=lambda a: a.name)),
        operations=tuple(operations),
        sources=tuple(str(d.path) for d in documents),
    )
