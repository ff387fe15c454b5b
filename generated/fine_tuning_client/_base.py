"""The base of every generated model, and the lenient-enum validator.

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
    _response: object = pydantic.PrivateAttr(default=None)  # the httpx.Response

    def to_dict(self) -> dict[str, Any]:
        """The JSON object, by wire names, without fields that were never set."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


def _lenient(kind: type) -> Any:
    """A validator that keeps a value of the enum's own JSON type that the enum does not list:
    one the server added after this client was generated. Any other value is still an error.
    """

    def keep_unknown(value: Any, handler: pydantic.ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(value)
        except pydantic.ValidationError:
            if type(value) is kind:
                return value
            raise

    return pydantic.WrapValidator(keep_unknown)


LenientEnum = _lenient(str)
"""Closed string enums accept new strings at run time; type checkers still see the known ones."""
LenientIntEnum = _lenient(int)
"""The same for integer enums."""
