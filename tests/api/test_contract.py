"""Contract tests generated from /api/v1/openapi.json (schemathesis) against the app served
over real HTTP, on the suite's database (SQLite, or PostgreSQL with TEST_DATABASE_URL).

Bounded so that CI stays short: a fixed number of examples per operation, derandomized
(the same cases every run). Each operation is called with a coordinator's token (every
read, the directive writes) and a commune's (its proposals and its assignment); the
checks are: no 5xx, only documented status codes, content types, headers and bodies, and
invalid data refused with a 4xx.
"""

import threading

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from schemathesis.generation.modes import GenerationMode
from werkzeug.serving import make_server

from tests.security.world import build

MAX_EXAMPLES = 8
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
    checks.negative_data_rejection,
]


@pytest.fixture
def served(app, users, make_token):
    """The app on a free port over real HTTP, with a world of objects and two tokens."""
    app.config["API_RATE_LIMIT"] = "100000 per minute"  # the generated calls are many and fast
    app.config["WEBHOOK_SEND_AFTER_RESPONSE"] = False
    build(app, users)
    tokens = {"coordinator": make_token("coordinator"), "commune_b": make_token("commune_b")}
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", tokens
    server.shutdown()
    server.server_close()


BOUNDED = settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
                   suppress_health_check=list(HealthCheck))


def _operations(base_url: str):
    schema = schemathesis.openapi.from_url(f"{base_url}/api/v1/openapi.json")
    return [result.ok() for result in schema.get_all_operations()]


def _check_every_operation(served, role: str) -> list[str]:
    """Run each operation's generated cases, valid and invalid; return the failures' labels."""
    base_url, tokens = served
    headers = {"Authorization": f"Bearer {tokens[role]}"}
    failures = []
    for operation in _operations(base_url):
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            negative = mode == GenerationMode.NEGATIVE

            @given(case=operation.as_strategy(generation_mode=mode))
            @BOUNDED
            def run(case):
                # A negative case may leave the Authorization header out on purpose: then it goes
                # without one (and must be refused), instead of being made valid by our token.
                dropped = negative and "Authorization" not in (case.headers or {})  # noqa: B023 (run is called at once)
                case.call_and_validate(base_url=base_url, headers={} if dropped else headers, checks=CHECKS)

            try:
                run()
            except (Exception, BaseExceptionGroup) as error:  # collect them all, then fail with every operation named
                failures.append(f"{operation.label} [{mode}]: {str(error)[:1500]}")
    return failures


@pytest.mark.parametrize("role", ["coordinator", "commune_b"])
def test_the_api_keeps_its_contract(served, role):
    failures = _check_every_operation(served, role)
    assert not failures, "\n\n".join(failures)
