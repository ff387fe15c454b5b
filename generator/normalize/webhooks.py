"""The events an API sends (OpenAPI 3.1 `webhooks`; `x-webhooks` in 3.0): each one's payload type,
and the `type` constant that tells it from the others."""

from __future__ import annotations

from typing import Any

from ..diagnostics import Diagnostic, pointer_join
from ..ir import Literal, Ref, Source, Type, Webhook
from ..loader import Document, SpecSet
from ..names import pascal
from .operations import HTTP_METHODS, _deref, _pick_content
from .schemas import SchemaNormalizer


def webhooks(
    documents: list[Document], specset: SpecSet, schemas: SchemaNormalizer, diagnostics: list[Diagnostic]
) -> tuple[Webhook, ...]:
    out = []
    for doc in documents:
        key = "webhooks" if "webhooks" in doc.data else "x-webhooks"
        declared = doc.data.get(key)
        for name, raw in declared.items() if isinstance(declared, dict) else ():
            idoc, iptr, item = _deref(specset, doc, pointer_join(f"#/{key}", str(name)), raw, diagnostics)
            for method in HTTP_METHODS:
                operation = item.get(method)
                if isinstance(operation, dict):
                    found = _payload(
                        idoc, pointer_join(iptr, method), operation, str(name), specset, schemas, diagnostics
                    )
                    if found is not None:
                        description = str(operation.get("description") or operation.get("summary") or "").strip()
                        source = Source(str(idoc.path), pointer_join(iptr, method))
                        out.append(Webhook(str(name), found, _event(found, schemas), description, source))
    return tuple(out)


def _payload(
    doc: Document,
    pointer: str,
    operation: dict[str, Any],
    name: str,
    specset: SpecSet,
    schemas: SchemaNormalizer,
    diagnostics: list[Diagnostic],
) -> Type | None:
    """The JSON request body's type: what is POSTed to the endpoint; None where there is none."""
    if "requestBody" not in operation:
        return None
    bdoc, bptr, body = _deref(specset, doc, pointer_join(pointer, "requestBody"), operation["requestBody"], diagnostics)
    picked = _pick_content(body.get("content"))
    if picked is None or picked[0] != "application/json" or not isinstance(picked[1], dict):
        return None
    media_ptr = pointer_join(bptr, "content", "application/json", "schema")
    return schemas.type_of(bdoc, media_ptr, picked[1].get("schema"), (pascal(name), "Event"))


def _event(payload: Type, schemas: SchemaNormalizer) -> str | None:
    """The one value of the payload's `type` field (`fine_tuning.job.succeeded`), if it has one."""
    model = schemas.models.get(payload.name) if isinstance(payload, Ref) else None
    for field in model.fields if model is not None else ():
        kind = field.type
        if field.wire_name == "type" and isinstance(kind, Literal) and len(kind.values) == 1 and not kind.open:
            return str(kind.values[0])
    return None
