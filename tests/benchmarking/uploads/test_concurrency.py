"""Two people upload the same LA's return at the same moment (real threads, PostgreSQL).

The return rows are locked (SELECT ... FOR UPDATE, in id order) before values are read, so the
second upload waits for the first and then updates its values. Without the lock both read "no
values yet", both insert, and the second fails on the one-value-per-indicator constraint.
"""

import contextlib
import threading

import pytest
from django.db import connection

from benchmarking import services
from benchmarking.models import Return, Value
from benchmarking.services import uploads
from sli_portal.access import SYSTEM
from tests.benchmarking.factories import open_quarter, return_rows, to_csv
from tests.world import build_world


@pytest.mark.django_db(transaction=True)
def test_simultaneous_uploads_of_one_return_both_land_one_after_the_other(monkeypatch):
    world = build_world()
    services.indicators_load(actor=SYSTEM)
    period = open_quarter(world.region)
    # The draft exists (e.g. opened earlier) but holds no values yet.
    Return.objects.create(local_authority=world.home_la, period=period)
    barrier = threading.Barrier(2)
    real_history = uploads._history

    def history_after_both_arrive(*args, **kwargs):
        # Hold each upload between "lock taken" and "existing values read" until the other
        # arrives (or 1 s passes, as it does when the other is waiting on the lock).
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=1)
        return real_history(*args, **kwargs)

    monkeypatch.setattr(uploads, "_history", history_after_both_arrive)
    outcomes = {}

    def upload(name, user, scale):
        try:
            services.return_upload(
                actor=world.users[user],
                period=period,
                file_name=f"{name}.csv",
                data=to_csv(return_rows(world.home_la, period, scale=scale)),
                local_authority=world.home_la,
            )
            outcomes[name] = "saved"
        except Exception as exc:
            outcomes[name] = f"{type(exc).__name__}: {exc}"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=upload, args=("lead", "performance_lead", 1.0)),
        threading.Thread(target=upload, args=("manager", "programme_manager", 1.01)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes == {"lead": "saved", "manager": "saved"}
    assert Value.objects.count() == 18
    # Both versions are kept: 18 created by one upload, and REF_RATE etc. changed by the other.
    assert Value.history.filter(indicator__code="REF_RATE").count() == 2
