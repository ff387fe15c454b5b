"""A generated client against the real service, as the spec describes it: every kind of
security scheme (apiKey in header, query and cookie; http basic and bearer; oauth2 client
credentials; combined, alternative and anonymous requirements), server templates and their
variables, an operation's own server, readOnly / writeOnly properties and responses that do
not match their schema; each over HTTP on 127.0.0.1, and the stubs reading the same schemes."""

from __future__ import annotations

import asyncio
import base64
import inspect
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from conftest import RecordingServer, recording_server
from generator.config import Settings
from generator.output import write_tree
from generator.pipeline import build
from helpers import import_from

OK = {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}


def document(port: int) -> dict[str, Any]:
    def op(operation_id: str, security: list[Any] | None = None, **extra: Any) -> dict[str, Any]:
        spec = {"operationId": operation_id, "responses": OK, **extra}
        return spec if security is None else {**spec, "security": security}

    return {
        "openapi": "3.1.0",
        "info": {"title": "Vault API", "version": "1"},
        # Server variables fill in the local server: the client reaches it with no base_url.
        "servers": [
            {
                "url": "http://{host}:{port}/v{version}",
                "variables": {
                    "host": {"default": "127.0.0.1", "enum": ["127.0.0.1", "localhost"]},
                    "port": {"default": str(port)},
                    "version": {"default": "1"},
                },
            },
            {"url": "/relative/v1"},
        ],
        "security": [{"bearerAuth": []}],
        "paths": {
            "/header": {"get": op("viaHeader", [{"headerKey": []}])},
            "/query": {"get": op("viaQuery", [{"queryKey": []}])},
            "/cookie": {"get": op("viaCookie", [{"cookieKey": []}])},
            "/basic": {"get": op("viaBasic", [{"basicAuth": []}])},
            "/bearer": {"get": op("viaBearer")},  # the API's own security
            "/oauth": {"get": op("viaOauth", [{"oauth": ["read", "write"]}])},
            "/both": {"get": op("both", [{"headerKey": [], "queryKey": []}])},
            "/either": {"get": op("either", [{"basicAuth": []}, {"bearerAuth": []}])},
            "/open": {"get": op("open", [])},
            "/optional": {"get": op("optional", [{}, {"bearerAuth": []}])},
            "/upload": {"get": op("upload", servers=[{"url": f"http://127.0.0.1:{port}/files"}])},
            "/secrets": {
                "post": op(
                    "createSecret",
                    requestBody={
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Secret"}}},
                    },
                    responses={
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Secret"}}},
                        }
                    },
                )
            },
        },
        "components": {
            "securitySchemes": {
                "headerKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                "queryKey": {"type": "apiKey", "in": "query", "name": "api_key"},
                "cookieKey": {"type": "apiKey", "in": "cookie", "name": "session"},
                "basicAuth": {"type": "http", "scheme": "basic"},
                "bearerAuth": {"type": "http", "scheme": "bearer"},
                "oauth": {
                    "type": "oauth2",
                    "flows": {
                        "clientCredentials": {
                            "tokenUrl": f"http://127.0.0.1:{port}/token",
                            "scopes": {"read": "read", "write": "write"},
                        }
                    },
                },
            },
            "schemas": {
                "Secret": {
                    "type": "object",
                    "required": ["id", "name", "password"],
                    "properties": {
                        "id": {"type": "string", "readOnly": True},
                        "name": {"type": "string"},
                        "password": {"type": "string", "writeOnly": True},
                    },
                }
            },
        },
    }


class Vault:
    def __init__(self, server: RecordingServer, client: ModuleType, stubs: ModuleType, out: Path) -> None:
        self.server, self.client, self.stubs, self.out = server, client, stubs, out

    def reply(self, body: Any = None, **kwargs: Any) -> None:
        self.server.reply({} if body is None else body, **kwargs)


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vault]:
    with recording_server() as server:
        port = int(server.url.split(":")[2].split("/")[0])
        folder = tmp_path_factory.mktemp("vault")
        (folder / "vault.yaml").write_text(yaml.safe_dump(document(port), sort_keys=False))
        settings = Settings(specs=(folder / "vault.yaml",), client_package="vault_client", stubs_package="vault_stubs")
        result = build(settings)
        write_tree(result.files, folder / "out")
        client, stubs = import_from(folder / "out", "vault_client", "vault_stubs.app")
        yield Vault(server, client, stubs, folder / "out")


@pytest.fixture
def v(vault: Vault) -> Iterator[Vault]:
    vault.server.requests.clear()
    vault.server.replies.clear()
    yield vault


