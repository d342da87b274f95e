"""A Redis that accepts connections but never answers (paused, failing over, a full network
buffer) must not hang registrations: each answers within 2 s, the places are kept, and the
emails go once Redis answers again.

The test starts its own redis-server and freezes it with SIGSTOP, so it cannot disturb the
Redis the rest of the suite uses.
"""

import shutil
import signal
import socket
import subprocess
import time

import pytest
from django.core import mail
from django.urls import reverse

from events.models import Delegate, DelegateStatus, Notice
from events.services import sweep as sweep_services
from sli_portal import celery_app
from sli_portal.access import SYSTEM
from sli_portal.outbox import OutboxStatus
from tests.events.places.test_concurrency import _forget_broker_connections, _summit
from tests.world import build_world


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def frozen_redis():
    """A private redis-server, running; the test freezes it with `.send_signal(SIGSTOP)`."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is needed (apt-get install redis-server)"
    port = _free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url)
    conf.task_always_eager = False
    conf.broker_url = f"redis://127.0.0.1:{port}/0"
    _forget_broker_connections()
    try:
        yield server
    finally:
        server.send_signal(signal.SIGCONT)
        conf.task_always_eager, conf.broker_url = saved
        _forget_broker_connections()
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_registrations_answer_while_redis_is_frozen_and_emails_follow_once_it_answers(
    frozen_redis, client
):
    world = build_world()
    event = _summit(world, places_per_la=4)
    client.force_login(world.users["dcs"])
    url = reverse("events:delegate_create", args=[event.pk, world.home_la.slug])
    # One registration while Redis answers, so the web process holds a live broker connection
    # (the frozen case is worse than a refused one: the connection is there, the reply never).
    client.post(url, {"full_name": "First Person", "email": "first@example.org"})

    frozen_redis.send_signal(signal.SIGSTOP)
    timings = []
    for n in range(3):
        started = time.monotonic()
        response = client.post(url, {"full_name": f"Person {n}", "email": f"p{n}@example.org"})
        timings.append(time.monotonic() - started)
        assert response.status_code == 302, response.content.decode()[:500]
    assert max(timings) < 2, f"registrations took {timings} s with Redis frozen"
    registered = Delegate.objects.filter(event=event, status=DelegateStatus.REGISTERED)
    assert registered.count() == 4
    # Every confirmation is recorded and waits (no worker consumes this private Redis).
    waiting = Notice.objects.filter(event=event, status=OutboxStatus.PENDING)
    assert waiting.count() == 4

    frozen_redis.send_signal(signal.SIGCONT)
    mail.outbox.clear()
    assert sweep_services.events_sweep(actor=SYSTEM) == 4
    assert sweep_services.events_sweep(actor=SYSTEM) == 0
    assert sorted(m.to[0] for m in mail.outbox) == [
        "first@example.org",
        "p0@example.org",
        "p1@example.org",
        "p2@example.org",
    ]
