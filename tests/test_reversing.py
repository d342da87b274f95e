"""Remembered URLs stay right when the site is mounted under a prefix or the URLconf changes."""

from django.test import override_settings
from django.urls import clear_script_prefix, include, path, set_script_prefix

from sli_portal.reversing import cached_reverse


def test_the_script_prefix_is_part_of_what_is_remembered():
    assert cached_reverse("regions:la_detail", slug="somerset") == "/las/somerset/"
    set_script_prefix("/sli/")
    try:
        assert cached_reverse("regions:la_detail", slug="somerset") == "/sli/las/somerset/"
    finally:
        clear_script_prefix()
    assert cached_reverse("regions:la_detail", slug="somerset") == "/las/somerset/"


def _view(request):  # never called: the test only reverses
    raise AssertionError


urlpatterns = [
    path("other/", include(([path("las/<slug:slug>/", _view, name="la_detail")], "regions")))
]


def test_a_new_urlconf_forgets_remembered_urls():
    assert cached_reverse("regions:la_detail", slug="somerset") == "/las/somerset/"
    with override_settings(ROOT_URLCONF=__name__):
        assert cached_reverse("regions:la_detail", slug="somerset") == "/other/las/somerset/"
    assert cached_reverse("regions:la_detail", slug="somerset") == "/las/somerset/"
