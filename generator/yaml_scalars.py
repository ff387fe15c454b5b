"""YAML 1.1 scalars as libyaml's safe loader types them (dates excepted: `version: 2023-12-22`
is text in a spec), without libyaml: the fast reader retypes the plain scalars rapidyaml's JSON
reads otherwise, and reads tagged and merged documents with these. tests/test_loader.py
compares every answer here with libyaml's on generated scalars.
"""

from __future__ import annotations

import re
from typing import Any

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
MAP = "tag:yaml.org,2002:map"
SEQ = "tag:yaml.org,2002:seq"
MERGE = "tag:yaml.org,2002:merge"  # the key `<<`
VALUE = "tag:yaml.org,2002:value"  # the scalar `=`: no value JSON has

# (tag, pattern) in the order libyaml's resolver tries them; a plain scalar is text unless one
# matches it whole.
_IMPLICIT = [
    (BOOL, re.compile(r"yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF")),
    (FLOAT, re.compile(
        r"[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
        r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")),
    (INT, re.compile(
        r"[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
        r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+")),
    (MERGE, re.compile(r"<<")),
    (NULL, re.compile(r"~|null|Null|NULL|")),
    (VALUE, re.compile(r"=")),
]  # fmt: skip
_TYPED_STARTS = frozenset("yYnNtTfFoO-+0123456789.<~=")  # the first characters those may begin with
# The tags a document may write (`!!int "3"`), by their short form as written.
WRITTEN_TAGS = {
    f"!!{name}": f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq")
}
_BOOLEANS = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}


def resolve(plain: str) -> str:
    """The tag of a plain (unquoted, untagged) scalar."""
    if plain[:1] in _TYPED_STARTS or not plain:
        for tag, pattern in _IMPLICIT:
            if pattern.fullmatch(plain):
                return tag
    return STR


def construct(tag: str, text: str) -> Any:
    """The value of a scalar of `tag` written `text`; ValueError where libyaml's loader builds
    none (a map or seq tag on a scalar, `!!bool maybe`, `!!int 0x`, `=`)."""
    if tag == STR:
        return text
    if tag == NULL:
        return None
    if tag == BOOL:
        if text.lower() not in _BOOLEANS:
            raise ValueError(f"{text!r} is not a boolean")
        return _BOOLEANS[text.lower()]
    if tag == INT:
        return _number(text, int)
    if tag == FLOAT:
        return _number(text.lower(), float)
    raise ValueError(f"no scalar of {tag}")


def _number(text: str, kind: type[int] | type[float]) -> Any:
    digits = text.replace("_", "")
    sign = -1 if digits[:1] == "-" else 1
    digits = digits[1:] if digits[:1] in ("-", "+") else digits
    if kind is float:
        if digits in (".inf", ".nan"):
            return sign * float(digits[1:])
    elif digits == "0":
        return 0
    elif digits.startswith(("0b", "0x")):
        return sign * int(digits[2:], 2 if digits[1] == "b" else 16)
    elif digits[:1] == "0":
        return sign * int(digits, 8)
    if ":" in digits:  # sexagesimal: 1:30 is 90, summed from the last part as libyaml's loader does
        total, base = kind(0), 1
        for part in reversed(digits.split(":")):
            total += kind(part) * base
            base *= 60
        return sign * total
    return sign * kind(digits)


def plain(text: str) -> Any:
    """A plain scalar's value."""
    return construct(resolve(text), text)
