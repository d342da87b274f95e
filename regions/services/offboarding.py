"""Ending a role: a programme manager ends any role in their region (a DCS who has left, a
member who moved on) with a reason, kept in the membership's history (who, when, why)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from sli_portal.access import System, require, user_of

from ..models import Membership, Role
from ..scope import forget_user_scope


@transaction.atomic
def membership_end(*, actor: User | System, membership: Membership, reason: str) -> None:
    """End the role. The history keeps the membership as it was, who ended it and why. A
    programme manager cannot end their own programme manager role (an administrator can), so
    a region is never left without anyone able to manage it by mistake."""
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "region", "local_authority")
        .get(pk=membership.pk)
    )
    require(actor, "regions.end_membership", membership.scope)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Say why the role ends (e.g. “Left the council”)."})
    if len(reason) > 100:
        raise ValidationError({"reason": "The reason must be 100 characters or fewer."})
    if (
        membership.role == Role.PROGRAMME_MANAGER
        and isinstance(actor, User)
        and membership.user_id == actor.pk
        and not actor.is_superuser
    ):
        raise ValidationError("You cannot end your own programme manager role.")
    membership._history_user = user_of(actor)  # type: ignore[attr-defined]
    membership._change_reason = reason  # type: ignore[attr-defined]
    membership.delete()
    forget_user_scope(membership.user)
