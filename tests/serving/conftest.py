"""Tests of the site as deployed: gunicorn's processes, nginx in front, real HTTP on free ports."""

import pytest

from tests.live_server import demo_env, make_demo


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/serving/" in str(item.fspath):
            item.add_marker(pytest.mark.live_server)


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory):
    """One demo database for every server of these tests (they read it and log in, in turn)."""
    tmp = tmp_path_factory.mktemp("serving_demo")
    env = demo_env(tmp)
    make_demo(env)
    return env["DATABASE_URL"]
