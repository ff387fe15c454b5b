"""How spec text and computed annotations reach generated code: the template filters.

Spec text reaches code through two filters only: `py` (a Python literal via repr) and
`docstring` (escaped for a triple-quoted string); `parameter` lays out a parameter so that
both formatters keep it as it is.
"""

from __future__ import annotations

import re


def _escape(ch: str) -> str:
    if ch == "\\":
        return "\\\\"
    if ch == "\n" or ch == "\t" or ch.isprintable():
        return ch
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


_ASCII_UNSAFE = re.compile(r"[\\\x00-\x08\x0b-\x1f\x7f]")  # in ASCII text, what _escape changes


def docstring(text: str) -> str:
    """Text that is safe between triple double quotes, whatever the spec author wrote."""
    text = text.replace("\r\n", "\n")
    if text.isascii():  # nearly every description: one regex pass instead of a call per character
        body = _ASCII_UNSAFE.sub(lambda m: _escape(m.group(0)), text)
    else:
        body = "".join(map(_escape, text))
    body = body.replace('"""', '\\"\\"\\"')
    body = "\n".join(line.rstrip() for line in body.split("\n")).strip()
    if "\n" in body:  # closing quotes on a line of their own, where black puts them when the last line is long
        return body + "\n"
    if body.endswith('"'):
        body += " "
    return body


def py(value: object) -> str:
    return repr(value)


_PARAMETER_INDENT = 8  # every parameter list is printed in a method, one parameter a line
_SIMPLE_DEFAULT = re.compile(r" = [\w.]+$")


def parameter(text: str, line_length: int) -> str:
    """One parameter (`name: annotation = default`), its annotation parenthesized when a union
    makes the line too long, as black formats it (and ruff keeps); left bare, ruff would split
    it at each `|` and black would then reformat the file. Generated code is stable under both."""
    if _PARAMETER_INDENT + len(text) + 1 <= line_length or ": " not in text:
        return text
    name, _, rest = text.partition(": ")
    default = _SIMPLE_DEFAULT.search(rest)
    annotation, tail = (rest[: default.start()], default.group()) if default else (rest, "")
    return f"{name}: ({annotation}){tail}" if _top_level_union(annotation) else text


_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")  # string literals, as repr writes them
_NESTING = re.compile(r"[\[(]|[\])]| \| ")


def _top_level_union(annotation: str) -> bool:
    if " | " not in annotation:
        return False
    depth = 0
    for match in _NESTING.finditer(_QUOTED.sub("''", annotation)):
        token = match.group()
        if token == " | " and depth == 0:
            return True
        depth += 1 if token in "[(" else -1 if token in "])" else 0
    return False
