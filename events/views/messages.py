"""Writing to everyone at an event: compose, confirm (who it will go to), send, and the log of
what was sent to whom."""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from sli_portal.forms import GovukForm, add_validation_error

from ..models import Audience, EventKind, Message
from ..selectors import messages as message_selectors
from ..services import messages as message_services
from ._common import managed_event


class MessageForm(GovukForm):
    audience = forms.ChoiceField(
        label="Who to write to",
        choices=Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who to write to."},
    )
    subject = forms.CharField(
        label="Subject", max_length=150, error_messages={"required": "Enter a subject."}
    )
    body = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=message_services.MAX_BODY,
        error_messages={"required": "Enter the message."},
    )
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)


@login_required
def message_list(request, pk):
    event = managed_event(request, pk, programme=False)
    context = {"event": event, "sent": message_selectors.messages_for_event(event=event)}
    return render(request, "events/message_list.html", context)


@login_required
def message_compose(request, pk):
    event = managed_event(request, pk, programme=False)
    meeting = event.kind == EventKind.STEERING_GROUP
    default = Audience.INVITEES if meeting else Audience.DELEGATES
    form = MessageForm(request.POST or None, initial={"audience": default})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people = message_selectors.audience_of(event=event, audience=data["audience"])
        if "confirm" not in request.POST:
            if not people:
                form.add_error("audience", "Nobody to write to: nobody is in this group yet.")
            else:
                token = data["token"] or uuid.uuid4()
                context = {
                    "event": event,
                    "form": form,
                    "people": people,
                    "token": token,
                    "audience_label": Audience(data["audience"]).label,
                }
                return render(request, "events/message_confirm.html", context)
        else:
            try:
                message = message_services.message_send(
                    actor=request.user,
                    event=event,
                    audience=data["audience"],
                    subject=data["subject"],
                    body=data["body"],
                    token=data["token"] or uuid.uuid4(),
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                count = message.recipients.count()
                messages.success(
                    request,
                    f"Sent “{message.subject}” to {count} {'person' if count == 1 else 'people'}.",
                )
                return redirect("events:message_detail", pk=event.pk, message_pk=message.pk)
    return render(request, "events/message_compose.html", {"event": event, "form": form})


@login_required
def message_detail(request, pk, message_pk):
    event = managed_event(request, pk, programme=False)
    message = get_object_or_404(
        Message.objects.select_related("sent_by"), event=event, pk=message_pk
    )
    context = {
        "event": event,
        "message": message,
        "recipients": message_selectors.message_recipients(message=message),
    }
    return render(request, "events/message_detail.html", context)
