"""Quarterly returns after upload: comments on flagged values, and the status changes
draft -> submitted -> approved -> locked, and back to draft on reopening."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from sli_portal.access import System, require, user_of

from .. import signals
from ..models import Return, Source, Status, Value
from ..selectors.returns import dcs_approval_required, return_missing


def _locked_return(return_id: int) -> Return:
    return (
        Return.objects.select_for_update()
        .select_related("local_authority__region", "period")
        .get(pk=return_id, source=Source.RETURN)
    )


def _save_status(ret: Return, actor: User | System, reason: str, fields: list[str]) -> None:
    ret._history_user = user_of(actor)  # type: ignore[attr-defined]
    ret._change_reason = reason  # type: ignore[attr-defined]
    ret.save(update_fields=[*fields, "status", "updated_at"])


@transaction.atomic
def value_comment(*, actor: User | System, value_id: int, comment: str) -> Value:
    value = Value.objects.select_related("indicator").get(pk=value_id)
    ret = _locked_return(value.return_obj_id)
    require(actor, "benchmarking.edit_return", ret)
    comment = comment.strip()
    if not comment:
        raise ValidationError("Write a comment explaining the value.")
    if ret.status != Status.DRAFT:
        raise ValidationError(
            f"The return is {ret.get_status_display().lower()}; it cannot change."
        )
    value.comment = comment[:5000]
    value.updated_by = user_of(actor)
    value._history_user = user_of(actor)  # type: ignore[attr-defined]
    value._change_reason = "Comment added"  # type: ignore[attr-defined]
    value.save(update_fields=["comment", "updated_by", "updated_at"])
    return value


@transaction.atomic
def return_submit(*, actor: User | System, return_id: int) -> Return:
    ret = _locked_return(return_id)
    require(actor, "benchmarking.edit_return", ret)
    if ret.status != Status.DRAFT:
        raise ValidationError(
            f"This return is already {ret.get_status_display().lower()}; it cannot be "
            "submitted again."
        )
    missing = return_missing(ret)
    if missing:
        raise ValidationError(
            "Enter or upload a value (or a suppression code) for every indicator before "
            "submitting; missing: " + ", ".join(missing)
        )
    uncommented = list(
        ret.values.filter(comment="").exclude(warning="").values_list("indicator__code", flat=True)
    )
    if uncommented:
        raise ValidationError(
            "Explain each value flagged as unusual before submitting: " + ", ".join(uncommented)
        )
    ret.status = Status.SUBMITTED
    ret.submitted_at = timezone.now()
    ret.submitted_by = user_of(actor)
    _save_status(ret, actor, "Submitted", ["submitted_at", "submitted_by"])
    signals.return_submitted.send(sender=Return, return_obj=ret, actor=actor)
    return ret


@transaction.atomic
def return_approve(*, actor: User | System, return_id: int) -> Return:
    """Approve a submitted return: the rest of its region may now see it. Sends
    ``return_approved`` once saved (reports rebuild on it)."""
    ret = _locked_return(return_id)
    require(actor, "benchmarking.approve_return", ret)
    if ret.status != Status.SUBMITTED:
        raise ValidationError(
            "Only a submitted return can be approved; this one is "
            f"{ret.get_status_display().lower()}."
        )
    if ret.la_approved_at is None and dcs_approval_required(ret.local_authority.region_id):
        raise ValidationError(
            f"{ret.local_authority.name}'s DCS must approve the return before the region does."
        )
    ret.status = Status.APPROVED
    ret.approved_at = timezone.now()
    ret.approved_by = user_of(actor)
    _save_status(ret, actor, "Approved", ["approved_at", "approved_by"])
    signals.return_approved.send(sender=Return, return_obj=ret, actor=actor)
    return ret


@transaction.atomic
def return_lock(*, actor: User | System, return_id: int, reason: str = "Locked") -> Return:
    ret = _locked_return(return_id)
    require(actor, "benchmarking.approve_return", ret)
    if ret.status != Status.APPROVED:
        raise ValidationError("Only an approved return can be locked.")
    ret.status = Status.LOCKED
    ret.locked_at = timezone.now()
    _save_status(ret, actor, reason, ["locked_at"])
    return ret


@transaction.atomic
def return_reopen(*, actor: User | System, return_id: int, reason: str) -> Return:
    """Back to draft, with a reason. Sends ``return_reopened`` once saved."""
    ret = _locked_return(return_id)
    require(actor, "benchmarking.reopen_return", ret)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give a reason for reopening the return.")
    if ret.status == Status.DRAFT:
        raise ValidationError("This return is already open (draft).")
    ret.status = Status.DRAFT
    ret.approved_at = None
    ret.approved_by = None
    ret.locked_at = None
    ret.la_approved_at = None
    ret.la_approved_by = None
    _save_status(
        ret,
        actor,
        f"Reopened: {reason}"[:100],
        ["approved_at", "approved_by", "locked_at", "la_approved_at", "la_approved_by"],
    )
    signals.return_reopened.send(sender=Return, return_obj=ret, actor=actor, reason=reason)
    return ret


def returns_lock_due(*, actor: User | System, today: datetime.date | None = None) -> int:
    """Lock approved returns whose window's lock date has passed (a daily job)."""
    require(actor, "benchmarking.run_jobs")
    today = today or timezone.localdate()
    ids = list(
        Return.objects.filter(
            source=Source.RETURN,
            status=Status.APPROVED,
            period__windows__region=F("local_authority__region"),
            period__windows__locks_on__lt=today,
        ).values_list("pk", flat=True)
    )
    with transaction.atomic():
        for return_id in ids:
            return_lock(actor=actor, return_id=return_id, reason="Locked at the window's lock date")
    return len(ids)
