"""Registering, changing, substituting, cancelling and checking in delegates."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from regions.models import LocalAuthority
from sli_portal import access
from sli_portal.confirm import Confirmation, confirm_or_do, flash_outcome
from sli_portal.forms import add_validation_error

from ..forms import (
    ColleaguesForm,
    DelegateEditForm,
    DelegateForm,
    SelfRegistrationForm,
    SubstituteForm,
)
from ..selectors.events import workshops_of
from ..selectors.registrations import la_colleagues, la_places, self_registration_la
from ..services import delegates as delegate_services
from ._common import MANAGE, REGISTER, delegate_for, event_for


@login_required
def delegate_create(request, pk, la_slug):
    """Register the LA's people with a tick each, or someone else by name and email."""
    event = event_for(request, pk)
    la = get_object_or_404(LocalAuthority, slug=la_slug, region_id=event.region_id)
    access.require(request.user, REGISTER, la)
    places = la_places(event=event, la=la)
    colleagues_form = ColleaguesForm(
        request.POST if "colleagues" in request.POST else None,
        colleagues=la_colleagues(event=event, la=la),
        free=places.free,
    )
    form = DelegateForm(
        None if "colleagues" in request.POST else (request.POST or None),
        event=event,
        workshops=workshops_of(event),
    )
    if request.method == "POST":
        done = (
            _register_colleagues(request, event, la, colleagues_form)
            if "colleagues" in request.POST
            else _register_someone(request, event, la, form)
        )
        if done:
            return redirect(event)
    context = {"event": event, "la": la, "form": form, "places": places}
    context["colleagues_form"] = colleagues_form
    status = 400 if form.errors or colleagues_form.errors else 200
    return render(request, "events/delegate_form.html", context, status=status)


def _register_colleagues(request, event, la, form: ColleaguesForm) -> bool:
    if not form.is_valid():
        return False
    try:
        delegates = delegate_services.delegate_register_colleagues(
            actor=request.user,
            event=event,
            local_authority=la,
            users=list(form.cleaned_data["colleagues"]),
        )
    except ValidationError as error:
        form.add_error("colleagues", error.messages)
        return False
    names = ", ".join(d.full_name for d in delegates)
    messages.success(
        request, f"{names} {'is' if len(delegates) == 1 else 'are'} registered for {event.title}."
    )
    return True


def _register_someone(request, event, la, form: DelegateForm) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        delegate = delegate_services.delegate_register(
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
        return False
    messages.success(
        request,
        f"{delegate.full_name} is registered for {event.title}. "
        "A confirmation email is on its way.",
    )
    return True


@login_required
def register_self(request, pk):
    event = event_for(request, pk)
    la = self_registration_la(request.user, event) if event.members_may_self_register else None
    if la is None:
        raise PermissionDenied
    form = SelfRegistrationForm(
        request.POST or None,
        event=event,
        workshops=workshops_of(event),
        initial={"job_title": request.user.job_title},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                delegate_services.delegate_register_self(
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
    delegate = delegate_for(request, pk)
    event = delegate.event
    form = DelegateEditForm(
        request.POST or None,
        event=event,
        workshops=workshops_of(event),
        delegate=delegate,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            delegate_services.delegate_update(
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
    delegate = delegate_for(request, pk)
    form = SubstituteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            delegate = delegate_services.delegate_substitute(
                actor=request.user, delegate=delegate, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            # Name the person the place was taken from as the service saw them, under the lock
            # (another change may have landed between this page's load and the save).
            previous = delegate.substitutions.latest("pk").previous_name
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
def delegate_cancel(request, pk):
    """GET: "Are you sure?" (the place goes back to the LA, the delegate is told). POST: cancel."""
    delegate = delegate_for(request, pk)

    def cancel():
        flash_outcome(
            request,
            lambda: delegate_services.delegate_cancel(actor=request.user, delegate=delegate),
            # Named as the service saw them, under the lock (a substitution may have landed).
            lambda cancelled: (
                f"{cancelled.full_name}'s place has been cancelled. You can undo "
                "this until they are emailed."
            ),
        )
        return redirect(delegate.event)

    return confirm_or_do(request, page=lambda: _cancel_confirmation(delegate), do=cancel)


def _cancel_confirmation(delegate) -> Confirmation:
    event = delegate.event
    to = delegate.local_authority.name
    if event.pool_released_at:
        to += ", and from there to the regional pool"
    consequences = [f"The place goes back to {to}.", "Their workshop places are freed for others."]
    if not event.pool_released_at:
        consequences.append(
            f"Until the email is sent ({settings.EVENTS_UNDO_MINUTES} minutes after you confirm) "
            "you can undo this from the event page."
        )
    return Confirmation(
        question=f"Are you sure you want to cancel {delegate.full_name}'s place?",
        caption=event.title,
        consequences=consequences,
        notified=[
            f"{delegate.full_name} ({delegate.email}) will be emailed that their place is cancelled"
        ],
        confirm_label="Yes, cancel the place",
        cancel_url=event.get_absolute_url(),
        cancel_label="No, keep the place",
        crumbs=[
            ("Events", reverse("events:event_list")),
            (event.title, event.get_absolute_url()),
            ("Cancel a place", ""),
        ],
    )


@login_required
@require_POST
def delegate_cancel_undo(request, pk):
    delegate = delegate_for(request, pk)
    try:
        delegate = delegate_services.delegate_cancel_undo(actor=request.user, delegate=delegate)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{delegate.full_name} has their place back.")
    return redirect(delegate.event)


@login_required
@require_POST
def delegate_check_in(request, pk):
    delegate = delegate_for(request, pk)
    access.require(request.user, MANAGE, delegate.event)
    attended = request.POST.get("attended", "1") == "1"
    try:
        delegate_services.delegate_check_in(
            actor=request.user, delegate=delegate, attended=attended
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"{delegate.full_name} {'checked in' if attended else 'marked as not attended'}.",
        )
    return redirect("events:registrations", pk=delegate.event_id)
