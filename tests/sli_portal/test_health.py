from datetime import timedelta

from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from sli_portal.health import beat_is_alive, main


def _heartbeat(last_run_at):
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=60, period="seconds")
    PeriodicTask.objects.update_or_create(
        name="outbox-sweep",
        defaults={
            "task": "sli_portal.outbox.sweep",
            "interval": every_minute,
            "last_run_at": last_run_at,
        },
    )


def test_beat_is_healthy_while_it_sends_the_minute_sweep(db):
    _heartbeat(timezone.now() - timedelta(minutes=2))
    assert beat_is_alive()


def test_beat_is_unhealthy_when_the_sweep_stopped_going_out(db):
    _heartbeat(timezone.now() - timedelta(minutes=30))
    assert not beat_is_alive()


def test_beat_is_unhealthy_before_it_ever_ran(db):
    assert not beat_is_alive()


def test_the_command_names_what_it_checks(capsys):
    assert main(["health"]) == 2
    assert "python -m sli_portal.health beat" in capsys.readouterr().err