def test_each_scheme_is_an_argument_named_by_rule(v: Vault) -> None:
    parameters = inspect.signature(v.client.Client).parameters
    assert list(parameters)[:9] == [
        "bearer", "header_key", "query_key", "cookie_key", "basic_username", "basic_password",
        "oauth", "oauth_client_id", "oauth_client_secret",
    ]  # fmt: skip
    assert {"base_url", "server", "host", "port", "version", "timeout"} <= set(parameters)
    assert "VAULT_HEADER_KEY" in (v.client.Client.__doc__ or "")


@pytest.mark.parametrize(
    ("call", "arguments", "where"),
    [
        ("header", {"header_key": "hk"}, ("header", "X-API-Key", "hk")),
        ("query", {"query_key": "qk"}, ("query", "api_key", "qk")),
        ("cookie", {"cookie_key": "ck"}, ("header", "Cookie", "session=ck")),
        ("basic", {"basic_username": "ann", "basic_password": "s3cret"},
         ("header", "Authorization", "Basic " + base64.b64encode(b"ann:s3cret").decode())),
        ("bearer", {"bearer": "tok"}, ("header", "Authorization", "Bearer tok")),
        ("bearer", {"bearer": lambda: "from-a-callable"}, ("header", "Authorization", "Bearer from-a-callable")),
    ],
)  # fmt: skip
def test_each_kind_of_credential_goes_where_its_scheme_says(
    v: Vault, call: str, arguments: dict[str, Any], where: tuple[str, str, str]
) -> None:
    client = v.client.Client(**arguments, max_retries=0)
    v.reply()
    getattr(client, call).retrieve()  # resources are named by path: `client.header.retrieve()`
    sent = v.server.last
    location, name, value = where
    if location == "query":
        assert (name, value) in sent.query
    else:
        assert sent.headers[name] == value
    assert sent.path.startswith("/v1/")  # the server template, its variables filled in


def test_combined_alternative_anonymous_and_optional_requirements(v: Vault) -> None:
    both = v.client.Client(header_key="hk", query_key="qk", bearer="b", max_retries=0)
    v.reply()
    both.both.retrieve()
    assert v.server.last.headers["X-API-Key"] == "hk" and ("api_key", "qk") in v.server.last.query
    v.reply()
    both.either.retrieve()  # basic is first but not given: bearer, the second
    assert v.server.last.headers["Authorization"] == "Bearer b"
    v.reply()
    both.open.retrieve()  # `security: []`: nothing goes, though the client holds credentials
    assert "Authorization" not in v.server.last.headers and "X-API-Key" not in v.server.last.headers
    anonymous = v.client.Client(max_retries=0)
    v.reply()
    anonymous.optional.retrieve()  # `[{}, ...]`: with nothing given, nothing is sent, and that is fine
    assert "Authorization" not in v.server.last.headers
    v.reply()
    both.optional.retrieve()
    assert v.server.last.headers["Authorization"] == "Bearer b"


