"""Who must act when something happens in a region: receivers of `regions.signals` that record
notifications (once per person and occasion; `notifications.services.notify`), connected in
RegionsConfig.ready(). Each names its rule for recipients."""

from django.utils import timezone
from django.utils.dateformat import format as date_format

from notifications.services import notify

from .models import Membership, Role, VoteDelegate


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def _dcs_of(**la_filter) -> list[int]:
    return list(
        Membership.objects.filter(role=Role.DCS, **la_filter).values_list("user_id", flat=True)
    )


def vote_opened_notify(sender, *, vote, actor, **kwargs) -> None:
    """Rule: the DCS of every LA in the vote's region (each casts their LA's ballot)."""
    notify(
        actor=actor,
        recipients=_dcs_of(local_authority__region_id=vote.region_id),
        kind="vote_opened",
        occasion=f"vote:{vote.pk}",
        text=f"Vote open: {vote.title}. Cast your LA's ballot by {_when(vote.closes_at)}.",
        url=vote.get_absolute_url(),
        target=vote,
    )


def vote_closing_notify(sender, *, vote, actor, la_ids, **kwargs) -> None:
    """Rule: for each LA that has not voted, whoever casts its ballot: the delegate the DCS
    named for this vote, else the DCS."""
    delegates = dict(
        VoteDelegate.objects.filter(vote=vote, local_authority_id__in=la_ids).values_list(
            "local_authority_id", "user_id"
        )
    )
    without = [la_id for la_id in la_ids if la_id not in delegates]
    notify(
        actor=actor,
        recipients=[*delegates.values(), *_dcs_of(local_authority_id__in=without)],
        kind="vote_closing",
        occasion=f"vote:{vote.pk}",
        text=f"Vote closing {_when(vote.closes_at)}: {vote.title}. Your LA has not voted yet.",
        url=vote.get_absolute_url(),
        target=vote,
    )


def action_assigned_notify(sender, *, action, actor, **kwargs) -> None:
    """Rule: the action's new owner (not when they assigned it to themselves)."""
    notify(
        actor=actor,
        recipients=[action.owner_id],
        kind="action_assigned",
        occasion=f"action:{action.pk}:owner:{action.owner_id}",
        text=f"You own the action “{action.title}” on priority {action.priority}.",
        url=action.priority.get_absolute_url(),
        target=action,
    )


def action_overdue_notify(sender, *, action, actor, **kwargs) -> None:
    """Rule: the owner of the open action, once per due date."""
    notify(
        actor=actor,
        recipients=[action.owner_id],
        kind="action_overdue",
        occasion=f"action:{action.pk}:due:{action.due_date.isoformat()}",
        text=(
            f"Overdue since {date_format(action.due_date, 'j F Y')}: the action "
            f"“{action.title}”. Update its status or its due date."
        ),
        url=action.priority.get_absolute_url(),
        target=action,
    )


def progress_due_notify(sender, *, priority, actor, period, **kwargs) -> None:
    """Rule: the priority's sponsor (a DCS), once a quarter while no update is recorded."""
    notify(
        actor=actor,
        recipients=[priority.sponsor_id],
        kind="progress_due",
        occasion=f"priority:{priority.pk}:progress:{period}",
        text=f"Progress update due this quarter for priority {priority}: record its RAG rating.",
        url=priority.get_absolute_url(),
        target=priority,
    )


def group_account_due_notify(sender, *, group, actor, year, **kwargs) -> None:
    """Rule: the group's sponsor, once per financial year owed."""
    notify(
        actor=actor,
        recipients=[group.sponsor_id],
        kind="group_account_due",
        occasion=f"group:{group.pk}:account:{year}",
        text=f"Annual account due for {group.name} ({year}-{(year + 1) % 100:02d}).",
        url=group.get_absolute_url(),
        target=group,
    )


def connect() -> None:
    from . import signals

    signals.vote_opened.connect(vote_opened_notify)
    signals.vote_closing.connect(vote_closing_notify)
    signals.action_assigned.connect(action_assigned_notify)
    signals.action_overdue.connect(action_overdue_notify)
    signals.progress_due.connect(progress_due_notify)
    signals.group_account_due.connect(group_account_due_notify)
