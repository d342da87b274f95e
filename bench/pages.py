"""What `make bench` measures: each page as a realistic user, and the non-page jobs.

A page is (name, function(ctx) -> (url, user)); ctx gives the seeded data. Non-page benchmarks
are (name, function() -> None), timed once each.
"""

from django.urls import reverse

from regions.models import LocalAuthority, Membership, Region, Role


def _pm_of(region):
    return (
        Membership.objects.select_related("user")
        .get(region=region, role=Role.PROGRAMME_MANAGER)
        .user
    )


def _dcs_of(la):
    return Membership.objects.select_related("user").get(local_authority=la, role=Role.DCS).user


def _largest_region():
    # London (33 LAs) is the heaviest region page.
    return Region.objects.get(code="E12000007")


def dashboard():
    return reverse("dashboard"), _pm_of(_largest_region())


def la_list():
    la = LocalAuthority.objects.get(gss_code="E06000066")
    return reverse("regions:la_list"), _dcs_of(la)


def la_page():
    la = LocalAuthority.objects.get(gss_code="E06000066")
    return la.get_absolute_url(), _dcs_of(la)


def region_page():
    region = _largest_region()
    return region.get_absolute_url(), _pm_of(region)


def _busiest_event():
    from django.db.models import Count, Q

    from events.models import Event

    return (
        Event.objects.filter(region=_largest_region())
        .annotate(taken=Count("delegates", filter=Q(delegates__status="registered")))
        .order_by("-taken", "pk")
        .first()
    )


def event_page():
    event = _busiest_event()
    return event.get_absolute_url(), _pm_of(event.region)


def registrations():
    event = _busiest_event()
    return reverse("events:registrations", kwargs={"pk": event.pk}), _pm_of(event.region)


def self_assessment_page():
    from peer_challenge.models import SelfAssessment

    la = LocalAuthority.objects.get(gss_code="E06000066")
    assessment = (
        SelfAssessment.objects.filter(local_authority=la).order_by("-cycle__year", "-pk").first()
    )
    return (
        reverse("peer_challenge:self_assessment_detail", kwargs={"pk": assessment.pk}),
        _dcs_of(la),
    )


PAGES = [
    ("dashboard", dashboard),
    ("LA list", la_list),
    ("LA page", la_page),
    ("region page", region_page),
    ("event page", event_page),
    ("registrations list", registrations),
    ("self-assessment page", self_assessment_page),
]

JOBS: list[tuple[str, object]] = []
