"""Pages for the region's updates, signed in: the archive, starting (composing) a draft,
editing, publishing, sending the email edition and its send log, the PDF, and the settings of
the region's public pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from sli_portal.access import can, fetch
from sli_portal.confirm import Confirmation, confirm_or_do
from sli_portal.listing import sorted_page
from sli_portal.templatetags.govuk import plural

from .. import exports
from ..forms.updates import PublicProfileForm, UpdateForm
from ..models import PublicProfile, Region, Update
from ..scope import user_scope
from ..selectors import updates as selectors
from ..services import subscriptions as subscription_services
from ..services import updates as services
from .pages import form_page, region_crumbs, try_service


def _region_crumbs(region, *more):
    return region_crumbs(region, "Updates", "regions:update_list", *more)


@login_required
def update_home(request):
    """ "Updates" in the navigation: the reader's own region (the first, for several)."""
    scope = user_scope(request.user)
    region = Region.objects.filter(pk__in=scope.region_ids).order_by("name").first()
    if region is None:
        return redirect("regions:region_list")
    return redirect("regions:update_list", slug=region.slug)


@login_required
def update_list(request, slug):
    region = fetch(request.user, Region, see="regions.view_plan", slug=slug)
    profile = PublicProfile.objects.filter(region=region).first()
    context = {
        "region": region,
        "updates": sorted_page(
            request,
            selectors.region_updates_listed(request.user, region),
            sorts={
                # drafts first, then the newest published
                "status": ("status", "-publish_date", "-created_at"),
                "title": "title",
                "published": "publish_date",
            },
            default="status",
        ),
        "can_edit": can(request.user, "regions.add_update", region),
        "profile": profile,
        "crumbs": [(region.name, region.get_absolute_url()), ("Updates", "")],
    }
    return render(request, "regions/updates/update_list.html", context)


@login_required
@require_POST
def update_start(request, slug):
    region = fetch(
        request.user, Region, see="regions.view_plan", act="regions.add_update", slug=slug
    )
    update = services.update_start(actor=request.user, region=region)
    messages.success(request, "A draft is ready: read and edit it before publishing.")
    return redirect("regions:update_edit", pk=update.pk)


@login_required
def update_detail(request, pk):
    update = fetch(request.user, selectors.update_for_page(), see="regions.view_update", pk=pk)
    can_edit = can(request.user, "regions.change_update", update)
    scope = user_scope(request.user)
    # Someone from outside the region reads a public update: its related ones must be public too.
    outside = not (scope.is_admin or scope.in_region(update.region_id))
    context = {
        "update": update,
        "region": update.region,
        "tags": list(update.tags.all()),
        "related": selectors.related_updates(update, public_only=outside),
        "featured_start": selectors.featured_event_start(update),
        "can_edit": can_edit,
        "history": selectors.update_history(update) if can_edit else [],
        "crumbs": _region_crumbs(update.region, (update.title, "")),
    }
    return render(request, "regions/updates/update_detail.html", context)


@login_required
def update_edit(request, pk):
    update = fetch(
        request.user,
        selectors.update_for_page(),
        see="regions.view_update",
        act="regions.change_update",
        pk=pk,
    )
    initial = {
        "title": update.title,
        "summary": update.summary,
        "body": update.body,
        "tags": ", ".join(tag.name for tag in update.tags.all()),
        "is_public": update.is_public,
        "publish_date": update.publish_date,
        "keep_featured_event": bool(update.featured_event),
    }
    form = UpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = try_service(
            request,
            form,
            lambda: services.update_save(actor=request.user, update=update, **form.cleaned_data),
        )
        if saved:
            messages.success(request, f"“{saved.title}” saved.")
            return redirect(saved)
    featured = update.featured_event or {}
    intro = "Drafted from the portal: every section links to its source. Read it, edit it"
    intro += ", then publish it from the update's page."
    if featured:
        intro += f" Featured event: {featured.get('title', '')}."
    return form_page(
        request,
        form,
        title=f"Edit “{update.title}”",
        crumbs=_region_crumbs(
            update.region, (update.title, update.get_absolute_url()), ("Edit", "")
        ),
        cancel_url=update.get_absolute_url(),
        submit="Save update",
        intro=intro,
    )


def _managed_update(request, pk) -> Update:
    return fetch(
        request.user,
        Update.objects.select_related("region"),
        see="regions.view_update",
        act="regions.change_update",
        pk=pk,
    )


def _post_action(request, update, call, done: str):
    try:
        result = call(update)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(update)
    messages.success(request, done.format(result=result))
    return redirect(update)


def _confirmation(update, *, question, label, crumb, consequences, notified=(), **extra):
    return Confirmation(
        question=question,
        caption=update.title,
        consequences=consequences,
        notified=notified,
        confirm_label=label,
        cancel_url=update.get_absolute_url(),
        crumbs=_region_crumbs(
            update.region, (update.title, update.get_absolute_url()), (crumb, "")
        ),
        **extra,
    )


