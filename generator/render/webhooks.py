"""What the client makes of the spec's webhooks: the union of their events (`UnwrapWebhookEvent`,
in models.py) and which model each event's `type` names (for `client.webhooks.unwrap`)."""

from __future__ import annotations

from dataclasses import dataclass

from ..annotate import Annotation, union
from ..ir import Api, Ref
from .models import MODEL


@dataclass(frozen=True)
class WebhooksView:
    union: str  # the alias of every event's model, openai-python's name unless a schema has it
    annotation: Annotation  # its value in the models: `A | B | C`
    by_type: tuple[tuple[str, str], ...]  # (event type, model name), where every event has a type
    doc: str


def webhooks_view(api: Api) -> WebhooksView | None:
    if not api.webhooks:
        return None
    taken = {m.name for m in api.models} | {a.name for a in api.aliases}
    name = "UnwrapWebhookEvent"
    while name in taken:
        name += "_"
    annotation = union([MODEL(w.type) for w in api.webhooks])
    typed = all(w.event is not None and isinstance(w.type, Ref) for w in api.webhooks)
    by_type = tuple((str(w.event), w.type.name) for w in api.webhooks if isinstance(w.type, Ref)) if typed else ()
    doc = "Any event the API sends to a webhook endpoint (`client.webhooks.unwrap()` parses one)."
    return WebhooksView(name, annotation, by_type, doc)
