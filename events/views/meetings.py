"""Meetings, the regional pool, feedback and documents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from sli_portal import access
from sli_portal.forms import add_validation_error

from ..forms import (
    DocumentForm,
    FeedbackForm,
    InviteByRoleForm,
    MeetingResponseForm,
)
from ..models import EventDocument
from ..selectors.feedback import delegate_from_feedback_token, feedback_summary
from ..selectors.meetings import my_invitation
from ..services import documents as document_services
from ..services import feedback as feedback_services
from ..services import meetings as meeting_services
from ..services import places as place_services
from ._common import MANAGE, VIEW, event_for, managed_event


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
def feedback_results(request, pk):
    event = managed_event(request, pk)
    context = {"event": event, "summary": feedback_summary(event=event)}
    return render(request, "events/feedback_results.html", context)


def feedback(request, token):
    """The link in the feedback email is the delegate's credential (they may have no account)."""
    delegate = delegate_from_feedback_token(token)
    if delegate is None:
        raise Http404("This feedback link is not valid.")
    form = FeedbackForm(request.POST or None)
    done = hasattr(delegate, "feedback")
    if request.method == "POST" and form.is_valid():
        try:
            # The signed link is the credential (the person may have no account): the portal
            # records the answers for the delegate it was sent to.
            feedback_services.feedback_submit(
                actor=access.SYSTEM, delegate=delegate, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            return render(request, "events/feedback_thanks.html", {"event": delegate.event})
    return render(
        request,
        "events/feedback_form.html",
        {"event": delegate.event, "delegate": delegate, "form": form, "done": done},
        status=400 if form.errors else 200,
    )


@login_required
def document_add(request, pk):
    event = managed_event(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = document_services.document_add(
                actor=request.user,
                event=event,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["upload"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"“{document.title}” added.")
            return redirect(event)
    return render(
        request,
        "events/document_form.html",
        {"event": event, "form": form},
        status=400 if form.errors else 200,
    )


def _document_for(request, pk, *, act: str | None = None) -> EventDocument:
    """A paper of an event the user sees (404 otherwise) and may `act` on (403 otherwise)."""
    document = get_object_or_404(EventDocument.objects.select_related("event__region"), pk=pk)
    access.require_visible(request.user, document.event, see=VIEW, act=act)
    return document


@login_required
def document_download(request, pk):
    document = _document_for(request, pk)
    filename = document.file.name.rsplit("/", 1)[-1]
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def document_delete(request, pk):
    document = _document_for(request, pk, act=MANAGE)
    document_services.document_delete(actor=request.user, document=document)
    messages.success(request, f"“{document.title}” removed.")
    return redirect(document.event)