def _emailed(update) -> list[str]:
    """Who the email edition would go to now, for the confirmation page."""
    preview = selectors.update_send_preview(update)
    told = []
    if preview.members:
        told.append(
            f"{plural(preview.members, 'member,members')} of {update.region.name}, by email"
        )
    if preview.subscribers:
        told.append(
            f"{plural(preview.subscribers, 'public subscriber,public subscribers')}, by email"
        )
    return told


@login_required
def update_publish(request, pk):
    """GET: "Are you sure?" (with ?send=1: who is emailed). POST: publish; with send=1, also
    send the email edition."""
    update = _managed_update(request, pk)
    send = (request.POST if request.method == "POST" else request.GET).get("send") == "1"

    def publish(update):
        published = services.update_publish(actor=request.user, update=update)
        return services.update_send(actor=request.user, update=published) if send else None

    done = (
        "Published, and the email edition queued for {result} recipient(s)."
        if send
        else "Published."
    )
    where = "the region's public pages and the portal" if update.is_public else "the portal"
    return confirm_or_do(
        request,
        page=lambda: _confirmation(
            update,
            question=f"Are you sure you want to publish “{update.title}”"
            + (" and send it by email?" if send else "?"),
            label="Yes, publish and send by email" if send else "Yes, publish",
            crumb="Publish",
            consequences=[f"It appears on {where}."]
            + (["The email edition is sent to everyone below."] if send else []),
            notified=_emailed(update) if send else (),
            irreversible="You cannot take the emails back once they are sent." if send else "",
            hidden={"send": "1"} if send else {},
        ),
        do=lambda: _post_action(request, update, publish, done),
    )


@login_required
def update_unpublish(request, pk):
    """GET: "Are you sure?" (off the public pages at once). POST: back to draft."""
    update = _managed_update(request, pk)
    return confirm_or_do(
        request,
        page=lambda: _confirmation(
            update,
            question=f"Are you sure you want to take “{update.title}” back to draft?",
            label="Yes, take it back to draft",
            crumb="Take back to draft",
            consequences=[
                "It disappears from the region's public pages and feeds, and from the "
                "portal's list of updates for everyone but its editors.",
                "Emails already sent are not taken back. You can publish it again later.",
            ],
        ),
        do=lambda: _post_action(
            request,
            update,
            lambda update: services.update_unpublish(actor=request.user, update=update),
            "Taken back to draft: it is no longer on the public pages.",
        ),
    )


@login_required
def update_send(request, pk):
    """GET: "Are you sure?" (how many members and subscribers are emailed). POST: send."""
    update = _managed_update(request, pk)

    def page() -> Confirmation:
        notified = _emailed(update)
        return _confirmation(
            update,
            question=f"Are you sure you want to send “{update.title}” by email?",
            label="Yes, send the email edition",
            crumb="Send by email",
            consequences=[
                "The email edition goes to everyone below who has not been sent it yet."
                if notified
                else "Everyone it would go to has already been sent it: nobody new is emailed.",
            ],
            notified=notified,
            irreversible="You cannot take the emails back once they are sent.",
        )

    return confirm_or_do(
        request,
        page=page,
        do=lambda: _post_action(
            request,
            update,
            lambda update: services.update_send(actor=request.user, update=update),
            "Email edition queued for {result} new recipient(s).",
        ),
    )


@login_required
def update_emails(request, pk):
    update = fetch(
        request.user,
        Update.objects.select_related("region"),
        see="regions.view_update",
        act="regions.view_update_emails",
        pk=pk,
    )
    context = {
        "update": update,
        "log": selectors.send_log(update),
        "crumbs": _region_crumbs(
            update.region, (update.title, update.get_absolute_url()), ("Send log", "")
        ),
    }
    return render(request, "regions/updates/update_emails.html", context)


def pdf_response(request, update) -> HttpResponse:
    html = render_to_string(
        "regions/updates/update_pdf.html",
        {
            "update": update,
            "tags": list(update.tags.all()),
            "featured_start": selectors.featured_event_start(update),
        },
    )
    pdf = exports.update_pdf(html=html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{slugify(update.title)}.pdf"'
    return response


@login_required
def update_pdf(request, pk):
    update = fetch(request.user, selectors.update_for_page(), see="regions.view_update", pk=pk)
    return pdf_response(request, update)


@login_required
def public_settings(request, slug):
    region = fetch(
        request.user,
        Region,
        see="regions.view_plan",
        act="regions.change_public_profile",
        slug=slug,
    )
    profile = PublicProfile.objects.filter(region=region).first() or PublicProfile(region=region)
    form = PublicProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        saved = try_service(
            request,
            form,
            lambda: subscription_services.public_profile_save(
                actor=request.user, region=region, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, "Public pages saved.")
            return redirect("regions:update_list", slug=region.slug)
    return form_page(
        request,
        form,
        title=f"Public pages of {region.name}",
        crumbs=_region_crumbs(region, ("Public pages", "")),
        cancel_url=reverse("regions:update_list", kwargs={"slug": region.slug}),
        submit="Save",
        intro="Only what you tick here is shown to anyone without a login.",
    )
