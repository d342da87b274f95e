"""Ending a role: the region's programme manager (and administrators); others in the region
403; another region's people 404 (as for staff, who hold no role)."""

from regions.models import Membership, Role
from tests.url_matrix import UrlCase, only


def _dcs_role(world):
    return {"pk": Membership.objects.get(user=world.users["dcs"], role=Role.DCS).pk}


CASES = [
    UrlCase(
        "regions:membership_end",
        only({"admin": 200, "programme_manager": 200, "outsider": 404, "staff": 404}),
        kwargs=_dcs_role,
    ),
    UrlCase(
        "regions:membership_end",
        only({"admin": 302, "programme_manager": 302, "outsider": 404, "staff": 404}),
        kwargs=_dcs_role,
        method="post",
        data={"reason": "Left the council"},
        label="end",
    ),
]
