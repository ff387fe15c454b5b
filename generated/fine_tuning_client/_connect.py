"""Where a client connects and with what: the spec's servers (URL templates and their
variables) and its security schemes (which credentials go where).

Copied as it is into every generated client (from ftgen's generator/runtime/); do not edit
the copy. The generated `_constants` lists this API's servers and schemes with these types;
`_runtime` applies them. Nothing here imports httpx or pydantic.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import NamedTuple, TypeAlias
from urllib.parse import urljoin, urlsplit  # loaded by _wire already


# ---------------------------------------------------------------- servers
class Variable(NamedTuple):
    default: str
    enum: tuple[str, ...] = ()


class Server(NamedTuple):
    url: str  # a template: `https://{region}.example.com/v1`, or relative: `/api/v1`
    variables: Mapping[str, Variable] = {}


def server_url(server: Server, values: Mapping[str, str | None]) -> str:
    """The server's URL with every variable filled in: the value given, else its default; a
    value outside the variable's enum is a ValueError naming the allowed ones.
    """
    url = server.url
    for name, variable in server.variables.items():
        value = values.get(name)
        value = variable.default if value is None else value
        if variable.enum and value not in variable.enum:
            allowed = ", ".join(repr(v) for v in variable.enum)
            raise ValueError(
                f"server variable {name!r} must be one of {allowed}, not {value!r}"
            )
        url = url.replace("{" + name + "}", value)
    return url


def is_relative(url: str) -> bool:
    return not urlsplit(url).scheme


def base_url(
    given: str | None,
    env: str,
    servers: tuple[Server, ...],
    index: int,
    values: Mapping[str, str | None],
) -> str:
    """The URL every path is joined to: `given` (or the variable `env`) where there is one, a
    relative server resolved against it (RFC 3986); else the chosen server, filled in.
    """
    if not 0 <= index < len(servers):
        raise ValueError(f"server must be from 0 to {len(servers) - 1}, not {index}")
    url = server_url(servers[index], values)
    given = given or os.environ.get(env) or None
    if given is not None:
        # A relative server is resolved against it; `/` (OpenAPI's default, where a spec
        # names no server) is the URL given as it is.
        return urljoin(given, url) if is_relative(url) and url != "/" else given
    if is_relative(url):
        raise ValueError(
            f"the spec's server is relative ({url!r}): give base_url= (or set {env}), "
            f"the URL it is relative to"
        )
    return url


# ---------------------------------------------------------------- security
class Scheme(NamedTuple):
    """How one security scheme's credential is presented."""

    kind: str  # apiKey | http | basic | oauth2 | openIdConnect
    location: str  # header | query | cookie
    name: str  # the header, query parameter or cookie it goes in
    prefix: str = ""  # what precedes the token in the header: `Bearer`, `Token`...
    argument: str = ""  # the constructor argument(s) that give it, for messages
    env: str = ""  # the environment variable(s) read when they are not given
    token_url: str = ""  # oauth2: where client credentials are exchanged for a token


Requirement: TypeAlias = tuple[
    tuple[str, tuple[str, ...]], ...
]  # (scheme, scopes), all met
Security: TypeAlias = tuple[
    Requirement, ...
]  # alternatives, the first one met wins; () none
TokenSource: TypeAlias = "str | Callable[[], str]"


