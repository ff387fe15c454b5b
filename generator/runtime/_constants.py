"""What differs per API in the runtime: generated for each client as `_constants.py`.

These values are the fine-tuning API's, so that the runtime can be imported and tested where
it is written (generator/runtime/).
"""

from ._connect import Scheme, Security, Server

BASE_URL_ENV = "OPENAI_BASE_URL"
LOG_ENV = "OPENAI_LOG"
WEBHOOK_SECRET_ENV = "OPENAI_WEBHOOK_SECRET"
SERVERS: tuple[Server, ...] = (Server("https://api.openai.com/v1"),)
SCHEMES: dict[str, Scheme] = {
    "ApiKeyAuth": Scheme(
        "http", "header", "Authorization", "Bearer", "api_key=", "OPENAI_API_KEY"
    ),
}
SECURITY: Security = ((("ApiKeyAuth", ()),),)
USER_AGENT = "fine_tuning_client/runtime"
PLATFORM_HEADERS = "X-Stainless"  # a header-name prefix; "": none sent
