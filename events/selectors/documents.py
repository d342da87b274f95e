"""Papers attached to an event."""

from ..models.documents import EventDocument
from ..models.events import Event


def event_documents(*, event: Event) -> list[EventDocument]:
    return list(EventDocument.objects.filter(event=event).order_by("uploaded_at", "pk"))
