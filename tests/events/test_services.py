from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from events.models import Delegate, DelegateStatus, EventKind, EventStatus, Notice, WorkshopMode
from events.services import delegates as delegates_services
from events.services import events as events_services
from events.services import places as places_services
from events.services import sweep as sweep_services
from events.services import workshops as workshops_services
from sli_portal.access import SYSTEM
from tests.events.conftest import register


def _messages(error) -> str:
    return " ".join(error.value.messages)


@pytest.mark.django_db
class TestEventCreate:
    def test_gives_every_la_of_the_region_the_default_places(self, world, summit):
        places = dict(summit.allocations.values_list("local_authority__name", "places"))
        assert places == {"Somerset": 4, "Devon": 4}

    def test_programme_manager_of_another_region_is_refused(self, world, outsider):
        with pytest.raises(PermissionDenied):
            events_services.event_create(
                actor=outsider,
                region=world.region,
                kind=EventKind.SUMMIT,
                title="Not mine",
                starts_at=timezone.now(),
                ends_at=timezone.now() + timedelta(hours=1),
            )

    def test_event_ending_before_it_starts_is_refused(self, world, programme_manager):
        with pytest.raises(ValidationError, match="end after it starts"):
            events_services.event_create(
                actor=programme_manager,
                region=world.region,
                kind=EventKind.CHALLENGE_DAY,
                title="Backwards",
                starts_at=timezone.now() + timedelta(days=2),
                ends_at=timezone.now() + timedelta(days=1),
            )

    def test_challenge_day_kind_is_available_to_other_apps(self, world):
        event = events_services.event_create(
            actor=SYSTEM,
            region=world.region,
            kind="challenge_day",
            title="Peer challenge day",
            starts_at=timezone.now() + timedelta(days=5),
            ends_at=timezone.now() + timedelta(days=5, hours=7),
        )
        assert event.get_kind_display() == "Peer-challenge day"

    def test_clash_with_same_day_event_and_external_date_is_reported(self, world, summit):
        from events.models import ExternalDate
        from events.selectors.events import event_clashes

        ExternalDate.objects.create(
            title="National children's services conference",
            date=timezone.localtime(summit.starts_at).date(),
        )
        meeting = events_services.event_create(
            actor=SYSTEM,
            region=world.region,
            kind=EventKind.STEERING_GROUP,
            title="Steering group",
            starts_at=summit.starts_at + timedelta(hours=7),
            ends_at=summit.starts_at + timedelta(hours=8),
        )
        clashes = event_clashes(meeting)
        assert any("Summer summit" in c for c in clashes)
        assert any("National children's services conference" in c for c in clashes)


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
class TestWorkshopAllocate:
    def test_ranked_preferences_are_allocated_fairly_across_las(self, world, summit, workshops):
        summit.workshop_mode = WorkshopMode.RANKED
        summit.save()
        neglect, early_help = workshops  # Neglect has 2 places
        first = [neglect.pk, early_help.pk]
        # Somerset registers three people first; Devon's one person must still get a Neglect place.
        for n in range(3):
            register(summit, world.home_la, n, workshops=first)
        register(summit, world.peer_la, 1, workshops=first)
        with pytest.raises(ValidationError, match="once registration has closed"):
            workshops_services.workshop_allocate(actor=SYSTEM, event=summit)
        events_services.event_update(
            actor=SYSTEM, event=summit, registration_closes_at=timezone.now() - timedelta(minutes=1)
        )
        result = workshops_services.workshop_allocate(actor=SYSTEM, event=summit)
        assert result == {"allocated": 4, "unplaced": 0}
        in_neglect = set(
            neglect.choices.filter(allocated=True).values_list(
                "delegate__local_authority__name", flat=True
            )
        )
        assert in_neglect == {"Somerset", "Devon"}


@pytest.mark.django_db
class TestEmailsAndReminders:
    def _now_before(self, event, days, minutes=0):
        return event.starts_at - timedelta(days=days) + timedelta(minutes=minutes)

    def test_reminders_go_once_per_offset_and_not_to_withdrawn(self, world, summit):
        keep = register(summit, world.home_la, 1)
        gone = register(summit, world.home_la, 2)
        delegates_services.delegate_cancel(actor=SYSTEM, delegate=gone)
        sweep_services.events_sweep(
            actor=SYSTEM, now=self._now_before(summit, 8)
        )  # confirmations only
        mail.outbox.clear()
        assert sweep_services.events_sweep(actor=SYSTEM, now=self._now_before(summit, 7, 5)) == 1
        assert sweep_services.events_sweep(actor=SYSTEM, now=self._now_before(summit, 7, 10)) == 0
        assert sweep_services.events_sweep(actor=SYSTEM, now=self._now_before(summit, 1, 1)) == 1
        assert [m.to for m in mail.outbox] == [[keep.email], [keep.email]]
        assert "Reminder: Summer summit" in mail.outbox[0].subject

    def test_moved_event_reschedules_reminders_and_tells_delegates(self, world, summit):
        register(summit, world.home_la, 1)
        sweep_services.events_sweep(actor=SYSTEM, now=self._now_before(summit, 6))
        mail.outbox.clear()
        moved = events_services.event_update(
            actor=SYSTEM,
            event=summit,
            starts_at=summit.starts_at + timedelta(days=14),
            ends_at=summit.ends_at + timedelta(days=14),
        )
        sweep_services.events_sweep(actor=SYSTEM, now=self._now_before(summit, 5))
        assert [m.subject for m in mail.outbox] == [
            f"Summer summit has moved to {timezone.localtime(moved.starts_at):%-d %B %Y}"
        ]
        assert sweep_services.events_sweep(actor=SYSTEM, now=self._now_before(moved, 7, 1)) == 1

    def test_cancelled_event_sends_a_cancellation_and_no_reminders(self, world, summit):
        register(summit, world.home_la, 1)
        sweep_services.events_sweep(actor=SYSTEM, now=self._now_before(summit, 10))
        mail.outbox.clear()
        events_services.event_cancel(actor=SYSTEM, event=summit)
        sweep_services.events_sweep(actor=SYSTEM, now=self._now_before(summit, 1, 1))
        assert [m.subject for m in mail.outbox] == ["Cancelled: Summer summit"]

    def test_notice_for_someone_substituted_out_before_sending_is_skipped(self, world, summit):
        delegate = register(summit, world.home_la, 1)
        delegates_services.delegate_substitute(
            actor=SYSTEM, delegate=delegate, full_name="New One", email="new@example.org"
        )
        sweep_services.events_sweep(actor=SYSTEM, now=self._now_before(summit, 10))
        recipients = sorted((m.to[0], m.subject) for m in mail.outbox)
        assert (
            "d1.somerset@example.org",
            "Your place at Summer summit is confirmed",
        ) not in recipients
        assert ("new@example.org", "You have a place at Summer summit") in recipients
        assert Notice.objects.filter(skipped_reason__contains="no longer holds").count() == 1


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
