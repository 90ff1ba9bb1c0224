"""Tests of the site as deployed: gunicorn's processes, nginx in front, real HTTP on free ports."""

import pytest


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/serving/" in str(item.fspath):
            item.add_marker(pytest.mark.live_server)
