"""Papers attached to an event."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from sli_portal import access
from sli_portal.confirm import Confirmation, confirm_or_do
from sli_portal.forms import add_validation_error

from ..forms import DocumentForm
from ..models import EventDocument
from ..services import documents as document_services
from ._common import MANAGE, VIEW, managed_event


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
def document_delete(request, pk):
    """GET: "Are you sure?" (the file is deleted for everyone). POST: remove it."""
    document = _document_for(request, pk, act=MANAGE)
    event = document.event

    def delete():
        document_services.document_delete(actor=request.user, document=document)
        messages.success(request, f"“{document.title}” removed.")
        return redirect(event)

    return confirm_or_do(
        request,
        page=lambda: Confirmation(
            question=f"Are you sure you want to remove “{document.title}”?",
            caption=event.title,
            consequences=[
                "The file is deleted: nobody can download it from the event page any more.",
            ],
            irreversible="You cannot undo this: to put it back, add the file again.",
            confirm_label="Yes, remove the document",
            cancel_url=event.get_absolute_url(),
            crumbs=[
                ("Events", reverse("events:event_list")),
                (event.title, event.get_absolute_url()),
                ("Remove a document", ""),
            ],
        ),
        do=delete,
    )
