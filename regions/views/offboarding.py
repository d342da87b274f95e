"""Ending a role from the LA page (or the region's): confirm with a reason, then it ends."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from sli_portal.access import can, require
from sli_portal.forms import GovukForm, add_validation_error

from ..models import Membership
from ..services.offboarding import membership_end as end


class EndRoleForm(GovukForm):
    reason = forms.CharField(
        label="Why does the role end?",
        max_length=100,
        help_text="For example: Left the council. Kept in the history.",
        error_messages={"required": "Say why the role ends (e.g. “Left the council”)."},
    )


@login_required
def membership_end(request, pk):
    membership = get_object_or_404(
        Membership.objects.select_related("user", "region", "local_authority__region"), pk=pk
    )
    scope = membership.scope
    if not can(request.user, "regions.view_people", scope):
        raise Http404
    require(request.user, "regions.end_membership", scope)
    form = EndRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            end(actor=request.user, membership=membership, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request,
                f"{membership.user.full_name} is no longer "
                f"{membership.get_role_display().lower()} of {scope}.",
            )
            return redirect(scope.get_absolute_url())
    return render(request, "regions/membership_end.html", {"membership": membership, "form": form})
