"""The API tests' token fixture, for the API access matrix here."""

from tests.api.conftest import make_token  # noqa: F401
