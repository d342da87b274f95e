"""URL x persona rows for linking indicators to a plan priority (POST only)."""

from benchmarking import services
from sli_portal.access import SYSTEM
from tests.benchmarking.priority_links.factories import priority_in
from tests.url_matrix import UrlCase, confirm_twins, expect, only, with_personas

# Issue 12: who may not see the priority's plan (another region's people) gets 404; who sees it
# but may not link gets 403.
LINKERS = only({"admin": 302, "programme_manager": 302, "outsider": 404})
OTHER_REGION = only({"admin": 302, "outsider": 403}, others=404)


def _priority(world):
    services.indicators_load(actor=SYSTEM)
    return {"pk": priority_in(world.region).pk}


def _other_priority(world):
    services.indicators_load(actor=SYSTEM)
    return {"pk": priority_in(world.other_region).pk}


def _linked(world):
    from benchmarking.models import Indicator
    from tests.benchmarking.priority_links.factories import link

    services.indicators_load(actor=SYSTEM)
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


# The analyst and staff personas where they differ from the defaults above (tests/world.py):
# the analyst holds the regional grant from a member's seat in peer_la; staff hold no role.
CASES = with_personas(
    CASES,
    {
        "POST benchmarking:priority_indicator_link": {"staff": 404},
        "POST benchmarking:priority_indicator_unlink": {"staff": 404},
    },
)

# The "Are you sure?" page of each action (GET), answering as its POST (issue 14).
CASES += confirm_twins(
    CASES,
    {
        "benchmarking:priority_indicator_unlink",
    },
)
