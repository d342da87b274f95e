"""Recording notifications (once per person, kind and occasion) and marking them read."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from accounts.models import User
from sli_portal import outbox
from sli_portal.access import System, require

from ..cache import refresh_unread_after_commit
from ..models import Delivery, Notification, NotificationPreference

_NOT_EMAILED: dict[str, str] = {
    Delivery.DAILY_DIGEST.value: "In the daily digest.",
    Delivery.INBOX_ONLY.value: "The person reads it in the inbox only.",
}


def _ids(recipients: Iterable[User | int | None]) -> list[int]:
    return sorted({r if isinstance(r, int) else r.pk for r in recipients if r is not None})


@transaction.atomic
def notify(
    *,
    actor: User | System,
    recipients: Iterable[User | int | None],
    kind: str,
    occasion: str,
    text: str,
    url: str = "",
    target: models.Model | None = None,
    exclude_actor: bool = True,
    email: bool = True,
) -> int:
    """Record one notification per active recipient for this kind and occasion, unless it is
    recorded already (a second call, or a second worker at the same moment, adds nothing: the
    unique constraint decides), and email it after commit to those who want it straight away.
    The acting person is not told about their own act. `email=False` when the sending app
    emails them itself (the inbox entry only). Returns how many people were offered it.
    """
    require(actor, "notifications.notify")
    if not kind or not occasion or not text:
        raise ValidationError("A notification needs a kind, an occasion and a text.")
    ids = _ids(recipients)
    if exclude_actor and isinstance(actor, User):
        ids = [pk for pk in ids if pk != actor.pk]
    people = User.objects.filter(pk__in=ids, is_active=True).values_list(
        "pk", "notification_preference__delivery"
    )
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    rows = []
    for pk, delivery in people:
        delivery = delivery or Delivery.IMMEDIATELY
        reason = _NOT_EMAILED.get(delivery, "") if email else "Emailed by its own app."
        rows.append(
            Notification(
                recipient_id=pk,
                kind=kind,
                occasion=occasion[:200],
                text=text[:300],
                url=url,
                target_type=target_type,
                target_id=target.pk if target is not None else None,
                delivery=delivery,
                status=outbox.OutboxStatus.SKIPPED if reason else outbox.OutboxStatus.PENDING,
                skipped_reason=reason,
            )
        )
    offered = outbox.record_many(Notification, rows)
    refresh_unread_after_commit(row.recipient_id for row in rows)
    return offered


@transaction.atomic
def notification_mark_read(*, actor: User | System, notification: Notification) -> Notification:
    require(actor, "notifications.change_notification", notification)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
        refresh_unread_after_commit([notification.recipient_id])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: User | System) -> int:
    """Mark every unread notification of the acting person read. Returns how many."""
    require(actor, "notifications.use_inbox")
    if not isinstance(actor, User):
        return 0
    marked = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    refresh_unread_after_commit([actor.pk])
    return marked


@transaction.atomic
def preference_set(*, actor: User | System, delivery: str) -> NotificationPreference:
    """How the acting person wants to be told from now on."""
    require(actor, "notifications.use_inbox")
    if not isinstance(actor, User):
        raise ValidationError("Only a person has preferences.")
    if delivery not in Delivery.values:
        raise ValidationError({"delivery": "Choose how you want to be told."})
    preference, _ = NotificationPreference.objects.update_or_create(
        user=actor, defaults={"delivery": delivery}
    )
    return preference
