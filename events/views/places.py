"""LA places: changing them, the registrations page, and the regional pool."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from regions.models import LocalAuthority
from sli_portal import access, fragments
from sli_portal.confirm import Confirmation, confirm_or_do, flash_outcome
from sli_portal.listing import sorted_page
from sli_portal.templatetags.govuk import govuk_datetime, plural

from ..forms import AllocationForm
from ..models import PlaceRequest
from ..selectors import confirmations as confirmation_selectors
from ..selectors import event_page
from ..selectors import events as event_selectors
from ..selectors import guests as guest_selectors
from ..selectors import places as place_selectors
from ..selectors import registrations as registration_selectors
from ..selectors.counts import counts_of
from ..services import places as place_services
from ._common import REGISTER, VIEW, event_for, managed_event

DELEGATES_PER_PAGE = 50
DELEGATE_SORTS = {
    "la": ("local_authority__name", "full_name"),
    "name": "full_name",
    "job": "job_title",
    "attendance": "checked_in_at",
    "registered": "registered_at",
}


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
    # The body is kept per version of its rows, per viewer and per address (its sort and page:
    # sli_portal.fragments): on a warm cache nothing below is computed. The body reads the
    # event again, with its place counts, after the stamp: never older than the stamp it is kept
    # under (a change committed between the permission fetch and the stamp is shown).
    page_event = fragments.lazy(lambda: event_page.event_with_counts(pk=event.pk))
    rows = fragments.lazy(lambda: registration_selectors.registrations_by_la(event=page_event()))
    context = {
        "event": event,
        "body": fragments.Fragment(
            request,
            "events:registrations",
            lambda: registration_selectors.registrations_rows(event=event),
            rows_key=(event.pk, event.region_id),
        ),
        "page_event": page_event,
        "rows": rows,
        "counts": fragments.lazy(lambda: counts_of(page_event())),
        "guests": fragments.lazy(lambda: guest_selectors.event_guests(event=event)),
        "delegates": fragments.lazy(
            lambda: sorted_page(
                request,
                registration_selectors.registered_delegates(event=event),
                sorts=DELEGATE_SORTS,
                default="la",
                per_page=DELEGATES_PER_PAGE,
            )
        ),
        "total_places": fragments.lazy(lambda: sum(row.places for row in rows())),
        "total_used": fragments.lazy(lambda: sum(row.used for row in rows())),
        "workshops": fragments.lazy(lambda: event_selectors.workshops_of(event)),
        "pool_requests": fragments.lazy(lambda: place_selectors.pool_requests(event=event)),
    }
    return render(request, "events/registrations.html", context)


@login_required
def pool_release(request, pk):
    """GET: "Are you sure?" (how many places go, who is told). POST: release the pool now."""
    event = managed_event(request, pk, programme=False)
    back = reverse("events:registrations", kwargs={"pk": event.pk})

    def release():
        flash_outcome(
            request,
            lambda: place_services.pool_release(actor=request.user, event=event),
            lambda released: (
                f"{plural(released, 'unused place,unused places')} moved to the regional pool."
            ),
        )
        return redirect(back)

    def page() -> Confirmation:
        preview = confirmation_selectors.pool_release_preview(event=event)
        consequences = [
            f"{plural(preview.places, 'unused place,unused places')} from "
            f"{plural(preview.las, 'local authority,local authorities')} "
            f"{'goes' if preview.places == 1 else 'go'} to the regional pool now, instead of on "
            "the pool date. Those local authorities keep only the places they have used.",
        ]
        # As the service: waiting requests are served from the pool, and the DCSs are told
        # only if places are left in it afterwards.
        pool = event.pool_places + preview.places
        notified = []
        if preview.waiting:
            consequences.append(
                f"{plural(preview.waiting, 'request is,requests are')} waiting for a pool place: "
                "they are served first, fairly between local authorities."
            )
            if pool:
                notified.append("Whoever asked for each place that is granted, by email")
        if pool > preview.waiting:
            notified.append(
                f"The {plural(preview.dcss, 'DCS,DCSs')} of the region's local authorities, "
                "by a notification that places are free"
            )
        if event.pool_released_at:
            consequences = [
                f"The unused places were pooled on {govuk_datetime(event.pool_released_at)}: "
                "nothing more happens."
            ]
            notified = []
        return Confirmation(
            question="Are you sure you want to pool the unused places now?",
            caption=event.title,
            consequences=consequences,
            notified=notified,
            irreversible=""
            if event.pool_released_at
            else "You cannot undo this: places in the pool do not go back to their local "
            "authority.",
            confirm_label="Yes, pool the unused places",
            cancel_url=back,
            crumbs=_crumbs(event, "Pool unused places"),
        )

    return confirm_or_do(request, page=page, do=release)


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
def place_request_withdraw(request, pk):
    """GET: "Are you sure?" (the LA loses its turn). POST: take the request off the list."""
    place = get_object_or_404(
        PlaceRequest.objects.select_related("event__region", "local_authority"), pk=pk
    )
    event = access.require_visible(request.user, place.event, see=VIEW)
    access.require(request.user, REGISTER, place.local_authority)
    la = place.local_authority.name

    def withdraw():
        flash_outcome(
            request,
            lambda: place_services.place_request_withdraw(actor=request.user, place_request=place),
            f"{la} is off the waiting list.",
        )
        return redirect(event)

    return confirm_or_do(
        request,
        page=lambda: Confirmation(
            question=f"Are you sure you want to withdraw {la}'s request for a pool place?",
            caption=event.title,
            consequences=[
                f"{la} leaves the waiting list for a place from the regional pool.",
                "If you ask again later, the new request waits behind those made before it.",
            ],
            confirm_label="Yes, withdraw the request",
            cancel_url=event.get_absolute_url(),
            cancel_label="No, keep the request",
            crumbs=_crumbs(event, "Withdraw the request"),
        ),
        do=withdraw,
    )


def _crumbs(event, label: str) -> list:
    return [
        ("Events", reverse("events:event_list")),
        (event.title, event.get_absolute_url()),
        (label, ""),
    ]