class ClientCredentials:
    """OAuth2's client credentials flow: a token from `token_url`, kept until it expires
    (less a margin), for each set of scopes; a lock per thread pool and per event loop.
    A plain class: `dataclasses` would add several milliseconds to the client's import.
    """

    MARGIN = 30.0  # seconds before its expiry that a token is no longer used

    def __init__(self, client_id: str, client_secret: str, token_url: str) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_url = token_url
        self._tokens: dict[tuple[str, ...], tuple[str, float]] = {}
        import threading  # only once client credentials are used: the import stays fast

        self._lock = threading.Lock()

    def __repr__(self) -> str:  # never the secret
        return f"ClientCredentials(client_id={self.client_id!r}, token_url={self.token_url!r})"

    def cached(self, scopes: tuple[str, ...]) -> str | None:
        token = self._tokens.get(scopes)
        return token[0] if token and token[1] > time.monotonic() else None

    def keep(self, scopes: tuple[str, ...], answer: object) -> str:
        """Keep the token of a token endpoint's JSON answer; a ValueError if it has none."""
        if not isinstance(answer, dict) or not isinstance(
            answer.get("access_token"), str
        ):
            raise ValueError(
                f"the token endpoint {self.token_url} answered no access_token"
            )
        lifetime = answer.get("expires_in")
        seconds = (
            float(lifetime) if isinstance(lifetime, (int, float)) else float("inf")
        )
        access: str = answer["access_token"]
        self._tokens[scopes] = (access, time.monotonic() + seconds - self.MARGIN)
        return access

    def form(self, scopes: tuple[str, ...]) -> tuple[dict[str, str], dict[str, str]]:
        """(headers, form fields) of the token request: the client authenticates with HTTP Basic
        (RFC 6749, section 2.3.1)."""
        fields = {"grant_type": "client_credentials"}
        if scopes:
            fields["scope"] = " ".join(scopes)
        return {
            "Authorization": basic_header(self.client_id, self.client_secret)
        }, fields


Credential: TypeAlias = "str | Callable[[], str] | tuple[str, str] | ClientCredentials"


def token(given: TokenSource | None, env: str) -> TokenSource | None:
    """An API key or token: the argument, else the environment variable (named for this API)."""
    return given if given is not None else os.environ.get(env) or None


def setting(given: str | None, env: str) -> str | None:
    """A text setting (`webhook_secret`): the argument, else the environment variable."""
    return given if given is not None else os.environ.get(env) or None


def basic(
    username: str | None, password: str | None, username_env: str, password_env: str
) -> tuple[str, str] | None:
    username = username if username is not None else os.environ.get(username_env)
    password = password if password is not None else os.environ.get(password_env)
    return (username, password or "") if username else None


def oauth2(
    access_token: TokenSource | None,
    token_env: str,
    client_id: str | None,
    client_secret: str | None,
    id_env: str,
    secret_env: str,
    token_url: str,
) -> TokenSource | ClientCredentials | None:
    """A token given (or a callable giving one), else client credentials to fetch one with."""
    given = token(access_token, token_env)
    if given is not None:
        return given
    client_id = client_id if client_id is not None else os.environ.get(id_env)
    client_secret = (
        client_secret if client_secret is not None else os.environ.get(secret_env)
    )
    if client_id and client_secret is not None and token_url:
        return ClientCredentials(client_id, client_secret, token_url)
    return None


def basic_header(username: str, password: str) -> str:
    import base64

    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode(
        "ascii"
    )


class MissingCredentials(Exception):
    """No alternative of an operation's security has all its credentials; nothing was sent."""


def choose(
    security: Security,
    credentials: Mapping[str, object],
    schemes: Mapping[str, Scheme],
    what: str,
) -> Requirement:
    """The first alternative whose every scheme has a credential, before an empty (anonymous)
    one; a scheme the client cannot present (mutual TLS) is the http client's to meet.
    MissingCredentials naming what to pass when none is met."""
    met = [
        tuple((s, scopes) for s, scopes in alternative if s in schemes)
        for alternative in security
        if all(
            s not in schemes or credentials.get(s) is not None for s, _ in alternative
        )
    ]
    # The credentials given are sent, even where an anonymous alternative is met too.
    if met:
        return next((alternative for alternative in met if alternative), met[0])
    if not security:
        return ()
    wanted = [s for s, _ in security[0] if s in schemes and credentials.get(s) is None]
    ways = "; ".join(f"{schemes[s].argument} (or set {schemes[s].env})" for s in wanted)
    others = len(security) - 1
    more = f", or meet one of the {others} other requirement(s)" if others else ""
    names = ", ".join(wanted)
    raise MissingCredentials(
        f"{what} needs credentials of the {names} scheme: pass {ways}{more}"
    )


def present(scheme: Scheme, value: str | tuple[str, str]) -> tuple[str, str, str]:
    """(location, name, value) of one credential as it goes on the wire."""
    if isinstance(value, tuple):
        return "header", "Authorization", basic_header(*value)
    if scheme.kind == "apiKey":
        return scheme.location, scheme.name, value
    return "header", "Authorization", f"{scheme.prefix or 'Bearer'} {value}"
