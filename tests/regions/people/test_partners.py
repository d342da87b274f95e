"""Partners: invited by the programme manager for their organisation; they read what the region
opens to them (its plan and events) and nothing else of it: no returns, self-assessments or
people lists."""

import pytest
from django.urls import reverse

from benchmarking.models import Return, Status
from events.models import EventStatus
from regions.models import Invitation, Membership, Organisation, PlanStatus, Role
from regions.services import people as people_services
from sli_portal.access import SYSTEM
from tests.benchmarking.factories import open_quarter
from tests.events.factories import EventFactory
from tests.peer_challenge.factories import annual_cycle, sa_of
from tests.regions.factories import PlanFactory, PriorityFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_the_pm_invites_a_partner_for_a_new_organisation_and_they_take_it_up(world, client):
    client.force_login(world.users["programme_manager"])
    url = reverse("regions:invitation_create", args=[world.region.slug])
    form = {
        "full_name": "Rae Tan",
        "email": "rae.tan@example.org",
        "role": "partner",
        "new_organisation": "Research in Practice",
    }
    missing_kind = client.post(url, form).content.decode()
    assert "Say what kind of organisation it is." in missing_kind
    response = client.post(url, {**form, "organisation_kind": "provider"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="rae.tan@example.org")
    assert (invitation.role, invitation.region, invitation.local_authority) == (
        Role.PARTNER,
        world.region,
        None,
    )
    assert invitation.organisation.name == "Research in Practice"

    user = people_services.invitation_accept(
        actor=SYSTEM, invitation=invitation, full_name="Rae Tan", password="a-long-passphrase-77"
    )
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.region, membership.organisation.kind) == (
        Role.PARTNER,
        world.region,
        "provider",
    )


def test_a_partner_needs_an_organisation(world):
    with pytest.raises(Exception, match="organisation"):
        people_services.invitation_create(
            actor=world.users["programme_manager"],
            email="x@example.org",
            full_name="X",
            role=Role.PARTNER,
            region=world.region,
        )
    assert Organisation.objects.count() == 1  # the world's DfE only


def test_a_partner_reads_the_plan_and_events_and_nothing_private(world, client):
    plan = PlanFactory(region=world.region, is_current=True, status=PlanStatus.AGREED)
    priority = PriorityFactory(theme=ThemeFactory(plan=plan), title="Tackling neglect")
    summit = EventFactory(region=world.region, title="Summer summit")
    draft = EventFactory(region=world.region, title="Draft", status=EventStatus.DRAFT)
    period = open_quarter(world.region)
    Return.objects.create(local_authority=world.home_la, period=period, status=Status.DRAFT)
    sa = sa_of(annual_cycle(world), world.home_la)
    client.force_login(world.users["partner"])

    assert client.get(plan.get_absolute_url()).status_code == 200
    assert "Tackling neglect" in client.get(priority.get_absolute_url()).content.decode()
    assert client.get(summit.get_absolute_url()).status_code == 200
    assert "Summer summit" in client.get(reverse("events:event_list")).content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404
    ret = reverse(
        "benchmarking:return_detail",
        kwargs={"la_slug": world.home_la.slug, "period_slug": period.slug},
    )
    assert client.get(ret).status_code == 404
    assert client.get(sa.get_absolute_url()).status_code == 404
    la_page = client.get(world.home_la.get_absolute_url()).content.decode()
    assert "dcs@example.org" not in la_page  # no people list
    region_page = client.get(world.region.get_absolute_url()).content.decode()
    assert "dcs@example.org" not in region_page
