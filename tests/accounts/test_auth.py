import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests.accounts.factories import PASSWORD

ROOT = Path(settings.BASE_DIR)


def _login(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_signs_in_with_email_in_any_case_and_lands_on_dashboard(world, client):
    response = _login(client, "DCS@Example.org", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert "Hello, Dan" in client.get(reverse("dashboard")).content.decode()


def test_wrong_password_is_refused(world, client):
    response = _login(client, "dcs@example.org", "wrong")
    assert response.status_code == 200
    assert "correct email address and password" in response.content.decode()


def test_five_failures_lock_the_account_from_that_address(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "dcs@example.org", "wrong")
    response = _login(client, "dcs@example.org", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_working_link(world, client):
    client.post(reverse("password_reset"), {"email": "dcs@example.org"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "another-long-pass-phrase", "new_password2": "another-long-pass-phrase"},
    )
    assert done.status_code == 302
    assert _login(client, "dcs@example.org", "another-long-pass-phrase").status_code == 302


def test_password_reset_for_unknown_email_reveals_nothing(world, client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert "If an account uses that address" in response.content.decode()
    assert mail.outbox == []


def test_sign_out_is_a_post(world, client):
    client.force_login(world.users["dcs"])
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def _manage(*args, **env_overrides):
    dropped = {
        "PYTEST_VERSION",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
    }
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_deploy_check_is_clean_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-0123456789",
        ALLOWED_HOSTS="sli.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_warns_when_secret_key_is_missing():
    env = {"DEBUG": "false", "ALLOWED_HOSTS": "sli.example.org"}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr
