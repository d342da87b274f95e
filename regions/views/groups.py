"""Pages for specialist regional groups and their annual accounts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from sli_portal.access import can, fetch
from sli_portal.listing import sorted_page

from ..forms.groups import GroupAccountForm, GroupForm
from ..models import Region, RegionalGroup
from ..selectors import groups as selectors
from ..services import groups as services
from .pages import form_page, region_crumbs, try_service


@login_required
def group_list(request, slug):
    region = fetch(request.user, Region, see="regions.view_group", slug=slug)
    context = {
        "region": region,
        "groups": sorted_page(
            request,
            selectors.groups_for_region(region=region),
            sorts={
                "name": "name",
                "sponsor": "sponsor__full_name",
                "accountable": "accountable_to",
                "members": "member_count",
            },
            default="name",
        ),
        "can_edit": can(request.user, "regions.change_group", region),
    }
    return render(request, "regions/plan/group_list.html", context)


@login_required
def group_create(request, slug):
    region = fetch(
        request.user, Region, see="regions.view_group", act="regions.change_group", slug=slug
    )
    form = GroupForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        group = try_service(
            request,
            form,
            lambda: services.group_create(actor=request.user, region=region, **form.cleaned_data),
        )
        if group:
            messages.success(request, f"Group “{group.name}” created.")
            return redirect(group)
    return form_page(
        request,
        form,
        title="New regional group",
        crumbs=region_crumbs(region, "Groups", "regions:group_list", ("New group", "")),
        cancel_url=reverse("regions:group_list", kwargs={"slug": slug}),
        submit="Create group",
    )


@login_required
def group_detail(request, pk):
    fetch(request.user, RegionalGroup, see="regions.view_group", pk=pk)
    group = selectors.group_for_page(pk=pk)
    context = {
        "group": group,
        "can_edit": can(request.user, "regions.change_group", group),
        "can_account": can(request.user, "regions.account_group", group),
        "crumbs": region_crumbs(group.region, "Groups", "regions:group_list", (group.name, "")),
    }
    return render(request, "regions/plan/group_detail.html", context)


@login_required
def group_update(request, pk):
    group = fetch(
        request.user,
        RegionalGroup.objects.select_related("region"),
        see="regions.view_group",
        act="regions.change_group",
        pk=pk,
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
        and try_service(
            request,
            form,
            lambda: services.group_update(actor=request.user, group=group, **form.cleaned_data),
        )
    ):
        messages.success(request, "Group saved.")
        return redirect(group)
    return form_page(
        request,
        form,
        title=f"Edit {group.name}",
        crumbs=region_crumbs(
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
    group = fetch(
        request.user,
        RegionalGroup.objects.select_related("region"),
        see="regions.view_group",
        act="regions.account_group",
        pk=pk,
    )
    form = GroupAccountForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        account = try_service(
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
    return form_page(
        request,
        form,
        title=f"Annual account of {group.name}",
        intro="How the group's work advanced each plan priority it supports this year.",
        crumbs=region_crumbs(
            group.region,
            "Groups",
            "regions:group_list",
            (group.name, group.get_absolute_url()),
            ("Annual account", ""),
        ),
        cancel_url=group.get_absolute_url(),
        submit="Submit account",
    )
