import pytest

from benchmarking import services
from benchmarking.selectors import return_indicators
from sli_portal.access import SYSTEM
from tests.benchmarking.factories import open_quarter


@pytest.fixture
def indicators(db):
    services.indicators_load(actor=SYSTEM)
    return return_indicators(None)


@pytest.fixture
def quarter(world, indicators):
    period = open_quarter(world.region)
    open_quarter(world.other_region)
    return period
