"""Helpers shared by the peer challenge services (private: not services themselves)."""

from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model

from accounts.models import User
from sli_portal.access import System, user_of

M = TypeVar("M", bound=Model)

MAX_TEXT = 10_000
REPORT_MAX_BYTES = 10 * 1024 * 1024
ZIP = (b"PK\x03\x04",)
REPORT_SIGNATURES = {".pdf": (b"%PDF",), ".docx": ZIP, ".odt": ZIP}
EVIDENCE_SIGNATURES = {**REPORT_SIGNATURES, ".xlsx": ZIP, ".pptx": ZIP, ".ods": ZIP}


def _locked(model: type[M], pk: int) -> M:
    return model._default_manager.select_for_update().get(pk=pk)


def _person(actor: User | System) -> User:
    """The user to record as having done it: these steps are taken by a person."""
    user = user_of(actor)
    if user is None:
        raise PermissionDenied("This is done by a person, not by the portal itself.")
    return user


def _check_upload(upload: UploadedFile, *, field: str, signatures: dict) -> None:
    """Refuse a file by its name, size and first bytes, naming the file and what is wrong."""
    name = (upload.name or "").lower()
    suffix = name[name.rfind(".") :] if "." in name else ""
    if suffix not in signatures:
        kinds = ", ".join(s[1:].upper() for s in signatures)
        raise ValidationError({field: f"{upload.name}: upload one of {kinds}."})
    if (upload.size or 0) > REPORT_MAX_BYTES:
        raise ValidationError({field: f"{upload.name} is over 10 MB."})
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in signatures[suffix]):
        raise ValidationError({field: f"{upload.name} is not a real {suffix[1:].upper()} file."})
