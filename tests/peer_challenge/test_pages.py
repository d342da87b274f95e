import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from events.services import delegates as event_services
from peer_challenge import exports, services
from peer_challenge.models import ChallengeStatus, Cycle, SelfAssessment
from regions.models import LocalAuthority
from tests.helpers import assert_query_count_flat
from tests.peer_challenge import factories as f
from tests.regions.factories import LocalAuthorityFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _add_las(world, n, start=[0]):  # noqa: B006 - a counter shared across calls
    for _ in range(n):
        start[0] += 1
        la = LocalAuthorityFactory(region=world.region, name=f"Extra {start[0]:03d}")
        MembershipFactory(role="dcs", local_authority=la)


def test_programme_manager_creates_cycle_and_bad_dates_get_a_clear_400(world, client_for):
    client = client_for(world.users["programme_manager"])
    url = reverse("peer_challenge:cycle_create", kwargs={"slug": world.region.slug})
    data = {
        "kind": "annual_triad",
        "year": 2026,
        "title": "SA 2026",
        "remainder": "larger",
        "self_assessment_due": "2026-05-01",
        "moderation_due": "2026-04-01",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Moderation cannot be due before the self-assessments" in response.content.decode()
    assert not Cycle.objects.exists()
    data["moderation_due"] = "2026-06-01"
    response = client.post(url, data)
    cycle = Cycle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == cycle.get_absolute_url()
    assert SelfAssessment.objects.filter(cycle=cycle).count() == 2


def test_triad_proposal_page_explains_repeats_and_the_region_sees_triads_only_once_confirmed(
    world, client_for
):
    cycle = f.annual_cycle(world)
    pm = client_for(world.users["programme_manager"])
    pm.post(reverse("peer_challenge:triads_propose", kwargs={"pk": cycle.pk}))
    page = pm.get(reverse("peer_challenge:triads", kwargs={"pk": cycle.pk})).content.decode()
    assert "0 repeated pairings with earlier cycles" in page
    dcs = client_for(world.users["dcs"])
    assert "Triad 1:" not in dcs.get(cycle.get_absolute_url()).content.decode()
    services.triads_confirm(actor=world.users["programme_manager"], cycle=cycle)
    assert "Triad 1:" in dcs.get(cycle.get_absolute_url()).content.decode()


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


def test_take_up_exports_neutralise_formulas(world, client_for):
    pm = world.users["programme_manager"]
    evil = LocalAuthorityFactory(region=world.region, name='=HYPERLINK("http://x")')
    cycle = services.cycle_create(
        actor=pm, region=world.region, kind="bilateral", year=2015, title="2015", questions=[]
    )
    challenge = services.challenge_create(
        actor=pm, cycle=cycle, home_la=evil, challenging_las=[world.home_la]
    )
    services.challenge_update(
        actor=pm,
        challenge=challenge,
        status=ChallengeStatus.COMPLETED,
        date=datetime.date(2015, 1, 1),
    )
    client = client_for(world.users["dcs"])
    csv_body = client.get(
        reverse("peer_challenge:take_up_export", kwargs={"slug": world.region.slug, "fmt": "csv"})
    ).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_body
    assert "1 of 3" in csv_body
    xlsx = client.get(
        reverse("peer_challenge:take_up_export", kwargs={"slug": world.region.slug, "fmt": "xlsx"})
    )
    sheet = load_workbook(io.BytesIO(xlsx.content))["Take-up"]
    assert sheet["B2"].value == '\'=HYPERLINK("http://x")'
    assert sheet["B2"].data_type == "s"
    page = client.get(reverse("peer_challenge:take_up", kwargs={"slug": world.region.slug}))
    assert "1 of 3 (33%)" in page.content.decode()


def test_neutralise_leaves_ordinary_text_alone():
    assert exports.neutralise("Somerset") == "Somerset"
    assert exports.neutralise("+44") == "'+44"
    assert exports.neutralise(2015) == 2015


def test_dashboard_shows_next_step_for_la_and_progress_for_manager(world, client_for):
    sa = f.submitted(world)
    dcs_page = client_for(world.users["dcs"]).get("/").content.decode()
    assert "Somerset: Submitted: waiting for moderators" in dcs_page
    assert "Devon" not in dcs_page.split("Peer challenge")[1].split("</section>")[0]
    pm_page = client_for(world.users["programme_manager"]).get("/").content.decode()
    assert "0 of 2 signed off; 0 moderated, 1 submitted, 1 in draft" in pm_page
    f.with_moderator(world, sa)
    peer_page = client_for(world.users["peer_dcs"]).get("/").content.decode()
    assert "Moderate Somerset&#x27;s self-assessment" in peer_page


# --- query counts: flat as the region grows -------------------------------------------------


def test_programme_manager_promotes_a_theme_and_each_page_links_to_the_other(world, client_for):
    pm = world.users["programme_manager"]
    client = client_for(pm)
    cycle = f.annual_cycle(world)
    theme = services.finding_create(
        actor=pm, cycle=cycle, kind="theme", text="Sufficiency of placements."
    )
    url = reverse("peer_challenge:finding_promote", kwargs={"pk": theme.pk})
    response = client.post(url, follow=True)
    page = response.content.decode()
    assert "candidate priority for the next plan" in page
    theme.refresh_from_db()
    plans_url = reverse("regions:plan_list", kwargs={"slug": world.region.slug})
    assert f'href="{plans_url}#candidate-{theme.candidate_priority_id}"' in page
    plans = client.get(plans_url).content.decode()
    assert f'id="candidate-{theme.candidate_priority_id}"' in plans
    assert f'href="{cycle.get_absolute_url()}#finding-{theme.pk}"' in plans
    assert f"Regional theme from {cycle.title}" in plans
    again = client.post(url, follow=True).content.decode()
    assert "already proposed" in again
    assert theme.__class__.objects.filter(candidate_priority__isnull=False).count() == 1


def test_cycle_page_query_count_is_flat(world, client_for):
    from tests.helpers import count_queries

    pm = world.users["programme_manager"]
    client = client_for(pm)
    counts = []
    for year, size in ((2026, 6), (2027, 18)):
        current = (
            SelfAssessment._meta.get_field("local_authority")
            .related_model.objects.filter(region=world.region)
            .count()
        )
        _add_las(world, size - current)
        cycle = f.annual_cycle(world, year=year)
        services.triads_propose(actor=pm, cycle=cycle, seed=1)
        sa = f.submitted(world, cycle=cycle)
        f.commented(world, sa=sa)
        for n in range(size // 6):  # 1, then 3, themes proposed for the next plan
            theme = services.finding_create(actor=pm, cycle=cycle, kind="theme", text=f"t{n}")
            services.finding_promote(actor=pm, finding=theme)
        for la in LocalAuthority.objects.filter(region=world.region):
            event_services.delegate_register(
                actor=None,
                event=cycle.challenge_event,
                local_authority=la,
                full_name=f"Delegate of {la.name}",
                email=f"delegate-{la.pk}@example.org",
            )
        counts.append(count_queries(client, cycle.get_absolute_url()))
    assert counts[0] == counts[1], f"{counts[0]} queries with 6 LAs, {counts[1]} with 18"
    assert counts[1] <= 20


def test_self_assessment_page_query_count_is_flat_as_comments_grow(world, client_for):
    sa, _ = f.commented(world, release=False)
    section = sa.sections.first()
    client = client_for(world.users["peer_dcs"])

    def grow(n):
        while sa.moderator_assignments.get().comments.count() < n:
            services.moderation_comment(
                actor=world.users["peer_dcs"], self_assessment=sa, section=section, body="More"
            )

    assert_query_count_flat(client, sa.get_absolute_url(), grow, small=2, large=12, budget=20)


def test_take_up_and_dashboard_query_counts_are_flat(world, client_for):
    pm = world.users["programme_manager"]
    years = iter(range(2000, 2100))

    def grow(n):
        while Cycle.objects.filter(kind="bilateral").count() < n:
            cycle = services.cycle_create(
                actor=pm,
                region=world.region,
                kind="bilateral",
                year=next(years),
                title="b",
                questions=[],
            )
            challenge = services.challenge_create(
                actor=pm, cycle=cycle, home_la=world.home_la, challenging_las=[world.peer_la]
            )
            services.challenge_update(
                actor=pm, challenge=challenge, status="completed", date=datetime.date(2015, 1, 1)
            )
        f.annual_cycle(world, year=next(years))

    client = client_for(pm)
    url = reverse("peer_challenge:take_up", kwargs={"slug": world.region.slug})
    assert_query_count_flat(client, url, grow, small=2, large=8, budget=15)
    assert_query_count_flat(
        client, "/", lambda n: f.annual_cycle(world, year=next(years)), small=1, large=5, budget=20
    )
    assert_query_count_flat(
        client, reverse("peer_challenge:index"), lambda n: grow(n + 8), small=1, large=4, budget=12
    )


def test_a_fake_evidence_file_is_a_400_naming_the_file_and_section(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

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
    from regions.models import Position, Role

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
    assert "This field is required" in response.content.decode()
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
