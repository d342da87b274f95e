"""Notifications URLs against every persona: each person sees and marks only their own; a
notification of someone else is 404 (outsiders learn nothing)."""

from notifications.services import notify
from sli_portal.access import SYSTEM
from tests.url_matrix import UrlCase, expect


def _dcs_notification(world) -> dict:
    notify(
        actor=SYSTEM,
        recipients=[world.users["dcs"]],
        kind="test",
        occasion="url-matrix",
        text="Something needs you",
        url="/",
    )
    return {"pk": world.users["dcs"].notifications.get().pk}


_OWN_ONLY = expect(404, dcs=302)

CASES = [
    UrlCase("notifications:inbox", expect(200)),
    UrlCase("notifications:preferences", expect(200)),
    UrlCase(
        "notifications:preferences",
        expect(302),
        method="post",
        data={"delivery": "digest"},
        label="save",
    ),
    UrlCase("notifications:mark_all_read", expect(302), method="post"),
    UrlCase("notifications:open", dict(_OWN_ONLY), kwargs=_dcs_notification),
    UrlCase("notifications:mark_read", dict(_OWN_ONLY), kwargs=_dcs_notification, method="post"),
]
