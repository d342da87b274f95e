"""URL x persona rows for linking indicators to a plan priority (POST only)."""

from benchmarking import services
from tests.priority_indicators.factories import priority_in
from tests.url_matrix import UrlCase, expect, only

LINKERS = only({"admin": 302, "programme_manager": 302})
OTHER_REGION = only({"admin": 302})


def _priority(world):
    services.indicators_load()
    return {"pk": priority_in(world.region).pk}


def _other_priority(world):
    services.indicators_load()
    return {"pk": priority_in(world.other_region).pk}


def _linked(world):
    from benchmarking.models import Indicator
    from tests.priority_indicators.factories import link

    services.indicators_load()
    priority = priority_in(world.region)
    link(priority, Indicator.objects.get(code="CLA_RATE"))
    return {"pk": priority.pk, "code": "CLA_RATE"}


def _other_linked(world):
    data = _linked(world)
    from regions.models import Priority

    priority = Priority.objects.get(pk=data["pk"])
    other = priority_in(world.other_region)
    other.indicator_links.create(indicator=priority.indicator_links.get().indicator)
    return {"pk": other.pk, "code": "CLA_RATE"}


CASES = [
    UrlCase(
        "benchmarking:priority_indicator_link",
        LINKERS,
        kwargs=_priority,
        method="post",
        data={"indicator": "CLA_RATE"},
    ),
    UrlCase(
        "benchmarking:priority_indicator_link",
        OTHER_REGION,
        kwargs=_other_priority,
        method="post",
        data={"indicator": "CLA_RATE"},
        label="other region",
    ),
    UrlCase(
        "benchmarking:priority_indicator_link",
        expect(405),
        kwargs=_priority,
        label="GET",
    ),
    UrlCase(
        "benchmarking:priority_indicator_link",
        expect(404, anonymous=302),
        kwargs={"pk": 999999},
        method="post",
        data={"indicator": "CLA_RATE"},
        label="no such priority",
    ),
    UrlCase(
        "benchmarking:priority_indicator_unlink",
        LINKERS,
        kwargs=_linked,
        method="post",
    ),
    UrlCase(
        "benchmarking:priority_indicator_unlink",
        OTHER_REGION,
        kwargs=_other_linked,
        method="post",
        label="other region",
    ),
]
