"""Every events URL against every persona (see tests/url_matrix.py)."""

from datetime import timedelta

from django.utils import timezone

from events.models import Event, EventKind, EventStatus
from events.models.feedback import feedback_token
from events.services import delegates as delegates_services
from events.services import documents as documents_services
from events.services import events as events_services
from events.services import meetings as meetings_services
from events.services import places as places_services
from sli_portal.access import SYSTEM
from tests.url_matrix import UrlCase, confirm_twins, expect, only, with_personas

ORGANISERS_OK = {"admin": 200, "programme_manager": 200}
ORGANISERS_REDIRECT = {"admin": 302, "programme_manager": 302}
NOT_KNOWN = 404  # another region's event, or a draft: not shown at all


def _event(world, *, region=None, status=EventStatus.PUBLISHED, **extra) -> Event:
    starts = timezone.now() + timedelta(days=30)
    return events_services.event_create(
        actor=SYSTEM,
        region=region or world.region,
        kind=EventKind.SUMMIT,
        title="Summit",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        status=status,
        **extra,
    )


def _pk(world, **kwargs):
    return {"pk": _event(world, **kwargs).pk}


def _delegate(world, la=None):
    event = _event(world)
    return delegates_services.delegate_register(
        actor=SYSTEM,
        event=event,
        local_authority=la or world.home_la,
        full_name="Sam Delegate",
        email="sam@example.org",
    )


def _session(world):
    event = _event(world)
    return events_services.session_create(
        actor=SYSTEM,
        event=event,
        title="Plenary",
        starts_at=event.starts_at,
        ends_at=event.starts_at + timedelta(hours=1),
    )


def _feed_token(world):
    from events.views.calendar import feed_token

    return {"token": feed_token(world.users["dcs"])}


# Same region: every persona of the region sees a published event; outsiders do not know it.
IN_REGION = expect(200, outsider=NOT_KNOWN)
HOME_DCS_OK = only({"admin": 200, "programme_manager": 200, "dcs": 200}, others=403)
HOME_DCS_OK["outsider"] = NOT_KNOWN

HOME_DCS_REDIRECT = only({"admin": 302, "programme_manager": 302, "dcs": 302})
HOME_DCS_REDIRECT["outsider"] = NOT_KNOWN
MANAGE_OK = only(ORGANISERS_OK)
MANAGE_OK["outsider"] = NOT_KNOWN
MANAGE_REDIRECT = only(ORGANISERS_REDIRECT)
MANAGE_REDIRECT["outsider"] = NOT_KNOWN


def _meeting(world):
    event = _event(world, quorum=3)
    meetings_services.meeting_invite(actor=SYSTEM, event=event, role="dcs")
    return {"pk": event.pk}


def _feedback_token(world):
    delegate = _delegate(world)
    return {"token": feedback_token(delegate)}


