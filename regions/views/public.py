"""A region's public pages (no login): its published public updates (newest first, by tag, with
related updates), its public events, the plan summary it chose to publish, the programme
manager's contact when opted in; Atom feeds; the PDF; subscribe, confirm and unsubscribe.

Safe to expose: only published public updates, events their organisers marked public, no person
but the opted-in contact. Pages are cached under the region's version (bumped on every publish
and change of its public settings) and the public events' stamp (so an event change shows at
once); a cache outage costs speed, never the page. `noindex` is the region's choice (robots meta
tag and X-Robots-Tag header). The public base template carries no CSRF token and no user, so a
cached page holds nothing of its first visitor."""

import hashlib
import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sli_portal.access import SYSTEM

from .. import composing
from ..feeds import RegionFeed, TagFeed
from ..forms.updates import SubscribeForm
from ..models import PublicProfile, Region, unsubscribe_target
from ..selectors import updates as selectors
from ..services import subscriptions as services
from .pages import try_service
from .updates import pdf_response

logger = logging.getLogger(__name__)
PUBLIC_TTL_SECONDS = 10 * 60


def _cached(profile: PublicProfile, parts: tuple, build: Callable[[], bytes]) -> bytes:
    stamp = composing.public_events_stamp(profile.region)
    raw = repr((profile.region_id, profile.version, profile.noindex, stamp, parts))
    key = "public-page:" + hashlib.sha256(raw.encode()).hexdigest()
    try:
        found = cache.get(key)
    except Exception:  # the cache server is down: build the page without it
        logger.warning("public page cache unavailable", exc_info=True)
        return build()
    if found is None:
        found = build()
        try:
            cache.set(key, found, PUBLIC_TTL_SECONDS)
        except Exception:
            logger.warning("public page cache unavailable", exc_info=True)
    return found


def _respond(profile: PublicProfile, content: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    if profile.noindex:
        response["X-Robots-Tag"] = "noindex, nofollow"
    # Short: a withdrawn update must not linger in shared caches.
    response["Cache-Control"] = "public, max-age=60"
    return response


def _page(request, profile, template: str, parts: tuple, context: Callable[[], dict]):
    def build() -> bytes:
        return render_to_string(
            template, {"profile": profile, "region": profile.region, **context()}
        ).encode()

    return _respond(profile, _cached(profile, parts, build), "text/html; charset=utf-8")


@transaction.non_atomic_requests  # read only: no transaction, no savepoints
def public_region(request: HttpRequest, slug: str) -> HttpResponse:
    profile = selectors.public_profile(slug)
    region = profile.region

    def context() -> dict:
        events = composing.public_events(region)
        return {
            "updates": selectors.public_updates(region),
            "tags": selectors.public_tags(region),
            "events": events,
            "featured": next((e for e in events if e.is_featured), None),
            "plan": selectors.public_plan_summary(region) if profile.publish_plan_summary else None,
        }

    return _page(request, profile, "regions/public/region.html", ("region",), context)


@transaction.non_atomic_requests  # read only: no transaction, no savepoints
def public_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    profile = selectors.public_profile(slug)

    def context() -> dict:
        update = selectors.public_update(profile.region, pk)
        return {
            "update": update,
            "tags": list(update.tags.all()),
            "related": selectors.related_updates(update, public_only=True),
            "featured_start": selectors.featured_event_start(update),
        }

    return _page(request, profile, "regions/public/update.html", ("update", pk), context)


@transaction.non_atomic_requests  # read only: no transaction, no savepoints
def public_tag(request: HttpRequest, slug: str, tag: str) -> HttpResponse:
    profile = selectors.public_profile(slug)
    tag_obj = selectors.tag_by_slug(tag)

    def context() -> dict:
        return {"tag": tag_obj, "updates": selectors.public_updates(profile.region, tag=tag_obj)}

    return _page(request, profile, "regions/public/tag.html", ("tag", tag_obj.pk), context)


@transaction.non_atomic_requests  # read only: no transaction, no savepoints
def public_feed(request: HttpRequest, slug: str) -> HttpResponse:
    profile = selectors.public_profile(slug)
    content = _cached(profile, ("feed",), lambda: RegionFeed()(request, slug=slug).content)
    return _respond(profile, content, "application/atom+xml; charset=utf-8")


@transaction.non_atomic_requests  # read only: no transaction, no savepoints
def public_tag_feed(request: HttpRequest, slug: str, tag: str) -> HttpResponse:
    profile = selectors.public_profile(slug)
    tag_obj = selectors.tag_by_slug(tag)
    content = _cached(
        profile, ("tag-feed", tag_obj.pk), lambda: TagFeed()(request, slug=slug, tag=tag).content
    )
    return _respond(profile, content, "application/atom+xml; charset=utf-8")


@transaction.non_atomic_requests  # read only: no transaction, no savepoints
def public_update_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    profile = selectors.public_profile(slug)
    update = selectors.public_update(profile.region, pk)
    content = _cached(profile, ("pdf", pk), lambda: pdf_response(request, update).content)
    response = _respond(profile, content, "application/pdf")
    response["Content-Disposition"] = f'attachment; filename="regional-update-{pk}.pdf"'
    return response


# --- the mailing list (never cached: forms and personal answers) -----------------------------


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest, slug: str) -> HttpResponse:
    profile = selectors.public_profile(slug)
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = try_service(
            request,
            form,
            lambda: services.subscriber_subscribe(
                actor=SYSTEM, region=profile.region, **form.cleaned_data
            ),
        )
        if done:
            return render(
                request,
                "regions/public/subscribe_done.html",
                {"profile": profile, "region": profile.region},
            )
    status = 400 if form.errors else 200
    context = {"profile": profile, "region": profile.region, "form": form}
    return render(request, "regions/public/subscribe.html", context, status=status)


def subscribe_confirm(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    profile = selectors.public_profile(slug)
    subscriber = services.subscriber_confirm(actor=SYSTEM, region=profile.region, token=token)
    context = {"profile": profile, "region": profile.region, "confirmed": subscriber is not None}
    return render(
        request,
        "regions/public/subscribe_confirmed.html",
        context,
        status=200 if subscriber else 400,
    )


@csrf_exempt  # RFC 8058: the mail client POSTs with no cookie; the signed token is the credential
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """GET asks (a mail scanner following the link unsubscribes nobody); POST (the button, or
    the mail client's one-click POST) unsubscribes. Works whether or not the region's public
    pages are on: members get the email edition too."""
    region = Region.objects.filter(slug=slug).first()
    target = unsubscribe_target(token)
    if region is None or target is None or target[0] != region.pk:
        return render(request, "regions/public/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        services.subscriber_unsubscribe(actor=SYSTEM, region=region, email=target[1])
        url = reverse("regions:unsubscribe", kwargs={"slug": slug, "token": token})
        return redirect(url + "?done=1")
    context = {"region": region, "done": request.GET.get("done") == "1", "token": token}
    return render(request, "regions/public/unsubscribe.html", context)
