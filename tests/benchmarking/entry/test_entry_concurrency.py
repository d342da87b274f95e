"""Two people type into the same cell of one return at the same moment (real threads,
PostgreSQL): the return row is locked before the version is compared, so the second save waits,
then finds the first one's newer version and is refused with it; nothing is overwritten."""

import contextlib
import threading

import pytest
from django.db import connection

from benchmarking import services
from benchmarking.models import Value
from benchmarking.services import entry
from sli_portal.access import SYSTEM
from tests.benchmarking.factories import open_quarter
from tests.world import build_world


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_one_cell_one_lands_the_other_is_shown_it(monkeypatch):
    world = build_world()
    services.indicators_load(actor=SYSTEM)
    period = open_quarter(world.region)
    barrier = threading.Barrier(2)
    real_check = entry._check

    def check_after_both_arrive(*args, **kwargs):
        # Hold each save between "version compared" and "value written" until the other
        # arrives (or 1 s passes, as it does when the other waits on the lock).
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=1)
        return real_check(*args, **kwargs)

    monkeypatch.setattr(entry, "_check", check_after_both_arrive)
    outcomes = {}

    def save(user, numerator):
        try:
            result = services.value_enter(
                actor=world.users[user],
                local_authority=world.home_la,
                period=period,
                code="CLA_RATE",
                cells={"numerator": numerator, "denominator": "100000"},
                version="new",
            )
            outcomes[user] = "saved" if result.saved else f"conflict {result.conflict.numerator}"
        except Exception as exc:
            outcomes[user] = f"{type(exc).__name__}: {exc}"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=("performance_lead", "700")),
        threading.Thread(target=save, args=("programme_manager", "900")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values())[1] == "saved", outcomes
    winner = next(user for user, outcome in outcomes.items() if outcome == "saved")
    loser = next(user for user in outcomes if user != winner)
    kept = Value.objects.get(indicator__code="CLA_RATE")
    assert outcomes[loser] == f"conflict {kept.numerator}"
    assert kept.history.count() == 1 and kept.history.get().history_user == world.users[winner]
