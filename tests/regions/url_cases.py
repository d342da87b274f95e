from regions.models import Invitation, Role
from tests.url_matrix import UrlCase, expect, only


def _invitation(world, la=None):
    from datetime import timedelta

    from django.utils import timezone

    invitation = Invitation.objects.create(
        email="new.person@example.org",
        full_name="New Person",
        role=Role.MEMBER,
        local_authority=la or world.home_la,
        invited_by=world.users["programme_manager"],
        expires_at=timezone.now() + timedelta(days=7),
    )
    return invitation


def _invitation_token(world):
    from regions.services import invitation_token

    return {"token": invitation_token(_invitation(world))}


MANAGERS = {"admin": 302, "programme_manager": 302}

CASES = [
    UrlCase("dashboard", expect(200)),
    UrlCase("healthz", expect(200, anonymous=200)),
    UrlCase("login", expect(200, anonymous=200)),
    UrlCase("logout", expect(302, anonymous=302), method="post"),
    UrlCase("password_reset", expect(200, anonymous=200)),
    UrlCase("password_reset_done", expect(200, anonymous=200)),
    UrlCase(
        "password_reset_confirm",
        expect(200, anonymous=200),
        kwargs={"uidb64": "MQ", "token": "not-a-token"},
    ),
    UrlCase("password_reset_complete", expect(200, anonymous=200)),
    UrlCase("password_change", expect(200)),
    UrlCase("password_change_done", expect(200)),
    UrlCase("regions:region_list", expect(200)),
    UrlCase("regions:region_detail", expect(200), kwargs=lambda w: {"slug": w.region.slug}),
    UrlCase(
        "regions:region_detail",
        expect(200),
        kwargs=lambda w: {"slug": w.other_region.slug},
        label="other region",
    ),
    UrlCase("regions:la_list", expect(200)),
    UrlCase("regions:la_detail", expect(200), kwargs=lambda w: {"slug": w.home_la.slug}),
    UrlCase(
        "regions:invitation_create",
        only({"admin": 200, "programme_manager": 200}),
        kwargs=lambda w: {"slug": w.region.slug},
    ),
    UrlCase(
        "regions:invitation_create",
        only({"admin": 200}),
        kwargs=lambda w: {"slug": w.other_region.slug},
        label="other region",
    ),
    UrlCase(
        "regions:invitation_resend",
        only(MANAGERS),
        kwargs=lambda w: {"pk": _invitation(w).pk},
        method="post",
    ),
    UrlCase(
        "regions:invitation_revoke",
        only(MANAGERS),
        kwargs=lambda w: {"pk": _invitation(w).pk},
        method="post",
    ),
    UrlCase(
        "regions:invitation_revoke",
        only({"admin": 302}),
        kwargs=lambda w: {"pk": _invitation(w, la=w.other_la).pk},
        method="post",
        label="other region",
    ),
    # The link itself is the credential: anyone holding it sees the invitation.
    UrlCase("regions:invitation_accept", expect(200, anonymous=200), kwargs=_invitation_token),
]

# Plans, priorities, funding, groups and votes.
from tests.regions.plan_url_cases import CASES as PLAN_CASES  # noqa: E402

CASES += PLAN_CASES
