import pytest

from regions.services import plans as plan_services
from regions.services import priorities as priority_services


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded annexes go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def plan(world):
    return plan_services.plan_create(
        actor=world.users["programme_manager"],
        region=world.region,
        title="Regional Strategic Improvement Plan 2018-2021",
        start_year=2018,
        end_year=2020,
        principles=["Focus on outcomes", "From talk to action"],
        is_current=True,
    )


@pytest.fixture
def theme(plan, programme_manager):
    return priority_services.theme_create(
        actor=programme_manager, plan=plan, title="Actions that will address practice issues"
    )
