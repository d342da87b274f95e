"""What the return page shows of the DCS's approval (the optional second approval level)."""

from sli_portal import access

from ..models import Status
from ..selectors.returns import dcs_approval_required


def approval_context(user, ret, la) -> dict:
    required = dcs_approval_required(la.region_id)
    waiting = (
        required and ret is not None and ret.status == Status.SUBMITTED and not ret.la_approved_at
    )
    return {
        "dcs_approval": required,
        "waiting_for_dcs": waiting,
        "can_la_approve": waiting and access.can(user, "benchmarking.la_approve_return", ret),
    }
