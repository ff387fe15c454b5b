"""openapi-spec-validator run as it ships: the reference that generator/oas_checks.py matches."""

from __future__ import annotations

import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from generator.loader import Document, SpecSet


def upstream_messages(specset: SpecSet, doc: Document) -> list[str]:
    """Every message openapi-spec-validator gives for `doc`, with its own files served to it."""
    from jsonschema_path import SchemaPath
    from openapi_spec_validator.validation import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    def local(uri: str) -> Any:
        return specset.load(Path(urllib.request.url2pathname(urllib.parse.urlsplit(uri).path))).data

    handlers = {"file": local}
    cls = OpenAPIV31SpecValidator if str(doc.data["openapi"]).startswith("3.1") else OpenAPIV30SpecValidator
    path = SchemaPath.from_dict(doc.data, base_uri=doc.path.as_uri(), handlers=handlers)
    validator = cls(path)
    found = list(validator.schema_validator.iter_errors(doc.data)) or list(validator.root_validator(path))
    return [str(error.message).splitlines()[0] for error in found]
