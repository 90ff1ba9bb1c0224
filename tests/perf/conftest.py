"""Fixtures for the performance tests: the directive helpers, shared with tests/directives."""

from tests.directives.conftest import assign, make_directive  # noqa: F401  (fixtures)
