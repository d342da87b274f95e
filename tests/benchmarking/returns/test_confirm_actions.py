"""Locking and reopening a return, and unlinking a priority's indicator, ask first (issue 14):
the GET says what will happen and who is told and changes nothing; the POST acts."""

import pytest
from django.urls import reverse

from benchmarking.models import Return, Status
from notifications.models import Notification
from regions.models import Priority
from tests.benchmarking.priority_links.url_cases import _linked
from tests.benchmarking.url_cases import _approved
from tests.confirming import assert_confirmation_changes_nothing

pytestmark = pytest.mark.django_db


def _return_urls(kwargs):
    return (
        reverse("benchmarking:return_detail", kwargs=kwargs),
        reverse("benchmarking:return_lock", kwargs=kwargs),
        reverse("benchmarking:return_reopen", kwargs=kwargs),
    )


def test_lock_asks_first(world, programme_manager, client_for):
    detail, lock, _ = _return_urls(_approved(world))
    client = client_for(programme_manager)
    page = client.get(detail).content.decode()
    assert f'href="{lock}">Lock the return' in page
    assert f'action="{lock}"' not in page
    assert_confirmation_changes_nothing(
        client,
        lock,
        says=[
            "Are you sure you want to lock Somerset's return for",
            "Nobody can change its values or upload a file for it any more.",
            "Nobody is sent an email or notification.",
        ],
        cancel_url=detail,
    )
    assert Return.objects.get().status == Status.APPROVED
    assert client.post(lock).status_code == 302
    assert Return.objects.get().status == Status.LOCKED


def test_reopen_asks_first_with_the_reason_and_who_is_told(world, programme_manager, client_for):
    detail, _, reopen = _return_urls(_approved(world))
    client = client_for(programme_manager)
    page = client.get(detail).content.decode()
    assert f'<form method="get" action="{reopen}"' in page
    text = assert_confirmation_changes_nothing(
        client,
        reopen,
        data={"reason": "Q1 referrals recounted"},
        says=[
            "Are you sure you want to reopen Somerset's return for",
            "It goes back to draft (approved now)",
            "“Q1 referrals recounted”",
            "Somerset's 1 performance lead, by a notification giving the reason",
        ],
        cancel_url=detail,
    )
    assert '<input type="hidden" name="reason" value="Q1 referrals recounted">' in text
    assert not Notification.objects.filter(kind="return_reopened").exists()
    assert client.post(reopen, {"reason": "Q1 referrals recounted"}).status_code == 302
    assert Return.objects.get().status == Status.DRAFT
    told = Notification.objects.filter(kind="return_reopened")
    assert [n.recipient for n in told] == [world.users["performance_lead"]]


def test_reopen_without_a_reason_asks_for_one_and_changes_nothing(
    world, programme_manager, client_for
):
    _, _, reopen = _return_urls(_approved(world))
    response = client_for(programme_manager).get(reopen, {"reason": ""})
    assert response.status_code == 400
    assert "Enter the reason for reopening" in response.content.decode()
    assert Return.objects.get().status == Status.APPROVED


def test_unlinking_an_indicator_asks_first(world, programme_manager, client_for):
    kwargs = _linked(world)
    priority = Priority.objects.get(pk=kwargs["pk"])
    url = reverse("benchmarking:priority_indicator_unlink", kwargs=kwargs)
    client = client_for(programme_manager)
    assert f'href="{url}">Unlink' in client.get(priority.get_absolute_url()).content.decode()
    assert_confirmation_changes_nothing(
        client,
        url,
        says=[
            "Are you sure you want to unlink Children looked after per 10,000 children from "
            f"priority {priority.number}?",
            "The indicator and its data are not changed.",
            "Nobody is sent an email or notification.",
        ],
        cancel_url=priority.get_absolute_url() + "#indicators-heading",
    )
    assert priority.indicator_links.count() == 1
    assert client.post(url).status_code == 302
    assert priority.indicator_links.count() == 0
