"""Writes for regional updates: start (compose a draft from the portal), edit, publish, take
back, and send the email edition. Every write checks access first (`sli_portal.access`)."""

import re
from collections.abc import Sequence
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from sli_portal import outbox
from sli_portal.access import System, require, user_of

from .. import composing
from ..domain.markdown import render_markdown
from ..models import (
    Region,
    Tag,
    Update,
    UpdateEmail,
    UpdateStatus,
)
from ..selectors.updates import update_recipients
from ._shared import _as, _bump_public_version

MAX_TAGS = 8


def _default_title(region: Region, when: datetime) -> str:
    return f"{region.name} regional update, {timezone.localtime(when):%B %Y}"


def _absolute_links(markdown: str) -> str:
    """Source links are the portal's own paths; the email and the feed need whole URLs."""
    site = settings.SITE_URL.rstrip("/")
    return re.sub(r"\]\(/", f"]({site}/", markdown)


def _compose_body(sections: Sequence[composing.DraftSection]) -> str:
    parts = []
    for section in sections:
        part = f"## {section.title}\n\n{section.markdown.strip()}"
        if section.source_url:
            part += f"\n\nSource: [{section.source_label or 'in the portal'}]({section.source_url})"
        parts.append(part)
    return _absolute_links("\n\n".join(parts))


@transaction.atomic
def update_start(*, actor: User | System, region: Region, now: datetime | None = None) -> Update:
    """ "Start this quarter's update": a draft composed from what changed since the last
    published update (each section linking to its source), for the programme manager to edit.
    A second press while that draft is open returns the same draft."""
    require(actor, "regions.add_update", region)
    Region.objects.select_for_update().filter(pk=region.pk).first()
    now = now or timezone.now()
    last = (
        Update.objects.filter(region=region, status=UpdateStatus.PUBLISHED)
        .order_by("-published_at")
        .first()
    )
    since = (last.covers_to or last.published_at) if last else None
    open_draft = Update.objects.filter(
        region=region, status=UpdateStatus.DRAFT, covers_from=since
    ).first()
    if open_draft is not None:
        return open_draft
    window = composing.Window(region=region, since=since, until=now)
    sections = composing.draft_sections(window)
    featured = composing.featured_event(region, now)
    update = Update(
        region=region,
        title=_default_title(region, now),
        summary=f"News of sector-led improvement in the {region.name} region.",
        body=_compose_body(sections),
        featured_event=featured.as_json() if featured else {},
        covers_from=since,
        covers_to=now,
        author=user_of(actor),
    )
    update.body_html = render_markdown(update.body)
    _as(update, actor).save()
    update.tags.set(_tags(["SLI", region.name.upper()]))
    return update


def _tags(names: Sequence[str]) -> list[Tag]:
    cleaned: dict[str, str] = {}
    for raw in names:
        name = " ".join(str(raw).split())[:50]
        slug = slugify(name)[:60]
        if name and slug and slug not in cleaned:
            cleaned[slug] = name
    if len(cleaned) > MAX_TAGS:
        raise ValidationError({"tags": f"Give at most {MAX_TAGS} tags ({len(cleaned)} given)."})
    tags = []
    for slug, name in cleaned.items():
        tag, _ = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
        tags.append(tag)
    return tags


@transaction.atomic
def update_save(
    *,
    actor: User | System,
    update: Update,
    title: str,
    summary: str,
    body: str,
    tags: Sequence[str],
    is_public: bool,
    publish_date: date | None = None,
    keep_featured_event: bool = True,
) -> Update:
    require(actor, "regions.change_update", update)
    if not title.strip():
        raise ValidationError({"title": "Give the update a title."})
    update.title, update.summary, update.body = title.strip(), summary.strip(), body
    update.body_html = render_markdown(body)
    update.is_public = is_public
    if publish_date is not None:
        update.publish_date = publish_date
    if not keep_featured_event:
        update.featured_event = {}
    tag_objects = _tags(tags)
    _as(update, actor).save()
    update.tags.set(tag_objects)
    if update.is_published:
        _bump_public_version(update.region_id)
    return update


@transaction.atomic
def update_publish(
    *, actor: User | System, update: Update, publish_date: date | None = None
) -> Update:
    """Publish a draft (a second press is harmless: it stays as first published)."""
    require(actor, "regions.change_update", update)
    locked = Update.objects.select_for_update().get(pk=update.pk)
    if locked.is_published:
        return locked
    if not locked.body.strip():
        raise ValidationError({"body": "Write the update before publishing it."})
    now = timezone.now()
    locked.status = UpdateStatus.PUBLISHED
    locked.published_at = now
    locked.published_by = user_of(actor)
    locked.publish_date = publish_date or locked.publish_date or timezone.localdate(now)
    _as(locked, actor).save()
    _bump_public_version(locked.region_id)
    return locked


@transaction.atomic
def update_unpublish(*, actor: User | System, update: Update) -> Update:
    """Take a published update back to draft: off the public pages and feeds at once."""
    require(actor, "regions.change_update", update)
    locked = Update.objects.select_for_update().get(pk=update.pk)
    if locked.is_published:
        locked.status = UpdateStatus.DRAFT
        locked.published_at = None
        _as(locked, actor).save()
        _bump_public_version(locked.region_id)
    return locked


@transaction.atomic
def update_send(*, actor: User | System, update: Update) -> int:
    """Send the email edition: one outbox row per address (the unique key makes a second send,
    or two at once, a no-op for everyone already recorded). Returns how many were added."""
    require(actor, "regions.change_update", update)
    locked = Update.objects.select_for_update().get(pk=update.pk)
    if not locked.is_published:
        raise ValidationError("Publish the update before sending it.")
    already = {
        e.lower() for e in UpdateEmail.objects.filter(update=locked).values_list("email", flat=True)
    }
    rows = [
        UpdateEmail(update=locked, email=email, is_member=is_member)
        for email, is_member in update_recipients(locked).items()
        if email not in already
    ]
    outbox.record_many(UpdateEmail, rows)
    if locked.emailed_at is None:
        locked.emailed_at = timezone.now()
        _as(locked, actor).save(update_fields=["emailed_at"])
    return len(rows)
