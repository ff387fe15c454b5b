"""What differs per API in the runtime: generated for each client as `_constants.py`.

These values are the fine-tuning API's, so that the runtime can be imported and tested where
it is written (generator/runtime/).
"""

API_KEY_ENV = "OPENAI_API_KEY"
BASE_URL_ENV = "OPENAI_BASE_URL"
DEFAULT_BASE_URL = "https://api.openai.com/v1"
USER_AGENT = "fine_tuning_client/runtime"
