"""Event pages: list, detail, create and edit, cancel, the programme, dates to avoid."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from regions.models import Region
from regions.scope import user_scope
from sli_portal import access, fragments
from sli_portal.confirm import Confirmation, confirm_or_do, flash_outcome
from sli_portal.forms import add_validation_error
from sli_portal.listing import filter_page
from sli_portal.templatetags.govuk import govuk_date, plural

from ..filters import EventFilter
from ..forms import EventForm, ExternalDateForm, InviteByRoleForm, SessionForm
from ..models import Event, ExternalDate, Session
from ..selectors import cancellations as cancellation_selectors
from ..selectors import documents as document_selectors
from ..selectors import event_page
from ..selectors import events as event_selectors
from ..selectors import meetings as meeting_selectors
from ..selectors import places as place_selectors
from ..selectors import registrations as registration_selectors
from ..selectors.counts import counts_of
from ..services import events as event_services
from ._common import MANAGE, VIEW, event_for, managed_event
from .calendar import feed_token

EVENTS_PER_PAGE = 25


@login_required
def event_list(request):
    event_filter = EventFilter(
        request.GET, queryset=event_selectors.event_list(request.user), user=request.user
    )
    listing = filter_page(request, event_filter, default="date", per_page=EVENTS_PER_PAGE)
    context = {
        "filter": event_filter,
        "listing": listing,
        "page": listing.page,
        "can_create": access.can(request.user, "events.create_events"),
        "feed_url": request.build_absolute_uri(
            reverse("events:personal_feed", kwargs={"token": feed_token(request.user)})
        ),
    }
    return render(request, "events/event_list.html", context)


@login_required
def event_detail(request, pk):
    # Who may see it (404) from the event alone; the body is kept per version of its rows, per
    # viewer and per minute (sli_portal.fragments): on a warm cache nothing below is computed.
    # The body reads the event again, after its stamp: never older than the stamp it is kept
    # under.
    event = event_for(request, pk, programme=False)
    user = request.user
    page_event = fragments.lazy(lambda: event_page.event_for_page(pk=event.pk))
    counts = fragments.lazy(lambda: counts_of(page_event()))
    can_manage = fragments.lazy(lambda: access.can(user, MANAGE, event))
    my_las = fragments.lazy(
        lambda: registration_selectors.dcs_places(user=user, event=page_event(), counts=counts())
    )

    def my_la_ids():
        return [p.local_authority.pk for p in my_las()]

    context = {
        "event": event,
        "body": fragments.Fragment(
            request,
            "events:event_detail",
            lambda: event_page.event_page_rows(event),
            rows_key=(event.pk, event.region_id),
        ),
        "page_event": page_event,
        "counts": counts,
        "my_las": my_las,
        "can_manage": can_manage,
        "documents": fragments.lazy(lambda: document_selectors.event_documents(event=event)),
        "cancellation": fragments.lazy(
            lambda: (
                cancellation_selectors.event_cancellation(page_event()) if can_manage() else None
            )
        ),
        "undoable_places": fragments.lazy(
            lambda: cancellation_selectors.undoable_place_cancellations(page_event(), my_la_ids())
        ),
        "meeting": fragments.lazy(
            lambda: meeting_selectors.meeting_summary(event=page_event()) if can_manage() else None
        ),
        "invite_form": fragments.lazy(lambda: InviteByRoleForm() if can_manage() else None),
        "my_invitation": fragments.lazy(
            lambda: meeting_selectors.my_invitation(user=user, event=event)
        ),
        # Shown only for an event with a regional pool (event_detail.html).
        "waiting_requests": fragments.lazy(
            lambda: (
                place_selectors.waiting_requests(event=event, la_ids=my_la_ids())
                if page_event().pool_release_at
                else {}
            )
        ),
        "clashes": fragments.lazy(
            lambda: event_selectors.event_clashes(page_event()) if can_manage() else []
        ),
        "self_la": fragments.lazy(
            lambda: (
                registration_selectors.self_registration_la(user, event)
                if page_event().members_may_self_register
                else None
            )
        ),
        "my_places": fragments.lazy(lambda: event_page.has_own_place(user=user, event=event)),
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
def event_cancel(request, pk):
    """GET: "Are you sure?" (what happens, who is told). POST: cancel, undoable for a while."""
    event = managed_event(request, pk)

    def cancel():
        cancelled = event_services.event_cancel(actor=request.user, event=event)
        messages.success(
            request,
            f"{cancelled.title} has been cancelled. You can undo this until its delegates are "
            "emailed.",
        )
        return redirect(cancelled)

    return confirm_or_do(request, page=lambda: _cancel_confirmation(event), do=cancel)


def _cancel_confirmation(event: Event) -> Confirmation:
    preview = cancellation_selectors.cancellation_preview(event)
    n, las, minutes = preview["delegates"], preview["las"], preview["undo_minutes"]
    notified = []
    if preview["emails_delegates"]:
        notified.append(
            f"{plural(n, 'registered delegate,registered delegates')} from "
            f"{plural(las, 'local authority,local authorities')} will be emailed that it is "
            f"cancelled, {plural(minutes, 'minute,minutes')} after you confirm"
        )
    return Confirmation(
        question="Are you sure you want to cancel this event?",
        caption=event.title,
        consequences=[
            "Registration closes: nobody can be registered, changed or substituted.",
            "Calendars that subscribed to it show it as cancelled, and reminders stop.",
            "Until the emails are sent you can undo the cancellation from the event page, "
            "and nobody will have been told.",
        ],
        notified=notified,
        confirm_label="Yes, cancel the event",
        cancel_url=event.get_absolute_url(),
        cancel_label="No, keep the event",
        crumbs=[
            ("Events", reverse("events:event_list")),
            (event.title, event.get_absolute_url()),
            ("Cancel", ""),
        ],
    )


@login_required
@require_POST
def event_cancel_undo(request, pk):
    event = managed_event(request, pk, programme=False)
    try:
        event = event_services.event_cancel_undo(actor=request.user, event=event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{event.title} is no longer cancelled. Nobody was emailed.")
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
def session_delete(request, pk):
    """GET: "Are you sure?". POST: remove the session (refused while delegates chose it)."""
    session = get_object_or_404(Session.objects.select_related("event__region"), pk=pk)
    event = access.require_visible(request.user, session.event, see=VIEW, act=MANAGE)

    def delete():
        flash_outcome(
            request,
            lambda: event_services.session_delete(actor=request.user, session=session),
            f"“{session.title}” removed from the programme.",
        )
        return redirect(event)

    kind = "workshop" if session.is_workshop else "session"
    return confirm_or_do(
        request,
        page=lambda: Confirmation(
            question=f"Are you sure you want to remove the {kind} “{session.title}”?",
            caption=event.title,
            consequences=[
                f"The {kind} is removed from the event's programme.",
                "A workshop that registered delegates have chosen cannot be removed.",
            ],
            irreversible=f"You cannot undo this: to put it back, add the {kind} again.",
            confirm_label=f"Yes, remove the {kind}",
            cancel_url=event.get_absolute_url(),
            crumbs=[
                ("Events", reverse("events:event_list")),
                (event.title, event.get_absolute_url()),
                (f"Remove a {kind}", ""),
            ],
        ),
        do=delete,
    )


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
def external_date_delete(request, pk):
    """GET: "Are you sure?" (404 outside its region, 403 unless they may manage its dates, as
    the POST). POST: remove the date."""
    external_date = get_object_or_404(ExternalDate.objects.select_related("region"), pk=pk)
    scope = user_scope(request.user)
    if external_date.region_id and not (
        access.is_admin(request.user) or scope.in_region(external_date.region_id)
    ):
        raise Http404("No such date.")
    region = external_date.region
    access.require(
        request.user,
        "events.manage_national_dates" if region is None else MANAGE,
        region,
    )
    back = reverse("events:external_dates")

    def delete():
        event_services.external_date_delete(actor=request.user, external_date=external_date)
        messages.success(request, f"{external_date} removed.")
        return redirect(back)

    where = "any region" if region is None else region.name
    return confirm_or_do(
        request,
        page=lambda: Confirmation(
            question=f"Are you sure you want to remove the date to avoid “{external_date.title}”?",
            caption=f"{govuk_date(external_date.date)}, {where}",
            consequences=[
                f"Events in {where} on {govuk_date(external_date.date)} no longer warn of a "
                "clash with it.",
            ],
            irreversible="You cannot undo this: to put it back, mark the date again.",
            confirm_label="Yes, remove the date",
            cancel_url=back,
            crumbs=[
                ("Events", reverse("events:event_list")),
                ("Dates to avoid", back),
                ("Remove a date", ""),
            ],
        ),
        do=delete,
    )
