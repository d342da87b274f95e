"""Reminders to an LA's performance leads while its quarterly return is not in: one email per
LA, quarter and occasion, sent through the portal's outbox."""

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse

from regions.models import LocalAuthority, Membership, Role
from sli_portal.outbox import OutboxEmail, OutboxMessage

from .periods import Period, ReturnWindow
from .returns import Return, Source, Status

# A chase is owed only while the return is still open (not started counts as open).
OPEN_STATUSES = (Status.DRAFT,)


class ChaseOccasion(models.TextChoices):
    BEFORE_DUE = "before_due", "Reminder before the due date"
    AFTER_DUE = "after_due", "Chase after the due date"


class ChaseEmail(OutboxMessage):
    """One reminder per LA, quarter and occasion: the unique row makes sending idempotent."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    occasion = models.CharField(max_length=10, choices=ChaseOccasion.choices)
    recipients = models.TextField(blank=True, help_text="Addresses it went to, one per line.")

    class Meta(OutboxMessage.Meta):
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "period", "occasion"], name="chase_once_per_occasion"
            )
        ]
        # The outbox's own index, named within Django's 30 characters (its default name,
        # benchmarking_chaseemail_pending, is one too long).
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(status="pending"), name="chase_pending_idx"
            )
        ]

    def __str__(self):
        return f"{self.get_occasion_display()}: {self.local_authority} {self.period}"

    @classmethod
    def outbox_queryset(cls) -> models.QuerySet:
        return cls._default_manager.select_related("local_authority__region", "period")

    def _return(self) -> Return | None:
        return Return.objects.filter(
            local_authority=self.local_authority, period=self.period, source=Source.RETURN
        ).first()

    def outbox_stale_reason(self, now: datetime) -> str:
        ret = self._return()
        if ret is not None and ret.status not in OPEN_STATUSES:
            return f"The return is {ret.get_status_display().lower()} already."
        return ""

    def outbox_email(self) -> OutboxEmail:
        """To the LA's performance leads (kept in `recipients`, as sent)."""
        la = self.local_authority
        to = sorted(
            Membership.objects.filter(local_authority=la, role=Role.PERFORMANCE_LEAD).values_list(
                "user__email", flat=True
            )
        )
        self.recipients = "\n".join(to)
        type(self)._default_manager.filter(pk=self.pk).update(recipients=self.recipients)
        window = ReturnWindow.objects.filter(region=la.region, period=self.period).first()
        path = reverse(
            "benchmarking:return_detail",
            kwargs={"la_slug": la.slug, "period_slug": self.period.slug},
        )
        context = {
            "chase": self,
            "la": la,
            "period": self.period,
            "window": window,
            "ret": self._return(),
            "overdue": self.occasion == ChaseOccasion.AFTER_DUE,
            "return_path": path,
        }
        return OutboxEmail("return_chase", to, context)
