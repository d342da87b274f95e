"""Meetings: inviting by role, and replying."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from sli_portal.confirm import Confirmation, confirm_or_do, flash_outcome
from sli_portal.forms import add_validation_error
from sli_portal.templatetags.govuk import plural

from ..forms import InviteByRoleForm, MeetingResponseForm
from ..selectors import confirmations as meeting_selectors
from ..selectors.meetings import my_invitation
from ..services import meetings as meeting_services
from ._common import event_for, managed_event


@login_required
def meeting_invite(request, pk):
    """GET (the event page's form, ?role=...): "Are you sure?" with how many are emailed.
    POST: invite them."""
    event = managed_event(request, pk, programme=False)
    form = InviteByRoleForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, "Choose who to invite.")
        return redirect(event)
    role = form.cleaned_data["role"]
    who = dict(form.fields["role"].choices)[role]

    def invite():
        flash_outcome(
            request,
            lambda: meeting_services.meeting_invite(actor=request.user, event=event, role=role),
            lambda count: f"{plural(count, 'person,people')} invited; each will get an email.",
        )
        return redirect(event)

    def page() -> Confirmation:
        count = meeting_selectors.meeting_invite_preview(event=event, role=role)
        people = plural(count, "person,people")
        return Confirmation(
            question=f"Are you sure you want to invite everyone in the region who is {who}?",
            caption=event.title,
            consequences=[
                f"{people} {'is' if count == 1 else 'are'} added to the invitations and asked "
                "to reply.",
                "People already invited are not invited again.",
            ],
            notified=[f"The {people} invited, by email"] if count else [],
            irreversible="You cannot take the invitations back once they are emailed.",
            confirm_label="Yes, send the invitations",
            cancel_url=event.get_absolute_url(),
            hidden={"role": role},
            crumbs=[
                ("Events", reverse("events:event_list")),
                (event.title, event.get_absolute_url()),
                ("Invite", ""),
            ],
        )

    return confirm_or_do(request, page=page, do=invite)


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
