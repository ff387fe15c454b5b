"""The base of every generated model.

Copied as it is into every generated client (from ftgen's generator/runtime/); do not edit
the copy.
"""

from __future__ import annotations

from typing import Any

import pydantic


class APIModel(pydantic.BaseModel):
    """Base of every generated model: keeps unknown fields, fills fields by name or wire name."""

    # defer_build: a schema is built when a model is first used, not at import.
    model_config = pydantic.ConfigDict(
        extra="allow",
        validate_by_name=True,
        validate_by_alias=True,
        protected_namespaces=(),
        defer_build=True,
    )

    @property
    def _request_id(self) -> str | None:
        """The `x-request-id` of the response this object was parsed from (openai-python's)."""
        from ._runtime import request_id

        return request_id(self)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object, by wire names, without fields that were never set."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)
