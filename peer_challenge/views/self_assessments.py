"""Self-assessment pages: read, write, attach evidence, submit, sign off, versions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sli_portal import access, fragments
from sli_portal.confirm import Confirmation, confirm_or_do
from sli_portal.forms import add_validation_error
from sli_portal.templatetags.govuk import plural

from ..forms import (
    EvidenceForm,
    SectionForm,
    SignOffForm,
)
from ..models import EvidenceFile
from ..selectors import confirmations as confirmation_selectors
from ..selectors.moderation import self_assessment_moderators
from ..selectors.self_assessments import (
    section_version_texts,
    self_assessment_page_rows,
    self_assessment_sections,
    self_assessment_versions,
    self_assessments_for_pages,
)
from ..services import self_assessments as services
from ._common import flash_error, self_assessment_for


@login_required
def self_assessment_detail(request, pk):
    return _render_detail(request, self_assessment_for(request, pk))


def _render_detail(request, sa, status=200):
    user = request.user
    # The body is kept per version of its rows and per viewer (sli_portal.fragments): on a warm
    # cache none of the values below is computed. The body reads the self-assessment again after
    # the stamp: never older than the stamp it is kept under (a change committed between the
    # permission fetch and the stamp is shown).
    page_sa = fragments.lazy(lambda: self_assessments_for_pages().get(pk=sa.pk))
    moderators = fragments.lazy(lambda: self_assessment_moderators(page_sa()))

    def can(perm: str) -> fragments.lazy:
        return fragments.lazy(lambda: access.can(user, perm, page_sa()))

    is_moderator = can("peer_challenge.moderate_selfassessment")

    def can_comment() -> bool:
        mine = next((a for a in moderators() if a.moderator_id == user.pk), None)
        return is_moderator() and mine is not None and mine.comments_released_at is None

    context = {
        "sa": sa,
        "cycle": sa.cycle,
        "body": fragments.Fragment(
            request,
            "peer_challenge:self_assessment_detail",
            lambda: self_assessment_page_rows(sa),
            rows_key=(sa.pk, sa.cycle_id, sa.cycle.region_id, sa.local_authority_id),
        ),
        "page_sa": page_sa,
        "sections": fragments.lazy(lambda: self_assessment_sections(user=user, sa=page_sa())),
        "moderators": moderators,
        "can_edit": can("peer_challenge.edit_selfassessment"),
        "can_submit": fragments.lazy(
            lambda: (
                page_sa().status == "draft"
                and access.can(user, "peer_challenge.submit_selfassessment", page_sa())
            )
        ),
        "can_sign_off": fragments.lazy(
            lambda: (
                page_sa().status == "moderated"
                and access.can(user, "peer_challenge.sign_off_selfassessment", page_sa())
            )
        ),
        "can_respond": can("peer_challenge.respond_selfassessment"),
        "can_assign": can("peer_challenge.assign_moderators"),
        "is_moderator": is_moderator,
        "can_comment": fragments.lazy(can_comment),
    }
    return render(request, "peer_challenge/self_assessment_detail.html", context, status=status)


@login_required
def self_assessment_edit(request, pk):
    sa = self_assessment_for(request, pk, "peer_challenge.edit_selfassessment")
    sections = list(sa.sections.select_related("question").order_by("question__position"))
    forms_by_section = [
        (
            section,
            SectionForm(
                request.POST or None,
                prefix=f"s{section.pk}",
                initial={
                    "narrative": section.narrative,
                    "strengths": section.strengths,
                    "areas_for_development": section.areas_for_development,
                    "evidence_links": section.evidence_links,
                },
            ),
        )
        for section in sections
    ]
    error = None
    if request.method == "POST" and all(form.is_valid() for _, form in forms_by_section):
        try:
            services.self_assessment_save(
                actor=request.user,
                self_assessment=sa,
                sections={section.pk: form.cleaned_data for section, form in forms_by_section},
            )
        except ValidationError as validation_error:
            error = " ".join(validation_error.messages)
        else:
            messages.success(request, "Your self-assessment is saved.")
            return redirect(sa)
    return render(
        request,
        "peer_challenge/self_assessment_edit.html",
        {"sa": sa, "forms_by_section": forms_by_section, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_POST
def evidence_upload(request, pk, section_pk):
    sa = self_assessment_for(request, pk, "peer_challenge.edit_selfassessment")
    section = get_object_or_404(sa.sections.select_related("question"), pk=section_pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, f"Choose a file to attach to “{section.question.title}”.")
        return _render_detail(request, sa, status=400)
    try:
        evidence = services.evidence_attach(
            actor=request.user,
            self_assessment=sa,
            section=section,
            upload=form.cleaned_data["file"],
        )
    except ValidationError as error:
        messages.error(request, f"“{section.question.title}”: " + " ".join(error.messages))
        return _render_detail(request, sa, status=400)
    messages.success(request, f"{evidence.name} is attached to “{section.question.title}”.")
    return redirect(f"{sa.get_absolute_url()}#section-{section.pk}")


@login_required
def evidence_remove(request, pk, file_pk):
    """GET: "Are you sure?" (nothing changes); POST: remove the file from the section."""
    sa = self_assessment_for(request, pk, "peer_challenge.edit_selfassessment")
    evidence = get_object_or_404(
        EvidenceFile.objects.filter(section__self_assessment=sa, removed_at__isnull=True),
        pk=file_pk,
    )

    def remove():
        services.evidence_remove(actor=request.user, evidence=evidence)
        messages.success(request, f"{evidence.name} is removed (the versions page still lists it).")
        return redirect(sa)

    return confirm_or_do(
        request,
        page=lambda: Confirmation(
            caption=f"{sa.local_authority.name} self-assessment",
            question=f"Remove {evidence.name}?",
            consequences=[
                "Moderators and your colleagues can no longer open it from the self-assessment.",
                "The versions page still lists that it was attached and when it was removed.",
            ],
            confirm_label="Yes, remove the file",
            cancel_url=sa.get_absolute_url(),
        ),
        do=remove,
    )


@login_required
def evidence_download(request, pk, file_pk):
    sa = self_assessment_for(request, pk)
    evidence = get_object_or_404(
        EvidenceFile.objects.filter(section__self_assessment=sa), pk=file_pk
    )
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


@login_required
def self_assessment_submit(request, pk):
    """GET: "Are you sure?" (it can no longer be edited). POST: submit it for moderation."""
    sa = self_assessment_for(request, pk, "peer_challenge.submit_selfassessment")

    def submit():
        try:
            services.self_assessment_submit(actor=request.user, self_assessment=sa)
        except ValidationError as error:
            flash_error(request, error)
        else:
            messages.success(request, "Your self-assessment is submitted for moderation.")
        return redirect(sa)

    def page() -> Confirmation:
        moderators = confirmation_selectors.moderator_count(self_assessment=sa)
        la = sa.local_authority.name
        return Confirmation(
            question=f"Are you sure you want to submit {la}'s self-assessment for moderation?",
            caption=f"{la} self-assessment, {sa.cycle.title}",
            consequences=[
                "Nobody in your local authority can edit it any more: the moderators comment on "
                "this version.",
                f"{plural(moderators, 'moderator is,moderators are')} assigned to it so far"
                + (": they can read it and comment." if moderators else "."),
                "Every section must have its narrative written, or it is not submitted.",
            ],
            irreversible="You cannot undo this: a submitted self-assessment cannot be edited.",
            confirm_label="Yes, submit for moderation",
            cancel_url=sa.get_absolute_url(),
            cancel_label="No, keep it as a draft",
            crumbs=[
                ("Peer challenge", reverse("peer_challenge:index")),
                (sa.cycle.title, sa.cycle.get_absolute_url()),
                (f"{la} self-assessment", sa.get_absolute_url()),
                ("Submit", ""),
            ],
        )

    return confirm_or_do(request, page=page, do=submit)


@login_required
def self_assessment_sign_off(request, pk):
    sa = self_assessment_for(request, pk, "peer_challenge.sign_off_selfassessment")
    form = SignOffForm(request.POST or None, la=sa.local_authority)
    if request.method == "POST" and form.is_valid():
        try:
            services.self_assessment_sign_off(
                actor=request.user, self_assessment=sa, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "The self-assessment is signed off.")
            return redirect(sa)
    return render(
        request,
        "peer_challenge/sign_off.html",
        {"sa": sa, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def self_assessment_history(request, pk):
    sa = self_assessment_for(request, pk)
    return render(
        request,
        "peer_challenge/self_assessment_history.html",
        {
            "sa": sa,
            "versions": self_assessment_versions(sa),
            "section_versions": section_version_texts(sa),
        },
    )
