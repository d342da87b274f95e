"""Specialist regional groups and their annual accounts against the plan's priorities."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from sli_portal.reversing import cached_reverse

from .plans import Priority, financial_year_label


class AccountableBody(models.TextChoices):
    STEERING_GROUP = "steering_group", "SLI steering group"
    ADCS_BRANCH = "adcs_branch", "ADCS branch"


class RegionalGroup(models.Model):
    """A specialist regional group (performance leads, principal social workers, ...)."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="regional_groups"
    )
    name = models.CharField(max_length=150)
    remit = models.TextField(blank=True)
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sponsored_groups",
        help_text="An assistant director who sponsors the group.",
    )
    accountable_to = models.CharField(max_length=20, choices=AccountableBody.choices)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="regional_groups"
    )
    priorities = models.ManyToManyField(
        Priority, blank=True, related_name="supporting_groups", verbose_name="priorities supported"
    )
    # Kept by a database trigger (search).
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["region", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="group_name_unique_in_region")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_reverse("regions:group_detail", pk=self.pk)


class GroupAnnualAccount(models.Model):
    """A group's yearly account of how its work advanced the plan priorities it supports."""

    group = models.ForeignKey(RegionalGroup, on_delete=models.CASCADE, related_name="accounts")
    year = models.PositiveSmallIntegerField(help_text="Financial year the account covers.")
    summary = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["group", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["group", "year"], name="group_account_once_a_year")
        ]

    def __str__(self):
        return f"{self.group} {financial_year_label(self.year)}"

    @property
    def region_id(self) -> int:
        return self.group.region_id

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)


class GroupAccountEntry(models.Model):
    account = models.ForeignKey(
        GroupAnnualAccount, on_delete=models.CASCADE, related_name="entries"
    )
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="group_entries")
    narrative = models.TextField()

    class Meta:
        ordering = ["account", "priority__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "priority"], name="group_account_entry_once_per_priority"
            )
        ]

    def __str__(self):
        return f"{self.account}: priority {self.priority_id}"

    @property
    def region_id(self) -> int:
        return self.account.group.region_id
