import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.url_matrix import UrlCase, with_partner
from tests.world import PERSONAS

# URL names that are not ours to test here, with the reason.
NOT_IN_MATRIX = {
    # Django's admin has its own staff-only permission model.
    "admin",
}


def _all_cases() -> list[UrlCase]:
    cases: list[UrlCase] = []
    # tests/<app>/url_cases.py and tests/<app>/<noun>/url_cases.py
    for module_info in pkgutil.walk_packages(tests.__path__, "tests."):
        if not module_info.name.endswith(".url_cases"):
            continue
        cases.extend(importlib.import_module(module_info.name).CASES)
    return with_partner(cases)


CASES = _all_cases()


def _named_urls(resolver=None, namespace="") -> set[str]:
    resolver = resolver or get_resolver()
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in NOT_IN_MATRIX:
                continue
            names |= _named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_named_url_has_a_permission_case():
    covered = {case.name for case in CASES}
    missing = sorted(_named_urls() - covered)
    assert not missing, f"URLs with no row in any tests/<app>/url_cases.py: {missing}"


def test_every_case_lists_every_persona():
    for case in CASES:
        assert set(case.expected) == set(PERSONAS), f"{case.id} does not list every persona"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_url_answers_persona_as_expected(case, persona, world, client):
    user = world.user(persona)
    if user is not None:
        client.force_login(user)
    url = reverse(case.name, kwargs=case.resolve_kwargs(world)) + case.query
    data = case.resolve_data(world)
    response = (
        getattr(client, case.method)(url, data=data) if data else getattr(client, case.method)(url)
    )
    expected = case.expected[persona]
    assert response.status_code == expected, (
        f"{case.id} as {persona}: expected {expected}, got {response.status_code}"
    )
    if persona == "anonymous" and expected == 302:
        assert reverse("login") in response["Location"], "anonymous users are sent to sign in"
