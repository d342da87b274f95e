"""One outbox for every email the portal owes someone.

An app keeps its own table (events' notices, peer challenge's notices, return chases,
invitations) as a subclass of `OutboxMessage`, with its recipient and occasion fields and a
unique constraint over them, and supplies only the rendering:

- `outbox_email()`: the template name under templates/emails/, the addresses and the context;
- `outbox_stale_reason(now)`: why the email no longer applies ("" while it does).

Everything else is here, once:

- `send_once(Model, key..., defaults=...)` records the row inside the caller's transaction (the
  unique key makes a second call, or a second worker, a no-op) and queues delivery after commit;
- `deliver(label, pk)` locks the row with SKIP LOCKED (so two workers never send it twice),
  re-checks that it still applies, sends it and marks it sent;
- `sweep()` delivers every row still pending, e.g. those recorded while the broker was down.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from celery import shared_task
from django.apps import apps
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from .emails import RenderedEmail, render_email
from .queueing import enqueue_on_commit

logger = logging.getLogger(__name__)

# Rows whose delivery task may still be on its way are left to it for this long by the sweep.
SWEEP_GRACE = timedelta(minutes=1)
# A claim older than this (its worker died mid-send) is taken again.
CLAIM_TIMEOUT = timedelta(minutes=10)
# After this many claims an email is given up and marked not sent, with the reason.
MAX_ATTEMPTS = 8


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "To send"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Not sent"


@dataclass(frozen=True)
class OutboxEmail:
    """What to send: `template` names templates/emails/<template>_{subject,body}.*"""

    template: str
    to: list[str]
    context: dict[str, Any] = field(default_factory=dict)
    reply_to: list[str] | None = None
    # Extra headers, e.g. List-Unsubscribe for a mailing (RFC 8058 one-click unsubscribe).
    headers: dict[str, str] | None = None


class OutboxMessage(models.Model):
    """One email owed to a recipient on an occasion. Subclasses add the recipient and occasion
    fields and a unique constraint over them, and implement `outbox_email`."""

    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    skipped_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(status="pending"),
                name="%(app_label)s_%(class)s_pending",
            )
        ]

    def outbox_email(self) -> OutboxEmail:
        raise NotImplementedError

    def outbox_stale_reason(self, now: datetime) -> str:
        """Why this email no longer applies (it is then skipped, not sent); "" while it does."""
        return ""

    def outbox_held(self, now: datetime) -> bool:
        """True while the email is held back (e.g. a grace period in which the action that
        recorded it can still be undone): it stays pending and a later sweep sends it."""
        return False

    @classmethod
    def outbox_held_q(cls, now: datetime) -> Q | None:
        """The rows `outbox_held` holds at `now`, as a filter the sweep leaves out (None: none)."""
        return None

    @classmethod
    def outbox_queryset(cls) -> models.QuerySet:
        """Rows as `deliver` reads them: override to add select_related for the rendering."""
        return cls._default_manager.all()


Row = TypeVar("Row", bound=OutboxMessage)


def outbox_models() -> list[type[OutboxMessage]]:
    return [m for m in apps.get_models() if issubclass(m, OutboxMessage)]


def queue_delivery(row: OutboxMessage) -> None:
    """Deliver this row once the current transaction commits (the sweep covers broker outages)."""
    enqueue_on_commit(deliver_task, row._meta.label, row.pk)


def send_once(
    model: type[Row], *, defaults: dict[str, Any] | None = None, **key: Any
) -> tuple[Row, bool]:
    """Record the email identified by `key` (its unique recipient + occasion fields) unless it is
    recorded already, and queue its delivery after commit. Returns (row, created)."""
    row, created = model._default_manager.get_or_create(defaults=defaults or {}, **key)
    if created:
        queue_delivery(row)
    return row, created


def record_many(model: type[Row], rows: list[Row], *, sweep_after_commit: bool = True) -> int:
    """Record many emails at once (rows already recorded are left alone) and, unless the caller
    sweeps the table itself straight after, queue one sweep of it after commit. Returns how
    many rows the batch offered."""
    if not rows:
        return 0
    model._default_manager.bulk_create(rows, ignore_conflicts=True)
    if sweep_after_commit:
        enqueue_on_commit(sweep_task, model._meta.label)
    return len(rows)


def requeue(row: OutboxMessage) -> None:
    """Send a row again (e.g. an invitation re-sent): back to pending, delivered after commit."""
    type(row)._default_manager.filter(pk=row.pk).update(
        status=OutboxStatus.PENDING, sent_at=None, skipped_reason=""
    )
    row.status, row.sent_at, row.skipped_reason = OutboxStatus.PENDING, None, ""
    queue_delivery(row)


def _claim(
    model: type[OutboxMessage], pk: int, at: datetime | None
) -> tuple[OutboxMessage, RenderedEmail] | None:
    """Take the row for this worker in its own committed transaction: status "sending", an
    attempt counted, the claim time stamped and the message rendered, all under the row lock."""
    with transaction.atomic():
        row = (
            model.outbox_queryset()
            .select_for_update(skip_locked=True, of=("self",))
            .filter(pk=pk)
            .first()
        )
        if row is None:
            return None
        now = at or timezone.now()  # taken under the lock, not before waiting for it
        claim_expired = row.claimed_at is not None and row.claimed_at <= now - CLAIM_TIMEOUT
        if not (
            row.status == OutboxStatus.PENDING
            or (row.status == OutboxStatus.SENDING and claim_expired)
        ):
            return None
        if row.outbox_held(now):
            return None  # still pending: the sweep sends it once the hold is over
        email = None
        reason = row.outbox_stale_reason(now)
        if not reason and row.attempts >= MAX_ATTEMPTS:
            reason = f"Not sent after {row.attempts} attempts."
        if not reason:
            email = row.outbox_email()
            reason = "" if email.to else "Nobody to send it to."
        if reason or email is None:
            row.status, row.skipped_reason = OutboxStatus.SKIPPED, reason[:200]
            row.save(update_fields=["status", "skipped_reason"])
            return None
        subject, text, html = render_email(email.template, email.context)
        row.status, row.claimed_at, row.attempts = OutboxStatus.SENDING, now, row.attempts + 1
        row.save(update_fields=["status", "claimed_at", "attempts"])
    return row, RenderedEmail(subject, text, html, email.to, email.reply_to, email.headers)


def deliver(label: str, pk: int, *, now: datetime | None = None) -> bool:
    """Send one recorded email unless it was sent already, another worker holds it, or it no
    longer applies. True if this call sent it.

    The row is claimed and committed before the email goes, and marked sent after, so a worker
    killed in between leaves a "sending" row that is claimed again only once CLAIM_TIMEOUT has
    passed. That is the one at-least-once edge SMTP leaves (the server may have accepted the
    email before the crash): at most one repeat per claim timeout, never a burst.
    """
    model: type[OutboxMessage] = apps.get_model(label)
    claimed = _claim(model, pk, now)
    if claimed is None:
        return False
    row, email = claimed
    mine = model._default_manager.filter(
        pk=pk, status=OutboxStatus.SENDING, claimed_at=row.claimed_at
    )
    try:
        email.send()
    except Exception:
        # Not sent: give the row back at once so the task's retry (or the sweep) sends it.
        mine.update(status=OutboxStatus.PENDING, claimed_at=None)
        raise
    mine.update(status=OutboxStatus.SENT, sent_at=now or timezone.now())
    return True


def pending_ids(
    model: type[OutboxMessage], *, older_than: datetime | None = None, now: datetime | None = None
) -> list[int]:
    """Rows still to send: pending (recorded before `older_than`) and not held, or claimed by a
    worker that has not finished within CLAIM_TIMEOUT."""
    now = now or timezone.now()
    waiting = Q(status=OutboxStatus.PENDING)
    if older_than is not None:
        waiting &= Q(created_at__lte=older_than)
    abandoned = Q(status=OutboxStatus.SENDING, claimed_at__lte=now - CLAIM_TIMEOUT)
    rows = model._default_manager.filter(waiting | abandoned)
    held = model.outbox_held_q(now)
    if held is not None:
        rows = rows.exclude(held)
    return list(rows.order_by("created_at", "pk").values_list("pk", flat=True))


def sweep(
    model: type[OutboxMessage] | None = None,
    *,
    now: datetime | None = None,
    grace: timedelta = timedelta(0),
) -> int:
    """Deliver every row still to send (of one table, or of all) recorded at least `grace` ago.
    Idempotent and safe beside running workers. Returns how many emails this call sent.
    `now` stands in for the clock (a sweep "as of" a moment, for staleness checks)."""
    sent = 0
    for table in [model] if model is not None else outbox_models():
        for pk in pending_ids(table, older_than=(now or timezone.now()) - grace, now=now):
            try:
                sent += deliver(table._meta.label, pk, now=now)
            except Exception:
                # One broken email (e.g. the mail server refused it) must not stop the rest.
                logger.exception("Outbox: %s %s not sent; it stays pending", table._meta.label, pk)
    return sent


@shared_task(
    name="sli_portal.outbox.deliver", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def deliver_task(label: str, pk: int) -> bool:
    return deliver(label, pk)


@shared_task(name="sli_portal.outbox.sweep")
def sweep_task(label: str | None = None) -> int:
    """Periodic (and after bulk recording): deliver every email still pending."""
    model = apps.get_model(label) if label else None
    return sweep(model, grace=timedelta(0) if label else SWEEP_GRACE)
