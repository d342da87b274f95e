import pytest

from tests.regions.factories import LocalAuthorityFactory, MembershipFactory


@pytest.fixture
def third_la(world):
    """A third LA in the region, with a DCS, so that triads and moderators have a choice."""
    la = LocalAuthorityFactory(name="Cornwall", slug="cornwall", region=world.region)
    MembershipFactory(role="dcs", local_authority=la, user__email="kernow@example.org")
    return la


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
