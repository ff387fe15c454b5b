"""Views of how a client connects: the constructor arguments of its credentials and servers,
and the constants the runtime's `_connect` reads (servers, schemes, the API's security).

Arguments are named by rule (docs/decisions.md, "Credentials and servers from the spec"):
one scheme gives `api_key` (an apiKey, or an http token such as bearer), `username` and
`password` (http basic), `access_token` (oauth2, openIdConnect) with `client_id` and
`client_secret` where oauth2 offers the client credentials flow; several schemes give one
argument (or pair) per scheme, named after it. Each reads an environment variable named for
this API when it is not given (`<STEM>_<ARGUMENT>`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..annotate import Annotation, literal
from ..ir import Api, Requirement, Security, Server
from ..names import CLIENT_NAMES, RESOURCE_NAMES, WEBHOOK_NAMES, attribute_name, field_name, unique
from .signature import Arg

# The constructor's own arguments, after the credentials and servers.
RESERVED = ("base_url", "server", "timeout", "max_retries", "default_headers", "default_query", "http_client")
TOKEN = Annotation("_connect.TokenSource | None", union=True, nullable=True, names=frozenset({"_connect"}))
TEXT = Annotation("str | None", union=True, nullable=True)


@dataclass(frozen=True)
class CredentialView:
    scheme: str
    args: tuple[Arg, ...]
    envs: tuple[str, ...]  # the environment variable of each argument
    build: str  # what `__init__` hands the runtime for this scheme, from its arguments
    constant: str  # the scheme in `_constants.SCHEMES`
    attribute: str = ""  # a one-argument scheme's: the client keeps the key there (`client.api_key`)

    @property
    def given(self) -> str:
        """What `__init__` hands the runtime: the attribute set from `build`, or `build`."""
        return f"self.{self.attribute}" if self.attribute else self.build


@dataclass(frozen=True)
class ConnectionView:
    credentials: tuple[CredentialView, ...]
    variables: tuple[tuple[str, Arg], ...]  # (the server variable's name, its argument)
    choice: Arg | None  # `server`, where the spec has several
    servers: str  # `SERVERS`
    security: str  # `SECURITY`
    base_url_env: str
    doc: str
    log_env: str = ""  # `<API>_LOG=info|debug`
    webhook_secret_env: str = ""  # where the API has webhooks: the secret that checks them

    @property
    def args(self) -> list[Arg]:
        own = [a for c in self.credentials for a in c.args]
        own.append(Arg("base_url", Annotation("str | httpx.URL | None", union=True, nullable=True), "None"))
        own += [self.choice] if self.choice else []
        own += [arg for _, arg in self.variables]
        return own + ([Arg("webhook_secret", TEXT, "None")] if self.webhook_secret_env else [])

    @property
    def names(self) -> frozenset[str]:
        """The module's names the constructor writes: `_connect` for the credentials' builds."""
        names = frozenset().union(*(a.annotation.names for a in self.args))
        return names | {"_connect"} if self.credentials else names

    def settings(self, prefix: str) -> list[Arg]:
        """The constructor's arguments after the API's own: the runtime's settings."""
        return [
            Arg("timeout", Annotation("_rt.Timeout"), "_rt.DEFAULT_TIMEOUT"),
            Arg("max_retries", Annotation("int"), "_rt.DEFAULT_MAX_RETRIES"),
            Arg("default_headers", Annotation("_rt.Headers | None", union=True, nullable=True), "None"),
            Arg("default_query", Annotation("_rt.Query | None", union=True, nullable=True), "None"),
            Arg("http_client", Annotation(f"httpx.{prefix}Client | None", union=True, nullable=True), "None"),
        ]

    def kept(self, prefix: str) -> list[Arg]:
        """The constructor's arguments a copy of the client is made with (`_init`): all but
        the http client, which a copy shares unless given another."""
        return [*self.args, *(a for a in self.settings(prefix) if a.name != "http_client")]

    def copy_args(self, prefix: str) -> list[Arg]:
        """`copy()`'s: every constructor argument, each left as it is unless given (an http
        client too, but not None: a copy shares this one's pool unless given another)."""
        given = [*self.kept(prefix), Arg("http_client", Annotation(f"httpx.{prefix}Client"))]
        return [Arg(a.name, a.annotation, omittable=True) for a in given]


