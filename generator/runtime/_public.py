"""The runtime's public names, re-exported by every generated client's `__init__`.

Copied as it is into every generated client (from ftgen's generator/runtime/); do not edit
the copy.
"""

from ._response import APIResponse, AsyncAPIResponse
from ._runtime import (
    OMIT,
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncCursorPage,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    CredentialsError,
    InternalServerError,
    NotFoundError,
    Omit,
    PageInfo,
    PermissionDeniedError,
    RateLimitError,
    SyncCursorPage,
    UnprocessableEntityError,
    raw_response,
)

__all__ = [
    "OMIT",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncAPIResponse",
    "AsyncCursorPage",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "CredentialsError",
    "InternalServerError",
    "NotFoundError",
    "Omit",
    "PageInfo",
    "PermissionDeniedError",
    "RateLimitError",
    "SyncCursorPage",
    "UnprocessableEntityError",
    "raw_response",
]
