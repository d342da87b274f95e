import pytest

from regions.models import Update
from regions.services import subscriptions as subscription_services
from regions.services import updates as update_services


@pytest.fixture
def public_profile(world):
    """The test region's public pages, on and indexable, with no contact published."""
    return subscription_services.public_profile_save(
        actor=world.users["programme_manager"],
        region=world.region,
        is_enabled=True,
        noindex=False,
        introduction="Sixteen LAs improving together.",
    )


def make_update(
    world,
    *,
    title="South West Regional Update June 2018",
    body="## Regional summit\n\nThe summer summit is in Taunton.",
    tags=("SLI", "SOUTH WEST"),
    is_public=True,
    publish=True,
    region=None,
) -> Update:
    pm = world.users["programme_manager"] if region is None else world.users["admin"]
    update = Update.objects.create(region=region or world.region, title="draft", author=pm)
    update = update_services.update_save(
        actor=pm,
        update=update,
        title=title,
        summary="News of the region.",
        body=body,
        tags=list(tags),
        is_public=is_public,
    )
    if publish:
        update = update_services.update_publish(actor=pm, update=update)
    return update


@pytest.fixture
def new_update(world):
    return lambda **kwargs: make_update(world, **kwargs)
