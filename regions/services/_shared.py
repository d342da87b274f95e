"""Small helpers the regions services share (private: not services themselves)."""

from typing import Any, TypeVar

from django.db.models import F, Model

from accounts.models import User
from sli_portal.access import System, user_of

M = TypeVar("M", bound=Model)


def _as(obj: M, actor: "User | System") -> M:
    """Tell django-simple-history who made this change (the middleware covers web requests)."""
    user = user_of(actor)
    if user is not None:
        obj._history_user = user  # type: ignore[attr-defined]
    return obj


def _full_clean(obj: Model, exclude: Any = None) -> None:
    obj.full_clean(exclude=exclude, validate_constraints=False)


def _bump_public_version(region_id: int) -> None:
    """Every cached public page of the region is keyed by this version (regional updates): a
    publish or a change of the public settings shows at once."""
    from ..models import PublicProfile

    PublicProfile.objects.filter(region_id=region_id).update(version=F("version") + 1)
