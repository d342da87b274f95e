"""LA places: changing them, the registrations page, and the regional pool."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from regions.models import LocalAuthority
from sli_portal import access, fragments

from ..forms import AllocationForm
from ..models import PlaceRequest
from ..selectors import events as event_selectors
from ..selectors import places as place_selectors
from ..selectors import registrations as registration_selectors
from ..services import places as place_services
from ._common import REGISTER, VIEW, event_for, managed_event


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
    # The body is kept per version of its rows and per viewer (sli_portal.fragments): on a warm
    # cache nothing below is computed.
    rows = fragments.lazy(lambda: registration_selectors.registrations_by_la(event=event))
    context = {
        "event": event,
        "body": fragments.Fragment(
            request,
            "events:registrations",
            lambda: registration_selectors.registrations_rows(event=event),
            rows_key=(event.pk, event.region_id),
        ),
        "rows": rows,
        "total_places": fragments.lazy(lambda: sum(row.places for row in rows())),
        "total_used": fragments.lazy(lambda: sum(row.used for row in rows())),
        "workshops": fragments.lazy(lambda: event_selectors.workshops_of(event)),
        "pool_requests": fragments.lazy(lambda: place_selectors.pool_requests(event=event)),
    }
    return render(request, "events/registrations.html", context)


@login_required
@require_POST
def pool_release(request, pk):
    event = managed_event(request, pk)
    try:
        released = place_services.pool_release(actor=request.user, event=event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{released} unused places moved to the regional pool.")
    return redirect("events:registrations", pk=event.pk)


@login_required
@require_POST
def place_request(request, pk, la_slug):
    event = event_for(request, pk)
    la = get_object_or_404(LocalAuthority, slug=la_slug, region_id=event.region_id)
    access.require(request.user, REGISTER, la)
    try:
        place = place_services.place_request(actor=request.user, event=event, local_authority=la)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if place.status == "granted":
            messages.success(request, f"{la.name} has been given an extra place.")
        else:
            messages.success(
                request,
                f"{la.name} is on the waiting list; places are shared fairly between LAs "
                "as they come free.",
            )
    return redirect(event)


@login_required
@require_POST
def place_request_withdraw(request, pk):
    place = get_object_or_404(
        PlaceRequest.objects.select_related("event__region", "local_authority"), pk=pk
    )
    event = access.require_visible(request.user, place.event, see=VIEW)
    access.require(request.user, REGISTER, place.local_authority)
    try:
        place_services.place_request_withdraw(actor=request.user, place_request=place)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{place.local_authority.name} is off the waiting list.")
    return redirect(event)
