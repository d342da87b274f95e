"""Writes for a region's public pages and its mailing list: the public profile (what is shown
without a login), subscriptions with double opt-in, and one-click unsubscribe.

Subscribing, confirming and unsubscribing come from people with no account: the view acts as the
portal (`SYSTEM`, allowed by the rule `regions.manage_subscriptions` only), and the signed link
in the email is the credential."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from sli_portal import outbox
from sli_portal.access import System, require

from ..models import (
    OptInEmail,
    PublicProfile,
    Region,
    Subscriber,
    subscriber_pk_from_confirm_token,
)
from ._shared import _as, _bump_public_version

PROFILE_FIELDS = (
    "is_enabled",
    "noindex",
    "introduction",
    "publish_plan_summary",
    "show_contact",
    "contact_name",
    "contact_role",
    "contact_email",
    "contact_phone",
)


@transaction.atomic
def public_profile_save(*, actor: User | System, region: Region, **values) -> PublicProfile:
    require(actor, "regions.change_public_profile", region)
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown settings: {', '.join(sorted(unknown))}.")
    profile, _ = PublicProfile.objects.select_for_update().get_or_create(region=region)
    for name, value in values.items():
        setattr(profile, name, value)
    if profile.show_contact and not (profile.contact_name and profile.contact_email):
        raise ValidationError(
            {"contact_name": "Give the contact's name and email address to publish a contact."}
        )
    profile.full_clean(exclude=["region", "version"])
    _as(profile, actor).save()
    _bump_public_version(region.pk)
    return profile


def _create_once(*, region: Region, email: str, **fields) -> Subscriber:
    """Create the address's row; if a simultaneous request created it first, lock that one."""
    try:
        with transaction.atomic():
            return Subscriber.objects.create(region=region, email=email, **fields)
    except IntegrityError:
        return Subscriber.objects.select_for_update().get(region=region, email__iexact=email)


@transaction.atomic
def subscriber_subscribe(
    *, actor: User | System, region: Region, email: str, name: str = "", organisation: str = ""
) -> Subscriber:
    """Ask to receive the region's updates: nothing is sent until the emailed link is followed.
    The same answer whether or not the address is already on the list."""
    require(actor, "regions.manage_subscriptions", region)
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": "Enter an email address like name@example.org."}) from error
    subscriber = (
        Subscriber.objects.select_for_update().filter(region=region, email__iexact=email).first()
    )
    if subscriber is None:
        subscriber = _create_once(
            region=region, email=email, name=name[:150], organisation=organisation[:150]
        )
    elif subscriber.unsubscribed_at is not None:
        # Back on the list only by confirming again.
        subscriber.unsubscribed_at = None
        subscriber.confirmed_at = None
        subscriber.save(update_fields=["unsubscribed_at", "confirmed_at"])
    if subscriber.confirmed_at is None:
        outbox.send_once(OptInEmail, subscriber=subscriber, day=timezone.localdate())
    return subscriber


@transaction.atomic
def subscriber_confirm(*, actor: User | System, region: Region, token: str) -> Subscriber | None:
    """Follow the emailed link: the address now receives the region's public updates. None for
    a link that is tampered with, too old, or not this region's."""
    require(actor, "regions.manage_subscriptions", region)
    pk = subscriber_pk_from_confirm_token(token)
    subscriber = (
        Subscriber.objects.select_for_update().filter(pk=pk, region=region).first() if pk else None
    )
    if subscriber is None or subscriber.unsubscribed_at is not None:
        return None
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["confirmed_at"])
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, actor: User | System, region: Region, email: str) -> Subscriber:
    """One click: no more updates to this address from this region (a member's too)."""
    require(actor, "regions.manage_subscriptions", region)
    subscriber = (
        Subscriber.objects.select_for_update().filter(region=region, email__iexact=email).first()
    )
    if subscriber is None:
        subscriber = _create_once(region=region, email=email, unsubscribed_at=timezone.now())
    if subscriber.unsubscribed_at is None:
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["unsubscribed_at"])
    return subscriber