def _document(world, region=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    event = _event(world, region=region)
    document = documents_services.document_add(
        actor=SYSTEM,
        event=event,
        title="Agenda",
        upload=SimpleUploadedFile("agenda.txt", b"1. Welcome", content_type="text/plain"),
    )
    return {"pk": document.pk}


def _workshop_place(world):
    event = _event(world)
    workshop = events_services.session_create(
        actor=SYSTEM,
        event=event,
        title="Neglect",
        starts_at=event.starts_at,
        ends_at=event.starts_at + timedelta(hours=1),
        is_workshop=True,
        capacity=5,
    )
    delegate = delegates_services.delegate_register(
        actor=SYSTEM,
        event=event,
        local_authority=world.home_la,
        full_name="Sam Delegate",
        email="sam@example.org",
        workshops=[workshop.pk],
    )
    return delegate.choices.get()


CASES = [
    UrlCase("events:event_list", expect(200)),
    UrlCase("events:event_list", expect(200), query="?when=past&kind=summit", label="filtered"),
    UrlCase("events:event_create", only(ORGANISERS_OK)),
    UrlCase("events:event_detail", IN_REGION, kwargs=_pk),
    UrlCase(
        "events:event_detail",
        only(ORGANISERS_OK, others=NOT_KNOWN),
        kwargs=lambda w: _pk(w, status=EventStatus.DRAFT),
        label="draft",
    ),
    UrlCase(
        "events:event_detail",
        only({"admin": 200, "outsider": 200}, others=NOT_KNOWN),
        kwargs=lambda w: _pk(w, region=w.other_region),
        label="other region",
    ),
    UrlCase("events:event_edit", MANAGE_OK, kwargs=_pk),
    UrlCase("events:event_cancel", MANAGE_REDIRECT, kwargs=_pk, method="post"),
    UrlCase("events:event_cancel", MANAGE_OK, kwargs=_pk),
    UrlCase("events:event_cancel_undo", MANAGE_REDIRECT, kwargs=_pk, method="post"),
    UrlCase("events:event_ics", IN_REGION, kwargs=_pk),
    UrlCase("events:personal_feed", expect(200, anonymous=200), kwargs=_feed_token),
    UrlCase(
        "events:personal_feed",
        expect(404, anonymous=404),
        kwargs={"token": "1:forged"},
        label="forged",
    ),
    UrlCase("events:session_create", MANAGE_OK, kwargs=_pk),
    UrlCase(
        "events:session_delete",
        MANAGE_REDIRECT,
        kwargs=lambda w: {"pk": _session(w).pk},
        method="post",
    ),
    UrlCase("events:allocations", MANAGE_OK, kwargs=_pk),
    UrlCase("events:registrations", MANAGE_OK, kwargs=_pk),
    UrlCase("events:workshop_allocate", MANAGE_REDIRECT, kwargs=_pk, method="post"),
    UrlCase(
        "events:export",
        MANAGE_OK,
        kwargs=lambda w: {**_pk(w), "what": "needs", "fmt": "xlsx"},
    ),
    UrlCase(
        "events:delegate_create",
        HOME_DCS_OK,
        kwargs=lambda w: {**_pk(w), "la_slug": w.home_la.slug},
    ),
    UrlCase(
        "events:delegate_create",
        only({"admin": 200, "programme_manager": 200, "peer_dcs": 200}, others=403)
        | {"outsider": NOT_KNOWN},
        kwargs=lambda w: {**_pk(w), "la_slug": w.peer_la.slug},
        label="peer LA",
    ),
    UrlCase(
        "events:register_self",
        only({"dcs": 200, "performance_lead": 200, "member": 200, "peer_dcs": 200})
        | {"outsider": NOT_KNOWN},
        kwargs=lambda w: _pk(w, members_may_self_register=True),
    ),
    UrlCase(
        "events:delegate_edit",
        HOME_DCS_OK,
        kwargs=lambda w: {"pk": _delegate(w).pk},
    ),
    UrlCase(
        "events:delegate_substitute",
        HOME_DCS_OK,
        kwargs=lambda w: {"pk": _delegate(w).pk},
    ),
    UrlCase(
        "events:delegate_cancel",
        HOME_DCS_REDIRECT,
        kwargs=lambda w: {"pk": _delegate(w).pk},
        method="post",
    ),
    UrlCase("events:delegate_cancel", HOME_DCS_OK, kwargs=lambda w: {"pk": _delegate(w).pk}),
    UrlCase(
        "events:delegate_cancel_undo",
        HOME_DCS_REDIRECT,
        kwargs=lambda w: {"pk": _delegate(w).pk},
        method="post",
    ),
    UrlCase(
        "events:delegate_check_in",
        only(ORGANISERS_REDIRECT) | {"outsider": NOT_KNOWN},
        kwargs=lambda w: {"pk": _delegate(w).pk},
        method="post",
    ),
    UrlCase(
        "events:meeting_invite", MANAGE_REDIRECT, kwargs=_pk, method="post", data={"role": "dcs"}
    ),
    # Invited: the DCSs of the region. Others in the region may not reply (403).
    UrlCase(
        "events:meeting_respond",
        only({"dcs": 200, "peer_dcs": 200}) | {"outsider": NOT_KNOWN},
        kwargs=_meeting,
    ),
    UrlCase("events:pool_release", MANAGE_REDIRECT, kwargs=_pk, method="post"),
    UrlCase(
        "events:place_request",
        HOME_DCS_REDIRECT,
        kwargs=lambda w: {**_pk(w), "la_slug": w.home_la.slug},
        method="post",
    ),
    UrlCase("events:feedback_results", MANAGE_OK, kwargs=_pk),
    # The emailed link is the delegate's credential; a forged one is not found.
    UrlCase("events:feedback", expect(200, anonymous=200), kwargs=_feedback_token),
    UrlCase(
        "events:feedback",
        expect(404, anonymous=404),
        kwargs={"token": "1:forged"},
        label="forged",
    ),
    UrlCase("events:document_add", MANAGE_OK, kwargs=_pk),
    UrlCase("events:document_download", IN_REGION, kwargs=_document),
    UrlCase(
        "events:document_download",
        only({"admin": 200, "outsider": 200}, others=NOT_KNOWN),
        kwargs=lambda w: _document(w, region=w.other_region),
        label="other region",
    ),
    UrlCase("events:document_delete", MANAGE_REDIRECT, kwargs=_document, method="post"),
    UrlCase(
        "events:workshop_register",
        MANAGE_OK,
        kwargs=lambda w: (lambda c: {"pk": c.session.event_id, "session_pk": c.session_id})(
            _workshop_place(w)
        ),
    ),
    UrlCase(
        "events:workshop_check_in",
        MANAGE_REDIRECT,
        kwargs=lambda w: {"pk": _workshop_place(w).pk},
        method="post",
    ),
]


def _external_date(world, region="home"):
    from events.models import ExternalDate

    return {
        "pk": ExternalDate.objects.create(
            region=world.region if region == "home" else world.other_region,
            title="National conference",
            date=timezone.localdate() + timedelta(days=40),
        ).pk
    }


CASES += [
    UrlCase("events:external_dates", only(ORGANISERS_OK)),
    UrlCase(
        "events:external_date_delete",
        only(ORGANISERS_REDIRECT) | {"outsider": NOT_KNOWN},
        kwargs=_external_date,
        method="post",
    ),
    UrlCase(
        "events:external_date_delete",
        only({"admin": 302}, others=NOT_KNOWN) | {"outsider": 403},
        kwargs=lambda w: _external_date(w, region="other"),
        method="post",
        label="other region",
    ),
]


def _place_request(world):
    event = _event(world, pool_release_at=timezone.now() + timedelta(days=20))
    return {
        "pk": places_services.place_request(
            actor=SYSTEM, event=event, local_authority=world.home_la
        ).pk
    }


CASES += [
    UrlCase(
        "events:place_request_withdraw",
        HOME_DCS_REDIRECT,
        kwargs=_place_request,
        method="post",
    ),
]


def _guest_event(world):
    """An event where the partner persona's organisation has two guest places."""
    from events.services import guests as guests_services
    from regions.models import Membership, Role

    event = _event(world)
    organisation = Membership.objects.get(user=world.users["partner"], role=Role.PARTNER)
    guests_services.guest_places_grant(
        actor=SYSTEM, event=event, organisation=organisation.organisation, places=2
    )
    return {"pk": event.pk}


def _guest_event_taken(world):
    """The same, with the partner holding one of the places."""
    from events.models import Event
    from events.services import guests as guests_services

    kwargs = _guest_event(world)
    guests_services.guest_register_self(
        actor=world.users["partner"], event=Event.objects.get(pk=kwargs["pk"])
    )
    return kwargs


def _guest(world):
    """A partner on a guest place (for checking them in)."""
    from events.models import Event
    from events.services import guests as guests_services

    event = Event.objects.get(pk=_guest_event(world)["pk"])
    guest = guests_services.guest_register_self(actor=world.users["partner"], event=event)
    return {"pk": guest.pk}


# Guest places (issue 17): organisers grant them; only a partner of the region takes one.
PARTNER_ONLY = only({"partner": 200}) | {"outsider": NOT_KNOWN, "staff": NOT_KNOWN}
CASES += [
    UrlCase("events:guest_places", MANAGE_OK, kwargs=_pk),
    UrlCase(
        "events:guest_places",
        MANAGE_REDIRECT,
        kwargs=_guest_event,
        method="post",
        data=lambda w: {
            "organisation": w.users["partner"].memberships.get().organisation_id,
            "places": "3",
        },
    ),
    UrlCase("events:guest_register", PARTNER_ONLY, kwargs=_guest_event),
    # Checking a partner in: the organisers, as for an LA's delegate.
    UrlCase(
        "events:guest_check_in",
        only(ORGANISERS_REDIRECT) | {"outsider": NOT_KNOWN},
        kwargs=_guest,
        method="post",
    ),
    UrlCase(
        "events:guest_register",
        only({"partner": 302}) | {"outsider": NOT_KNOWN, "staff": NOT_KNOWN},
        kwargs=_guest_event,
        method="post",
    ),
    # "Give back my place?" (issue 14): only for a partner holding one; others as the page.
    UrlCase(
        "events:guest_register",
        PARTNER_ONLY,
        kwargs=_guest_event_taken,
        query="?action=cancel",
        label="give back",
    ),
]

# The analyst and staff personas where they differ from the defaults above (tests/world.py):
# the analyst holds the regional grant from a member's seat in peer_la; staff hold no role.
CASES = with_personas(
    CASES,
    {
        "GET events:allocations": {"staff": 404},
        "GET events:delegate_create": {"staff": 404},
        "GET events:delegate_create[peer LA]": {"staff": 404},
        "GET events:delegate_edit": {"staff": 404},
        "GET events:delegate_substitute": {"staff": 404},
        "GET events:document_add": {"staff": 404},
        "GET events:document_download": {"staff": 404},
        "GET events:event_detail": {"staff": 404},
        "GET events:event_edit": {"staff": 404},
        "GET events:guest_places": {"staff": 404},
        "POST events:guest_places": {"staff": 404},
        "GET events:event_ics": {"staff": 404},
        "GET events:export": {"staff": 404},
        "GET events:feedback_results": {"staff": 404},
        "GET events:meeting_respond": {"staff": 404},
        "GET events:register_self": {"analyst": 200, "staff": 404},
        "GET events:registrations": {"staff": 404},
        "GET events:session_create": {"staff": 404},
        "GET events:workshop_register": {"staff": 404},
        "POST events:delegate_cancel": {"staff": 404},
        "GET events:delegate_cancel": {"staff": 404},
        "POST events:delegate_cancel_undo": {"staff": 404},
        "GET events:event_cancel": {"staff": 404},
        "POST events:event_cancel_undo": {"staff": 404},
        "POST events:delegate_check_in": {"staff": 404},
        "POST events:guest_check_in": {"staff": 404},
        "POST events:document_delete": {"staff": 404},
        "POST events:event_cancel": {"staff": 404},
        "POST events:external_date_delete": {"staff": 404},
        "POST events:meeting_invite": {"staff": 404},
        "POST events:place_request": {"staff": 404},
        "POST events:place_request_withdraw": {"staff": 404},
        "POST events:pool_release": {"staff": 404},
        "POST events:session_delete": {"staff": 404},
        "POST events:workshop_allocate": {"staff": 404},
        "POST events:workshop_check_in": {"staff": 404},
    },
)

# The "Are you sure?" page of each action (GET), answering as its POST (issue 14).
CASES += confirm_twins(
    CASES,
    {
        "events:pool_release",
        "events:session_delete",
        "events:document_delete",
        "events:external_date_delete",
        "events:meeting_invite",
        "events:workshop_allocate",
        "events:place_request_withdraw",
    },
)
