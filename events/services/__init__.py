"""Writes for events (services write, selectors read). Import from here: `services.<name>`."""

from ._common import start_key
from .delegates import (
    delegate_cancel,
    delegate_check_in,
    delegate_needs_erase,
    delegate_register,
    delegate_register_self,
    delegate_substitute,
    delegate_update,
    self_registration_la,
)
from .documents import DOCUMENT_TYPES, document_add, document_delete
from .events import (
    EVENT_EDITABLE_FIELDS,
    event_cancel,
    event_create,
    event_update,
    external_date_add,
    external_date_delete,
    session_create,
    session_delete,
)
from .feedback import (
    FEEDBACK_WINDOW,
    delegate_from_feedback_token,
    feedback_requests_record,
    feedback_submit,
    feedback_token,
)
from .meetings import invitee_respond, meeting_expected_count, meeting_invite, quorum_check
from .notices import (
    notice_send,
    reminder_offsets,
    reminders_record_due,
    send_due_reminders,
    unsent_notice_ids,
)
from .places import (
    allocation_set,
    place_request,
    place_request_withdraw,
    pool_release,
    pools_release_due,
)
from .sweep import events_sweep
from .workshops import workshop_allocate, workshop_check_in

__all__ = [
    "DOCUMENT_TYPES",
    "EVENT_EDITABLE_FIELDS",
    "FEEDBACK_WINDOW",
    "allocation_set",
    "delegate_cancel",
    "delegate_check_in",
    "delegate_from_feedback_token",
    "delegate_needs_erase",
    "delegate_register",
    "delegate_register_self",
    "delegate_substitute",
    "delegate_update",
    "document_add",
    "document_delete",
    "event_cancel",
    "event_create",
    "event_update",
    "events_sweep",
    "external_date_add",
    "external_date_delete",
    "feedback_requests_record",
    "feedback_submit",
    "feedback_token",
    "invitee_respond",
    "meeting_expected_count",
    "meeting_invite",
    "notice_send",
    "place_request",
    "place_request_withdraw",
    "pool_release",
    "pools_release_due",
    "quorum_check",
    "reminder_offsets",
    "reminders_record_due",
    "self_registration_la",
    "send_due_reminders",
    "session_create",
    "session_delete",
    "start_key",
    "unsent_notice_ids",
    "workshop_allocate",
    "workshop_check_in",
]
