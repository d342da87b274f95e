"""England-scale people for the benchmark: a programme manager per region; per LA a DCS, a
performance lead and (2 x factor) members."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from sli_portal.scale import ScaleContext

from . import services
from .models import LocalAuthority, Membership, Position, Region, Role

SCALE_DOMAIN = "scale.sli-portal.local"
SCALE_PASSWORD = "scale-sli-portal-2026"

User = get_user_model()


def seed_people(ctx: ScaleContext) -> None:
    if not LocalAuthority.objects.exists():
        services.reference_data_load()
    ctx.regions = list(Region.objects.order_by("code"))
    ctx.las = list(LocalAuthority.objects.filter(is_active=True).order_by("gss_code"))
    # One hash for every scale user: hashing 1,000 passwords would dominate the seed time.
    password = make_password(SCALE_PASSWORD)
    users: list = []
    memberships: list[tuple[int, str, int | None, int | None, str]] = []

    def person(email: str, name: str) -> int:
        users.append(User(email=email, full_name=name, password=password))
        return len(users) - 1

    for region in ctx.regions:
        index = person(f"pm.{region.slug}@{SCALE_DOMAIN}", f"Programme manager, {region.name}")
        memberships.append((index, Role.PROGRAMME_MANAGER, region.pk, None, ""))
    positions = [Position.ASSISTANT_DIRECTOR, Position.PRINCIPAL_SOCIAL_WORKER]
    for la in ctx.las:
        index = person(f"dcs.{la.slug}@{SCALE_DOMAIN}", f"DCS of {la.name}")
        memberships.append((index, Role.DCS, None, la.pk, ""))
        index = person(f"lead.{la.slug}@{SCALE_DOMAIN}", f"Performance lead, {la.name}")
        memberships.append((index, Role.PERFORMANCE_LEAD, None, la.pk, ""))
        for n in range(2 * ctx.factor):
            index = person(f"member{n}.{la.slug}@{SCALE_DOMAIN}", f"Member {n} of {la.name}")
            memberships.append((index, Role.MEMBER, None, la.pk, positions[n % 2]))

    created = User.objects.bulk_create(users, batch_size=1000)
    Membership.objects.bulk_create(
        [
            Membership(
                user=created[index],
                role=role,
                region_id=region_id,
                local_authority_id=la_id,
                position=position,
            )
            for index, role, region_id, la_id, position in memberships
        ],
        batch_size=1000,
    )
    for index, role, region_id, la_id, _ in memberships:
        if role == Role.PROGRAMME_MANAGER:
            ctx.programme_managers[region_id] = created[index]
        else:
            ctx.la_users.setdefault(la_id, {}).setdefault(role, []).append(created[index])
