"""Meetings: inviting by role, and replying."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sli_portal.forms import add_validation_error

from ..forms import InviteByRoleForm, MeetingResponseForm
from ..selectors.meetings import my_invitation
from ..services import meetings as meeting_services
from ._common import event_for, managed_event


@login_required
@require_POST
def meeting_invite(request, pk):
    event = managed_event(request, pk)
    form = InviteByRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose who to invite.")
        return redirect(event)
    try:
        count = meeting_services.meeting_invite(
            actor=request.user, event=event, role=form.cleaned_data["role"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{count} people invited; each will get an email.")
    return redirect(event)


@login_required
def meeting_respond(request, pk):
    event = event_for(request, pk, act="events.respond_to_meeting")
    invitation = my_invitation(user=request.user, event=event)
    form = MeetingResponseForm(
        request.POST or None,
        initial={
            "response": invitation.response if invitation.response != "invited" else None,
            "deputy_name": invitation.deputy_name,
            "deputy_email": invitation.deputy_email,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting_services.invitee_respond(
                actor=request.user,
                event=event,
                attending=data["response"] == "attending",
                deputy_name=data["deputy_name"],
                deputy_email=data["deputy_email"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Thank you: your reply has been recorded.")
            return redirect(event)
    return render(
        request,
        "events/meeting_respond.html",
        {"event": event, "form": form},
        status=400 if form.errors else 200,
    )
