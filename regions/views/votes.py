"""Pages for priority votes: the region's votes, opening one, ballots, delegates, results and
promoting the winners into a plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sli_portal.access import can, fetch
from sli_portal.confirm import Confirmation, confirm_or_do
from sli_portal.templatetags.govuk import govuk_datetime, plural

from ..forms.votes import BallotForm, DelegateForm, PromoteForm, VoteForm
from ..models import Region, Vote, VoteCandidate
from ..scope import user_scope
from ..selectors import votes as selectors
from ..services import votes as services
from .pages import form_page, region_crumbs, try_service


@login_required
def vote_list(request, slug):
    region = fetch(request.user, Region, see="regions.view_vote", slug=slug)
    context = {
        "region": region,
        "votes": selectors.votes_for_region(region=region),
        "can_manage": can(request.user, "regions.manage_vote", region),
    }
    return render(request, "regions/plan/vote_list.html", context)


@login_required
def vote_create(request, slug):
    region = fetch(
        request.user, Region, see="regions.view_vote", act="regions.manage_vote", slug=slug
    )
    chosen = request.GET.getlist("candidate")
    form = VoteForm(
        request.POST or None,
        region=region,
        initial={"candidate_priorities": [c for c in chosen if c.isdigit()]},
    )
    if request.method == "POST" and form.is_valid():
        vote = try_service(
            request,
            form,
            lambda: services.vote_open(actor=request.user, region=region, **form.cleaned_data),
        )
        if vote:
            messages.success(
                request, f"Vote “{vote.title}” is open until {vote.closes_at:%-d %b %Y %H:%M}."
            )
            return redirect(vote)
    return form_page(
        request,
        form,
        title="Open a priority vote",
        crumbs=region_crumbs(region, "Votes", "regions:vote_list", ("New vote", "")),
        cancel_url=reverse("regions:vote_list", kwargs={"slug": slug}),
        submit="Open vote",
    )


def _vote_page(request, vote, ballot_form=None, delegate_form=None, status=200):
    las = selectors.vote_las_for(user=request.user, vote=vote)
    voted = {t.la.pk for t in selectors.vote_turnout(vote=vote) if t.ballot}
    can_manage = can(request.user, "regions.manage_vote", vote)
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
        "crumbs": region_crumbs(vote.region, "Votes", "regions:vote_list", (vote.title, "")),
    }
    return render(request, "regions/plan/vote_detail.html", context, status=status)


def _dcs_la_ids(user):
    return user_scope(user).las_with_role("dcs")


@login_required
def vote_detail(request, pk):
    vote = fetch(
        request.user, Vote.objects.select_related("region"), see="regions.view_vote", pk=pk
    )
    return _vote_page(request, vote)


@login_required
@require_POST
def vote_cast(request, pk):
    vote = fetch(
        request.user,
        Vote.objects.select_related("region"),
        see="regions.view_vote",
        act="regions.cast_ballot",
        pk=pk,
    )
    las = selectors.vote_las_for(user=request.user, vote=vote)
    if not las:
        raise PermissionDenied
    form = BallotForm(request.POST, vote=vote, las=las)
    if form.is_valid():
        la = form.cleaned_data["local_authority"]
        ballot = try_service(
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
    vote = fetch(
        request.user,
        Vote.objects.select_related("region"),
        see="regions.view_vote",
        act="regions.delegate_vote",
        pk=pk,
    )
    las = [
        la
        for la in selectors.vote_las_for(user=request.user, vote=vote)
        if la.pk in _dcs_la_ids(request.user)
    ]
    if not las:
        raise PermissionDenied
    form = DelegateForm(request.POST, las=las)
    if form.is_valid():
        data = form.cleaned_data
        delegate = try_service(
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
def vote_close(request, pk):
    """GET: "Are you sure?" (how many LAs have not voted). POST: close the vote now."""
    vote = fetch(
        request.user,
        Vote.objects.select_related("region"),
        see="regions.view_vote",
        act="regions.manage_vote",
        pk=pk,
    )

    def close():
        services.vote_close(actor=request.user, vote=vote)
        messages.success(request, "The vote is closed. The results are below.")
        return redirect(vote)

    def page() -> Confirmation:
        turnout = selectors.vote_turnout(vote=vote)
        voted = sum(1 for t in turnout if t.ballot)
        waiting = len(turnout) - voted
        consequences = [
            f"{voted} of {plural(len(turnout), 'local authority,local authorities')} "
            f"{'has' if voted == 1 else 'have'} voted. The results are counted from their "
            "ballots.",
        ]
        if waiting:
            consequences.append(
                f"The {plural(waiting, 'local authority,local authorities')} that "
                f"{'has' if waiting == 1 else 'have'} not voted can no longer vote."
            )
        consequences.append("Everyone who can see the vote sees its results.")
        return Confirmation(
            question=f"Are you sure you want to close the vote “{vote.title}” now?",
            caption=f"Open until {govuk_datetime(vote.closes_at)} (UK time)",
            consequences=consequences,
            irreversible="You cannot undo this: a closed vote cannot be opened again.",
            confirm_label="Yes, close the vote",
            cancel_url=vote.get_absolute_url(),
            cancel_label="No, keep it open",
            crumbs=region_crumbs(
                vote.region,
                "Votes",
                "regions:vote_list",
                (vote.title, vote.get_absolute_url()),
                ("Close", ""),
            ),
        )

    return confirm_or_do(request, page=page, do=close)


@login_required
@require_POST
def candidate_promote(request, pk):
    candidate = fetch(
        request.user,
        VoteCandidate.objects.select_related("vote__region"),
        see="regions.view_vote",
        act="regions.manage_vote",
        pk=pk,
    )
    vote = candidate.vote
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
