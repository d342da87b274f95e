"""Every URL of the project against every persona.

Each app lists its URLs in `tests/<app>/url_cases.py` as `CASES = [UrlCase(...), ...]`.
tests/test_url_permissions.py runs each case for each persona and fails for any named URL that
has no case, so a new page cannot ship without its permission table.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.world import PERSONAS, World

SIGNED_IN = tuple(p for p in PERSONAS if p != "anonymous")
# A partner holds no role in any LA: by default they get what staff (no role at all) get, except
# what a region opens to partners (its plan and events), listed in PARTNER_OPENINGS; the
# defaults are filled in by `with_partner` (tests/test_url_permissions.py).
DEFAULTED = ("partner",)
LOGIN_REDIRECT = 302


def expect(default: int, anonymous: int = LOGIN_REDIRECT, **overrides: int) -> dict[str, int]:
    """Expected status for every persona: `default`, except the ones named."""
    unknown = set(overrides) - set(PERSONAS)
    assert not unknown, f"unknown personas {unknown}"
    table = dict.fromkeys((p for p in SIGNED_IN if p not in DEFAULTED), default)
    table["anonymous"] = anonymous
    table.update(overrides)
    return table


def only(allowed: dict[str, int], *, others: int = 403, anonymous: int = LOGIN_REDIRECT):
    """Only the named personas get their status; every other signed-in persona gets `others`."""
    return expect(others, anonymous=anonymous, **allowed)


@dataclass
class UrlCase:
    name: str  # "namespace:url_name"
    expected: dict[str, int]
    # kwargs for reverse(): a dict, or a function of the World that may create objects.
    kwargs: Callable[[World], dict] | dict = field(default_factory=dict)
    method: str = "get"
    data: Callable[[World], dict] | dict | None = None
    query: str = ""
    label: str = ""  # tells two cases of one URL apart in test ids

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}{'[' + self.label + ']' if self.label else ''}"

    def resolve_kwargs(self, world: World) -> dict:
        return self.kwargs(world) if callable(self.kwargs) else dict(self.kwargs)

    def resolve_data(self, world: World) -> dict:
        if self.data is None:
            return {}
        return self.data(world) if callable(self.data) else dict(self.data)


def with_personas(cases: list[UrlCase], table: dict[str, dict[str, int]]) -> list[UrlCase]:
    """Set the statuses of the named personas for the cases named by id (`UrlCase.id`): for the
    personas whose answer is not the table's default, e.g. the analyst (a member of `peer_la`
    holding the regional grant) and staff (no role in any region: 404 for anything regional)."""
    unknown = set(table) - {case.id for case in cases}
    assert not unknown, f"no such cases {unknown}"
    for case in cases:
        statuses = table.get(case.id, {})
        assert set(statuses) <= set(PERSONAS), f"unknown personas in {case.id}"
        case.expected.update(statuses)
    return cases


# What a region opens to its partners (issue 17): its plan and its events (not drafts). The
# partner persona is a partner of the world's `region`.
# Reading is 200; every write on what they can see is 403 (seen, not theirs to change).
PARTNER_OPENINGS: dict[str, int] = {
    "GET events:allocations": 403,
    "GET events:delegate_create": 403,
    "GET events:delegate_create[peer LA]": 403,
    "GET events:document_add": 403,
    "GET events:event_detail": 200,
    "GET events:event_edit": 403,
    "GET events:event_ics": 200,
    "GET events:export": 403,
    "GET events:feedback_results": 403,
    "GET events:event_cancel": 403,
    "POST events:event_cancel_undo": 403,
    "GET events:delegate_cancel": 403,
    "POST events:delegate_cancel_undo": 403,
    # Published updates are open to partners (issue 17); writing them is not.
    "GET regions:update_list": 200,
    "POST regions:update_start": 403,
    "GET regions:public_settings": 403,
    "GET events:guest_places": 403,
    "POST events:guest_places": 403,
    "GET events:meeting_respond": 403,
    "GET events:message_compose": 403,
    "GET events:message_detail": 403,
    "GET events:message_list": 403,
    "GET events:register_self": 403,
    "GET events:registrations": 403,
    "GET events:session_create": 403,
    "GET events:workshop_register": 403,
    "POST events:event_cancel": 403,
    "POST events:meeting_invite": 403,
    "POST events:message_compose[send]": 403,
    "POST events:place_request": 403,
    "POST events:pool_release": 403,
    "POST events:workshop_allocate": 403,
    "GET events:delegate_edit": 403,
    "GET events:delegate_substitute": 403,
    "GET events:document_download": 200,
    "GET regions:action_create": 403,
    "GET regions:action_delete": 403,
    "GET regions:action_update": 403,
    "GET regions:attachment_create": 403,
    "GET regions:attachment_delete": 403,
    "GET regions:attachment_download": 200,
    "GET regions:candidate_priority_adopt": 403,
    "GET regions:funding_create": 403,
    "GET regions:funding_list": 200,
    "GET regions:funding_update": 403,
    "GET regions:plan_create": 403,
    "GET regions:plan_detail": 200,
    "GET regions:plan_history": 200,
    "GET regions:plan_list": 200,
    "GET regions:plan_pdf": 200,
    "GET regions:plan_print": 200,
    "GET regions:plan_update": 403,
    "GET regions:plan_xlsx": 200,
    "GET regions:priority_create": 403,
    "GET regions:priority_delete": 403,
    "GET regions:priority_detail": 200,
    "GET regions:priority_update": 403,
    "GET regions:progress_create": 403,
    "GET regions:theme_delete": 403,
    "GET regions:theme_update": 403,
    "POST benchmarking:priority_indicator_link": 403,
    "POST benchmarking:priority_indicator_unlink": 403,
    "POST events:delegate_cancel": 403,
    "POST events:delegate_check_in": 403,
    "POST events:guest_check_in": 403,
    "POST events:document_delete": 403,
    "POST events:place_request_withdraw": 403,
    "POST events:session_delete": 403,
    "POST events:workshop_check_in": 403,
    "POST regions:action_create": 403,
    "POST regions:action_status": 403,
    "POST regions:attachment_create": 403,
    "POST regions:attachment_delete": 403,
    "POST regions:candidate_priority_adopt": 403,
    "POST regions:funding_create": 403,
    "POST regions:funding_delete": 403,
    "POST regions:plan_create": 403,
    "POST regions:plan_update": 403,
    "POST regions:priorities_renumber": 403,
    "POST regions:priority_delete": 403,
    "POST regions:priority_move": 403,
    "POST regions:progress_create": 403,
    "POST regions:theme_create": 403,
    "POST regions:theme_delete": 403,
    "POST regions:theme_move": 403,
}


def with_partner(cases: list[UrlCase]) -> list[UrlCase]:
    """The partner's status for every case: PARTNER_OPENINGS by case id, else staff's."""
    for case in cases:
        if "partner" not in case.expected:
            # A copy: several cases may share one table (e.g. events' MANAGE_OK).
            partner = PARTNER_OPENINGS.get(case.id, case.expected["staff"])
            case.expected = {**case.expected, "partner": partner}
    return cases


def confirm_twins(cases: list[UrlCase], names: set[str]) -> list[UrlCase]:
    """The GET of each named action's POST case: its "Are you sure?" page (issue 14). Whoever the
    POST lets act (302 back to the page) sees the confirmation (200); everyone else gets exactly
    the POST's 403/404, so the page never shows an outsider anything. Call it after
    `with_personas`, so the POST's per-persona answers are copied; the partner's answer comes
    from PARTNER_OPENINGS for the POST (or staff's), as `with_partner` would give it."""
    posts = [c for c in cases if c.method == "post" and c.name in names]
    unknown = names - {c.name for c in posts}
    assert not unknown, f"no POST case for {unknown}"
    twins = []
    for case in posts:
        expected = dict(case.expected)
        if "partner" not in expected:
            expected["partner"] = PARTNER_OPENINGS.get(case.id, expected["staff"])
        twin = {
            persona: 200 if status == 302 and persona != "anonymous" else status
            for persona, status in expected.items()
        }
        twins.append(
            UrlCase(
                case.name,
                twin,
                kwargs=case.kwargs,
                data=case.data,
                query=case.query,
                label=case.label,
            )
        )
    return twins
