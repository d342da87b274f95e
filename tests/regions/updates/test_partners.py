"""Partners read the region's published updates (issue 17), never its drafts."""

import pytest

from regions.selectors.updates import region_updates
from sli_portal.access import can
from tests.regions.updates.url_cases import _update

pytestmark = pytest.mark.django_db


def test_a_partner_reads_published_updates_of_the_region_only(world):
    published = _update(world)  # not public: for the region and its partners
    published.is_public = False
    published.save(update_fields=["is_public"])
    draft = _update(world, published=False)
    elsewhere = _update(world, region=world.other_region)
    elsewhere.is_public = False
    elsewhere.save(update_fields=["is_public"])
    partner = world.users["partner"]
    assert region_updates(partner, world.region) == [published]
    assert can(partner, "regions.view_update", published)
    assert not can(partner, "regions.view_update", draft)
    assert not can(partner, "regions.view_update", elsewhere)
