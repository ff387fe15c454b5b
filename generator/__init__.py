"""ftgen: an OpenAPI-driven generator of typed Python clients and server stubs."""

__version__ = "0.1.0"
