"""Webhooks as the Standard Webhooks scheme signs them (https://www.standardwebhooks.com), which
OpenAI's follow: `webhook-id`, `webhook-timestamp` and `webhook-signature` headers, the
signature an HMAC-SHA256 of `<id>.<timestamp>.<body>` in base64 after `v1,`, several of them
separated by spaces while a secret is rotated; a `whsec_` secret is the key in base64.

Copied as it is into every generated client whose spec has webhooks (from ftgen's
generator/runtime/); do not edit the copy. The stubs sign with `sign()`. What hashes and
encodes is imported when first needed: importing the client stays fast.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from ._constants import WEBHOOK_SECRET_ENV

E = TypeVar("E")
TOLERANCE = 300  # seconds a delivery may be old (or early) and still be accepted


class InvalidWebhookSignatureError(ValueError):
    """The payload is not what the API signed with this secret, or it is too old: refuse it."""


class UnknownWebhookEventError(ValueError):
    """A signed event of a `type` the spec does not declare (a newer one): `.event` holds it."""

    def __init__(self, event: Any) -> None:
        kind = event.get("type") if isinstance(event, dict) else None
        super().__init__(
            f"a webhook event of a type the spec does not declare: {kind!r}"
        )
        self.event = event


def _key(secret: str) -> bytes:
    import base64

    return (
        base64.b64decode(secret.removeprefix("whsec_"))
        if secret.startswith("whsec_")
        else secret.encode()
    )


def _signature(key: bytes, webhook_id: str, timestamp: str, body: str) -> str:
    import base64
    import hashlib
    import hmac

    signed = f"{webhook_id}.{timestamp}.{body}".encode()
    return base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def _text(payload: str | bytes) -> str:
    return payload.decode("utf-8") if isinstance(payload, bytes) else payload


def sign(
    payload: str | bytes,
    secret: str,
    *,
    webhook_id: str | None = None,
    timestamp: int | None = None,
) -> dict[str, str]:
    """The headers that make `payload` a delivery signed with `secret` (the sending side)."""
    import secrets

    webhook_id = webhook_id or f"msg_{secrets.token_hex(12)}"
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = _signature(_key(secret), webhook_id, stamp, _text(payload))
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": stamp,
        "webhook-signature": f"v1,{signature}",
    }


def verify(
    payload: str | bytes,
    headers: Mapping[str, str],
    secret: str,
    tolerance: int = TOLERANCE,
) -> None:
    """Return if one of the signatures is the payload's with `secret` and its timestamp is
    within `tolerance` seconds of now; else raise InvalidWebhookSignatureError.
    """
    given = {str(k).lower(): str(v) for k, v in headers.items()}
    missing = [
        h
        for h in ("webhook-id", "webhook-timestamp", "webhook-signature")
        if h not in given
    ]
    if missing:
        raise InvalidWebhookSignatureError(f"the {missing[0]} header is missing")
    stamp = given["webhook-timestamp"]
    try:
        age = int(time.time()) - int(stamp)
    except ValueError:
        raise InvalidWebhookSignatureError(
            f"webhook-timestamp is no time: {stamp!r}"
        ) from None
    if age > tolerance:
        raise InvalidWebhookSignatureError(
            f"the webhook is {age} seconds old (at most {tolerance})"
        )
    if age < -tolerance:
        raise InvalidWebhookSignatureError(f"the webhook is dated {-age} seconds ahead")
    expected = _signature(_key(secret), given["webhook-id"], stamp, _text(payload))
    offered = [s.removeprefix("v1,") for s in given["webhook-signature"].split()]
    import hmac

    if not any(hmac.compare_digest(expected, s) for s in offered):
        raise InvalidWebhookSignatureError(
            "no signature matches the payload with this secret"
        )


class Webhooks(Generic[E]):
    """`client.webhooks`: check that an event came from the API, and parse it."""

    def __init__(
        self, client: Any, events: Callable[[], tuple[Any, Mapping[str, Any]]]
    ) -> None:
        self._client = client
        self._events = (
            events  # (the union of every event, each event's model by its `type`)
        )

    def unwrap(
        self,
        payload: str | bytes,
        headers: Mapping[str, str],
        *,
        secret: str | None = None,
    ) -> E:
        """The event, once its signature is checked (`verify_signature`)."""
        self.verify_signature(payload, headers, secret=secret)
        event = json.loads(payload)
        union, by_type = self._events()
        if by_type:  # each event's model by its `type`, whatever else its fields hold
            model = (
                by_type.get(str(event.get("type"))) if isinstance(event, dict) else None
            )
            if model is None:
                raise UnknownWebhookEventError(event)
            parsed: E = model.model_validate(event)
            return parsed
        import pydantic

        return pydantic.TypeAdapter(union).validate_python(event)  # type: ignore[no-any-return]

    def verify_signature(
        self,
        payload: str | bytes,
        headers: Mapping[str, str],
        *,
        secret: str | None = None,
        tolerance: int = TOLERANCE,
    ) -> None:
        """Raise InvalidWebhookSignatureError unless the API signed this payload, lately, with
        `secret` (else the client's `webhook_secret`, else $WEBHOOK_SECRET_ENV).
        """
        secret = secret if secret is not None else self._client.webhook_secret
        if not secret:
            raise ValueError(
                f"no webhook secret: pass secret=, or webhook_secret= to the client, or set {WEBHOOK_SECRET_ENV}"
            )
        verify(payload, headers, secret, tolerance)
