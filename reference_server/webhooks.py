"""Webhook deliveries: each event POSTed to one URL, signed as the API signs them (the stubs'
`sign_webhook`), retried with exponential backoff until the receiver answers 2xx or the
attempts run out. A retry keeps the event's `webhook-id` (receivers drop duplicates by it)
and is signed afresh, with the time it is sent.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

import httpx

from fine_tuning_stubs import sign_webhook

ATTEMPTS = 8
FIRST_DELAY, MAX_DELAY = 0.5, 30.0  # seconds before the second attempt, and at most between two


class Deliveries:
    def __init__(self, url: str, secret: str, attempts: int = ATTEMPTS, first_delay: float = FIRST_DELAY) -> None:
        self.url, self.secret = url, secret
        self.attempts, self.first_delay = attempts, first_delay
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._sending: set[asyncio.Task[None]] = set()

    def send(self, event: dict[str, Any]) -> None:
        """Queue an event; called from the service, on the server's event loop."""
        self._queue.put_nowait(event)

    async def run(self) -> None:
        """Deliver events as they come, each on its own: one receiver's retries hold up no other."""
        async with httpx.AsyncClient(timeout=10.0) as http:
            while True:
                event = await self._queue.get()
                task = asyncio.create_task(self._deliver(http, event))
                self._sending.add(task)
                task.add_done_callback(self._sending.discard)

    async def _deliver(self, http: httpx.AsyncClient, event: dict[str, Any]) -> None:
        body = json.dumps(event, separators=(",", ":"))
        webhook_id = f"msg_{event['id']}"
        delay = self.first_delay
        for attempt in range(1, self.attempts + 1):
            headers = sign_webhook(body, self.secret, webhook_id=webhook_id)
            try:
                response = await http.post(
                    self.url, content=body, headers={**headers, "content-type": "application/json"}
                )
                outcome = f"status {response.status_code}"
                if response.is_success:
                    _say(f"webhook {event['type']} {webhook_id} delivered to {self.url} (attempt {attempt})")
                    return
            except httpx.HTTPError as exc:
                outcome = type(exc).__name__
            if attempt == self.attempts:
                _say(
                    f"webhook {event['type']} {webhook_id} to {self.url}: attempt {attempt} failed ({outcome}); given up"
                )
                return
            _say(f"webhook {event['type']} {webhook_id} to {self.url}: attempt {attempt} failed ({outcome}); "
                 f"again in {delay:g} s")  # fmt: skip
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_DELAY)


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
