import pytest

from tests.benchmarking.priority_links.factories import load_indicators, priority_in


@pytest.fixture
def indicators(db):
    return load_indicators()


@pytest.fixture
def priority(world, indicators):
    return priority_in(world.region, title="Preventing and tackling neglect")
