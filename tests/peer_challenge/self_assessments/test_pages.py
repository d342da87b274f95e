"""Self-assessment pages."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peer_challenge.services.moderation import moderation_comment
from regions.models import Position, Role
from tests.helpers import assert_query_count_flat
from tests.peer_challenge import factories as f
from tests.regions.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_dcs_edits_self_assessment_and_a_bad_link_is_a_400_naming_the_section(world, client_for):
    sa = f.sa_of(f.annual_cycle(world), world.home_la)
    first, second = sa.sections.order_by("question__position")
    client = client_for(world.users["dcs"])
    url = reverse("peer_challenge:self_assessment_edit", kwargs={"pk": sa.pk})
    data = {
        f"s{first.pk}-narrative": "We know ourselves well.",
        f"s{second.pk}-evidence_links": "ftp://x",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Section 2 (Help and protection), evidence line 1" in response.content.decode()
    first.refresh_from_db()
    assert first.narrative == ""
    data[f"s{second.pk}-evidence_links"] = "https://example.org/ofsted"
    assert client.post(url, data).status_code == 302
    page = client.get(sa.get_absolute_url()).content.decode()
    assert "We know ourselves well." in page
    assert 'href="https://example.org/ofsted"' in page


def test_versions_page_lists_each_change(world, client_for):
    sa = f.submitted(world)
    page = client_for(world.users["dcs"]).get(
        reverse("peer_challenge:self_assessment_history", kwargs={"pk": sa.pk})
    )
    text = page.content.decode()
    assert "Status: Draft → Submitted" in text
    assert "Edited “Leadership”" in text
    assert "Dan Clarke" in text


def test_self_assessment_page_query_count_is_flat_as_comments_grow(world, client_for):
    sa, _ = f.commented(world, release=False)
    section = sa.sections.first()
    client = client_for(world.users["peer_dcs"])

    def grow(n):
        while sa.moderator_assignments.get().comments.count() < n:
            moderation_comment(
                actor=world.users["peer_dcs"], self_assessment=sa, section=section, body="More"
            )

    assert_query_count_flat(client, sa.get_absolute_url(), grow, small=2, large=12, budget=4)


def test_a_fake_evidence_file_is_a_400_naming_the_file_and_section(world, client_for):

    sa = f.sa_of(f.annual_cycle(world), world.home_la)
    section = sa.sections.order_by("question__position").first()
    client = client_for(world.users["dcs"])
    url = reverse("peer_challenge:evidence_upload", kwargs={"pk": sa.pk, "section_pk": section.pk})
    response = client.post(url, {"file": SimpleUploadedFile("data.xlsx", b"=SUM(A1)")})
    assert response.status_code == 400
    assert "“Leadership”: data.xlsx is not a real XLSX file." in response.content.decode()
    response = client.post(url, {"file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan")})
    assert response.status_code == 302
    page = client.get(sa.get_absolute_url()).content.decode()
    assert "plan.pdf" in page
    download = client.get(
        reverse(
            "peer_challenge:evidence_download",
            kwargs={"pk": sa.pk, "file_pk": sa.sections.first().files.get().pk},
        )
    )
    assert b"".join(download.streaming_content) == b"%PDF-1.4 plan"


def test_dcs_records_sign_off_choosing_the_chief_executive_and_typing_the_lead_member(
    world, client_for
):

    ceo = MembershipFactory(
        local_authority=world.home_la,
        role=Role.MEMBER,
        position=Position.CHIEF_EXECUTIVE,
        user__full_name="Chris Evans",
    ).user
    # A chief executive of another LA is not offered.
    MembershipFactory(
        local_authority=world.peer_la, role=Role.MEMBER, position=Position.CHIEF_EXECUTIVE
    )
    sa, _ = f.commented(world)
    client = client_for(world.users["dcs"])
    url = reverse("peer_challenge:self_assessment_sign_off", kwargs={"pk": sa.pk})
    form_page = client.get(url).content.decode()
    assert form_page.count("<option") == 2  # the empty choice and Chris Evans
    today = datetime.date.today().isoformat()
    response = client.post(
        url,
        {
            "chief_executive": ceo.pk,
            "chief_executive_approved_on": today,
            "lead_member_approved_on": today,
        },
    )
    assert response.status_code == 400
    assert "Enter the lead member&#x27;s name" in response.content.decode()
    response = client.post(
        url,
        {
            "chief_executive": ceo.pk,
            "chief_executive_approved_on": today,
            "lead_member_name": "Cllr Jo Smith",
            "lead_member_approved_on": today,
        },
    )
    assert response.status_code == 302
    page = client.get(sa.get_absolute_url()).content.decode()
    assert "Approved by Chris Evans (chief executive)" in page
    assert "Cllr Jo Smith (lead member)" in page
