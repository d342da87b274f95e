"""Registering, changing, substituting, cancelling and checking in delegates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from regions.models import LocalAuthority
from sli_portal.forms import add_validation_error

from .. import selectors, services
from ..forms import (
    DelegateEditForm,
    DelegateForm,
    SelfRegistrationForm,
    SubstituteForm,
)
from ._common import _delegate_or_404, _event_or_404


@login_required
def delegate_create(request, pk, la_slug):
    event = _event_or_404(request, pk)
    la = get_object_or_404(LocalAuthority, slug=la_slug, region_id=event.region_id)
    if not request.user.has_perm("events.register_for_la", la):
        raise PermissionDenied
    workshops = selectors.workshops_of(event)
    form = DelegateForm(request.POST or None, event=event, workshops=workshops)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                delegate = services.delegate_register(
                    actor=request.user,
                    event=event,
                    local_authority=la,
                    full_name=data["full_name"],
                    email=data["email"],
                    job_title=data["job_title"],
                    dietary_needs=data["dietary_needs"],
                    access_needs=data["access_needs"],
                    workshops=form.chosen_workshops(),
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(
                    request,
                    f"{delegate.full_name} is registered for {event.title}. "
                    "A confirmation email is on its way.",
                )
                return redirect(event)
        status = 400
    places = selectors.la_places(event=event, la=la)
    context = {"event": event, "la": la, "form": form, "places": places}
    return render(request, "events/delegate_form.html", context, status=status)


@login_required
def register_self(request, pk):
    event = _event_or_404(request, pk)
    la = (
        services.self_registration_la(request.user, event)
        if event.members_may_self_register
        else None
    )
    if la is None:
        raise PermissionDenied
    form = SelfRegistrationForm(
        request.POST or None,
        event=event,
        workshops=selectors.workshops_of(event),
        initial={"job_title": request.user.job_title},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.delegate_register_self(
                    actor=request.user,
                    event=event,
                    job_title=data["job_title"],
                    dietary_needs=data["dietary_needs"],
                    access_needs=data["access_needs"],
                    workshops=form.chosen_workshops(),
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, f"You are registered for {event.title}.")
                return redirect(event)
        status = 400
    context = {"event": event, "la": la, "form": form}
    return render(request, "events/register_self.html", context, status=status)


@login_required
def delegate_edit(request, pk):
    delegate = _delegate_or_404(request, pk)
    event = delegate.event
    form = DelegateEditForm(
        request.POST or None,
        event=event,
        workshops=selectors.workshops_of(event),
        delegate=delegate,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.delegate_update(
                actor=request.user,
                delegate=delegate,
                job_title=data["job_title"],
                workshops=form.chosen_workshops() if form.has_workshops else None,
                dietary_needs=data["dietary_needs"] or None,
                access_needs=data["access_needs"] or None,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{delegate.full_name}'s details have been saved.")
            return redirect(event)
    context = {"delegate": delegate, "event": event, "form": form}
    return render(request, "events/delegate_edit.html", context, status=400 if form.errors else 200)


@login_required
def delegate_substitute(request, pk):
    delegate = _delegate_or_404(request, pk)
    previous = delegate.full_name
    form = SubstituteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            delegate = services.delegate_substitute(
                actor=request.user, delegate=delegate, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request,
                f"{delegate.full_name} now has {previous}'s place. Both have been emailed.",
            )
            return redirect(delegate.event)
    context = {"delegate": delegate, "event": delegate.event, "form": form}
    return render(
        request, "events/delegate_substitute.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def delegate_cancel(request, pk):
    delegate = _delegate_or_404(request, pk)
    try:
        services.delegate_cancel(actor=request.user, delegate=delegate)
        messages.success(request, f"{delegate.full_name}'s place has been cancelled.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(delegate.event)


@login_required
@require_POST
def delegate_check_in(request, pk):
    delegate = _delegate_or_404(request, pk)
    if not request.user.has_perm("events.manage_event", delegate.event):
        raise PermissionDenied
    attended = request.POST.get("attended", "1") == "1"
    try:
        services.delegate_check_in(actor=request.user, delegate=delegate, attended=attended)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"{delegate.full_name} {'checked in' if attended else 'marked as not attended'}.",
        )
    return redirect("events:registrations", pk=delegate.event_id)


@login_required
@require_POST
def place_request(request, pk, la_slug):
    event = _event_or_404(request, pk)
    la = get_object_or_404(LocalAuthority, slug=la_slug, region_id=event.region_id)
    if not request.user.has_perm("events.register_for_la", la):
        raise PermissionDenied
    try:
        place = services.place_request(actor=request.user, event=event, local_authority=la)
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
    from ..models import PlaceRequest

    place = get_object_or_404(
        PlaceRequest.objects.select_related("event", "local_authority"), pk=pk
    )
    event = _event_or_404(request, place.event_id)
    if not request.user.has_perm("events.register_for_la", place.local_authority):
        raise PermissionDenied
    try:
        services.place_request_withdraw(actor=request.user, place_request=place)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{place.local_authority.name} is off the waiting list.")
    return redirect(event)
