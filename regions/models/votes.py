"""Votes of a region's LAs on candidate priorities: candidates, delegates, ballots, choices."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from sli_portal.reversing import cached_reverse

from .candidates import CandidatePriority
from .plans import Plan, Priority


class VoteMethod(models.TextChoices):
    APPROVAL = "approval", "Approval (tick up to N)"
    RANKED = "ranked", "Ranked (1st, 2nd, ... up to N)"


class Vote(models.Model):
    """A vote of the region's LAs on candidate priorities, e.g. at a summit: one ballot per LA."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="votes")
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="votes"
    )
    title = models.CharField(max_length=200)
    method = models.CharField(max_length=10, choices=VoteMethod.choices)
    max_choices = models.PositiveSmallIntegerField(default=2)
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region", "-closes_at"]
        constraints = [
            models.CheckConstraint(condition=Q(max_choices__gte=1), name="vote_max_choices_min_1")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return cached_reverse("regions:vote_detail", pk=self.pk)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and timezone.now() < self.closes_at


class VoteCandidate(models.Model):
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="candidates")
    title = models.CharField(max_length=250)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    promoted_to = models.OneToOneField(
        Priority, null=True, blank=True, on_delete=models.SET_NULL, related_name="from_candidate"
    )
    # Set when the candidate came from the region's list of candidate priorities.
    candidate_priority = models.ForeignKey(
        CandidatePriority,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="vote_candidates",
    )

    class Meta:
        ordering = ["vote", "position", "pk"]

    def __str__(self):
        return self.title

    @property
    def region_id(self) -> int:
        return self.vote.region_id


class VoteDelegate(models.Model):
    """Someone a DCS nominated to cast their LA's ballot in one vote."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="delegates")
    local_authority = models.ForeignKey("regions.LocalAuthority", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "local_authority"], name="vote_one_delegate_per_la"
            )
        ]

    def __str__(self):
        return f"{self.user} votes for {self.local_authority} in {self.vote}"

    @property
    def region_id(self) -> int:
        return self.vote.region_id


class Ballot(models.Model):
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    local_authority = models.ForeignKey(
        "regions.LocalAuthority", on_delete=models.CASCADE, related_name="ballots"
    )
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["vote", "local_authority__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "local_authority"], name="ballot_one_per_la_per_vote"
            )
        ]

    def __str__(self):
        return f"{self.local_authority}'s ballot in {self.vote}"

    @property
    def region_id(self) -> int:
        return self.vote.region_id


class BallotChoice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    candidate = models.ForeignKey(VoteCandidate, on_delete=models.CASCADE, related_name="choices")
    rank = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "candidate"], name="ballot_choice_once"),
            models.UniqueConstraint(
                fields=["ballot", "rank"], condition=Q(rank__isnull=False), name="ballot_rank_once"
            ),
        ]

    def __str__(self):
        return f"{self.ballot}: {self.candidate_id} (rank {self.rank})"

    @property
    def region_id(self) -> int:
        return self.ballot.vote.region_id
