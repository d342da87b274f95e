import logging

import pytest
from django.db import connection

from sli_portal import celery_app
from tests.world import PERSONAS, build_world


def pytest_collection_modifyitems(config, items):
    # Browser journeys are slowest: run them last so fast feedback comes first.
    items.sort(key=lambda item: "e2e" in item.keywords)


@pytest.fixture(scope="session", autouse=True)
def _require_postgresql(django_db_setup, django_db_blocker):
    """The suite runs on PostgreSQL, the database users run: SQLite is only for `make run`."""
    with django_db_blocker.unblock():
        vendor = connection.vendor
    if vendor != "postgresql":
        pytest.exit(
            f"The tests need PostgreSQL, got {vendor}. Set DATABASE_URL, e.g. "
            "postgres://postgres@127.0.0.1:5432/sli_portal (`make test` does this).",
            returncode=2,
        )


@pytest.fixture(scope="session", autouse=True)
def _celery_queue_per_test_process(worker_id):
    """Under pytest-xdist each process gets its own Celery queue on the shared Redis, so a real
    worker started by one process never takes tasks published by another's test."""
    if worker_id != "master":
        celery_app.conf.task_default_queue = f"celery-{worker_id}"


@pytest.fixture(autouse=True)
def _celery_eager():
    """Tasks run in-process unless a test starts a real worker (marked `worker`)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture(autouse=True)
def _page_bodies_cover_what_they_read(request):
    """Any page a test renders whose cached body reads a table its data stamp does not cover
    fails the test: the page would be rendered on every request (sli_portal.fragments' safety
    net logs it), which is a change that forgot to declare its rows, not a user-visible error."""
    handler = _Records()
    logger = logging.getLogger("sli_portal.fragments")
    logger.addHandler(handler)
    yield
    logger.removeHandler(handler)
    if handler.records and not request.node.get_closest_marker("uncovered_fragment"):
        pytest.fail("; ".join(record.getMessage() for record in handler.records))


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def programme_manager(world):
    return world.users["programme_manager"]


@pytest.fixture
def dcs(world):
    return world.users["dcs"]


@pytest.fixture
def performance_lead(world):
    return world.users["performance_lead"]


@pytest.fixture
def member(world):
    return world.users["member"]


@pytest.fixture
def peer_dcs(world):
    return world.users["peer_dcs"]


@pytest.fixture
def outsider(world):
    return world.users["outsider"]


@pytest.fixture
def admin_user(world):
    return world.users["admin"]


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as that user (None: anonymous)."""

    def _client_for(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return _client_for


__all__ = ["PERSONAS"]
