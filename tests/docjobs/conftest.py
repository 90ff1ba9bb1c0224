"""Document jobs on a real pool: each test's app builds in clean processes of its own."""

import time

import pytest

from app.docjobs import pool
from tests.reports.conftest import (  # noqa: F401  (fixtures)
    as_user,
    assign,
    assignment_of,
    make_directive,
    make_proposal,
    meeting,
    seeded,
    set_assignment,
)


@pytest.fixture
def pooled(app):
    """The app with its pool of two processes; waits for the pool to go quiet afterwards."""
    app.config["DOCUMENT_JOB_PROCESSES"] = 2
    yield app
    for _ in range(200):
        if pool.idle(app):
            return
        time.sleep(0.05)
    raise AssertionError("the document pool did not go quiet")
