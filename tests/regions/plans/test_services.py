"""Writes to plans, themes, priorities, actions, progress and funding: invariants and bad input."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from regions.models import FundingContribution, Plan, Priority
from regions.services import funding as funding_services
from regions.services import plans as plan_services
from regions.services import priorities as priority_services
from tests.regions.url_cases import PDF

pytestmark = pytest.mark.django_db


def test_plan_create_keeps_principles_in_order_and_covers_financial_years(plan):
    assert plan.principles == ["Focus on outcomes", "From talk to action"]
    assert plan.financial_years == [2018, 2019, 2020]
    assert plan.period_label == "2018-2021"


@pytest.mark.parametrize(
    ("start", "end", "field", "words"),
    [
        (2020, 2018, "end_year", "cannot be before"),
        (1990, 1992, "start_year", "between 2000 and 2100"),
        (2018, 2040, "end_year", "at most ten"),
    ],
)
def test_plan_create_refuses_a_bad_period(world, programme_manager, start, end, field, words):
    with pytest.raises(ValidationError) as error:
        plan_services.plan_create(
            actor=programme_manager, region=world.region, title="X", start_year=start, end_year=end
        )
    assert words in " ".join(error.value.message_dict[field])
    assert not Plan.objects.exists()


def test_plan_create_refuses_a_duplicate_title_in_the_region(plan, world, programme_manager):
    with pytest.raises(ValidationError, match="already has a plan"):
        plan_services.plan_create(
            actor=programme_manager,
            region=world.region,
            title=plan.title.upper(),
            start_year=2021,
            end_year=2023,
        )


def test_making_a_plan_current_retires_the_previous_current_plan(plan, world, programme_manager):
    newer = plan_services.plan_create(
        actor=programme_manager,
        region=world.region,
        title="Plan 2021-2024",
        start_year=2021,
        end_year=2023,
        is_current=True,
    )
    plan.refresh_from_db()
    assert newer.is_current
    assert not plan.is_current


def test_database_allows_one_current_plan_per_region(plan, world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(
            region=world.region, title="Other", start_year=2019, end_year=2019, is_current=True
        )


def test_plan_update_refuses_to_shrink_the_period_past_recorded_funding(plan, programme_manager):
    funding_services.funding_record(
        actor=programme_manager, plan=plan, financial_year=2020, source="dfe_grant", amount=1
    )
    with pytest.raises(ValidationError, match="2020-21"):
        plan_services.plan_update(actor=programme_manager, plan=plan, end_year=2019)
    plan.refresh_from_db()
    assert plan.end_year == 2020


def _priority(theme, pm, title, **kw):
    return priority_services.priority_create(actor=pm, theme=theme, title=title, **kw)


def test_priorities_are_numbered_across_the_plan_and_keep_numbers_when_moved(
    plan, theme, programme_manager
):
    first = _priority(theme, programme_manager, "Preventing and tackling neglect")
    second = _priority(theme, programme_manager, "Improving outcomes for children in care")
    other_theme = priority_services.theme_create(
        actor=programme_manager, plan=plan, title="Leadership"
    )
    third = _priority(other_theme, programme_manager, "Build leadership capacity")
    assert [first.number, second.number, third.number] == [1, 2, 3]

    assert priority_services.priority_move(
        actor=programme_manager, priority=first, direction="down"
    )
    ordered = list(theme.priorities.order_by("position").values_list("number", flat=True))
    assert ordered == [2, 1], "the order changes, the numbers do not"
    assert not priority_services.priority_move(
        actor=programme_manager, priority=second, direction="up"
    )

    changed = priority_services.priorities_renumber(actor=programme_manager, plan=plan)
    assert changed == 2
    shown = Priority.objects.order_by("theme__position", "position")
    assert [(p.number, p.title[:5]) for p in shown] == [
        (1, "Impro"),
        (2, "Preve"),
        (3, "Build"),
    ]


def test_sponsor_must_be_the_dcs_of_an_la_in_the_region(theme, world, programme_manager):
    with pytest.raises(ValidationError, match="not the DCS of Somerset"):
        _priority(
            theme, programme_manager, "X", sponsor=world.users["member"], sponsor_la=world.home_la
        )
    with pytest.raises(ValidationError, match="not in South West"):
        _priority(
            theme,
            programme_manager,
            "X",
            sponsor=world.users["outsider"],
            sponsor_la=world.other_la,
        )
    ok = _priority(
        theme, programme_manager, "X", sponsor=world.users["dcs"], sponsor_la=world.home_la
    )
    assert ok.sponsor == world.users["dcs"]


def test_priority_update_refuses_a_theme_of_another_plan(theme, world, programme_manager):
    priority = _priority(theme, programme_manager, "Neglect")
    other_plan = plan_services.plan_create(
        actor=programme_manager, region=world.region, title="B", start_year=2021, end_year=2021
    )
    elsewhere = priority_services.theme_create(actor=programme_manager, plan=other_plan, title="T")
    with pytest.raises(ValidationError, match="another plan"):
        priority_services.priority_update(
            actor=programme_manager, priority=priority, theme=elsewhere
        )


def test_theme_with_priorities_cannot_be_deleted(theme, programme_manager):
    _priority(theme, programme_manager, "Neglect")
    with pytest.raises(ValidationError, match="still has priorities"):
        priority_services.theme_delete(actor=programme_manager, theme=theme)


def test_progress_needs_a_narrative_and_no_future_date(theme, programme_manager):
    priority = _priority(theme, programme_manager, "Neglect")
    with pytest.raises(ValidationError, match="narrative is required"):
        priority_services.progress_record(
            actor=programme_manager, priority=priority, rag="amber", narrative=" "
        )
    with pytest.raises(ValidationError, match="future"):
        priority_services.progress_record(
            actor=programme_manager,
            priority=priority,
            rag="amber",
            narrative="x",
            on=timezone.localdate() + timedelta(days=1),
        )
    with pytest.raises(ValidationError):
        priority_services.progress_record(
            actor=programme_manager, priority=priority, rag="blue", narrative="x"
        )
    assert not priority.updates.exists()


def test_action_owner_must_work_in_the_region(theme, world, programme_manager):
    priority = _priority(theme, programme_manager, "Neglect")
    with pytest.raises(ValidationError, match="no role in South West"):
        priority_services.action_create(
            actor=programme_manager, priority=priority, title="A", owner=world.users["outsider"]
        )
    action = priority_services.action_create(
        actor=programme_manager,
        priority=priority,
        title="A",
        owner=world.users["member"],
        due_date=timezone.localdate() - timedelta(days=1),
    )
    assert action.is_overdue
    priority_services.action_update(actor=programme_manager, action=action, status="done")
    assert not action.is_overdue


# --- funding --------------------------------------------------------------------------------


def test_funding_totals_per_year_and_source_and_unpaid_las(plan, world, programme_manager):
    from regions.selectors.funding import funding_summary

    for la, status in ((world.home_la, "received"), (world.peer_la, "invoiced")):
        funding_services.funding_record(
            actor=programme_manager,
            plan=plan,
            financial_year=2018,
            source="la_subscription",
            local_authority=la,
            amount=Decimal("10156.25"),
            status=status,
        )
    funding_services.funding_record(
        actor=programme_manager,
        plan=plan,
        financial_year=2018,
        source="dfe_grant",
        amount=Decimal("130000"),
        status="received",
    )
    summary = funding_summary(plan=plan)
    year = summary.years[0]
    assert year.label == "2018-19"
    assert year.total == Decimal("150312.50")
    assert year.received == Decimal("140156.25")
    assert year.by_source == {
        "LA subscription": Decimal("20312.50"),
        "DfE grant": Decimal("130000"),
    }
    assert [la.name for la in year.unpaid_las] == ["Devon"], "invoiced is not paid"
    assert [la.name for la in summary.years[1].unpaid_las] == ["Devon", "Somerset"]
    assert summary.total == Decimal("150312.50")


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"financial_year": 2022}, "financial_year", "outside the plan's period"),
        ({"amount": Decimal("-1")}, "amount", "zero or more"),
        ({"source": "la_subscription"}, "local_authority", "Say which LA"),
        ({"local_authority": "other"}, "local_authority", "not in South West"),
        ({"source": "dfe_grant", "local_authority": "home"}, "local_authority", "Only an LA"),
    ],
)
def test_funding_record_refuses_bad_input(plan, world, programme_manager, changes, field, words):
    kwargs = {"financial_year": 2018, "source": "la_subscription", "amount": Decimal("10")}
    kwargs["local_authority"] = world.home_la
    kwargs.update(changes)
    if kwargs.get("local_authority") == "other":
        kwargs["local_authority"] = world.other_la
    elif kwargs.get("local_authority") == "home":
        kwargs["local_authority"] = world.home_la
    if changes.get("source") == "la_subscription":
        kwargs["local_authority"] = None
    with pytest.raises(ValidationError) as error:
        funding_services.funding_record(actor=programme_manager, plan=plan, **kwargs)
    assert words in " ".join(error.value.message_dict[field])
    assert not FundingContribution.objects.exists()


def test_an_la_subscription_is_recorded_once_a_year(plan, world, programme_manager):
    kwargs = {
        "plan": plan,
        "financial_year": 2018,
        "source": "la_subscription",
        "local_authority": world.home_la,
        "amount": Decimal("10"),
    }
    funding_services.funding_record(actor=programme_manager, **kwargs)
    with pytest.raises(ValidationError, match="already has a subscription for 2018-19"):
        funding_services.funding_record(actor=programme_manager, **kwargs)
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingContribution.objects.create(**kwargs)


# --- annexes --------------------------------------------------------------------------------


def test_annex_pdf_is_stored_with_its_size_and_type(plan, programme_manager):
    upload = SimpleUploadedFile("Annex A.pdf", PDF)
    attachment = plan_services.attachment_add(
        actor=programme_manager, plan=plan, title="", upload=upload
    )
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF)
    assert attachment.title == "Annex A.pdf"


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("annex.exe", b"MZ...", "is not a PDF or Word"),
        ("annex.pdf", b"<html>not a pdf</html>", "is not a PDF"),
        ("annex.docx", b"PK\x03\x04garbage", "is not a Word document"),
        ("annex.docx", b"%PDF-1.4", "is not a Word document"),
        ("annex.pdf", b"", "is empty"),
    ],
)
def test_annex_of_the_wrong_kind_is_refused_by_name(plan, programme_manager, name, content, words):
    with pytest.raises(ValidationError) as error:
        plan_services.attachment_add(
            actor=programme_manager, plan=plan, title="", upload=SimpleUploadedFile(name, content)
        )
    assert words in " ".join(error.value.message_dict["file"])
    assert name in " ".join(error.value.message_dict["file"])
    assert not plan.attachments.exists()


def test_annex_over_ten_megabytes_is_refused(plan, programme_manager):
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError, match="10 MB or smaller"):
        plan_services.attachment_add(actor=programme_manager, plan=plan, title="", upload=big)


def test_a_real_docx_is_accepted(plan, programme_manager):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    upload = SimpleUploadedFile("annex.docx", buffer.getvalue())
    attachment = plan_services.attachment_add(
        actor=programme_manager, plan=plan, title="B", upload=upload
    )
    assert attachment.content_type.endswith("wordprocessingml.document")


@pytest.mark.django_db(transaction=True)
def test_two_plans_made_current_at_once_leave_exactly_one_current(world, monkeypatch):
    """Two programme managers save different plans as current at the same instant: both saves
    succeed in turn (the region row is locked) and the later one is the current plan."""
    import threading
    import time

    from django.db import connection

    original = plan_services._set_current

    def slow_set_current(plan, actor):
        # Widen the window between "retire the current plan" and "save the new one", as a
        # slow request would.
        original(plan, actor)
        time.sleep(0.3)

    monkeypatch.setattr(plan_services, "_set_current", slow_set_current)
    barrier = threading.Barrier(2)
    errors: list[str] = []

    def create(title):
        try:
            barrier.wait(timeout=5)
            plan_services.plan_create(
                actor=world.users["programme_manager"],
                region=world.region,
                title=title,
                start_year=2021,
                end_year=2023,
                is_current=True,
            )
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(t,)) for t in ("Plan A", "Plan B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert errors == []
    assert Plan.objects.filter(region=world.region).count() == 2
    assert Plan.objects.filter(region=world.region, is_current=True).count() == 1
