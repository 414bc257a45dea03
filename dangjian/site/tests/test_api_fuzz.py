"""Schemathesis over the whole /api/v1/ schema, signed in with a token as each demo role that uses
the API: whatever it generates (valid and invalid parameters, bodies and ids), no answer is a 5xx.
The demo zone is loaded once for the module and rolled back; each operation's cases run in a
savepoint, so a generated DELETE does not take the records away from the next operation."""

import pytest
import schemathesis
from django.core.cache import cache
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode

from dangjian.accounts.models import User

pytestmark = pytest.mark.django_db
# the widest writer, an assigned scope, an enterprise's scope and an administrator; the zone
# administrator also with invalid data (schemathesis' negative mode)
RUNS = [
    ("zone_admin", "positive"),
    ("zone_admin", "negative"),
    ("cadre", "positive"),
    ("enterprise", "positive"),
    ("secadmin", "positive"),
]
EXAMPLES = 6


@pytest.fixture(scope="module")
def connection_kept():
    """The application is called as WSGI (not through Django's test client), so a request's end
    would close the database connection that holds the test's transaction, as it does with one
    not in autocommit (PostgreSQL; SQLite's in-memory test database is never closed): keep it
    open, as Django's test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def schema(connection_kept, demo_zone, django_db_blocker):
    from config.wsgi import application

    with django_db_blocker.unblock():
        return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


def fuzz(schema, headers, mode) -> tuple[list[str], dict]:
    """The server errors found, and the statuses seen (to show the requests were signed in)."""
    found, statuses = [], {}
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=GenerationMode(mode)))
        def check(case):
            response = case.call(headers=headers)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            if response.status_code >= 500:
                found.append(
                    f"{case.method} {case.formatted_path} → {response.status_code}: {case.path_parameters} {case.query} {case.body!r}"[
                        :400
                    ]
                )

        cache.clear()  # each operation starts within the API's rate limit (DRF throttling counts in the cache)
        with transaction.atomic():
            try:
                check()
            except Unsatisfiable:
                pass  # no invalid request exists for this operation (negative mode): nothing to send
            transaction.set_rollback(True)
    return found, statuses


@pytest.mark.parametrize(("username", "mode"), RUNS)
def test_no_generated_request_answers_a_server_error(schema, username, mode):
    user = User.objects.get(username=username)
    token, _ = Token.objects.get_or_create(user=user)
    found, statuses = fuzz(schema, {"Authorization": f"Token {token.key}"}, mode)
    assert found == []
    assert sum(n for code, n in statuses.items() if code < 300) > 10, statuses  # signed in: answered
