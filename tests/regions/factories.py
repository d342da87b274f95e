import factory

from regions.models import LAType, LocalAuthority, Membership, Region, Role, StatisticalNeighbour
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
