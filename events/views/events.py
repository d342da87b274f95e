"""Event pages: list, detail, create and edit, cancel, the programme, places, registrations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from regions.models import Region
from regions.scope import user_scope
from sli_portal import access
from sli_portal.forms import add_validation_error

from ..filters import EventFilter
from ..forms import (
    AllocationForm,
    EventForm,
    ExternalDateForm,
    InviteByRoleForm,
    SessionForm,
)
from ..models import Event, ExternalDate, Session, WorkshopChoice
from ..selectors import calendar as calendar_selectors
from ..selectors import documents as document_selectors
from ..selectors import events as event_selectors
from ..selectors import meetings as meeting_selectors
from ..selectors import places as place_selectors
from ..selectors import registrations as registration_selectors
from ..selectors import workshops as workshop_selectors
from ..services import events as event_services
from ..services import places as place_services
from ..services import workshops as workshop_services
from ._common import MANAGE, VIEW, event_for, managed_event
from .calendar import feed_token


@login_required
def event_list(request):
    event_filter = EventFilter(
        request.GET, queryset=event_selectors.event_list(request.user), user=request.user
    )
    context = {
        "filter": event_filter,
        "can_create": access.can(request.user, "events.create_events"),
        "feed_url": request.build_absolute_uri(
            reverse("events:personal_feed", kwargs={"token": feed_token(request.user)})
        ),
    }
    return render(request, "events/event_list.html", context)


@login_required
def event_detail(request, pk):
    event = event_for(request, pk)
    user = request.user
    my_las = registration_selectors.dcs_places(user=user, event=event)
    can_manage = access.can(user, MANAGE, event)
    self_la = (
        registration_selectors.self_registration_la(user, event)
        if event.members_may_self_register
        else None
    )
    context = {
        "event": event,
        "my_las": my_las,
        "can_manage": can_manage,
        "documents": document_selectors.event_documents(event=event),
        "meeting": meeting_selectors.meeting_summary(event=event) if can_manage else None,
        "invite_form": InviteByRoleForm() if can_manage else None,
        "my_invitation": meeting_selectors.my_invitation(user=user, event=event),
        "waiting_requests": place_selectors.waiting_requests(
            event=event, la_ids=[p.local_authority.pk for p in my_las]
        ),
        "clashes": event_selectors.event_clashes(event) if can_manage else [],
        "self_la": self_la,
        "my_places": [
            d
            for d in calendar_selectors.personal_delegations(user)
            if d.event_id == event.pk and d.is_active
        ],
    }
    return render(request, "events/event_detail.html", context)


def _warn_of_clashes(request, event: Event) -> None:
    for clash in event_selectors.event_clashes(event):
        messages.warning(request, f"Clash: on the same day as {clash}.")


@login_required
def event_create(request):
    access.require(request.user, "events.create_events")
    regions = _managed_regions(request.user)
    form = EventForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        region = data.pop("region")
        try:
            event = event_services.event_create(actor=request.user, region=region, **data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{event.title} has been created.")
            _warn_of_clashes(request, event)
            return redirect(event)
    return render(
        request,
        "events/event_form.html",
        {"form": form, "event": None},
        status=400 if form.errors else 200,
    )


@login_required
def event_edit(request, pk):
    event = managed_event(request, pk)
    form = EventForm(request.POST or None, instance=Event.objects.get(pk=event.pk))
    if request.method == "POST" and form.is_valid():
        try:
            event = event_services.event_update(
                actor=request.user, event=event, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{event.title} has been saved.")
            _warn_of_clashes(request, event)
            return redirect(event)
    return render(
        request,
        "events/event_form.html",
        {"form": form, "event": event},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def event_cancel(request, pk):
    event = managed_event(request, pk)
    event_services.event_cancel(actor=request.user, event=event)
    messages.success(request, f"{event.title} has been cancelled; its delegates are being told.")
    return redirect(event)


@login_required
def session_create(request, pk):
    event = managed_event(request, pk)
    form = SessionForm(request.POST or None, initial={"starts_at": event.starts_at})
    if request.method == "POST" and form.is_valid():
        try:
            session = event_services.session_create(
                actor=request.user, event=event, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            kind = "Workshop" if session.is_workshop else "Session"
            messages.success(request, f"{kind} “{session.title}” added to the programme.")
            if "add_another" in request.POST:
                return redirect("events:session_create", pk=event.pk)
            return redirect(event)
    return render(
        request,
        "events/session_form.html",
        {"form": form, "event": event},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def session_delete(request, pk):
    session = get_object_or_404(Session.objects.select_related("event__region"), pk=pk)
    event = access.require_visible(request.user, session.event, see=VIEW, act=MANAGE)
    try:
        event_services.session_delete(actor=request.user, session=session)
        messages.success(request, f"“{session.title}” removed from the programme.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(event)


@login_required
def allocations(request, pk):
    event = managed_event(request, pk)
    rows = registration_selectors.registrations_by_la(event=event)
    form = AllocationForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            changed = 0
            for la, places in form.changed_places():
                place_services.allocation_set(
                    actor=request.user, event=event, local_authority=la, places=places
                )
                changed += 1
        except ValidationError as error:
            # A request is one transaction: nothing above is kept when one LA is refused.
            transaction.set_rollback(True)
            form.add_error(None, error)
        else:
            messages.success(request, f"Places changed for {changed} local authorities.")
            return redirect("events:registrations", pk=event.pk)
    return render(
        request,
        "events/allocations.html",
        {"event": event, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def registrations(request, pk):
    event = managed_event(request, pk, programme=False)
    rows = registration_selectors.registrations_by_la(event=event)
    context = {
        "event": event,
        "rows": rows,
        "total_places": sum(row.places for row in rows),
        "total_used": sum(row.used for row in rows),
        "workshops": event_selectors.workshops_of(event),
        "pool_requests": place_selectors.pool_requests(event=event),
    }
    return render(request, "events/registrations.html", context)


@login_required
@require_POST
def workshop_allocate(request, pk):
    event = managed_event(request, pk)
    try:
        result = workshop_services.workshop_allocate(actor=request.user, event=event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Workshops allocated: {result['allocated']} delegates placed, "
            f"{result['unplaced']} without a place in any workshop they chose.",
        )
    return redirect("events:registrations", pk=event.pk)


@login_required
def workshop_register(request, pk, session_pk):
    event = managed_event(request, pk)
    try:
        session, choices = workshop_selectors.workshop_register(event=event, session_pk=session_pk)
    except Session.DoesNotExist:
        raise Http404("No such workshop.") from None
    context = {"event": event, "session": session, "choices": choices}
    return render(request, "events/workshop_register.html", context)


@login_required
@require_POST
def workshop_check_in(request, pk):
    choice = get_object_or_404(
        WorkshopChoice.objects.select_related("delegate__event__region", "session"), pk=pk
    )
    event = access.require_visible(request.user, choice.delegate.event, see=VIEW, act=MANAGE)
    attended = request.POST.get("attended", "1") == "1"
    try:
        workshop_services.workshop_check_in(actor=request.user, choice=choice, attended=attended)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("events:workshop_register", pk=event.pk, session_pk=choice.session_id)


def _managed_regions(user):
    scope = user_scope(user)
    if access.is_admin(user):
        return Region.objects.order_by("name")
    return Region.objects.filter(pk__in=scope.managed_region_ids).order_by("name")


@login_required
def external_dates(request):
    regions = _managed_regions(request.user)
    national = access.can(request.user, "events.manage_national_dates")
    if not (national or regions.exists()):
        raise PermissionDenied
    form = ExternalDateForm(request.POST or None, regions=regions, national=national)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            marked = event_services.external_date_add(
                actor=request.user, region=data["region"], title=data["title"], date=data["date"]
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{marked} marked: events that day will warn of a clash.")
            return redirect("events:external_dates")
    context = {"form": form, "dates": event_selectors.external_dates(request.user)}
    return render(
        request, "events/external_dates.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def external_date_delete(request, pk):
    external_date = get_object_or_404(ExternalDate.objects.select_related("region"), pk=pk)
    scope = user_scope(request.user)
    if external_date.region_id and not (
        access.is_admin(request.user) or scope.in_region(external_date.region_id)
    ):
        raise Http404("No such date.")
    event_services.external_date_delete(actor=request.user, external_date=external_date)
    messages.success(request, f"{external_date} removed.")
    return redirect("events:external_dates")
