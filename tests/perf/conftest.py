"""Fixtures for the performance tests: the proposal and directive helpers of their own tests."""

from tests.directives.conftest import assign, make_directive  # noqa: F401  (fixtures)
from tests.proposals.conftest import as_user, make_proposal  # noqa: F401  (fixtures)
