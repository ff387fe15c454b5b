"""How spec text and computed annotations reach generated code: the template filters.

Spec text reaches code through two filters only: `py` (a Python literal via repr) and
`docstring` (escaped for a triple-quoted string). (`signature.parameter` lays out a parameter.)
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
