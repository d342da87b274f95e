"""The demo South West region: real LAs, one person per role, a DCS and lead for every LA."""

from django.contrib.auth import get_user_model
from django.db import transaction

from sli_portal.demo import DemoContext

from . import services
from .models import LocalAuthority, Membership, Position, Region, Role

DEMO_PASSWORD = "demo-sli-portal-2026"
DEMO_DOMAIN = "demo.sli-portal.local"
DEMO_REGION_CODE = "E12000009"  # South West
DEMO_HOME_LA_GSS = "E06000066"  # Somerset
DEMO_OUTSIDER_LA_GSS = "E06000036"  # Bracknell Forest, South East

User = get_user_model()


def _user(email: str, full_name: str, job_title: str = "", **extra):
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "job_title": job_title, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _grant(user, role, *, region=None, la=None, position=""):
    # Demo data is written as the system, not as a signed-in user.
    if (
        role == Role.DCS
        and Membership.objects.filter(local_authority=la, role=Role.DCS).exclude(user=user).exists()
    ):
        return
    services.membership_grant(
        actor=None, user=user, role=role, region=region, local_authority=la, position=position
    )


@transaction.atomic
def build_people() -> DemoContext:
    if not LocalAuthority.objects.exists():
        services.reference_data_load()
    region = Region.objects.get(code=DEMO_REGION_CODE)
    home = LocalAuthority.objects.get(gss_code=DEMO_HOME_LA_GSS)
    outsider_la = LocalAuthority.objects.get(gss_code=DEMO_OUTSIDER_LA_GSS)

    users = {
        "administrator": _user(
            f"admin@{DEMO_DOMAIN}",
            "Ada Administrator",
            "Portal administrator",
            is_staff=True,
            is_superuser=True,
        ),
        "programme_manager": _user(
            f"pm@{DEMO_DOMAIN}", "Priya Mandal", "SLI programme manager, South West"
        ),
        "dcs": _user(f"dcs@{DEMO_DOMAIN}", "Dan Clarke", "Director of children's services"),
        "performance_lead": _user(f"lead@{DEMO_DOMAIN}", "Pat Lewis", "Head of performance"),
        "member": _user(f"member@{DEMO_DOMAIN}", "Morgan Ellis", "Assistant director"),
        "chief_executive": _user(f"ceo@{DEMO_DOMAIN}", "Chris Evans", "Chief executive"),
        "lead_member": _user(f"councillor@{DEMO_DOMAIN}", "Cllr Lee Morris", "Lead member"),
        "outsider": _user(
            f"outsider@{DEMO_DOMAIN}", "Olu Adeyemi", "Director of children's services"
        ),
    }
    _grant(users["programme_manager"], Role.PROGRAMME_MANAGER, region=region)
    _grant(users["dcs"], Role.DCS, la=home)
    _grant(users["performance_lead"], Role.PERFORMANCE_LEAD, la=home)
    _grant(users["member"], Role.MEMBER, la=home, position=Position.ASSISTANT_DIRECTOR)
    _grant(users["chief_executive"], Role.MEMBER, la=home, position=Position.CHIEF_EXECUTIVE)
    _grant(users["lead_member"], Role.MEMBER, la=home, position=Position.LEAD_MEMBER)
    _grant(users["outsider"], Role.DCS, la=outsider_la)

    la_users = {home.pk: {"dcs": users["dcs"], "performance_lead": users["performance_lead"]}}
    for la in LocalAuthority.objects.filter(region=region, is_active=True).exclude(pk=home.pk):
        dcs = _user(
            f"dcs.{la.slug}@{DEMO_DOMAIN}", f"DCS of {la.name}", "Director of children's services"
        )
        lead = _user(
            f"lead.{la.slug}@{DEMO_DOMAIN}", f"Performance lead, {la.name}", "Performance lead"
        )
        _grant(dcs, Role.DCS, la=la)
        _grant(lead, Role.PERFORMANCE_LEAD, la=la)
        la_users[la.pk] = {"dcs": dcs, "performance_lead": lead}
    return DemoContext(region=region, home_la=home, users=users, la_users=la_users)
