"""base.html's header and footer are rendered once per process for each set of values they show
({% frame_cache %}, sli_portal/templatetags/frame.py): each person still sees their own name,
navigation and count, every change on the very next request, and each request its own CSRF
token (never one kept from another request or person)."""

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client, override_settings

from notifications.services.notifications import notify
from regions.models import Membership
from sli_portal.access import SYSTEM
from sli_portal.templatetags import frame

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.sli_portal.frame_urls")]

LAYOUT = "/bench/layout/"
TOKEN_IN_FORM = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_IN_HEADERS = re.compile(r'"X-CSRFToken": "([^"]+)"')


def _header(response) -> str:
    html = response.content.decode()
    return html[html.index("<header") : html.index("</header>")]


def test_each_person_sees_their_own_name_and_navigation(world):
    pages = {}
    for persona in ("dcs", "programme_manager", "admin", "dcs"):
        client = Client()
        client.force_login(world.users[persona])
        pages[persona] = _header(client.get(LAYOUT))
        assert world.users[persona].full_name in pages[persona]
    assert ">Admin<" in pages["admin"] and ">Admin<" not in pages["dcs"]
    assert pages["dcs"] != pages["programme_manager"]


def test_a_changed_name_shows_on_the_next_request(world, client):
    user = world.users["dcs"]
    client.force_login(user)
    assert user.full_name in _header(client.get(LAYOUT))
    user.full_name = "Renamed Person"
    user.save(update_fields=["full_name"])
    assert "Renamed Person" in _header(client.get(LAYOUT))


def test_a_lost_role_leaves_the_navigation_on_the_next_request(world, client):
    dcs = world.users["dcs"]
    client.force_login(dcs)
    assert ">Plans<" in _header(client.get(LAYOUT))
    Membership.objects.filter(user=dcs).delete()
    assert ">Plans<" not in _header(client.get(LAYOUT))


def test_a_new_notification_counts_in_the_header_on_the_next_request(
    world, client, django_capture_on_commit_callbacks
):
    user = world.users["dcs"]
    client.force_login(user)
    assert "header-unread-count" not in _header(client.get(LAYOUT))
    with django_capture_on_commit_callbacks(execute=True):
        notify(actor=SYSTEM, recipients=[user], kind="test", occasion="frame", text="Hello")
    assert re.search(r'id="header-unread-count">1<', _header(client.get(LAYOUT)))


def test_the_active_navigation_entry_follows_the_page(world, client):
    client.force_login(world.users["dcs"])
    dashboard = client.get("/").content.decode()
    assert re.search(r'aria-current="page"><strong[^>]*>Dashboard<', dashboard)
    layout = client.get(LAYOUT).content.decode()
    assert 'aria-current="page"' not in layout


def test_each_request_carries_its_own_csrf_token_and_it_works(world):
    """The header's sign-out form and htmx's header hold this request's token, never the
    placeholder nor a token from another person's request; and signing out with it works."""
    tokens = []
    for persona in ("dcs", "programme_manager"):
        client = Client(enforce_csrf_checks=True)
        client.force_login(world.users[persona])
        html = client.get(LAYOUT).content.decode()
        assert "csrfhole" not in html
        (in_form,) = TOKEN_IN_FORM.findall(html)
        (in_headers,) = TOKEN_IN_HEADERS.findall(html)
        assert in_form == in_headers
        tokens.append(in_form)
        response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": in_form})
        assert response.status_code == 302
        assert client.get(LAYOUT).status_code == 302  # signed out: to the sign-in page
    assert tokens[0] != tokens[1]


def test_a_post_with_another_sessions_token_is_refused(world):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(world.users["dcs"])
    second.force_login(world.users["dcs"])
    (token,) = TOKEN_IN_FORM.findall(first.get(LAYOUT).content.decode())
    second.get(LAYOUT)  # second has its own CSRF cookie
    assert second.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 403


def test_blocks_are_kept_apart_and_vary_on_their_values():
    frame.clear()
    template = Template(
        "{% load frame %}{% frame_cache %}A{% endframe_cache %}|"
        "{% frame_cache %}B{% endframe_cache %}|"
        "{% frame_cache name %}{{ name }}{% endframe_cache %}"
    )
    context = {"csrf_token": "t0ken"}
    assert template.render(Context({**context, "name": "x"})) == "A|B|x"
    assert template.render(Context({**context, "name": "y"})) == "A|B|y"
    assert template.render(Context({**context, "name": "x"})) == "A|B|x"


def test_a_page_block_inside_a_kept_block_is_refused():
    """A {% block %} a page overrides would be kept as the first page filled it."""
    with pytest.raises(TemplateSyntaxError):
        Template(
            "{% load frame %}{% frame_cache %}{% block title %}{% endblock %}{% endframe_cache %}"
        )


def test_a_block_without_a_csrf_token_in_its_context_is_rendered_not_kept():
    frame.clear()
    template = Template("{% load frame %}{% frame_cache %}[{% csrf_token %}]{% endframe_cache %}")
    assert template.render(Context({})) == "[]"
    assert template.render(Context({"csrf_token": "abc"})) == (
        '[<input type="hidden" name="csrfmiddlewaretoken" value="abc">]'
    )
    assert template.render(Context({"csrf_token": "def"})) == (
        '[<input type="hidden" name="csrfmiddlewaretoken" value="def">]'
    )


def test_a_block_is_kept_with_debug_off_and_rendered_each_time_with_debug_on():
    calls = []

    class Counter:
        def __str__(self):
            calls.append(1)
            return "n"

    template = Template("{% load frame %}{% frame_cache %}{{ c }}{% endframe_cache %}")
    for _ in range(2):
        template.render(Context({"c": Counter(), "csrf_token": "t"}))
    assert len(calls) == 1  # kept: DEBUG is off (as in production)
    with override_settings(DEBUG=True):
        for _ in range(2):
            template.render(Context({"c": Counter(), "csrf_token": "t"}))
    assert len(calls) == 3
