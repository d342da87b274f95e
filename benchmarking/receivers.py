"""Who must act on a return: receivers of `benchmarking.signals` that record notifications
(once per person and occasion; `notifications.services.notify`), connected in
BenchmarkingConfig.ready(). Each names its rule for recipients."""

from django.db.models import Q

from notifications.services import notify
from regions.models import Membership, Position, Role
from sli_portal.reversing import cached_reverse

from .selectors.returns import dcs_approval_required


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


def _region_approvers(ret) -> list[int]:
    """The region's programme managers and its analysts (members of its LAs holding the
    analyst grant): who approves a return for the region."""
    region_id = ret.local_authority.region_id
    return list(
        Membership.objects.filter(
            Q(role=Role.PROGRAMME_MANAGER, region_id=region_id)
            | Q(position=Position.ANALYST, local_authority__region_id=region_id)
        ).values_list("user_id", flat=True)
    )


def return_submitted_notify(sender, *, return_obj, actor, **kwargs) -> None:
    """Rule: whoever approves it next. Where the region asks each LA's DCS to approve first
    (`ApprovalSetting`), the LA's DCS (`return_awaiting_approval`), and the region only once the
    DCS has approved (`return_la_approved_notify`); otherwise the region's approvers
    (`return_submitted`). Once per submission."""
    ret = return_obj
    if dcs_approval_required(ret.local_authority.region_id):
        dcss = Membership.objects.filter(
            local_authority_id=ret.local_authority_id, role=Role.DCS
        ).values_list("user_id", flat=True)
        notify(
            actor=actor,
            recipients=list(dcss),
            kind="return_awaiting_approval",
            occasion=f"return:{ret.pk}:submitted:{_stamp(ret.submitted_at)}",
            text=(
                f"Return for {ret.period} submitted by {ret.local_authority.name}: "
                "approve it as DCS before the region does."
            ),
            url=_url(ret),
            target=ret,
        )
        return
    notify(
        actor=actor,
        recipients=_region_approvers(ret),
        kind="return_submitted",
        occasion=f"return:{ret.pk}:submitted:{_stamp(ret.submitted_at)}",
        text=f"Return submitted by {ret.local_authority.name} for {ret.period}: check and approve it.",
        url=_url(ret),
        target=ret,
    )


def return_la_approved_notify(sender, *, return_obj, actor, **kwargs) -> None:
    """Rule: the region's approvers, once the LA's DCS has approved the return (now the region
    can approve it). Once per DCS approval."""
    ret = return_obj
    notify(
        actor=actor,
        recipients=_region_approvers(ret),
        kind="return_submitted",
        occasion=f"return:{ret.pk}:la_approved:{_stamp(ret.la_approved_at)}",
        text=(
            f"Return of {ret.local_authority.name} for {ret.period} approved by its DCS: "
            "check and approve it."
        ),
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


def narrative_owed_notify(
    sender, *, local_authority_id, la_name, la_slug, period, indicator, flag, scope, actor, **kwargs
) -> None:
    """Rule: who writes the LA's narratives: its performance leads, or its DCS where the LA has
    no performance lead. Once per person and flagged figure (LA, quarter, indicator), however
    often the figure is looked at."""
    people = Membership.objects.filter(local_authority_id=local_authority_id)
    writers = list(
        people.filter(role=Role.PERFORMANCE_LEAD).values_list("user_id", flat=True)
    ) or list(people.filter(role=Role.DCS).values_list("user_id", flat=True))
    where = "England" if scope == "england" else "the region"
    notify(
        actor=actor,
        recipients=writers,
        kind="narrative_owed",
        occasion=f"narrative:{local_authority_id}:{period.pk}:{indicator.pk}",
        text=(
            f"Narrative owed: {indicator.name} for {la_name} ({period}) is in the "
            f"{flag.label.lower()} of {where}. Explain it on the exception report."
        ),
        url=cached_reverse(
            "benchmarking_reports:narrative_edit",
            la_slug=la_slug,
            period_slug=period.slug,
            indicator_code=indicator.code,
        )
        + f"?scope={scope}",
        target=indicator,
    )


def connect() -> None:
    from . import signals

    signals.return_submitted.connect(return_submitted_notify)
    signals.return_la_approved.connect(return_la_approved_notify)
    signals.return_approved.connect(return_approved_notify)
    signals.return_reopened.connect(return_reopened_notify)
    signals.narrative_owed.connect(narrative_owed_notify)

    from .services.narratives import narratives_owed_on_approval

    signals.return_approved.connect(narratives_owed_on_approval)
