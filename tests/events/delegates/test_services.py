"""Registering, substituting and cancelling delegates; check-in; erasing needs."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from events.models import Delegate, DelegateStatus, EventStatus
from events.services import delegates as delegates_services
from events.services import events as events_services
from events.services import places as places_services
from sli_portal.access import SYSTEM
from tests.events.conftest import register


def _messages(error) -> str:
    return " ".join(error.value.messages)


@pytest.mark.django_db
class TestRegister:
    def test_dcs_registers_four_and_is_refused_a_fifth_naming_the_la(self, world, dcs, summit):
        for n in range(4):
            register(summit, world.home_la, n, actor=dcs)
        with pytest.raises(ValidationError) as error:
            register(summit, world.home_la, 5, actor=dcs)
        assert "Somerset has used all 4 of its places" in _messages(error)
        assert summit.delegates.count() == 4

    def test_dcs_cannot_register_for_another_la(self, world, dcs, summit):
        with pytest.raises(PermissionDenied):
            register(summit, world.peer_la, 1, actor=dcs)

    def test_la_outside_the_region_is_refused(self, world, summit):
        with pytest.raises(ValidationError, match="not invited"):
            register(summit, world.other_la, 1)

    def test_overall_capacity_holds_across_las(self, world, summit):
        events_services.event_update(actor=SYSTEM, event=summit, capacity=5)
        for n in range(4):
            register(summit, world.home_la, n)
        register(summit, world.peer_la, 1)
        with pytest.raises(ValidationError, match="is full: all 5 places are taken"):
            register(summit, world.peer_la, 2)

    def test_same_email_twice_is_refused(self, world, summit):
        register(summit, world.home_la, 1)
        with pytest.raises(ValidationError, match="already has a place"):
            register(summit, world.home_la, 1)

    def test_registration_closed_or_draft_is_refused_for_dcs(self, world, dcs, summit):
        events_services.event_update(
            actor=SYSTEM,
            event=summit,
            registration_opens_at=timezone.now() - timedelta(days=10),
            registration_closes_at=timezone.now() - timedelta(days=1),
        )
        with pytest.raises(ValidationError, match="closed on"):
            register(summit, world.home_la, 1, actor=dcs)
        events_services.event_update(actor=SYSTEM, event=summit, status=EventStatus.DRAFT)
        with pytest.raises(ValidationError, match="is draft"):
            register(summit, world.home_la, 1, actor=dcs)

    def test_full_workshop_is_refused_and_nothing_is_kept(self, world, summit, workshops):
        neglect = workshops[0]
        register(summit, world.home_la, 1, workshops=[neglect.pk])
        register(summit, world.home_la, 2, workshops=[neglect.pk])
        with pytest.raises(ValidationError, match="“Neglect” is full"):
            register(summit, world.home_la, 3, workshops=[neglect.pk])
        assert summit.delegates.count() == 2

    def test_two_workshops_at_the_same_time_are_refused(self, world, summit, workshops):
        with pytest.raises(ValidationError, match="run at the same time"):
            register(summit, world.home_la, 1, workshops=[w.pk for w in workshops])

    def test_cancelling_frees_the_place_and_workshop(self, world, dcs, summit, workshops):
        delegates = [
            register(summit, world.home_la, n, workshops=[workshops[0].pk]) for n in range(2)
        ]
        register(summit, world.home_la, 2)
        register(summit, world.home_la, 3)
        delegates_services.delegate_cancel(actor=dcs, delegate=delegates[0])
        register(summit, world.home_la, 4, workshops=[workshops[0].pk])
        assert summit.delegates.filter(status=DelegateStatus.REGISTERED).count() == 4

    def test_member_registers_self_when_allowed_using_la_place(self, world, member, summit):
        with pytest.raises(ValidationError, match="booked by each LA's director"):
            delegates_services.delegate_register_self(actor=member, event=summit)
        events_services.event_update(actor=SYSTEM, event=summit, members_may_self_register=True)
        delegate = delegates_services.delegate_register_self(actor=member, event=summit)
        assert (delegate.local_authority, delegate.user) == (world.home_la, member)

    def test_lowering_an_las_places_below_its_delegates_is_refused(self, world, summit):
        for n in range(3):
            register(summit, world.home_la, n)
        with pytest.raises(ValidationError, match="already has 3 delegates"):
            places_services.allocation_set(
                actor=SYSTEM, event=summit, local_authority=world.home_la, places=2
            )
        allocation = places_services.allocation_set(
            actor=SYSTEM, event=summit, local_authority=world.peer_la, places=6
        )
        assert allocation.is_override


@pytest.mark.django_db
class TestSubstitute:
    def test_keeps_place_and_choices_emails_both_and_keeps_history(
        self, world, dcs, summit, workshops, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            delegate = register(summit, world.home_la, 1, workshops=[workshops[0].pk])
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            delegates_services.delegate_substitute(
                actor=dcs,
                delegate=delegate,
                full_name="Nia Newcomer",
                email="nia@example.org",
                job_title="Head of service",
            )
        delegate.refresh_from_db()
        assert delegate.full_name == "Nia Newcomer"
        assert list(delegate.choices.values_list("session__title", flat=True)) == ["Neglect"]
        assert sorted(m.to[0] for m in mail.outbox) == [
            "d1.somerset@example.org",
            "nia@example.org",
        ]
        assert delegate.history.count() == 2
        assert delegate.history.earliest().full_name == "Delegate somerset 1"
        assert delegate.substitutions.get().previous_email == "d1.somerset@example.org"

    def test_peer_dcs_cannot_substitute_another_las_delegate(self, world, peer_dcs, summit):
        delegate = register(summit, world.home_la, 1)
        with pytest.raises(PermissionDenied):
            delegates_services.delegate_substitute(
                actor=peer_dcs, delegate=delegate, full_name="X", email="x@example.org"
            )


@pytest.mark.django_db
def test_needs_are_erased_a_set_time_after_the_event_but_not_before(world, summit, settings):
    settings.EVENTS_NEEDS_RETENTION_DAYS = 30
    delegate = register(summit, world.home_la, 1, dietary_needs="Vegan", access_needs="Step-free")
    assert (
        delegates_services.delegate_needs_erase(
            actor=SYSTEM, now=summit.ends_at + timedelta(days=29)
        )
        == 0
    )
    assert (
        delegates_services.delegate_needs_erase(
            actor=SYSTEM, now=summit.ends_at + timedelta(days=30)
        )
        == 1
    )
    delegate.refresh_from_db()
    assert (delegate.dietary_needs, delegate.access_needs) == ("", "")
    assert delegate.needs_erased_at is not None
    assert not any(hasattr(h, "dietary_needs") for h in delegate.history.all())


@pytest.mark.django_db
def test_check_in_counts_no_shows_per_la(world, programme_manager, summit):
    from events.selectors.registrations import no_shows_by_la

    came = register(summit, world.home_la, 1)
    register(summit, world.home_la, 2)
    register(summit, world.peer_la, 1)
    delegates_services.delegate_check_in(actor=programme_manager, delegate=came)
    Delegate.objects.update()
    summit.starts_at -= timedelta(days=60)
    summit.ends_at -= timedelta(days=60)
    summit.save()
    assert no_shows_by_la(region_id=world.region.pk) == {world.home_la.pk: 1, world.peer_la.pk: 1}


@pytest.mark.django_db
def test_a_member_registering_themselves_is_recorded_as_the_one_who_registered(
    world, member, dcs, summit
):
    events_services.event_update(actor=SYSTEM, event=summit, members_may_self_register=True)
    mine = delegates_services.delegate_register_self(actor=member, event=summit)
    theirs = register(summit, world.home_la, 1, actor=dcs)
    assert (mine.registered_by, theirs.registered_by) == (member, dcs)


@pytest.mark.django_db
def test_only_a_member_of_an_la_of_the_region_may_register_themselves(world, outsider, summit):
    events_services.event_update(actor=SYSTEM, event=summit, members_may_self_register=True)
    with pytest.raises(PermissionDenied):
        delegates_services.delegate_register_self(actor=outsider, event=summit)
    with pytest.raises(PermissionDenied):
        delegates_services.delegate_register_self(actor=SYSTEM, event=summit)
    assert not summit.delegates.exists()
