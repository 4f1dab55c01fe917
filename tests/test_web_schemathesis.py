"""schemathesis against the OpenAPI description: generated requests never get a server error,
on SQLite and on PostgreSQL.

The description (web/openapi.py) is the contract; schemathesis derives requests from it, valid
and not, and every answer must be below 500, carry the declared content type and stay within
the time limit. Bounded examples keep the run short enough for CI.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from wiretrace.model import Article, Outlet
from wiretrace.store import open_store
from wiretrace.web.app import create_app
from wiretrace.web.guard import SECURITY_HEADERS

warnings.filterwarnings("ignore", message=".*httpx.*")


@pytest.fixture(scope="module")
def api_schema(module_db: str) -> Iterator[Any]:
    path = module_db
    store = open_store(path)
    store.upsert([
        Article(id=f"a{i}", title=f"Talks {i} in Ankara", language=lang, outlet=Outlet("Wire"),
                body=f"Envoys met in Ankara on day {i}. Talks continue.",
                published=f"2023-09-{10 + i}T10:00:00")
        for i, lang in enumerate(["en", "fr", "de"])
    ])  # fmt: skip
    store.close()
    # schemathesis sends Host: testserver (its ASGI client), so that host is allowed here.
    app = create_app(path, base_url="http://localhost", allowed_hosts=["testserver"])
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    app.state.pool.close()  # the PostgreSQL schema can then be dropped


def test_generated_requests_never_get_a_server_error(api_schema: Any) -> None:
    # Hypothesis is driven directly (schemathesis' pytest plugin does not load on this pytest).
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def check(case: Any) -> None:
            response = case.call()
            assert response.status_code < 500, (case.path, case.query, response.text[:300])
            # schemathesis gives each header as the list of its values
            missing = [k for k, v in SECURITY_HEADERS.items() if response.headers.get(k) != [v]]
            assert not missing, (case.method, case.path, case.query, response.status_code)

        check()
