"""Workshops: allocating ranked choices, the check-in list, checking in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from sli_portal import access

from ..models import Session, WorkshopChoice
from ..selectors import workshops as workshop_selectors
from ..services import workshops as workshop_services
from ._common import MANAGE, VIEW, managed_event


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
