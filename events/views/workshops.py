"""Workshops: allocating ranked choices, the check-in list, checking in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sli_portal import access
from sli_portal.confirm import Confirmation, confirm_or_do, flash_outcome
from sli_portal.templatetags.govuk import plural

from ..models import Session, WorkshopChoice
from ..selectors import confirmations as confirmation_selectors
from ..selectors import workshops as workshop_selectors
from ..services import workshops as workshop_services
from ._common import MANAGE, VIEW, managed_event


@login_required
def workshop_allocate(request, pk):
    """GET: "Are you sure?" (who is placed, that it happens once). POST: allocate."""
    event = managed_event(request, pk, programme=False)
    back = reverse("events:registrations", kwargs={"pk": event.pk})

    def allocate():
        flash_outcome(
            request,
            lambda: workshop_services.workshop_allocate(actor=request.user, event=event),
            lambda result: (
                f"Workshops allocated: {result['allocated']} delegates placed, "
                f"{result['unplaced']} without a place in any workshop they chose."
            ),
        )
        return redirect(back)

    def page() -> Confirmation:
        preview = confirmation_selectors.workshop_allocate_preview(event=event)
        return Confirmation(
            question="Are you sure you want to allocate the workshops now?",
            caption=event.title,
            consequences=[
                f"{plural(preview.delegates, 'delegate,delegates')} who ranked workshops "
                f"{'is' if preview.delegates == 1 else 'are'} each given a place in the "
                f"highest-ranked of the {plural(preview.workshops, 'workshop,workshops')} "
                "that still has room, taking local authorities in turn.",
                "Delegates who get none of their choices are listed without a workshop.",
                "Delegates' choices can no longer change the allocation.",
            ],
            irreversible="Workshops are allocated once: you cannot run the allocation again.",
            confirm_label="Yes, allocate the workshops",
            cancel_url=back,
            crumbs=[
                ("Events", reverse("events:event_list")),
                (event.title, event.get_absolute_url()),
                ("Allocate workshops", ""),
            ],
        )

    return confirm_or_do(request, page=page, do=allocate)


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
