"""Moderation: assign moderators, comment and release, respond to comments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sli_portal.confirm import Confirmation, confirm_or_do
from sli_portal.forms import add_validation_error
from sli_portal.templatetags.govuk import plural

from ..forms import (
    CommentForm,
    ModeratorForm,
    ResponseForm,
)
from ..models import ModerationComment
from ..selectors import confirmations as confirmation_selectors
from ..selectors.moderation import moderator_candidates, self_assessment_moderators
from ..services import moderation as services
from ._common import flash_error, self_assessment_for


@login_required
def moderator_assign(request, pk):
    sa = self_assessment_for(request, pk, "peer_challenge.assign_moderators")
    form = ModeratorForm(request.POST or None, candidates=moderator_candidates(sa))
    if request.method == "POST" and form.is_valid():
        membership = form.cleaned_data["membership"]
        try:
            services.moderator_assign(
                actor=request.user,
                self_assessment=sa,
                moderator=membership.user,
                moderator_la=membership.local_authority,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{membership.user.full_name} will moderate it.")
            return redirect(sa)
    return render(
        request,
        "peer_challenge/moderator_form.html",
        {"sa": sa, "form": form, "moderators": self_assessment_moderators(sa)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def moderation_comment(request, pk, section_pk):
    sa = self_assessment_for(request, pk, "peer_challenge.moderate_selfassessment")
    section = get_object_or_404(sa.sections, pk=section_pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Write a comment on “{section.question.title}”.")
        return redirect(sa)
    try:
        services.moderation_comment(
            actor=request.user, self_assessment=sa, section=section, body=form.cleaned_data["body"]
        )
    except ValidationError as error:
        flash_error(request, error)
    else:
        messages.success(request, f"Your comment on “{section.question.title}” is saved.")
    return redirect(f"{sa.get_absolute_url()}#section-{section.pk}")


@login_required
def moderation_release(request, pk):
    """GET: "Are you sure?" (how many comments, who is emailed). POST: release them."""
    sa = self_assessment_for(request, pk, "peer_challenge.moderate_selfassessment")
    la = sa.local_authority

    def release():
        try:
            services.moderation_release(actor=request.user, self_assessment=sa)
        except ValidationError as error:
            flash_error(request, error)
        else:
            messages.success(request, f"Your comments are sent to {la}.")
        return redirect(sa)

    def page() -> Confirmation:
        preview = confirmation_selectors.moderation_release_preview(
            self_assessment=sa, moderator=request.user
        )
        return Confirmation(
            question=f"Are you sure you want to send your comments to {la.name}?",
            caption=f"{la.name} self-assessment, {sa.cycle.title}",
            consequences=[
                f"{la.name} can read your {plural(preview.comments, 'comment,comments')} and "
                "respond to each.",
                "You can no longer add comments to this self-assessment.",
            ],
            notified=[
                f"{la.name}'s DCS and performance leads "
                f"({plural(preview.recipients, 'person,people')}), by email"
            ]
            if preview.recipients
            else [],
            irreversible="You cannot take the comments back once they are sent.",
            confirm_label="Yes, send my comments",
            cancel_url=sa.get_absolute_url(),
            crumbs=[
                ("Peer challenge", reverse("peer_challenge:index")),
                (sa.cycle.title, sa.cycle.get_absolute_url()),
                (f"{la.name} self-assessment", sa.get_absolute_url()),
                ("Send comments", ""),
            ],
        )

    return confirm_or_do(request, page=page, do=release)


@login_required
@require_POST
def comment_respond(request, pk, comment_pk):
    sa = self_assessment_for(request, pk, "peer_challenge.respond_selfassessment")
    comment = get_object_or_404(
        ModerationComment.objects.filter(assignment__self_assessment=sa), pk=comment_pk
    )
    form = ResponseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write a response.")
        return redirect(sa)
    try:
        services.comment_respond(
            actor=request.user, comment=comment, response=form.cleaned_data["response"]
        )
    except ValidationError as error:
        flash_error(request, error)
    else:
        messages.success(request, "Your response is saved.")
    return redirect(sa)
