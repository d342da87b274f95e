import pytest

from benchmarking import services
from tests.benchmarking.factories import open_quarter


@pytest.fixture
def indicators(db):
    services.indicators_load()
    return services.return_indicators(None)


@pytest.fixture
def quarter(world, indicators):
    period = open_quarter(world.region)
    open_quarter(world.other_region)
    return period
