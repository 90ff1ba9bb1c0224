"""Forms across features: reuse the proposal and directive fixtures."""

from tests.directives.conftest import *  # noqa: F403
from tests.proposals.conftest import *  # noqa: F403
