from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from regions.models import (
    Action,
    CandidatePriority,
    FundingContribution,
    FundingSource,
    LAType,
    LocalAuthority,
    Membership,
    Plan,
    Priority,
    ProgressUpdate,
    Region,
    RegionalGroup,
    Role,
    StatisticalNeighbour,
    Theme,
    Vote,
    VoteCandidate,
    VoteMethod,
)
from tests.accounts.factories import UserFactory


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"E12{n:06d}")
    name = factory.Sequence(lambda n: f"Test region {n}")
    slug = factory.Sequence(lambda n: f"test-region-{n}")


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("gss_code",)

    # Letters and a T prefix keep factory codes clear of the real DfE numbers and GSS codes.
    dfe_code = factory.Sequence(lambda n: f"{chr(ord('A') + n // 100 % 26)}{n % 100:02d}")
    gss_code = factory.Sequence(lambda n: f"T{n:08d}")
    name = factory.Sequence(lambda n: f"Testshire {n}")
    slug = factory.Sequence(lambda n: f"testshire-{n}")
    la_type = LAType.UNITARY
    region = factory.SubFactory(RegionFactory)


class StatisticalNeighbourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatisticalNeighbour

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    neighbour = factory.SubFactory(LocalAuthorityFactory)
    rank = 1
    closeness = "close"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.MEMBER
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    region = None


class ProgrammeManagerFactory(MembershipFactory):
    role = Role.PROGRAMME_MANAGER
    local_authority = None
    region = factory.SubFactory(RegionFactory)


# --- plans, groups, votes and candidate priorities ---


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    region = factory.SubFactory(RegionFactory)
    title = factory.Sequence(lambda n: f"Regional improvement plan {n}")
    start_year = 2024
    end_year = 2026


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Theme {n}")
    position = factory.Sequence(lambda n: n + 1)


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    theme = factory.SubFactory(ThemeFactory)
    plan = factory.SelfAttribute("theme.plan")
    number = factory.Sequence(lambda n: n + 1)
    position = factory.SelfAttribute("number")
    title = factory.Sequence(lambda n: f"Priority {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    priority = factory.SubFactory(PriorityFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    priority = factory.SubFactory(PriorityFactory)
    date = factory.LazyFunction(timezone.localdate)
    rag = "amber"
    narrative = "Going steadily."


class FundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingContribution

    plan = factory.SubFactory(PlanFactory)
    financial_year = factory.SelfAttribute("plan.start_year")
    source = FundingSource.DFE_GRANT
    amount = Decimal("130000.00")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalGroup

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Group {n}")
    accountable_to = "steering_group"


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vote
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    title = factory.Sequence(lambda n: f"Summit vote {n}")
    method = VoteMethod.APPROVAL
    max_choices = 2
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))

    @factory.post_generation
    def candidates(self, create, extracted, **kwargs):
        for n, title in enumerate(extracted or ["Neglect", "Children in care", "Workforce"], 1):
            VoteCandidate.objects.create(vote=self, title=title, position=n)


class CandidatePriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CandidatePriority

    region = factory.SubFactory(RegionFactory)
    title = factory.Sequence(lambda n: f"Candidate priority {n}")
    description = "Raised at the challenge day."
    source_label = "Regional theme from the triad challenge day"
