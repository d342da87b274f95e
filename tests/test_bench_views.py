"""The reference pages `make bench` measures beside the real ones (mounted with BENCH_ENABLED)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from sli_portal import bench_views


def _get(user):
    request = RequestFactory().get("/bench/layout/")
    request.user, request.session = user, SessionStore()
    return bench_views.signed_in_layout(request)


@pytest.mark.django_db
def test_the_layout_reference_is_the_signed_in_frame_with_no_content(world):
    response = _get(world.users["dcs"])
    assert response.status_code == 200
    page = response.content.decode()
    assert "Layout only" in page and "Skip to main content" in page
    assert _get(AnonymousUser()).status_code == 302  # signed in only, like every real page


def test_the_bare_reference_needs_no_database():
    response = bench_views.bare(RequestFactory().get("/bench/bare/"))
    assert response.status_code == 200
