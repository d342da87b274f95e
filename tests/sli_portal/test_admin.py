"""The Django admin answers a staff user who is not a superuser, and a superuser, on every page of
every registered model without a server error; outbox tables are read-only there."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from benchmarking.models import ChaseEmail
from events.models import Notice as EventNotice
from peer_challenge.models import Notice as PeerNotice
from regions.models import Invitation, OptInEmail, UpdateEmail
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def _admin_urls():
    for model in admin.site._registry:
        meta = model._meta
        prefix = f"admin:{meta.app_label}_{meta.model_name}"
        yield f"{prefix}_changelist", reverse(f"{prefix}_changelist")
        yield f"{prefix}_add", reverse(f"{prefix}_add")
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        for page in ("change", "history", "delete"):
            yield f"{prefix}_{page}", reverse(f"{prefix}_{page}", args=[obj.pk])
        version = obj.history.first() if hasattr(obj, "history") else None
        if version is not None:
            args = [obj.pk, version.history_id]
            yield f"{prefix}_simple_history", reverse(f"{prefix}_simple_history", args=args)


@pytest.mark.parametrize("superuser", [False, True], ids=["staff", "superuser"])
def test_every_admin_page_answers_staff_and_superusers_without_a_server_error(
    demo, client, superuser
):
    user = UserFactory(email="staff@example.org", is_staff=True, is_superuser=superuser)
    client.force_login(user)
    errors = []
    for name, url in _admin_urls():
        response = client.get(url)
        if response.status_code >= 500 or response.status_code not in (200, 302, 403, 404):
            errors.append(f"{name} {url}: {response.status_code}")
    assert not errors, errors


@pytest.mark.parametrize(
    "model", [EventNotice, PeerNotice, ChaseEmail, Invitation, UpdateEmail, OptInEmail]
)
def test_outbox_tables_are_read_only_in_the_admin(demo, client, model):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    meta = model._meta
    prefix = f"admin:{meta.app_label}_{meta.model_name}"
    assert client.get(reverse(f"{prefix}_changelist")).status_code == 200
    assert client.get(reverse(f"{prefix}_add")).status_code == 403
    assert client.post(reverse(f"{prefix}_add"), {}).status_code == 403
    count = model._default_manager.count()
    obj = model._default_manager.first()
    if obj is not None:
        change = client.get(reverse(f"{prefix}_change", args=[obj.pk]))
        assert change.status_code == 200
        assert b'name="_save"' not in change.content  # shown, not editable
        assert (
            client.post(reverse(f"{prefix}_delete", args=[obj.pk]), {"post": "yes"}).status_code
            == 403
        )
    assert model._default_manager.count() == count


def test_staff_without_superuser_sees_no_delegate_in_the_admin(demo, client):
    from events.models import Delegate

    client.force_login(UserFactory(email="staff@example.org", is_staff=True))
    delegate = Delegate.objects.first()
    assert client.get(reverse("admin:events_delegate_changelist")).status_code == 403
    assert client.get(reverse("admin:events_delegate_change", args=[delegate.pk])).status_code in (
        302,
        403,
    )
