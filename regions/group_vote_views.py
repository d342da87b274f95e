"""Pages for regional groups and priority votes. Thin: form -> service -> page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import group_vote_services as services
from . import plan_selectors as selectors
from .models import Region
from .plan_forms import (
    AdoptForm,
    BallotForm,
    DelegateForm,
    GroupAccountForm,
    GroupForm,
    PromoteForm,
    VoteForm,
)
from .plan_models import CandidatePriority, RegionalGroup, Vote, VoteCandidate
from .plan_views import _checked, _form_page, _try

# --- groups ---------------------------------------------------------------------------------


def _region_crumbs(region, label, url_name, *more):
    return [
        (region.name, region.get_absolute_url()),
        (label, reverse(url_name, kwargs={"slug": region.slug})),
        *more,
    ]


@login_required
def group_list(request, slug):
    region = _checked(request, Region, "regions.view_group", slug=slug)
    context = {
        "region": region,
        "groups": selectors.groups_for_region(region=region),
        "can_edit": request.user.has_perm("regions.change_group", region),
    }
    return render(request, "regions/plan/group_list.html", context)


@login_required
def group_create(request, slug):
    region = _checked(request, Region, "regions.change_group", slug=slug)
    form = GroupForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        group = _try(
            request,
            form,
            lambda: services.group_create(actor=request.user, region=region, **form.cleaned_data),
        )
        if group:
            messages.success(request, f"Group “{group.name}” created.")
            return redirect(group)
    return _form_page(
        request,
        form,
        title="New regional group",
        crumbs=_region_crumbs(region, "Groups", "regions:group_list", ("New group", "")),
        cancel_url=reverse("regions:group_list", kwargs={"slug": slug}),
        submit="Create group",
    )


@login_required
def group_detail(request, pk):
    _checked(request, RegionalGroup, "regions.view_group", pk=pk)
    group = selectors.group_for_page(pk=pk)
    context = {
        "group": group,
        "can_edit": request.user.has_perm("regions.change_group", group),
        "can_account": request.user.has_perm("regions.account_group", group),
        "crumbs": _region_crumbs(group.region, "Groups", "regions:group_list", (group.name, "")),
    }
    return render(request, "regions/plan/group_detail.html", context)


@login_required
def group_update(request, pk):
    group = _checked(
        request, RegionalGroup.objects.select_related("region"), "regions.change_group", pk=pk
    )
    initial = {
        "name": group.name,
        "remit": group.remit,
        "sponsor": group.sponsor_id,
        "accountable_to": group.accountable_to,
        "members": list(group.members.all()),
        "priorities": list(group.priorities.all()),
    }
    form = GroupForm(request.POST or None, region=group.region, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(
            request,
            form,
            lambda: services.group_update(actor=request.user, group=group, **form.cleaned_data),
        )
    ):
        messages.success(request, "Group saved.")
        return redirect(group)
    return _form_page(
        request,
        form,
        title=f"Edit {group.name}",
        crumbs=_region_crumbs(
            group.region,
            "Groups",
            "regions:group_list",
            (group.name, group.get_absolute_url()),
            ("Edit", ""),
        ),
        cancel_url=group.get_absolute_url(),
    )


@login_required
def group_account_create(request, pk):
    group = _checked(
        request, RegionalGroup.objects.select_related("region"), "regions.account_group", pk=pk
    )
    form = GroupAccountForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        account = _try(
            request,
            form,
            lambda: services.group_account_submit(
                actor=request.user,
                group=group,
                year=form.cleaned_data["year"],
                summary=form.cleaned_data["summary"],
                narratives=form.narratives(),
            ),
        )
        if account:
            messages.success(request, f"Annual account for {account.year_label} recorded.")
            return redirect(group)
    return _form_page(
        request,
        form,
        title=f"Annual account of {group.name}",
        intro="How the group's work advanced each plan priority it supports this year.",
        crumbs=_region_crumbs(
            group.region,
            "Groups",
            "regions:group_list",
            (group.name, group.get_absolute_url()),
            ("Annual account", ""),
        ),
        cancel_url=group.get_absolute_url(),
        submit="Submit account",
    )


# --- votes ----------------------------------------------------------------------------------


@login_required
def vote_list(request, slug):
    region = _checked(request, Region, "regions.view_vote", slug=slug)
    context = {
        "region": region,
        "votes": selectors.votes_for_region(region=region),
        "can_manage": request.user.has_perm("regions.manage_vote", region),
    }
    return render(request, "regions/plan/vote_list.html", context)


@login_required
def vote_create(request, slug):
    region = _checked(request, Region, "regions.manage_vote", slug=slug)
    chosen = request.GET.getlist("candidate")
    form = VoteForm(
        request.POST or None,
        region=region,
        initial={"candidate_priorities": [c for c in chosen if c.isdigit()]},
    )
    if request.method == "POST" and form.is_valid():
        vote = _try(
            request,
            form,
            lambda: services.vote_open(actor=request.user, region=region, **form.cleaned_data),
        )
        if vote:
            messages.success(
                request, f"Vote “{vote.title}” is open until {vote.closes_at:%-d %b %Y %H:%M}."
            )
            return redirect(vote)
    return _form_page(
        request,
        form,
        title="Open a priority vote",
        crumbs=_region_crumbs(region, "Votes", "regions:vote_list", ("New vote", "")),
        cancel_url=reverse("regions:vote_list", kwargs={"slug": slug}),
        submit="Open vote",
    )


def _vote_page(request, vote, ballot_form=None, delegate_form=None, status=200):
    las = services.vote_las_for(request.user, vote)
    voted = {t.la.pk for t in selectors.vote_turnout(vote=vote) if t.ballot}
    can_manage = request.user.has_perm("regions.manage_vote", vote)
    open_las = [la for la in las if la.pk not in voted]
    delegable = [la for la in open_las if la.pk in _dcs_la_ids(request.user)]
    context = {
        "vote": vote,
        "turnout": selectors.vote_turnout(vote=vote),
        "results": selectors.vote_results(vote=vote) if (can_manage or not vote.is_open) else None,
        "can_manage": can_manage,
        "ballot_las": open_las,
        "ballot_form": ballot_form
        or (BallotForm(vote=vote, las=open_las) if vote.is_open and open_las else None),
        "delegate_form": delegate_form
        or (DelegateForm(las=delegable) if vote.is_open and delegable else None),
        "promote_form": PromoteForm(region=vote.region)
        if can_manage and not vote.is_open
        else None,
        "crumbs": _region_crumbs(vote.region, "Votes", "regions:vote_list", (vote.title, "")),
    }
    return render(request, "regions/plan/vote_detail.html", context, status=status)


def _dcs_la_ids(user):
    from .scope import user_scope

    return user_scope(user).las_with_role("dcs")


@login_required
def vote_detail(request, pk):
    vote = _checked(request, Vote.objects.select_related("region"), "regions.view_vote", pk=pk)
    return _vote_page(request, vote)


@login_required
@require_POST
def vote_cast(request, pk):
    vote = _checked(request, Vote.objects.select_related("region"), "regions.view_vote", pk=pk)
    las = services.vote_las_for(request.user, vote)
    if not las:
        raise PermissionDenied
    form = BallotForm(request.POST, vote=vote, las=las)
    if form.is_valid():
        la = form.cleaned_data["local_authority"]
        ballot = _try(
            request,
            form,
            lambda: services.vote_cast(
                actor=request.user,
                vote=vote,
                local_authority=la,
                candidate_ids=form.candidate_ids(),
            ),
        )
        if ballot:
            messages.success(request, f"{la}'s ballot has been cast. Thank you.")
            return redirect(vote)
    return _vote_page(request, vote, ballot_form=form, status=400)


@login_required
@require_POST
def vote_delegate(request, pk):
    vote = _checked(request, Vote.objects.select_related("region"), "regions.delegate_vote", pk=pk)
    las = [
        la for la in services.vote_las_for(request.user, vote) if la.pk in _dcs_la_ids(request.user)
    ]
    if not las:
        raise PermissionDenied
    form = DelegateForm(request.POST, las=las)
    if form.is_valid():
        data = form.cleaned_data
        delegate = _try(
            request,
            form,
            lambda: services.vote_delegate(
                actor=request.user,
                vote=vote,
                local_authority=data["local_authority"],
                user=data["user"],
            ),
        )
        if delegate:
            messages.success(
                request, f"{delegate.user} will cast {delegate.local_authority}'s ballot."
            )
            return redirect(vote)
    return _vote_page(request, vote, delegate_form=form, status=400)


@login_required
@require_POST
def vote_close(request, pk):
    vote = _checked(request, Vote.objects.select_related("region"), "regions.manage_vote", pk=pk)
    services.vote_close(actor=request.user, vote=vote)
    messages.success(request, "The vote is closed. The results are below.")
    return redirect(vote)


@login_required
@require_POST
def candidate_promote(request, pk):
    candidate = get_object_or_404(VoteCandidate.objects.select_related("vote__region"), pk=pk)
    vote = candidate.vote
    if not request.user.has_perm("regions.manage_vote", vote):
        raise PermissionDenied
    form = PromoteForm(request.POST, region=vote.region)
    if form.is_valid():
        try:
            priority = services.candidate_promote(
                actor=request.user, candidate=candidate, theme=form.cleaned_data["theme"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"“{candidate.title}” is now priority {priority.number} of {priority.plan}.",
            )
    else:
        messages.error(request, "Choose the theme to add the priority to.")
    return redirect(vote)


# --- candidate priorities for the next plan -------------------------------------------------


@login_required
def candidate_priority_adopt(request, pk):
    """Adopt a candidate priority straight into a theme of one of the region's plans."""
    candidate = get_object_or_404(
        CandidatePriority.objects.select_related("region", "adopted_as__plan"), pk=pk
    )
    region = candidate.region
    if not request.user.has_perm("regions.view_plan", region):
        raise Http404
    if not request.user.has_perm("regions.change_plan", region):
        raise PermissionDenied
    list_url = reverse("regions:plan_list", kwargs={"slug": region.slug})
    form = AdoptForm(request.POST if request.method == "POST" else None, region=region)
    if request.method == "POST" and form.is_valid():
        priority = _try(
            request,
            form,
            lambda: services.candidate_priority_adopt(
                actor=request.user, candidate=candidate, theme=form.cleaned_data["theme"]
            ),
        )
        if priority:
            messages.success(
                request,
                f"“{candidate.title}” is now priority {priority.number} of {priority.plan}.",
            )
            return redirect(priority)
    intro = f"{candidate.title}. Source: {candidate.source_label}."
    if candidate.adopted_as_id:
        intro += (
            f" Already adopted as priority {candidate.adopted_as.number} "
            f"of {candidate.adopted_as.plan}."
        )
    return _form_page(
        request,
        form,
        title="Adopt a candidate priority",
        intro=intro,
        crumbs=[
            (region.name, region.get_absolute_url()),
            ("Plans", list_url),
            ("Adopt a candidate priority", ""),
        ],
        cancel_url=list_url,
        submit="Adopt into the plan",
    )
