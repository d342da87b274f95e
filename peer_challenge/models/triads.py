"""Triads (the groups an annual cycle's LAs challenge each other in) and pairing rules."""

from django.db import models
from django.db.models import F, Q

from regions.models import LocalAuthority

from .cycles import Cycle


class Triad(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="triads")
    number = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["cycle", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="peer_triad_number")
        ]

    def __str__(self):
        return f"Triad {self.number}"


class TriadMember(models.Model):
    triad = models.ForeignKey(Triad, on_delete=models.CASCADE, related_name="members")
    # Denormalised so that the database keeps each LA in one triad per cycle.
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="triad_members")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT)

    class Meta:
        ordering = ["triad", "local_authority__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "local_authority"], name="peer_one_triad_per_la_per_cycle"
            )
        ]

    def __str__(self):
        return f"{self.local_authority_id} in triad {self.triad_id}"


class ConstraintKind(models.TextChoices):
    KEEP_APART = "apart", "Keep apart"
    KEEP_TOGETHER = "together", "Keep together"


class PairingConstraint(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="pairing_constraints")
    kind = models.CharField(max_length=10, choices=ConstraintKind.choices)
    first = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(first__lt=F("second")), name="peer_constraint_ordered_pair"
            ),
            models.UniqueConstraint(
                fields=["cycle", "first", "second"], name="peer_constraint_once_per_pair"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.first_id} and {self.second_id}"
