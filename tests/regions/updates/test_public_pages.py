"""A region's public pages (no login): only published public updates, hostile Markdown inert on
the page, in the feeds and the PDF, no person but the opted-in contact, noindex by choice,
cached (a publish or an event change shows at once; Redis down costs speed, not the page), and
query counts that do not grow with the data."""

import io
import re
from html import unescape

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from events.models import Delegate
from regions.models import RAG
from regions.services import priorities as priority_services
from regions.services import subscriptions as subscription_services
from regions.services import updates as services
from tests.events.factories import EventFactory

HOSTILE = (
    "## Hello\n\n<script>alert('owned')</script>\n\n"
    "[click me](javascript:alert(1)) and [fine](https://example.org/)\n\n"
    '<img src=x onerror="alert(2)">'
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _public_urls(world, update=None):
    slug = world.region.slug
    urls = [
        reverse("regions:public_region", kwargs={"slug": slug}),
        reverse("regions:public_feed", kwargs={"slug": slug}),
        reverse("regions:public_tag", kwargs={"slug": slug, "tag": "sli"}),
        reverse("regions:public_tag_feed", kwargs={"slug": slug, "tag": "sli"}),
    ]
    return urls


def _text(response) -> str:
    return unescape(response.content.decode())


def test_drafts_and_region_only_updates_never_appear_publicly(
    client, world, public_profile, new_update
):
    new_update(title="Published for everyone")
    draft = new_update(title="Secret draft", publish=False)
    internal = new_update(title="For the region only", is_public=False)

    for url in _public_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Published for everyone" in _text(response)
        assert "Secret draft" not in _text(response), url
        assert "For the region only" not in _text(response), url
    for hidden in (draft, internal):
        for name in ("regions:public_update", "regions:public_update_pdf"):
            url = reverse(name, kwargs={"slug": world.region.slug, "pk": hidden.pk})
            assert client.get(url).status_code == 404
    # Taken back to draft: gone from the (cached) page at once.
    published = new_update(title="Soon withdrawn")
    page = reverse("regions:public_region", kwargs={"slug": world.region.slug})
    assert "Soon withdrawn" in _text(client.get(page))
    services.update_unpublish(actor=world.users["programme_manager"], update=published)
    assert "Soon withdrawn" not in _text(client.get(page))


def test_a_region_that_has_not_turned_public_pages_on_shows_nothing(client, world, new_update):
    new_update(title="Published")
    for url in _public_urls(world):
        assert client.get(url).status_code == 404


def test_hostile_markdown_is_inert_on_the_page_in_the_feed_and_the_pdf(
    client, world, public_profile, new_update
):
    update = new_update(title="Hostile", body=HOSTILE)
    slug = world.region.slug

    page = client.get(reverse("regions:public_update", kwargs={"slug": slug, "pk": update.pk}))
    html = page.content.decode()
    assert not re.search(r"<(script|img)\b", html)  # no element made from the Markdown
    assert "javascript:" not in html
    assert "&lt;script&gt;alert('owned')&lt;/script&gt;" in html  # shown as text
    assert '<a href="https://example.org/" rel="noopener noreferrer">fine</a>' in html
    assert '<a rel="noopener noreferrer">click me</a>' in html

    feed = client.get(reverse("regions:public_feed", kwargs={"slug": slug}))
    content = unescape(feed.content.decode())  # the entry's HTML, as a feed reader gets it
    assert not re.search(r"<(script|img)\b", content)
    assert "javascript:" not in content
    assert '<a href="https://example.org/"' in content

    pdf = client.get(reverse("regions:public_update_pdf", kwargs={"slug": slug, "pk": update.pk}))
    reader = PdfReader(io.BytesIO(pdf.content))
    assert b"/JavaScript" not in pdf.content and b"/JS " not in pdf.content
    uris = [
        annotation.get_object().get("/A", {}).get("/URI")
        for page_ in reader.pages
        for annotation in page_.get("/Annots", []) or []
    ]
    assert "https://example.org/" in uris
    assert not [u for u in uris if u and "javascript" in u.lower()]
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Hostile" in text and "SOUTH WEST" in text
    assert reader.metadata.title == "Hostile"
    assert reader.trailer["/Root"].get("/Lang") == "en-GB"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged (PDF/UA-1)


def test_the_page_names_nobody_but_the_contact_who_opted_in(
    client, world, public_profile, new_update, plan, theme
):
    pm = world.users["programme_manager"]
    priority = priority_services.priority_create(
        actor=pm,
        theme=theme,
        title="Preventing neglect",
        sponsor=world.users["dcs"],
        sponsor_la=world.home_la,
    )
    priority_services.progress_record(actor=pm, priority=priority, rag=RAG.RED, narrative="Late.")
    summit = EventFactory(
        region=world.region,
        title="Summer summit",
        is_public=True,
        audience="DCSs and partners",
        how_to_book="Ask your DCS",
    )
    EventFactory(region=world.region, title="Private steering group")
    Delegate.objects.create(
        event=summit, local_authority=world.home_la, full_name="Delia Gate", email="dg@example.org"
    )
    news = new_update(title="News")
    subscription_services.public_profile_save(
        actor=pm, region=world.region, publish_plan_summary=True
    )
    url = reverse("regions:public_region", kwargs={"slug": world.region.slug})
    # Every public page and feed: no person (the update's author and publisher included).
    update_url = reverse("regions:public_update", kwargs={"slug": world.region.slug, "pk": news.pk})
    for public_url in [*_public_urls(world), update_url]:
        public_text = _text(client.get(public_url))
        for user in world.users.values():
            assert user.full_name not in public_text and user.email not in public_text, public_url

    text = _text(client.get(url))
    assert "Summer summit" in text and "DCSs and partners" in text and "Ask your DCS" in text
    assert "Private steering group" not in text
    assert "Preventing neglect" in text and "Red" in text
    assert "Late." not in text  # no narratives
    for user in world.users.values():
        assert user.full_name not in text and user.email not in text
    assert "Delia Gate" not in text and "dg@example.org" not in text

    subscription_services.public_profile_save(
        actor=pm,
        region=world.region,
        show_contact=True,
        contact_name="Priya Mandal",
        contact_role="SLI programme manager",
        contact_email="sli@example.org",
    )
    text = _text(client.get(url))
    assert "Priya Mandal" in text and "sli@example.org" in text
    assert pm.email not in text


def test_noindex_is_the_regions_choice(client, world, public_profile, new_update):
    new_update()
    url = reverse("regions:public_region", kwargs={"slug": world.region.slug})
    response = client.get(url)
    assert "X-Robots-Tag" not in response and 'name="robots"' not in response.content.decode()

    subscription_services.public_profile_save(
        actor=world.users["programme_manager"], region=world.region, noindex=True
    )
    for url in _public_urls(world):
        response = client.get(url)
        assert response["X-Robots-Tag"] == "noindex, nofollow", url
    page = reverse("regions:public_region", kwargs={"slug": world.region.slug})
    assert '<meta name="robots" content="noindex, nofollow">' in client.get(page).content.decode()


def test_an_event_change_shows_at_once_on_the_cached_page(client, world, public_profile):
    summit = EventFactory(region=world.region, title="Summer summit", is_public=True)
    url = reverse("regions:public_region", kwargs={"slug": world.region.slug})
    assert "Summer summit" in _text(client.get(url))
    summit.title = "Winter summit"
    summit.updated_at = timezone.now()
    summit.save()
    assert "Winter summit" in _text(client.get(url))


def test_redis_down_costs_speed_not_the_page(client, world, public_profile, new_update, settings):
    new_update(title="Still here")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    response = client.get(reverse("regions:public_region", kwargs={"slug": world.region.slug}))
    assert response.status_code == 200 and "Still here" in _text(response)


def _size(world, new_update, theme, n: int):
    pm = world.users["programme_manager"]
    for i in range(n):
        new_update(title=f"Update {i}", tags=("SLI", f"TAG {i % 5}"))
        EventFactory(region=world.region, title=f"Public event {i}", is_public=True)
        priority = priority_services.priority_create(actor=pm, theme=theme, title=f"P{i}")
        priority_services.progress_record(actor=pm, priority=priority, rag=RAG.AMBER, narrative="-")
    subscription_services.public_profile_save(
        actor=pm, region=world.region, publish_plan_summary=True
    )


@pytest.mark.parametrize("size", [2, 12])
def test_public_page_queries_do_not_grow_with_the_data(
    client, world, public_profile, new_update, theme, django_assert_max_num_queries, size
):
    _size(world, new_update, theme, size)
    update = new_update(title="Measured", tags=("SLI", "TAG 1"))
    slug = world.region.slug
    pages = {
        reverse("regions:public_region", kwargs={"slug": slug}): 9,  # with the plan summary
        reverse("regions:public_update", kwargs={"slug": slug, "pk": update.pk}): 5,
        reverse("regions:public_tag", kwargs={"slug": slug, "tag": "sli"}): 5,
        reverse("regions:public_feed", kwargs={"slug": slug}): 5,
    }
    for url, budget in pages.items():
        cache.clear()
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200
        # Cached: the profile, the events' stamp (and the tag, on a tag's page).
        with django_assert_max_num_queries(3):
            assert client.get(url).status_code == 200


def test_the_signed_in_archive_shows_drafts_only_to_the_programme_manager(
    client, world, new_update
):
    new_update(title="Published news")
    new_update(title="Unfinished draft", publish=False)
    url = reverse("regions:update_list", kwargs={"slug": world.region.slug})
    client.force_login(world.users["programme_manager"])
    text = _text(client.get(url))
    assert "Published news" in text and "Unfinished draft" in text
    client.force_login(world.users["member"])
    text = _text(client.get(url))
    assert "Published news" in text and "Unfinished draft" not in text
    assert not re.search(r"Start this quarter", text)
