import pytest

from tests.benchmarking.reports.factories import build_report_data, load_indicators


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Report files go to a temporary directory, not the worktree."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def indicators(db):
    return load_indicators()


@pytest.fixture
def reports(world, indicators):
    return build_report_data(world)
