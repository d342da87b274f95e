"""Papers attached to an event."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import User
from sli_portal.access import System, require, user_of

from ..models.documents import EventDocument
from ..models.events import Event

DOCUMENT_TYPES: dict[str, tuple[bytes, ...] | None] = {
    "pdf": (b"%PDF",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "odp": (b"PK\x03\x04",),
    "csv": None,
    "txt": None,
}


@transaction.atomic
def document_add(
    *, actor: User | System, event: Event, title: str, upload: UploadedFile
) -> EventDocument:
    """Attach a paper. Only office documents, PDF and plain text, up to
    EVENTS_DOCUMENT_MAX_BYTES, whose content matches their extension."""
    require(actor, "events.manage_event", event)
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in DOCUMENT_TYPES:
        raise ValidationError(
            {
                "upload": f"“{name}” is not a file type the portal keeps. Upload a PDF, Word, "
                "Excel, PowerPoint, OpenDocument, CSV or text file."
            }
        )
    limit = settings.EVENTS_DOCUMENT_MAX_BYTES
    size = upload.size or 0
    if size > limit:
        raise ValidationError(
            {
                "upload": f"“{name}” is {size / 1_048_576:.1f} MB; the limit is "
                f"{limit / 1_048_576:.0f} MB."
            }
        )
    if size == 0:
        raise ValidationError({"upload": f"“{name}” is empty."})
    head = upload.read(2048)
    upload.seek(0)
    signatures = DOCUMENT_TYPES[extension]
    if signatures is None:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start < len(head) - 4:  # not merely a character cut at the 2 KB boundary
                raise ValidationError(
                    {"upload": f"“{name}” is not a text file (it is not UTF-8 text)."}
                ) from None
    elif not head.startswith(signatures):
        raise ValidationError(
            {"upload": f"“{name}” is not really a .{extension} file: its content does not match."}
        )
    return EventDocument.objects.create(
        event=event,
        title=(title or "").strip() or name,
        file=upload,
        size=size,
        uploaded_by=user_of(actor),
    )


@transaction.atomic
def document_delete(*, actor: User | System, document: EventDocument) -> None:
    require(actor, "events.manage_event", document.event)
    document.file.delete(save=False)
    document.delete()
