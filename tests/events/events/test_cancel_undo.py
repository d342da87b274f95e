"""Cancelling an event or a place: "Are you sure?" first, then undoable until anyone is told."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from events.models import Delegate, DelegateStatus, Event, EventStatus, Notice
from events.services import delegates as delegates_services
from events.services import events as events_services
from sli_portal import outbox
from sli_portal.access import SYSTEM
from tests.events.conftest import register

pytestmark = pytest.mark.django_db


def _sweep(minutes_from_now=0):
    return outbox.sweep(Notice, now=timezone.now() + timedelta(minutes=minutes_from_now))


def _cancellations():
    return [m for m in mail.outbox if m.subject.startswith("Cancelled")]


def test_cancel_event_page_asks_first_and_changes_nothing(world, summit, client_for):
    register(summit, world.home_la, 1)
    register(summit, world.peer_la, 1)
    client = client_for(world.users["programme_manager"])
    page = client.get(reverse("events:event_cancel", args=[summit.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Are you sure you want to cancel this event?" in text
    assert "2 registered delegates from 2 local authorities will be emailed" in text
    assert "Yes, cancel the event" in text and "No, keep the event" in text
    summit.refresh_from_db()
    assert summit.status == EventStatus.PUBLISHED
    assert not Notice.objects.filter(kind="event_cancelled").exists()


def test_cancelled_event_can_be_undone_before_anyone_is_told(world, summit, client_for):
    register(summit, world.home_la, 1)
    _sweep()
    mail.outbox.clear()
    client = client_for(world.users["programme_manager"])
    response = client.post(reverse("events:event_cancel", args=[summit.pk]), follow=True)
    text = response.content.decode()
    assert "Undo the cancellation" in text
    assert "Open until the event starts" not in text
    assert _sweep() == 0  # held: nobody told yet
    response = client.post(reverse("events:event_cancel_undo", args=[summit.pk]), follow=True)
    assert "is no longer cancelled" in response.content.decode()
    summit.refresh_from_db()
    assert summit.status == EventStatus.PUBLISHED
    _sweep(60)
    assert _cancellations() == []


def test_cancellation_email_goes_after_the_hold_and_then_cannot_be_undone(world, summit):
    register(summit, world.home_la, 1)
    events_services.event_cancel(actor=SYSTEM, event=summit)
    _sweep(1)
    assert _cancellations() == []
    _sweep(11)
    assert [m.to for m in _cancellations()] == [["d1.somerset@example.org"]]
    with pytest.raises(ValidationError, match="already been emailed"):
        events_services.event_cancel_undo(actor=SYSTEM, event=summit)
    assert Event.objects.get(pk=summit.pk).status == EventStatus.CANCELLED


def test_undo_restores_a_draft_as_a_draft(world, summit):
    events_services.event_update(actor=SYSTEM, event=summit, status=EventStatus.POSTPONED)
    events_services.event_cancel(actor=SYSTEM, event=summit)
    restored = events_services.event_cancel_undo(actor=SYSTEM, event=summit)
    assert restored.status == EventStatus.POSTPONED


def test_cancel_place_page_asks_first_and_changes_nothing(world, dcs, summit, client_for):
    delegate = register(summit, world.home_la, 1)
    page = client_for(dcs).get(reverse("events:delegate_cancel", args=[delegate.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Are you sure you want to cancel Delegate somerset 1" in text
    assert "d1.somerset@example.org" in text and "will be emailed" in text
    assert Delegate.objects.get(pk=delegate.pk).status == DelegateStatus.REGISTERED


def test_cancelled_place_can_be_undone_before_the_email(world, dcs, summit, workshops, client_for):
    delegate = register(summit, world.home_la, 1, workshops=[workshops[0].pk])
    _sweep()
    mail.outbox.clear()
    client = client_for(dcs)
    response = client.post(reverse("events:delegate_cancel", args=[delegate.pk]), follow=True)
    assert "0 of 4 places used" in response.content.decode()
    assert "Undo" in response.content.decode()
    response = client.post(reverse("events:delegate_cancel_undo", args=[delegate.pk]), follow=True)
    text = response.content.decode()
    assert "has their place back" in text and "1 of 4 places used" in text
    delegate.refresh_from_db()
    assert delegate.is_active
    assert delegate.choices.filter(session=workshops[0], allocated=True).exists()
    _sweep(60)
    assert mail.outbox == []


def test_place_undo_refused_when_the_place_was_taken_meanwhile(world, dcs, summit):
    delegates = [register(summit, world.home_la, n) for n in range(4)]
    delegates_services.delegate_cancel(actor=dcs, delegate=delegates[0])
    register(summit, world.home_la, 9)
    with pytest.raises(ValidationError, match="used all 4"):
        delegates_services.delegate_cancel_undo(actor=dcs, delegate=delegates[0])
    assert not Delegate.objects.get(pk=delegates[0].pk).is_active


def test_place_undo_refused_once_the_email_has_gone(world, dcs, summit):
    delegate = register(summit, world.home_la, 1)
    delegates_services.delegate_cancel(actor=dcs, delegate=delegate)
    _sweep(11)
    with pytest.raises(ValidationError, match="already been emailed"):
        delegates_services.delegate_cancel_undo(actor=dcs, delegate=delegate)