def _kind(scheme: Security) -> str:
    if scheme.type == "http":
        return "basic" if scheme.scheme == "basic" else "token"
    if scheme.type == "oauth2":
        return "client credentials" if "clientCredentials" in scheme.flows else "access token"
    return {"apiKey": "token", "openIdConnect": "access token"}.get(scheme.type, "")


def _used(api: Api) -> list[str]:
    """The schemes any requirement names, in order of first mention; that the spec declares."""
    declared = {s.name for s in api.security_schemes if _kind(s)}
    seen: dict[str, None] = {}
    for requirements in [api.security, *(op.security or () for op in api.operations)]:
        for alternative in requirements:
            for name, _ in alternative:
                if name in declared:
                    seen.setdefault(name)
    return list(seen)


def _names(scheme: Security, alone: bool, taken: set[str]) -> tuple[str, ...]:
    """The argument names of one scheme: by its kind when it is the only one, else by its name."""
    kind = _kind(scheme)
    own = attribute_name(scheme.name)
    own = own.removesuffix("_auth") or own  # `ApiKeyAuth` -> `api_key`, `petstore_auth` -> `petstore`
    names: tuple[str, ...]
    if kind == "basic":
        names = ("username", "password") if alone else (f"{own}_username", f"{own}_password")
    elif kind == "client credentials":
        names = ("access_token", "client_id", "client_secret") if alone else (
            own, f"{own}_client_id", f"{own}_client_secret")  # fmt: skip
    elif kind == "access token":
        names = ("access_token",) if alone else (own,)
    else:
        names = ("api_key",) if alone else (own,)
    return tuple(unique(n, taken) for n in names)


def _requirements(alternatives: tuple[Requirement, ...]) -> str:
    return repr(tuple(tuple((name, tuple(scopes)) for name, scopes in a) for a in alternatives))


def connection_view(api: Api, stem: str, api_key_env: str, base_url_env: str) -> ConnectionView:
    """The connection of the client named `stem` (`GALAXY_WEATHER`); `api_key_env` is the
    variable of an argument called `api_key` (the config may name another service's)."""
    schemes = {s.name: s for s in api.security_schemes if _kind(s)}
    used = _used(api)
    security = api.security
    if not used:  # nothing required: a credential given is sent, else none
        used = list(schemes)
        security = tuple(((name, ()),) for name in used) + ((),)
    taken = set(RESERVED) | (WEBHOOK_NAMES if api.webhooks else set())
    credentials = []
    if not used:  # no scheme at all: an `api_key` given goes as a bearer token
        schemes["bearer"] = Security("bearer", "http", scheme="bearer")
        used, security = ["bearer"], ((("bearer", ()),), ())
    # A key is kept as `client.<argument>` (openai-python's `client.api_key`) where that shadows
    # nothing the client has: its own names, its root's resources and methods.
    shadowed = CLIENT_NAMES | RESOURCE_NAMES | {c.attr for c in api.root.children}
    shadowed |= {n for op in api.root.operations for n in op.names}
    for name in used:
        credential = _credential(schemes[name], len(used) == 1, taken, stem, api_key_env)
        credentials.append(replace(credential, attribute="") if credential.attribute in shadowed else credential)
    variables = _variables(api, taken)
    choice = None
    if len(api.servers) > 1:
        choice = Arg("server", Annotation("int"), "0")
    doc = _doc(api, credentials, variables, choice, base_url_env)
    servers = "(" + "".join(_server(s) + ", " for s in api.servers) + ")"
    # The API's own variables are named as its key's: OPENAI_API_KEY, so OPENAI_LOG.
    prefix = api_key_env.removesuffix("_API_KEY") if api_key_env.endswith("_API_KEY") else stem
    return ConnectionView(
        tuple(credentials), variables, choice, servers, _requirements(security), base_url_env, doc, f"{prefix}_LOG",
        f"{prefix}_WEBHOOK_SECRET" if api.webhooks else "",
    )  # fmt: skip


