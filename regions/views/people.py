"""Pages for people: inviting someone to a role, resending or withdrawing the invitation, and
accepting it from the emailed link."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from sli_portal.access import SYSTEM, fetch, require_visible
from sli_portal.confirm import Confirmation, confirm_or_do, flash_outcome
from sli_portal.forms import add_validation_error

from ..forms.people import InvitationAcceptForm, InvitationForm
from ..models import Invitation, Region
from ..selectors import people as selectors
from ..services import people as services


@login_required
def invitation_create(request, slug):
    region = fetch(
        request.user, Region, see="regions.view_region", act="regions.invite_people", slug=slug
    )
    form = InvitationForm(
        request.POST or None,
        region=region,
        initial={"local_authority": request.GET.get("local_authority")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data.get("organisation") is not None and data["organisation"].pk is None:
                data["organisation"] = services.organisation_create(
                    actor=request.user,
                    name=data["organisation"].name,
                    kind=data["organisation"].kind,
                )
            invitation = services.invitation_create(
                actor=request.user,
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                region=region,
                local_authority=data["local_authority"],
                position=data["position"],
                organisation=data.get("organisation"),
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request, f"Invitation sent to {invitation.email}. The link is valid for 7 days."
            )
            return redirect(region)
    return render(request, "regions/invitation_form.html", {"region": region, "form": form})


def _invitation_for_manager(request, pk) -> Invitation:
    """An invitation names a person: only those who see the people of its region learn of it
    (404 for others); only those who may invite into its scope act on it (403)."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("region", "local_authority__region"), pk=pk
    )
    require_visible(
        request.user, invitation.scope, see="regions.view_people", act="regions.invite_people"
    )
    return invitation


@login_required
@require_POST
def invitation_resend(request, pk):
    invitation = _invitation_for_manager(request, pk)
    try:
        services.invitation_resend(actor=request.user, invitation=invitation)
        messages.success(request, f"A new link has been sent to {invitation.email}.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(invitation.target_region)


@login_required
def invitation_revoke(request, pk):
    """GET: "Are you sure?" (the emailed link stops working). POST: withdraw the invitation."""
    invitation = _invitation_for_manager(request, pk)
    region = invitation.target_region

    def revoke():
        flash_outcome(
            request,
            lambda: services.invitation_revoke(actor=request.user, invitation=invitation),
            f"The invitation for {invitation.email} has been withdrawn.",
        )
        return redirect(region)

    return confirm_or_do(
        request,
        page=lambda: Confirmation(
            question=f"Are you sure you want to withdraw the invitation for "
            f"{invitation.full_name or invitation.email}?",
            caption=f"{invitation.get_role_display()}, {invitation.scope}",
            consequences=[
                f"The link emailed to {invitation.email} stops working: they cannot take up "
                "the role with it.",
                "To invite them again later, send a new invitation.",
            ],
            confirm_label="Yes, withdraw the invitation",
            cancel_url=region.get_absolute_url(),
            cancel_label="No, keep the invitation",
            crumbs=[(region.name, region.get_absolute_url()), ("Withdraw an invitation", "")],
        ),
        do=revoke,
    )


def invitation_accept(request, token):
    invitation = selectors.invitation_from_token(token)
    if invitation is None:
        return render(request, "regions/invitation_invalid.html", status=404)
    signed_in = request.user.is_authenticated
    form = None if signed_in else InvitationAcceptForm(request.POST or None, email=invitation.email)
    error = None
    if request.method == "POST" and (signed_in or form.is_valid()):
        try:
            # Someone new has no account yet: the portal acts on their (signed) link.
            user = services.invitation_accept(
                actor=request.user if signed_in else SYSTEM,
                invitation=invitation,
                full_name="" if signed_in else form.cleaned_data["full_name"],
                password="" if signed_in else form.cleaned_data["password1"],
            )
        except ValidationError as validation_error:
            error = " ".join(validation_error.messages)
        else:
            if not signed_in:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                f"Welcome. You are now {invitation.get_role_display()} for {invitation.scope}.",
            )
            return redirect("dashboard")
    return render(
        request,
        "regions/invitation_accept.html",
        {"invitation": invitation, "form": form, "error": error, "signed_in": signed_in},
        status=400 if error or (form is not None and form.errors) else 200,
    )
