"""The shared test world: two regions, three LAs and one user per persona.

Personas (keys of World.users):
- programme_manager: programme manager of `region`
- dcs, performance_lead, member: of `home_la` (in `region`)
- peer_dcs: DCS of `peer_la`, another LA of the same region
- analyst: member of `peer_la` with the position "analyst" (a regional grant: approves, locks
  and uploads every LA's returns of `region`)
- outsider: DCS of `other_la`, in `other_region`
- partner: a partner of `region` (DfE's regional lead, for the Department for Education): reads
  what the region opens to partners (its plan and events), nothing else of it
- staff: staff user (may open the Django admin) who is not a superuser and has no role
- admin: superuser
- anonymous: not signed in (no user)
"""

from dataclasses import dataclass, field

from regions.models import Organisation, OrganisationKind, Position, Role
from tests.accounts.factories import UserFactory
from tests.regions.factories import LocalAuthorityFactory, MembershipFactory, RegionFactory

PERSONAS = (
    "anonymous",
    "admin",
    "programme_manager",
    "dcs",
    "performance_lead",
    "member",
    "peer_dcs",
    "analyst",
    "outsider",
    "staff",
    "partner",
)


@dataclass
class World:
    region: object
    other_region: object
    home_la: object
    peer_la: object
    other_la: object
    users: dict[str, object] = field(default_factory=dict)

    def user(self, persona: str):
        return self.users.get(persona)


def build_world() -> World:
    region = RegionFactory(code="E12000009", name="South West", slug="south-west")
    other_region = RegionFactory(code="E12000008", name="South East", slug="south-east")
    home_la = LocalAuthorityFactory(name="Somerset", slug="somerset", region=region)
    peer_la = LocalAuthorityFactory(name="Devon", slug="devon", region=region)
    other_la = LocalAuthorityFactory(
        name="Bracknell Forest", slug="bracknell-forest", region=other_region
    )
    users = {
        "admin": UserFactory(
            email="admin@example.org", full_name="Ada Admin", is_staff=True, is_superuser=True
        ),
        "programme_manager": UserFactory(email="pm@example.org", full_name="Priya Mandal"),
        "dcs": UserFactory(email="dcs@example.org", full_name="Dan Clarke"),
        "performance_lead": UserFactory(email="lead@example.org", full_name="Pat Lewis"),
        "member": UserFactory(email="member@example.org", full_name="Morgan Ellis"),
        "peer_dcs": UserFactory(email="peer@example.org", full_name="Pip Devon"),
        "analyst": UserFactory(email="analyst@example.org", full_name="Ana Lyst"),
        "outsider": UserFactory(email="outsider@example.org", full_name="Olu Adeyemi"),
        "staff": UserFactory(email="staff@example.org", full_name="Sam Staff", is_staff=True),
        "partner": UserFactory(email="partner@example.org", full_name="Rhia Sloane"),
    }
    MembershipFactory(
        user=users["programme_manager"],
        role=Role.PROGRAMME_MANAGER,
        region=region,
        local_authority=None,
    )
    MembershipFactory(user=users["dcs"], role=Role.DCS, local_authority=home_la)
    MembershipFactory(
        user=users["performance_lead"], role=Role.PERFORMANCE_LEAD, local_authority=home_la
    )
    MembershipFactory(
        user=users["member"],
        role=Role.MEMBER,
        local_authority=home_la,
        position=Position.ASSISTANT_DIRECTOR,
    )
    MembershipFactory(user=users["peer_dcs"], role=Role.DCS, local_authority=peer_la)
    MembershipFactory(
        user=users["analyst"],
        role=Role.MEMBER,
        local_authority=peer_la,
        position=Position.ANALYST,
    )
    MembershipFactory(user=users["outsider"], role=Role.DCS, local_authority=other_la)
    MembershipFactory(
        user=users["partner"],
        role=Role.PARTNER,
        region=region,
        local_authority=None,
        organisation=Organisation.objects.create(
            name="Department for Education", kind=OrganisationKind.GOVERNMENT
        ),
    )
    return World(
        region=region,
        other_region=other_region,
        home_la=home_la,
        peer_la=peer_la,
        other_la=other_la,
        users=users,
    )
