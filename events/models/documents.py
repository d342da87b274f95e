"""Papers attached to an event."""

import uuid

from django.conf import settings
from django.db import models

from .events import Event


def _document_path(instance, filename):
    return f"events/{instance.event_id}/{uuid.uuid4().hex}/{filename}"


class EventDocument(models.Model):
    """A paper for the event (agenda, slides, minutes), downloaded through a permission check."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=_document_path, max_length=300)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.title
