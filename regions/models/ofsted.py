"""Ofsted's inspections of local authority children's services (ILACS) and their judgements."""

from django.db import models
from simple_history.models import HistoricalRecords

from .geography import LocalAuthority


class Judgement(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement to be good"
    INADEQUATE = "inadequate", "Inadequate"


# The sub-judgements in Ofsted's column order (field, Ofsted's heading)
SUB_JUDGEMENTS = [
    ("leaders", "The impact of leaders on social work practice with children and families"),
    (
        "help_and_protection",
        "The experiences and progress of children who need help and protection",
    ),
    ("children_in_care", "The experiences and progress of children in care"),
    ("care_leavers", "The experiences and progress of care leavers"),
]


class OfstedInspection(models.Model):
    """One ILACS short or standard inspection of an LA, from Ofsted's official statistics
    ("Local authority inspection outcomes", OGL v3). Each inspection is kept: an LA's latest is
    its current judgement, the earlier ones its history; a newer file adds inspections and
    corrects changed ones (``history`` keeps what a re-import changed)."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="ofsted_inspections"
    )
    inspection_date = models.DateField()
    publication_date = models.DateField(null=True, blank=True)
    inspection_type = models.CharField(max_length=100, blank=True)
    overall_effectiveness = models.CharField(max_length=20, choices=Judgement.choices)
    leaders = models.CharField(max_length=20, choices=Judgement.choices, blank=True)
    help_and_protection = models.CharField(max_length=20, choices=Judgement.choices, blank=True)
    children_in_care = models.CharField(max_length=20, choices=Judgement.choices, blank=True)
    # introduced 1 January 2023: blank for earlier inspections
    care_leavers = models.CharField(max_length=20, choices=Judgement.choices, blank=True)
    source_file = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["local_authority__name", "-inspection_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "inspection_date"], name="ofsted_one_per_la_date"
            )
        ]

    def __str__(self):
        return f"{self.local_authority} {self.inspection_date}: {self.get_overall_effectiveness_display()}"

    @property
    def sub_judgements(self) -> list[tuple[str, str]]:
        """(Ofsted's heading, judgement shown) for each sub-judgement, in Ofsted's order."""
        return [
            (heading, getattr(self, f"get_{field}_display")() or "Not judged (before 2023)")
            for field, heading in SUB_JUDGEMENTS
        ]
