"""Events' models, split by noun; every model and choice is importable from here."""

from .delegates import Delegate, DelegateStatus, Substitution, WorkshopChoice
from .documents import EventDocument
from .documents import _document_path as _document_path  # named by migration 0001
from .events import Event, EventKind, EventStatus, ExternalDate, Session, Speaker, WorkshopMode
from .feedback import FeedbackResponse
from .guests import GuestDelegate, GuestPlace
from .meetings import Invitee, Response
from .messages import Audience, Message, MessageRecipient
from .notices import Notice, NoticeKind
from .places import Allocation, PlaceRequest, PlaceRequestStatus

__all__ = [
    "Allocation",
    "Audience",
    "Delegate",
    "DelegateStatus",
    "Event",
    "EventDocument",
    "EventKind",
    "EventStatus",
    "ExternalDate",
    "FeedbackResponse",
    "GuestDelegate",
    "GuestPlace",
    "Invitee",
    "Message",
    "MessageRecipient",
    "Notice",
    "NoticeKind",
    "PlaceRequest",
    "PlaceRequestStatus",
    "Response",
    "Session",
    "Speaker",
    "Substitution",
    "WorkshopChoice",
    "WorkshopMode",
]
