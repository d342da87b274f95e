"""Geography: England's regions, their local authorities and statistical neighbours."""

import datetime

from django.db import models
from django.db.models import F, Q

from sli_portal.reversing import cached_reverse


class Region(models.Model):
    """One of England's nine regions (ONS E12 codes), each running its own SLI programme."""

    code = models.CharField("ONS code", max_length=9, unique=True)
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_reverse("regions:region_detail", slug=self.slug)


class LAType(models.TextChoices):
    # DfE/LAIT's types; London boroughs are split inner/outer as DfE reports them.
    SHIRE_COUNTY = "SC", "Shire county"
    UNITARY = "UA", "Unitary authority"
    METROPOLITAN = "MD", "Metropolitan district"
    INNER_LONDON = "ILB", "Inner London borough"
    OUTER_LONDON = "OLB", "Outer London borough"


class LocalAuthority(models.Model):
    """A local authority with children's services responsibilities (153 in England in 2025)."""

    # The DfE 3-digit number survives reorganisations that change the GSS code (Somerset
    # E10000027 -> E06000066), so it is the key the reference data loader matches on.
    dfe_code = models.CharField("DfE LA number", max_length=3, unique=True)
    gss_code = models.CharField("GSS code", max_length=9, unique=True)
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    la_type = models.CharField("type", max_length=3, choices=LAType.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="local_authorities")
    is_active = models.BooleanField(
        default=True, help_text="False once the LA no longer exists (e.g. after reorganisation)."
    )
    # An LA's life across reorganisations: predecessors (Cumbria, Northamptonshire, Bournemouth,
    # Poole, the old Dorset county) have an end date, their successors a start date. Published
    # figures are kept for the years an LA existed (see ``existed_in_year``).
    existed_from = models.DateField(null=True, blank=True, help_text="Empty: before 2012.")
    existed_until = models.DateField(null=True, blank=True, help_text="Empty: still exists.")
    predecessors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="successors"
    )

    class Meta:
        verbose_name = "local authority"
        verbose_name_plural = "local authorities"
        ordering = ["name"]
        indexes = [models.Index(fields=["region", "name"], name="la_region_name_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_reverse("regions:la_detail", slug=self.slug)

    def existed_in_year(self, fiscal_year: int) -> bool:
        """Whether the LA existed at the end (31 March) of the financial year."""
        end = datetime.date(fiscal_year + 1, 3, 31)
        return (self.existed_from is None or self.existed_from <= end) and (
            self.existed_until is None or self.existed_until >= end
        )


def existed_in_year(fiscal_year: int) -> Q:
    """LAs that existed at the end (31 March) of the financial year starting in ``fiscal_year``."""
    end = datetime.date(fiscal_year + 1, 3, 31)
    return (Q(existed_from__isnull=True) | Q(existed_from__lte=end)) & (
        Q(existed_until__isnull=True) | Q(existed_until__gte=end)
    )


class Closeness(models.TextChoices):
    EXTREMELY_CLOSE = "extremely_close", "Extremely close"
    VERY_CLOSE = "very_close", "Very close"
    CLOSE = "close", "Close"
    SOMEWHAT_CLOSE = "somewhat_close", "Somewhat close"
    NOT_CLOSE = "not_close", "Not close"


class StatisticalNeighbour(models.Model):
    """One of an LA's ten most similar LAs in a DfE statistical-neighbour model, ranked."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="neighbour_links"
    )
    neighbour = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="neighbour_of_links"
    )
    model_year = models.PositiveSmallIntegerField(default=2025)
    rank = models.PositiveSmallIntegerField()
    closeness = models.CharField(max_length=20, choices=Closeness.choices)

    class Meta:
        ordering = ["local_authority", "model_year", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "model_year", "rank"], name="neighbour_rank_unique"
            ),
            models.UniqueConstraint(
                fields=["local_authority", "model_year", "neighbour"], name="neighbour_once"
            ),
            models.CheckConstraint(
                condition=~Q(local_authority=F("neighbour")), name="neighbour_not_self"
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1, rank__lte=10), name="neighbour_rank_1_to_10"
            ),
        ]

    def __str__(self):
        return f"{self.local_authority} #{self.rank}: {self.neighbour}"