def test_missing_credentials_fail_before_sending_naming_the_scheme(v: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VAULT_HEADER_KEY", raising=False)
    client = v.client.Client(bearer="b", max_retries=0)
    with pytest.raises(v.client.CredentialsError) as raised:
        client.header.retrieve()
    assert str(raised.value) == (
        "GET /header needs credentials of the headerKey scheme: pass header_key= (or set VAULT_HEADER_KEY)"
    )
    assert v.server.requests == []  # nothing was sent
    monkeypatch.setenv("VAULT_HEADER_KEY", "from-env")
    v.reply()
    v.client.Client(max_retries=0).header.retrieve()
    assert v.server.last.headers["X-API-Key"] == "from-env"


def test_oauth2_client_credentials_a_token_kept_and_refreshed_thread_and_task_safe(v: Vault) -> None:
    client = v.client.Client(oauth_client_id="app", oauth_client_secret="pw", max_retries=0)
    v.reply({"access_token": "t1", "token_type": "bearer", "expires_in": 3600})
    for _ in range(3):
        v.reply()
    threads = [threading.Thread(target=client.oauth.retrieve) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    token_requests = [r for r in v.server.requests if r.path == "/token"]
    assert len(token_requests) == 1 and len(v.server.requests) == 4  # one token for three threads
    token = token_requests[0]
    assert token.method == "POST" and token.headers["Authorization"] == "Basic " + base64.b64encode(b"app:pw").decode()
    assert token.body == b"grant_type=client_credentials&scope=read+write"
    assert all(r.headers["Authorization"] == "Bearer t1" for r in v.server.requests if r.path == "/v1/oauth")

    # A token that expires (within the margin) is fetched anew.
    v.server.requests.clear()
    short = v.client.Client(oauth_client_id="app", oauth_client_secret="pw", max_retries=0)
    v.reply({"access_token": "t2", "expires_in": 1})
    v.reply()
    v.reply({"access_token": "t3", "expires_in": 3600})
    v.reply()
    short.oauth.retrieve()
    short.oauth.retrieve()
    assert [r.headers.get("Authorization") for r in v.server.requests if r.path == "/v1/oauth"] == [
        "Bearer t2",
        "Bearer t3",
    ]

    async def tasks() -> None:
        async_client = v.client.AsyncClient(oauth_client_id="app", oauth_client_secret="pw", max_retries=0)
        await asyncio.gather(*(async_client.oauth.retrieve() for _ in range(4)))

    v.server.requests.clear()
    v.reply({"access_token": "t4", "expires_in": 3600})
    for _ in range(4):
        v.reply()
    asyncio.run(tasks())
    assert len([r for r in v.server.requests if r.path == "/token"]) == 1 and len(v.server.requests) == 5


def test_a_scheme_header_never_follows_a_redirect_to_another_origin(v: Vault, other_server: RecordingServer) -> None:
    client = v.client.Client(header_key="hk", max_retries=0)
    v.reply({}, status=307, headers={"location": f"{other_server.url}/elsewhere"})
    other_server.reply({})
    client.header.retrieve()
    assert "x-api-key" not in {k.lower() for k in other_server.last.headers}
    assert "hk" not in repr(client) and "hk" not in json.dumps(dict(other_server.last.headers))


def test_servers_variables_a_choice_and_an_operations_own(v: Vault) -> None:
    port = v.server.url.split(":")[2].split("/")[0]
    assert str(v.client.Client().base_url) == f"http://127.0.0.1:{port}/v1/"
    assert str(v.client.Client(host="localhost", version="2").base_url) == f"http://localhost:{port}/v2/"
    with pytest.raises(ValueError, match=r"server variable 'host' must be one of '127.0.0.1', 'localhost', not 'x'"):
        v.client.Client(host="x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"the spec's server is relative \('/relative/v1'\): give base_url="):
        v.client.Client(server=1)
    relative = v.client.Client(server=1, base_url=f"http://127.0.0.1:{port}/ignored", bearer="b", max_retries=0)
    assert str(relative.base_url) == f"http://127.0.0.1:{port}/relative/v1/"  # RFC 3986: against the origin
    v.reply()
    relative.bearer.retrieve()
    assert v.server.last.path == "/relative/v1/bearer"
    v.reply()
    v.client.Client(bearer="b", max_retries=0).upload.retrieve()  # its own server
    assert v.server.last.path == "/files/upload"


def test_read_only_is_never_asked_for_write_only_never_required_back(v: Vault) -> None:
    client = v.client.Client(bearer="b", max_retries=0)
    assert "id" not in inspect.signature(client.secrets.create).parameters
    v.reply({"id": "s-1", "name": "db"})  # no password: the server never sends it back
    secret = client.secrets.create(name="db", password="pw")
    assert v.server.last.body == {"name": "db", "password": "pw"}
    assert (secret.id, secret.name, secret.password) == ("s-1", "db", None)


def test_a_response_off_its_schema_is_an_api_error_with_the_detail(v: Vault) -> None:
    client = v.client.Client(bearer="b", max_retries=0)
    v.reply({"name": 5}, headers={"x-request-id": "req-9"})
    with pytest.raises(v.client.APIResponseValidationError) as raised:
        client.secrets.create(name="db", password="pw")
    error = raised.value
    assert isinstance(error, v.client.APIError)
    assert (error.status_code, error.request_id) == (200, "req-9") and error.url.endswith("/v1/secrets")
    assert "id: Field required" in error.detail and "name: Input should be a valid string" in error.detail
    v.reply(b"not json at all")
    with pytest.raises(v.client.APIResponseValidationError, match="Invalid JSON"):
        client.secrets.create(name="db", password="pw")


def test_the_stubs_read_the_same_schemes_and_hand_them_to_the_service(v: Vault) -> None:
    from fastapi.testclient import TestClient

    seen: list[Any] = []

    class Service:
        async def via_header(self) -> dict[str, Any]:
            seen.append(dict(v.stubs._server.credentials()))
            return {}

        async def via_basic(self) -> dict[str, Any]:
            seen.append(dict(v.stubs._server.credentials()))
            return {}

        async def open(self) -> dict[str, Any]:
            seen.append(dict(v.stubs._server.credentials()))
            return {}

    with pytest.warns(UserWarning, match="does not implement"):
        app = v.stubs.create_app(Service())
    http = TestClient(app)
    missing = http.get("/header")
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "missing_credentials"
    assert "viaHeader (GET /header) needs credentials of the headerKey scheme" in missing.json()["error"]["message"]
    assert http.get("/header", headers={"X-API-Key": "hk"}).status_code == 200
    basic = "Basic " + base64.b64encode(b"ann:pw").decode()
    assert http.get("/basic", headers={"Authorization": basic}).status_code == 200
    assert http.get("/open").status_code == 200
    assert seen == [{"headerKey": "hk"}, {"basicAuth": ("ann", "pw")}, {}]
