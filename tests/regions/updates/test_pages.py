"""The signed-in update pages: editing keeps history and sanitises, publish (and send) from the
page, double submits are harmless, bad input names the field, and query counts are flat."""

import pytest
from django.core import mail
from django.urls import reverse

from regions.models import Update, UpdateEmail
from tests.events.factories import EventFactory


def test_editing_sanitises_keeps_history_and_names_bad_input(client, world, new_update):
    update = new_update(publish=False)
    client.force_login(world.users["programme_manager"])
    url = reverse("regions:update_edit", kwargs={"pk": update.pk})
    data = {
        "title": "South East Regional Update - December 2019",
        "summary": "The plan launched.",
        "body": "## Plan\n\n<script>x()</script> [go](javascript:x())",
        "tags": "SLI, RIIAS, SOUTH EAST",
        "is_public": "on",
    }
    assert client.post(url, data).status_code == 302
    update.refresh_from_db()
    assert "<script>" not in update.body_html and "javascript:" not in update.body_html
    assert sorted(update.tags.values_list("name", flat=True)) == ["RIIAS", "SLI", "SOUTH EAST"]
    latest = update.history.first()
    assert (latest.title, latest.history_user) == (data["title"], world.users["programme_manager"])
    page = client.get(reverse("regions:update_detail", kwargs={"pk": update.pk})).content.decode()
    # The save, then its tags (django-simple-history records a change of tags on its own).
    assert ">Title, summary, text<" in page and ">Tags<" in page and "Priya Mandal" in page

    bad = client.post(url, {**data, "title": " ", "tags": ",".join(f"t{n}" for n in range(9))})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Enter the title" in text or "Give the update a title" in text
    too_many = client.post(url, {**data, "tags": ",".join(f"t{n}" for n in range(9))})
    assert (
        too_many.status_code == 400
        and "Give at most 8 tags (9 given)." in too_many.content.decode()
    )


def test_publish_and_send_from_the_page_twice_publishes_once_and_emails_once(
    client, world, new_update, django_capture_on_commit_callbacks
):
    update = new_update(publish=False)
    client.force_login(world.users["programme_manager"])
    url = reverse("regions:update_publish", kwargs={"pk": update.pk})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"send": "1"}).status_code == 302
    first_published_at = Update.objects.get(pk=update.pk).published_at
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"send": "1"}).status_code == 302
    update.refresh_from_db()
    assert update.is_published and update.published_at == first_published_at
    assert UpdateEmail.objects.filter(update=update).count() == 6
    assert len(mail.outbox) == 6


def test_an_empty_update_cannot_be_published(client, world, new_update):
    update = new_update(publish=False, body="")
    client.force_login(world.users["programme_manager"])
    response = client.post(reverse("regions:update_publish", kwargs={"pk": update.pk}), follow=True)
    assert "Write the update before publishing it." in response.content.decode()
    assert not Update.objects.get(pk=update.pk).is_published


@pytest.mark.parametrize("size", [2, 12])
def test_signed_in_update_pages_queries_do_not_grow(
    client, world, new_update, django_assert_max_num_queries, size
):
    for n in range(size):
        new_update(title=f"Update {n}", tags=("SLI", f"TAG {n % 4}"))
        EventFactory(region=world.region, is_public=True)
    update = new_update(title="Measured")
    client.force_login(world.users["programme_manager"])
    pages = {
        reverse("regions:update_list", kwargs={"slug": world.region.slug}): 9,
        reverse("regions:update_detail", kwargs={"pk": update.pk}): 10,
        reverse("regions:update_emails", kwargs={"pk": update.pk}): 7,
    }
    for url, budget in pages.items():
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200


def test_update_list_sorts_by_title_and_pages_keeping_the_sort(client, world, new_update):
    for n in range(52):
        new_update(title=f"Update {n:02d}")
    client.force_login(world.users["programme_manager"])
    url = reverse("regions:update_list", kwargs={"slug": world.region.slug})
    first = client.get(url + "?sort=-title")
    titles = [u.title for u in first.context["updates"].rows]
    assert titles[:2] == ["Update 51", "Update 50"] and len(titles) == 50
    assert "sort=-title&amp;page=2" in first.content.decode()
    second = client.get(url + "?sort=-title&page=2")
    assert [u.title for u in second.context["updates"].rows] == ["Update 01", "Update 00"]
    for query in ("?page=nine", "?sort=drop"):
        response = client.get(url + query)
        assert response.status_code == 200 and response.context["updates"].page.number == 1