def _credential(scheme: Security, alone: bool, taken: set[str], stem: str, api_key_env: str) -> CredentialView:
    names = _names(scheme, alone, taken)
    envs = tuple(api_key_env if n == "api_key" else f"{stem}_{n.rstrip('_').upper()}" for n in names)
    kind = _kind(scheme)
    args: tuple[Arg, ...]
    if kind == "basic":
        args = (Arg(names[0], TEXT, "None"), Arg(names[1], TEXT, "None"))
        build = f"_connect.basic({names[0]}, {names[1]}, {envs[0]!r}, {envs[1]!r})"
        argument, env = f"{names[0]}= and {names[1]}=", f"{envs[0]} and {envs[1]}"
    elif kind == "client credentials":
        args = (Arg(names[0], TOKEN, "None"), Arg(names[1], TEXT, "None"), Arg(names[2], TEXT, "None"))
        build = f"_connect.oauth2({names[0]}, {envs[0]!r}, {names[1]}, {names[2]}, {envs[1]!r}, {envs[2]!r}, {scheme.token_url!r})"
        argument, env = f"{names[1]}= and {names[2]}= (or {names[0]}=)", f"{envs[1]} and {envs[2]}, or {envs[0]}"
    else:
        args = (Arg(names[0], TOKEN, "None"),)
        build = f"_connect.token({names[0]}, {envs[0]!r})"
        argument, env = f"{names[0]}=", envs[0]
    if scheme.type == "apiKey":
        location, parameter, prefix = scheme.location or "header", scheme.parameter, ""
    else:  # http, oauth2, openIdConnect: the Authorization header
        location, parameter = "header", "Authorization"
        prefix = (
            "" if kind == "basic" else (scheme.scheme or "bearer").capitalize() if scheme.type == "http" else "Bearer"
        )
    kind_word = "basic" if kind == "basic" else scheme.type
    constant = (
        f"Scheme({kind_word!r}, {location!r}, {parameter!r}, {prefix!r}, {argument!r}, {env!r}, {scheme.token_url!r})"
    )
    return CredentialView(scheme.name, args, envs, build, constant, names[0] if len(args) == 1 else "")


def _variables(api: Api, taken: set[str]) -> tuple[tuple[str, Arg], ...]:
    """One argument per server variable (of the API's servers and the operations' own)."""
    found: dict[str, Arg] = {}
    for server in [*api.servers, *(s for op in api.operations for s in op.servers)]:
        for variable in server.variables:
            if variable.name in found:
                continue
            annotation = literal(variable.enum, nullable=True) if variable.enum else TEXT
            found[variable.name] = Arg(unique(field_name(variable.name, model_field=False), taken), annotation, "None")
    return tuple(found.items())


def _server(server: Server, prefix: str = "") -> str:
    variables = ", ".join(f"{v.name!r}: {prefix}Variable({v.default!r}, {v.enum!r})" for v in server.variables)
    return f"{prefix}Server({server.url!r}, {{{variables}}})" if variables else f"{prefix}Server({server.url!r})"


def server_expression(servers: tuple[Server, ...]) -> str:
    """An operation's own servers, as its call passes them (`_connect.Server`, `_connect.Variable`)."""
    return "(" + "".join(_server(s, "_connect.") + ", " for s in servers) + ")"


def security_expression(requirements: tuple[Requirement, ...]) -> str:
    """An operation's own security, as its call passes it (`()`: anonymous)."""
    return _requirements(requirements)


def _doc(
    api: Api, credentials: list[CredentialView], variables: tuple[tuple[str, Arg], ...], choice: Arg | None, env: str
) -> str:
    lines = []
    for c in credentials:
        given = ", ".join(f"`{a.name}` ({e})" for a, e in zip(c.args, c.envs, strict=True))
        lines.append(f"Credentials of the {c.scheme} scheme: {given}.")
    urls = ", ".join(s.url for s in api.servers)
    lines.append(f"The base URL: `base_url`, else {env}, else the spec's server ({urls}).")
    if choice:
        lines.append(f"`server` chooses among the spec's {len(api.servers)} servers (0 is the first).")
    if variables:
        lines.append("Server variables: " + ", ".join(f"`{arg.name}`" for _, arg in variables) + ".")
    return "\n".join(lines)
