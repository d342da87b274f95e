from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from regions.models import Region
from sli_portal.forms import add_validation_error

from . import exports, selectors, services
from .forms import (
    ChallengeForm,
    ChallengeUpdateForm,
    CommentForm,
    ConstraintForm,
    CycleForm,
    CycleTimetableForm,
    EvidenceForm,
    FindingForm,
    ModeratorForm,
    ResponseForm,
    SectionForm,
    SignOffForm,
    TriadEditForm,
)
from .models import Challenge, Cycle, EvidenceFile, Finding, ModerationComment, SelfAssessment
from .rules import can


def _flash(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _region(request, slug, perm) -> Region:
    region = get_object_or_404(Region, slug=slug)
    if not can(request.user, perm, region):
        raise PermissionDenied
    return region


def _cycle(request, pk, perm="peer_challenge.view_cycle") -> Cycle:
    try:
        cycle = selectors.cycle_detail(pk=pk)
    except Cycle.DoesNotExist:
        raise Http404 from None
    if not can(request.user, "peer_challenge.view_cycle", cycle):
        raise Http404
    if perm != "peer_challenge.view_cycle" and not can(request.user, perm, cycle):
        raise PermissionDenied
    return cycle


def _self_assessment(request, pk, perm=None) -> SelfAssessment:
    try:
        sa = selectors.self_assessment_for(pk=pk)
    except SelfAssessment.DoesNotExist:
        raise Http404 from None
    if not can(request.user, "peer_challenge.view_selfassessment", sa):
        raise Http404
    if perm and not can(request.user, perm, sa):
        raise PermissionDenied
    return sa


def _challenge(request, pk, perm=None) -> Challenge:
    challenge = get_object_or_404(
        Challenge.objects.select_related("cycle__region", "home_la"), pk=pk
    )
    if not can(request.user, "peer_challenge.view_challenge", challenge):
        raise Http404
    if perm and not can(request.user, perm, challenge):
        raise PermissionDenied
    return challenge


# --- cycles ---------------------------------------------------------------------------------


@login_required
def index(request):
    regions = selectors.regions_for_index(request.user)
    cycles = list(selectors.visible_cycles(request.user))
    by_region = [
        {
            "region": region,
            "cycles": [c for c in cycles if c.region_id == region.pk],
            "can_manage": can(request.user, "peer_challenge.manage_region", region),
        }
        for region in regions
    ]
    return render(request, "peer_challenge/index.html", {"by_region": by_region})


@login_required
def cycle_create(request, slug):
    region = _region(request, slug, "peer_challenge.manage_region")
    form = CycleForm(
        request.POST or None, linkable_events=selectors.linkable_challenge_events(region)
    )
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_create(actor=request.user, region=region, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{cycle.title} has been created.")
            return redirect(cycle)
    status = 400 if form.errors else 200
    return render(
        request, "peer_challenge/cycle_form.html", {"region": region, "form": form}, status=status
    )


@login_required
def cycle_detail(request, pk):
    cycle = _cycle(request, pk)
    can_manage = can(request.user, "peer_challenge.manage_cycle", cycle)
    context = {
        "cycle": cycle,
        "can_manage": can_manage,
        "triads": selectors.cycle_triads(cycle) if cycle.triads_confirmed or can_manage else [],
        "self_assessments": selectors.cycle_self_assessments(user=request.user, cycle=cycle),
        "progress": selectors.cycle_progress(cycle) if cycle.is_annual else None,
        "findings": selectors.cycle_findings(cycle),
        "challenges": selectors.cycle_challenges(cycle) if not cycle.is_annual else [],
        "challenge_places": selectors.challenge_day_places(cycle) if can_manage else None,
    }
    return render(request, "peer_challenge/cycle_detail.html", context)


@login_required
def cycle_edit(request, pk):
    cycle = _cycle(request, pk, "peer_challenge.manage_cycle")
    form = CycleTimetableForm.for_cycle(cycle, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_update(actor=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"The timetable of {cycle.title} is saved.")
            return redirect(cycle)
    status = 400 if form.errors else 200
    return render(
        request, "peer_challenge/cycle_edit.html", {"cycle": cycle, "form": form}, status=status
    )


@login_required
@require_POST
def cycle_close(request, pk):
    cycle = _cycle(request, pk, "peer_challenge.manage_cycle")
    services.cycle_close(actor=request.user, cycle=cycle)
    messages.success(request, f"{cycle.title} is closed: it no longer shows on dashboards.")
    return redirect(cycle)


@login_required
def triads(request, pk):
    cycle = _cycle(request, pk, "peer_challenge.manage_cycle")
    triad_list = selectors.cycle_triads(cycle)
    form = TriadEditForm(request.POST or None, triads=triad_list)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.triads_update(
                    actor=request.user, cycle=cycle, assignment=form.assignment()
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, "Your changes to the triads are saved.")
                return redirect("peer_challenge:triads", pk=cycle.pk)
        status = 400
    context = {
        "cycle": cycle,
        "triads": triad_list,
        "form": form,
        "constraint_form": ConstraintForm(region=cycle.region),
        "constraints": cycle.pairing_constraints.select_related("first", "second"),
        "explanation": cycle.triads_explanation,
    }
    return render(request, "peer_challenge/triads.html", context, status=status)


@login_required
@require_POST
def triads_propose(request, pk):
    cycle = _cycle(request, pk, "peer_challenge.manage_cycle")
    try:
        explanation = services.triads_propose(actor=request.user, cycle=cycle)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(
            request,
            f"Triads proposed with {explanation['repeat_count']} repeated pairing(s). "
            "Check them, edit if needed, then confirm.",
        )
    return redirect("peer_challenge:triads", pk=cycle.pk)


@login_required
@require_POST
def triads_confirm(request, pk):
    cycle = _cycle(request, pk, "peer_challenge.manage_cycle")
    try:
        services.triads_confirm(actor=request.user, cycle=cycle)
    except ValidationError as error:
        _flash(request, error)
        return redirect("peer_challenge:triads", pk=cycle.pk)
    messages.success(request, "The triads are confirmed and visible to the region.")
    return redirect(cycle)


@login_required
@require_POST
def constraint_add(request, pk):
    cycle = _cycle(request, pk, "peer_challenge.manage_cycle")
    form = ConstraintForm(request.POST, region=cycle.region)
    if form.is_valid():
        try:
            services.pairing_constraint_add(actor=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as error:
            _flash(request, error)
        else:
            messages.success(request, "The rule is saved. Generate the triads again to apply it.")
    else:
        messages.error(request, "Choose a rule and two local authorities.")
    return redirect("peer_challenge:triads", pk=cycle.pk)


@login_required
def finding_create(request, pk):
    cycle = _cycle(request, pk, "peer_challenge.manage_cycle")
    form = FindingForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_create(actor=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "The finding is recorded.")
            return redirect(cycle)
    return render(
        request,
        "peer_challenge/finding_form.html",
        {"cycle": cycle, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def finding_promote(request, pk):
    finding = get_object_or_404(Finding.objects.select_related("cycle"), pk=pk)
    if not can(request.user, "peer_challenge.view_cycle", finding.cycle):
        raise Http404
    if not can(request.user, "peer_challenge.manage_cycle", finding.cycle):
        raise PermissionDenied
    try:
        services.finding_promote(actor=request.user, finding=finding)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(
            request,
            "The theme is on the region's plans page as a candidate priority for the next plan.",
        )
    return redirect(finding.cycle)


# --- thematic and bilateral challenges ------------------------------------------------------


@login_required
def challenge_create(request, pk):
    cycle = _cycle(request, pk, "peer_challenge.manage_cycle")
    form = ChallengeForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            challenge = services.challenge_create(
                actor=request.user, cycle=cycle, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"The challenge for {challenge.home_la} is recorded.")
            return redirect(cycle)
    return render(
        request,
        "peer_challenge/challenge_form.html",
        {"cycle": cycle, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def challenge_detail(request, pk):
    challenge = _challenge(request, pk)
    return render(
        request,
        "peer_challenge/challenge_detail.html",
        {
            "challenge": challenge,
            "challengers": list(challenge.challenging_las.order_by("name")),
            "can_manage": can(request.user, "peer_challenge.manage_challenge", challenge),
        },
    )


@login_required
def challenge_update(request, pk):
    challenge = _challenge(request, pk, "peer_challenge.manage_challenge")
    form = ChallengeUpdateForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "status": challenge.status,
            "date": challenge.date,
            "evaluation": challenge.evaluation,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_update(actor=request.user, challenge=challenge, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "The challenge is updated.")
            return redirect(challenge)
    return render(
        request,
        "peer_challenge/challenge_update.html",
        {"challenge": challenge, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def challenge_report(request, pk):
    challenge = _challenge(request, pk)
    if not challenge.report:
        raise Http404("No report has been uploaded.")
    return FileResponse(
        challenge.report.open("rb"),
        as_attachment=True,
        filename=challenge.report.name.rsplit("/", 1)[-1],
    )


# --- self-assessments -----------------------------------------------------------------------


@login_required
def self_assessment_detail(request, pk):
    return _render_detail(request, _self_assessment(request, pk))


def _render_detail(request, sa, status=200):
    user = request.user
    is_moderator = can(user, "peer_challenge.moderate_selfassessment", sa)
    moderators = selectors.self_assessment_moderators(sa)
    my_assignment = next((a for a in moderators if a.moderator_id == user.pk), None)
    context = {
        "sa": sa,
        "cycle": sa.cycle,
        "sections": selectors.self_assessment_sections(user=user, sa=sa),
        "moderators": moderators,
        "can_edit": can(user, "peer_challenge.edit_selfassessment", sa),
        "can_submit": sa.status == "draft"
        and can(user, "peer_challenge.submit_selfassessment", sa),
        "can_sign_off": sa.status == "moderated"
        and can(user, "peer_challenge.sign_off_selfassessment", sa),
        "can_respond": can(user, "peer_challenge.respond_selfassessment", sa),
        "can_assign": can(user, "peer_challenge.assign_moderators", sa),
        "is_moderator": is_moderator,
        "can_comment": is_moderator
        and my_assignment is not None
        and my_assignment.comments_released_at is None,
        "comment_form": CommentForm(),
        "response_form": ResponseForm(),
    }
    return render(request, "peer_challenge/self_assessment_detail.html", context, status=status)


@login_required
def self_assessment_edit(request, pk):
    sa = _self_assessment(request, pk)
    if not can(request.user, "peer_challenge.edit_selfassessment", sa):
        raise PermissionDenied
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
    sa = _self_assessment(request, pk, "peer_challenge.edit_selfassessment")
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
@require_POST
def evidence_remove(request, pk, file_pk):
    sa = _self_assessment(request, pk, "peer_challenge.edit_selfassessment")
    evidence = get_object_or_404(
        EvidenceFile.objects.filter(section__self_assessment=sa, removed_at__isnull=True),
        pk=file_pk,
    )
    services.evidence_remove(actor=request.user, evidence=evidence)
    messages.success(request, f"{evidence.name} is removed (the versions page still lists it).")
    return redirect(sa)


@login_required
def evidence_download(request, pk, file_pk):
    sa = _self_assessment(request, pk)
    evidence = get_object_or_404(
        EvidenceFile.objects.filter(section__self_assessment=sa), pk=file_pk
    )
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


@login_required
@require_POST
def self_assessment_submit(request, pk):
    sa = _self_assessment(request, pk, "peer_challenge.submit_selfassessment")
    try:
        services.self_assessment_submit(actor=request.user, self_assessment=sa)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, "Your self-assessment is submitted for moderation.")
    return redirect(sa)


@login_required
def self_assessment_sign_off(request, pk):
    sa = _self_assessment(request, pk, "peer_challenge.sign_off_selfassessment")
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
    sa = _self_assessment(request, pk)
    return render(
        request,
        "peer_challenge/self_assessment_history.html",
        {
            "sa": sa,
            "versions": selectors.self_assessment_versions(sa),
            "section_versions": selectors.section_version_texts(sa),
        },
    )


@login_required
def moderator_assign(request, pk):
    sa = _self_assessment(request, pk, "peer_challenge.assign_moderators")
    form = ModeratorForm(request.POST or None, candidates=services.moderator_candidates(sa))
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
        {"sa": sa, "form": form, "moderators": selectors.self_assessment_moderators(sa)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def moderation_comment(request, pk, section_pk):
    sa = _self_assessment(request, pk, "peer_challenge.moderate_selfassessment")
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
        _flash(request, error)
    else:
        messages.success(request, f"Your comment on “{section.question.title}” is saved.")
    return redirect(f"{sa.get_absolute_url()}#section-{section.pk}")


@login_required
@require_POST
def moderation_release(request, pk):
    sa = _self_assessment(request, pk, "peer_challenge.moderate_selfassessment")
    try:
        services.moderation_release(actor=request.user, self_assessment=sa)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, f"Your comments are sent to {sa.local_authority}.")
    return redirect(sa)


@login_required
@require_POST
def comment_respond(request, pk, comment_pk):
    sa = _self_assessment(request, pk, "peer_challenge.respond_selfassessment")
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
        _flash(request, error)
    else:
        messages.success(request, "Your response is saved.")
    return redirect(sa)


# --- take-up --------------------------------------------------------------------------------


@login_required
def take_up(request, slug):
    region = _region(request, slug, "peer_challenge.view_region")
    years = selectors.take_up(region)
    return render(
        request,
        "peer_challenge/take_up.html",
        {"region": region, "years": years, "chart": exports.take_up_chart_svg(years)},
    )


@login_required
def take_up_export(request, slug, fmt):
    region = _region(request, slug, "peer_challenge.view_region")
    years = selectors.take_up(region)
    if fmt == "csv":
        response = HttpResponse(exports.take_up_csv(years), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.take_up_xlsx(years, region_name=region.name),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="take-up-{region.slug}.{fmt}"'
    return response
