"""Plan pages: what each person sees, inline editing, history, exports, query counts."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone

from regions.exports import safe_cell
from regions.models import Priority
from regions.services import funding as funding_services
from regions.services import priorities as priority_services
from tests.helpers import assert_query_count_flat
from tests.regions.factories import ActionFactory, PriorityFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def neglect(theme, world, programme_manager):
    return priority_services.priority_create(
        actor=programme_manager,
        theme=theme,
        title="Preventing and tackling neglect",
        sponsor=world.users["dcs"],
        sponsor_la=world.home_la,
    )


def test_plan_page_shows_current_rag_and_overdue_actions(
    plan, neglect, programme_manager, client_for, world
):
    priority_services.progress_record(
        actor=programme_manager,
        priority=neglect,
        rag="red",
        narrative="Behind",
        on=timezone.localdate() - timedelta(days=9),
    )
    priority_services.progress_record(
        actor=programme_manager, priority=neglect, rag="amber", narrative="Catching up"
    )
    priority_services.action_create(
        actor=programme_manager,
        priority=neglect,
        title="Evaluation event",
        owner=world.users["member"],
        due_date=timezone.localdate() - timedelta(days=2),
    )
    page = client_for(world.users["member"]).get(plan.get_absolute_url()).content.decode()
    assert "Red: 0 · Amber: 1 · Green: 0" in page
    assert "1 overdue action" in page
    assert "Overdue: Evaluation event" in page
    assert "Focus on outcomes" in page
    assert "Move down" not in page, "a member reads the plan but cannot edit it"


def test_outsider_gets_404_not_the_plan(plan, client_for, world):
    # Issue 12: who may not see an object is told nothing, not even that it exists (was 403).
    response = client_for(world.users["outsider"]).get(plan.get_absolute_url())
    assert response.status_code == 404
    assert plan.title not in response.content.decode()


def test_reorder_by_htmx_returns_the_plan_body_with_numbers_kept(
    plan, theme, programme_manager, client_for
):
    first = priority_services.priority_create(actor=programme_manager, theme=theme, title="Neglect")
    priority_services.priority_create(
        actor=programme_manager, theme=theme, title="Children in care"
    )
    client = client_for(programme_manager)
    response = client.post(
        reverse("regions:priority_move", kwargs={"pk": first.pk}),
        {"direction": "down"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<div id="plan-body">')
    assert body.index("Children in care") < body.index("Neglect")
    assert Priority.objects.get(pk=first.pk).number == 1


def test_inline_theme_add_with_a_blank_title_shows_the_error(plan, programme_manager, client_for):
    client = client_for(programme_manager)
    response = client.post(
        reverse("regions:theme_create", kwargs={"pk": plan.pk}),
        {"title": ""},
        HTTP_HX_REQUEST="true",
    )
    assert "Enter the theme title" in response.content.decode()
    assert not plan.themes.exists()
    response = client.post(reverse("regions:theme_create", kwargs={"pk": plan.pk}), {"title": ""})
    assert response.status_code == 400


def test_sponsoring_dcs_records_progress_but_another_dcs_cannot(neglect, client_for, world):
    url = reverse("regions:progress_create", kwargs={"pk": neglect.pk})
    data = {"date": timezone.localdate().isoformat(), "rag": "green", "narrative": "Done"}
    assert client_for(world.users["peer_dcs"]).post(url, data).status_code == 403
    assert client_for(world.users["dcs"]).post(url, data).status_code == 302
    assert neglect.updates.get().author == world.users["dcs"]


def test_bad_progress_form_names_the_field_and_saves_nothing(
    neglect, client_for, programme_manager
):
    url = reverse("regions:progress_create", kwargs={"pk": neglect.pk})
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client_for(programme_manager).post(
        url, {"date": future, "rag": "amber", "narrative": "x"}
    )
    assert response.status_code == 400
    assert "cannot be dated in the future" in response.content.decode()
    assert not neglect.updates.exists()


def test_history_page_shows_who_changed_what_before_and_after(
    plan, neglect, programme_manager, client_for
):
    client = client_for(programme_manager)
    url = reverse("regions:priority_update", kwargs={"pk": neglect.pk})
    response = client.post(
        url,
        {
            "theme": neglect.theme_id,
            "title": "Tackling neglect",
            "status": "active",
            "lead": "PSW network",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("regions:plan_history", kwargs={"pk": plan.pk})).content.decode()
    assert (
        "Priya Mandal changed the title of the priority “1. Tackling neglect” from "
        "“Preventing and tackling neglect” to “Tackling neglect”"
    ) in page
    assert (
        "set the lead officer or group of the priority “1. Tackling neglect” to “PSW network”"
        in page
    )
    assert "added the plan “Regional Strategic Improvement Plan 2018-2021”" in page


def test_history_names_things_and_formats_money_and_dates_and_is_paginated(
    plan, neglect, programme_manager, client_for, world
):
    client = client_for(programme_manager)
    funding_services.funding_record(
        actor=programme_manager,
        plan=plan,
        financial_year=2018,
        source="la_subscription",
        local_authority=world.home_la,
        amount=Decimal("25000.00"),
        status="received",
    )
    for n in range(30):
        priority_services.progress_record(
            actor=programme_manager, priority=neglect, rag="amber", narrative=f"Update {n}"
        )
    url = reverse("regions:plan_history", kwargs={"pk": plan.pk})
    first = client.get(url).content.decode()
    older = client.get(url + "?page=2").content.decode()
    everything = first + older
    assert "Somerset" in everything and "£25,000" in everything
    assert f"Local authority: {world.home_la.pk}" not in everything
    assert "25000.00" not in everything
    assert "Showing 1 to 25 of" in first
    assert 'aria-label="Page 2"' in first
    assert "Showing 26 to" in older


def test_history_keeps_every_version_of_a_progress_update_and_deleted_priorities(
    neglect, programme_manager
):
    from regions.selectors.history import plan_history

    priority_services.progress_record(
        actor=programme_manager, priority=neglect, rag="amber", narrative="x"
    )
    priority_services.priority_delete(actor=programme_manager, priority=neglect)
    kinds = [(e.kind, e.change) for e in plan_history(plan=neglect.plan)]
    assert ("Priority", "Deleted") in kinds
    assert ("Progress update", "Created") in kinds


def test_xlsx_export_has_every_sheet_and_neutralises_formulas(
    plan, theme, programme_manager, client_for, world
):
    from openpyxl import load_workbook

    evil = priority_services.priority_create(
        actor=programme_manager, theme=theme, title='=HYPERLINK("http://x")'
    )
    priority_services.progress_record(
        actor=programme_manager, priority=evil, rag="amber", narrative="+1 amber"
    )
    priority_services.action_create(actor=programme_manager, priority=evil, title="@SUM(A1)")
    funding_services.funding_record(
        actor=programme_manager,
        plan=plan,
        financial_year=2018,
        source="la_subscription",
        local_authority=world.home_la,
        amount=Decimal("10156.25"),
        status="received",
    )
    response = client_for(world.users["member"]).get(
        reverse("regions:plan_xlsx", kwargs={"pk": plan.pk})
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Priorities", "Actions", "RAG updates", "Funding"]
    assert book["Priorities"]["C2"].value == '\'=HYPERLINK("http://x")'
    assert book["Priorities"]["I2"].value == "Amber"
    assert book["Actions"]["B2"].value == "'@SUM(A1)"
    assert book["RAG updates"]["D2"].value == "'+1 amber"
    assert book["Funding"]["C2"].value == "Somerset"
    assert book["Funding"]["E2"].value == 10156.25
    assert (
        book["Funding"]["E2"].data_type == "n"
        and book["Funding"]["E2"].number_format == "£#,##0.00"
    )
    totals = [row for row in book["Funding"].iter_rows(min_row=3) if row[4].value is not None]
    assert totals and all(row[4].data_type == "n" for row in totals)  # totals are numbers too
    update_date = book["RAG updates"]["B2"]
    assert update_date.is_date and update_date.number_format == "d mmm yyyy"


def test_safe_cell_leaves_numbers_and_plain_text_alone():
    assert safe_cell("-5 pupils") == "'-5 pupils"
    assert safe_cell("Neglect") == "Neglect"
    assert safe_cell(-5) == -5


def test_pdf_export_is_a_pdf_of_the_plan(plan, neglect, client_for, world):
    response = client_for(world.users["dcs"]).get(
        reverse("regions:plan_pdf", kwargs={"pk": plan.pk})
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "regional-strategic-improvement-plan-2018-2021.pdf" in response["Content-Disposition"]


def test_funding_page_lists_las_yet_to_pay(plan, programme_manager, client_for, world):
    funding_services.funding_record(
        actor=programme_manager,
        plan=plan,
        financial_year=2018,
        source="la_subscription",
        local_authority=world.home_la,
        amount=Decimal("10156.25"),
        status="received",
    )
    page = (
        client_for(world.users["dcs"])
        .get(reverse("regions:funding_list", kwargs={"pk": plan.pk}))
        .content.decode()
    )
    assert "LAs yet to pay their 2018-19 subscription:</strong>\n  Devon" in page
    assert "£10,156.25" in page


def test_plan_page_query_count_is_flat_from_2_to_20_priorities(
    plan, theme, programme_manager, client_for
):
    client = client_for(programme_manager)

    def grow(n):
        while Priority.objects.filter(plan=plan).count() < n:
            number = Priority.objects.filter(plan=plan).count() + 1
            priority = PriorityFactory(theme=theme, plan=plan, number=number, position=number)
            ActionFactory(priority=priority, owner=programme_manager)
            ActionFactory(priority=priority, due_date=timezone.localdate() - timedelta(days=1))
            ProgressUpdateFactory(priority=priority, rag="red")
            ProgressUpdateFactory(
                priority=priority, rag="green", date=timezone.localdate() - timedelta(days=5)
            )

    _small, _large = assert_query_count_flat(
        client, plan.get_absolute_url(), grow, small=2, large=20, budget=10
    )
    assert "Red: 20" in client.get(plan.get_absolute_url()).content.decode()


def test_priority_page_and_exports_query_counts_are_flat(
    plan, theme, programme_manager, client_for
):
    priority = priority_services.priority_create(
        actor=programme_manager, theme=theme, title="Neglect"
    )

    def grow(n):
        while priority.updates.count() < n:
            ProgressUpdateFactory(priority=priority, author=programme_manager)
            ActionFactory(priority=priority, owner=programme_manager)

    client = client_for(programme_manager)
    assert_query_count_flat(client, priority.get_absolute_url(), grow, small=2, large=20, budget=16)
    assert_query_count_flat(
        client,
        reverse("regions:plan_xlsx", kwargs={"pk": plan.pk}),
        grow,
        small=2,
        large=20,
        budget=16,
    )
    assert_query_count_flat(
        client,
        reverse("regions:plan_history", kwargs={"pk": plan.pk}),
        grow,
        small=2,
        large=20,
        budget=20,
    )


def test_vote_page_query_count_is_flat(world, client_for):
    from regions.models import Ballot
    from tests.regions.factories import LocalAuthorityFactory, VoteFactory

    vote = VoteFactory(region=world.region)

    def grow(n):
        while Ballot.objects.filter(vote=vote).count() < n:
            la = LocalAuthorityFactory(region=world.region)
            ballot = Ballot.objects.create(vote=vote, local_authority=la)
            ballot.choices.create(candidate=vote.candidates.first())

    assert_query_count_flat(
        client_for(world.users["programme_manager"]),
        vote.get_absolute_url(),
        grow,
        small=2,
        large=12,
        budget=20,
    )


def test_deleting_a_theme_with_priorities_is_refused_inline_with_a_reason(
    theme, neglect, programme_manager, client_for
):
    url = reverse("regions:theme_delete", kwargs={"pk": theme.pk})
    response = client_for(programme_manager).post(url, HTTP_HX_REQUEST="true")
    assert 'role="alert"' in response.content.decode()
    assert "still has priorities" in response.content.decode()
    assert theme.plan.themes.filter(pk=theme.pk).exists()


def test_a_ballot_submitted_twice_is_recorded_once_and_the_second_is_told(world, client_for):
    from regions.models import Ballot
    from tests.regions.factories import VoteFactory

    vote = VoteFactory(region=world.region)
    url = reverse("regions:vote_cast", kwargs={"pk": vote.pk})
    data = {"choices": [vote.candidates.first().pk]}
    client = client_for(world.users["dcs"])
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 400
    assert "Somerset has already voted" in again.content.decode()
    assert Ballot.objects.filter(vote=vote).count() == 1


def test_ballot_with_too_many_choices_names_the_problem(world, client_for):
    from tests.regions.factories import VoteFactory

    vote = VoteFactory(region=world.region, max_choices=1)
    url = reverse("regions:vote_cast", kwargs={"pk": vote.pk})
    ids = list(vote.candidates.values_list("pk", flat=True)[:2])
    response = client_for(world.users["dcs"]).post(url, {"choices": ids})
    assert response.status_code == 400
    assert "Choose at most 1; you chose 2." in response.content.decode()


def test_action_added_and_marked_done_inline_returns_the_actions_section(
    neglect, programme_manager, client_for
):
    client = client_for(programme_manager)
    url = reverse("regions:action_create", kwargs={"pk": neglect.pk})
    response = client.post(url, {"title": "", "status": "not_started"}, HTTP_HX_REQUEST="true")
    assert "Enter the action" in response.content.decode()
    assert not neglect.actions.exists()
    response = client.post(
        url, {"title": "Evaluation event", "status": "not_started"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="actions-section"')
    assert "Evaluation event" in body
    action = neglect.actions.get()
    status_url = reverse("regions:action_status", kwargs={"pk": action.pk})
    body = client.post(status_url, {"status": "done"}, HTTP_HX_REQUEST="true").content.decode()
    assert '<td class="govuk-table__cell">Done</td>' in body


def test_programme_manager_opens_a_vote_from_the_form(world, client_for):
    from regions.models import Vote

    closes = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    url = reverse("regions:vote_create", kwargs={"slug": world.region.slug})
    data = {
        "title": "Summit vote",
        "method": "ranked",
        "max_choices": 2,
        "closes_at": closes,
        "candidates": "Neglect | causes and what works\nChildren in care\n\n",
    }
    response = client_for(world.users["programme_manager"]).post(url, data)
    vote = Vote.objects.get()
    assert response.status_code == 302
    assert [(c.title, c.description) for c in vote.candidates.all()] == [
        ("Neglect", "causes and what works"),
        ("Children in care", ""),
    ]
    bad = client_for(world.users["programme_manager"]).post(url, {**data, "candidates": "Only one"})
    assert bad.status_code == 400
    assert "at least two candidate priorities" in bad.content.decode()


def test_programme_manager_creates_a_group_from_the_form(world, client_for, theme):
    from regions.models import RegionalGroup

    priority = PriorityFactory(theme=theme, plan=theme.plan, number=1)
    url = reverse("regions:group_create", kwargs={"slug": world.region.slug})
    data = {
        "name": "Principal social workers",
        "accountable_to": "adcs_branch",
        "sponsor": world.users["member"].pk,
        "members": [world.users["dcs"].pk, world.users["peer_dcs"].pk],
        "priorities": [priority.pk],
    }
    response = client_for(world.users["programme_manager"]).post(url, data)
    assert response.status_code == 302
    group = RegionalGroup.objects.get()
    assert set(group.members.all()) == {world.users["dcs"], world.users["peer_dcs"]}
    outsider = client_for(world.users["programme_manager"]).post(
        url, {**data, "name": "Other", "members": [world.users["outsider"].pk]}
    )
    assert outsider.status_code == 400, "people outside the region are not offered"
    assert RegionalGroup.objects.count() == 1


def test_funding_form_names_a_subscription_without_an_la(plan, programme_manager, client_for):
    url = reverse("regions:funding_create", kwargs={"pk": plan.pk})
    data = {
        "financial_year": 2018,
        "source": "la_subscription",
        "amount": "10156.25",
        "status": "invoiced",
    }
    response = client_for(programme_manager).post(url, data)
    assert response.status_code == 400
    assert "Say which LA" in response.content.decode()
    not_money = client_for(programme_manager).post(url, {**data, "amount": "=1+1"})
    assert not_money.status_code == 400
    assert "Amount must be a number" in not_money.content.decode()


def test_theme_edited_in_place_with_htmx(theme, programme_manager, client_for):
    client = client_for(programme_manager)
    url = reverse("regions:theme_update", kwargs={"pk": theme.pk})
    form = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert form.lstrip().startswith(f'<form id="theme-edit-{theme.pk}"')
    bad = client.post(url, {"title": ""}, HTTP_HX_REQUEST="true")
    assert bad["HX-Retarget"] == f"#theme-edit-{theme.pk}"
    assert "Enter the theme title" in bad.content.decode()
    good = client.post(url, {"title": "Practice issues"}, HTTP_HX_REQUEST="true")
    assert good.content.decode().startswith('<div id="plan-body">')
    theme.refresh_from_db()
    assert theme.title == "Practice issues"


def test_plans_in_the_navigation_lead_to_the_users_own_region(world, client_for):
    response = client_for(world.users["outsider"]).get(reverse("regions:plan_home"))
    assert response["Location"] == reverse("regions:plan_list", kwargs={"slug": "south-east"})
    response = client_for(world.users["dcs"]).get(reverse("regions:plan_home"))
    assert response["Location"] == reverse("regions:plan_list", kwargs={"slug": "south-west"})
    response = client_for(world.users["admin"]).get(reverse("regions:plan_home"))
    assert response["Location"] == reverse("regions:region_list")


def test_the_plan_pdf_is_tagged_titled_and_in_english(plan, neglect, client_for, world):
    from pypdf import PdfReader

    response = client_for(world.users["dcs"]).get(
        reverse("regions:plan_pdf", kwargs={"pk": plan.pk})
    )
    reader = PdfReader(BytesIO(response.content))
    catalog = reader.trailer["/Root"]
    assert (
        reader.metadata.title
        == "Regional Strategic Improvement Plan 2018-2021 \N{EN DASH} South West"
    )
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in catalog, "tagged: a structure tree for screen readers"
    assert b"pdfuaid" in catalog["/Metadata"].get_object().get_data(), "declares PDF/UA"
