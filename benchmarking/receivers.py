"""Who must act on a return: receivers of `benchmarking.signals` that record notifications
(once per person and occasion; `notifications.services.notify`), connected in
BenchmarkingConfig.ready(). Each names its rule for recipients."""

from django.db.models import Q

from notifications.services import notify
from regions.models import Membership, Position, Role
from sli_portal.reversing import cached_reverse


def _url(ret) -> str:
    return cached_reverse(
        "benchmarking:return_detail", la_slug=ret.local_authority.slug, period_slug=ret.period.slug
    )


def _stamp(moment) -> str:
    return moment.isoformat() if moment else "-"


def _performance_leads(ret) -> list[int]:
    return list(
        Membership.objects.filter(
            local_authority_id=ret.local_authority_id, role=Role.PERFORMANCE_LEAD
        ).values_list("user_id", flat=True)
    )


def return_submitted_notify(sender, *, return_obj, actor, **kwargs) -> None:
    """Rule: who approves it: the region's programme managers and its analysts (members of its
    LAs holding the analyst grant). Once per submission."""
    ret = return_obj
    region_id = ret.local_authority.region_id
    approvers = Membership.objects.filter(
        Q(role=Role.PROGRAMME_MANAGER, region_id=region_id)
        | Q(position=Position.ANALYST, local_authority__region_id=region_id)
    ).values_list("user_id", flat=True)
    notify(
        actor=actor,
        recipients=list(approvers),
        kind="return_submitted",
        occasion=f"return:{ret.pk}:submitted:{_stamp(ret.submitted_at)}",
        text=f"Return submitted by {ret.local_authority.name} for {ret.period}: check and approve it.",
        url=_url(ret),
        target=ret,
    )


def return_approved_notify(sender, *, return_obj, actor, **kwargs) -> None:
    """Rule: the LA's performance leads (who submitted it). Once per approval."""
    ret = return_obj
    notify(
        actor=actor,
        recipients=_performance_leads(ret),
        kind="return_approved",
        occasion=f"return:{ret.pk}:approved:{_stamp(ret.approved_at)}",
        text=f"Your return for {ret.period} ({ret.local_authority.name}) is approved.",
        url=_url(ret),
        target=ret,
    )


def return_reopened_notify(sender, *, return_obj, actor, reason, **kwargs) -> None:
    """Rule: the LA's performance leads (they correct and submit it again). Once per reopening
    (the return's latest history entry names it)."""
    ret = return_obj
    latest = ret.history.order_by("-history_id").values_list("history_id", flat=True).first()
    notify(
        actor=actor,
        recipients=_performance_leads(ret),
        kind="return_reopened",
        occasion=f"return:{ret.pk}:reopened:{latest}",
        text=(
            f"Your return for {ret.period} ({ret.local_authority.name}) is reopened: {reason}. "
            "Correct it and submit it again."
        ),
        url=_url(ret),
        target=ret,
    )


def connect() -> None:
    from . import signals

    signals.return_submitted.connect(return_submitted_notify)
    signals.return_approved.connect(return_approved_notify)
    signals.return_reopened.connect(return_reopened_notify)
