"""Meeting tests issue directives at meetings with the directive fixtures."""

from tests.directives.conftest import assign, make_directive  # noqa: F401  (fixtures)
